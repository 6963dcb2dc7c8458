import type { Logger as TypeOrmLogger, QueryRunner } from 'typeorm';

/**
 * The little we need from a logger; pino's (obj, msg) signature fits, so the API passes its own.
 * Nothing we log carries a password or query parameters (customer data).
 */
export interface StoreLogger {
  debug?(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/** Counts every statement the DataSource sends; the "constant queries per page" figure comes from here. */
export class StoreQueryCounter {
  private count = 0;
  constructor(private readonly onQuery?: (sql: string) => void) {}
  /** Statements sent since the connection opened. */
  get queries(): number {
    return this.count;
  }
  record(sql: string): void {
    this.count += 1;
    this.onQuery?.(sql);
  }
}

/**
 * TypeORM calls logQuery for EVERY statement, whatever the `logging` option says, so counting
 * here cannot miss a query that went around our repositories.
 */
export class StoreTypeOrmLogger implements TypeOrmLogger {
  constructor(
    private readonly counter: StoreQueryCounter,
    private readonly logger?: StoreLogger,
  ) {}

  logQuery(query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    this.counter.record(query);
    this.logger?.debug?.({ sql: query.slice(0, 500) }, 'opencart query');
  }

  logQueryError(error: string | Error, query: string): void {
    this.logger?.warn(
      { sql: query.slice(0, 500), error: String(error instanceof Error ? error.message : error) },
      'opencart query failed',
    );
  }

  logQuerySlow(timeMs: number, query: string): void {
    this.logger?.warn({ sql: query.slice(0, 500), timeMs }, 'slow opencart query');
  }

  logSchemaBuild(): void {}

  logMigration(): void {}

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger?.warn({ message: String(message) }, 'typeorm');
  }
}
