import type { Clock, LogFields, SyncLogger } from '../use-cases/sync-logger.port';

/** A logger that keeps its lines, for assertions. */
export class MemoryLogger implements SyncLogger {
  readonly lines: Array<{ level: 'info' | 'warn' | 'error'; message: string; fields?: LogFields }> = [];
  info(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'info', message, fields });
  }
  warn(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'error', message, fields });
  }
}

/** A clock that stays where it is put. */
export class FixedClock implements Clock {
  constructor(private current: Date = new Date('2024-06-01T12:00:00Z')) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(date: Date): void {
    this.current = date;
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
