/**
 * The use cases' own small ports: a structured logger and a clock. sync-core never touches the
 * console or the system time directly, so the composition root picks the logger (pino in the
 * API) and tests pin the time.
 */

/** Fields attached to a log line (run id, entity, counts…). Never secrets. */
export type LogFields = Record<string, unknown>;

/** A structured logger; one per use case, the run id in the fields of every line. */
export interface SyncLogger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** The time source. A run reads it once and uses that value as its upper bound. */
export interface Clock {
  now(): Date;
}

/** A logger that drops everything (for callers that do not care). */
export const silentLogger: SyncLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** The system clock. */
export const systemClock: Clock = { now: () => new Date() };
