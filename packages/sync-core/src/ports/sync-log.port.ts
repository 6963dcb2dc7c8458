/** The run log of the connector database (opencart-db: sync-log.repository.ts). */

/** One log line of a run, per entity where there is one. */
export interface SyncLogEntry {
  /** Run id. */
  runId: string;
  /** 'debug' (only with the Debug setting: Xero's requests and responses, redacted) | 'info' | 'warn' | 'error'. */
  level: 'debug' | 'info' | 'warn' | 'error';
  /** Entity type, e.g. 'order', 'customer', 'product', or '' for run-level lines. */
  entityType: string;
  /** Entity key, e.g. '42'. */
  entityId: string;
  /** Outcome, e.g. 'exported', 'skipped', 'failed', 'removed'. */
  status: string;
  /** Merchant-readable message. */
  message: string;
  /** Extra detail (no secrets). */
  details?: Record<string, unknown>;
  /** ISO time. */
  createdAt?: string;
}

/** Query of the run log. */
export interface SyncLogQuery {
  scope?: string;
  runId?: string;
  entityType?: string;
  entityId?: string;
  level?: SyncLogEntry['level'];
  status?: string;
  /** ISO, inclusive. */
  from?: string;
  /** ISO, inclusive. */
  to?: string;
  limit: number;
  offset?: number;
}

/** The run log. */
export interface SyncLogPort {
  /** Append log lines. */
  appendLog(entries: SyncLogEntry[]): Promise<void>;
  /** Log lines filtered, newest first. */
  listLog(query: SyncLogQuery): Promise<SyncLogEntry[]>;
}
