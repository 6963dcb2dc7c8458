/**
 * The connector's own state (its own database, never the store's tables), implemented by
 * packages/opencart-db over TypeORM with migrations. Everything is scoped by a connection key
 * (`scope`: store + Xero organisation) so one database can serve several stores.
 */

/** What a ledger row stands for in Xero. */
export type LedgerEntityType = 'contact' | 'item' | 'invoice' | 'payment' | 'credit-note' | 'allocation' | 'removal';

/**
 * Life of a ledger row: pending (reserved, call not yet answered or outcome unknown), done
 * (Xero confirmed; xeroId set), failed (Xero or our mapping refused it; lastError says why),
 * removed (voided/deleted in Xero), conflict (needs a person; lastError says why).
 */
export type LedgerStatus = 'pending' | 'done' | 'failed' | 'removed' | 'conflict';

/** One row of the outbound ledger: OpenCart entity ↔ Xero object. */
export interface LedgerEntry {
  /** Connection scope (store + organisation). */
  scope: string;
  /** Kind of Xero object. */
  entityType: LedgerEntityType;
  /** Our key for it, e.g. 'order:42', 'customer:7', 'guest:a@b.c', 'product:28'. */
  entityKey: string;
  /** Current state. */
  status: LedgerStatus;
  /** Xero's id once known. */
  xeroId: string | null;
  /** Xero's human number once known (InvoiceNumber, ContactNumber, Code, CreditNoteNumber). */
  xeroNumber: string | null;
  /** Hash of the payload last sent, to skip unchanged records. */
  payloadHash: string | null;
  /** How many times we tried. */
  attempts: number;
  /** Last error, merchant-readable, when failed/conflict. */
  lastError: string | null;
  /** When the row last changed (ISO). */
  updatedAt: string;
}

/** What a run is doing. */
export type RunKind = 'orders' | 'customers' | 'items' | 'stock' | 'all';

/** A sync run. */
export interface SyncRun {
  /** Run id. */
  id: string;
  /** Connection scope. */
  scope: string;
  /** What it syncs. */
  kind: RunKind;
  /** What started it: cron, schedule, manual, cli, api. */
  trigger: string;
  /** running, completed, failed, cancelled; interrupted = its process died or stopped mid-run (the next run resumes). */
  status: 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';
  /** Whether writes were suppressed. */
  dryRun: boolean;
  /** ISO start time. */
  startedAt: string;
  /** ISO end time, null while running. */
  finishedAt: string | null;
  /** Counters and figures of the run (JSON-serialisable). */
  summary: Record<string, unknown>;
  /** Why the run failed as a whole, when it did. */
  error: string | null;
}

/** One log line of a run, per entity where there is one. */
export interface SyncLogEntry {
  /** Run id. */
  runId: string;
  /** 'info' | 'warn' | 'error'. */
  level: 'info' | 'warn' | 'error';
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

/** Per-product account overrides (Catalog > Products > Xero in the original). */
export interface ProductAccountOverride {
  /** product_id. */
  productId: number;
  /** Sales account code, null = use the setting. */
  salesAccountCode: string | null;
  /** Purchase account code, null = use the setting. */
  purchaseAccountCode: string | null;
}

/** Stored OAuth tokens of a connection (the adapter encrypts them at rest). */
export interface StoredXeroTokens {
  /** Connection scope. */
  scope: string;
  /** Xero tenant (organisation) id. */
  tenantId: string;
  /** Organisation name for display. */
  tenantName: string;
  /** Access token. */
  accessToken: string;
  /** Refresh token (absent for client_credentials). */
  refreshToken: string | null;
  /** Access token expiry (ISO). */
  expiresAt: string;
  /** When the tokens were last refreshed (ISO). */
  refreshedAt: string;
  /** Granted scopes. */
  scopes: string;
}

/** The connector's own tables. */
export interface ConnectorStore {
  /** Ledger rows for these keys (missing keys are left out). */
  getLedger(scope: string, entityType: LedgerEntityType, entityKeys: string[]): Promise<LedgerEntry[]>;
  /** Rows in a status (e.g. failed, to retry first; pending, to reconcile), oldest first. */
  listLedger(scope: string, query: { entityType?: LedgerEntityType; status?: LedgerStatus; limit: number; afterKey?: string }): Promise<LedgerEntry[]>;
  /** Reserve rows as pending in ONE transaction before calling Xero; returns the rows as stored (existing done rows are returned unchanged, not reset). */
  reserve(scope: string, entityType: LedgerEntityType, items: Array<{ entityKey: string; payloadHash: string; xeroNumber?: string }>): Promise<LedgerEntry[]>;
  /** Record outcomes after the call, in one transaction. attempts is incremented for each. */
  record(scope: string, entityType: LedgerEntityType, results: Array<{ entityKey: string; status: LedgerStatus; xeroId?: string | null; xeroNumber?: string | null; payloadHash?: string | null; lastError?: string | null }>): Promise<void>;

  /** A named checkpoint (JSON string), null when never set. */
  getCheckpoint(scope: string, name: string): Promise<string | null>;
  /** Move a checkpoint; only after the writes it covers succeeded. */
  setCheckpoint(scope: string, name: string, value: string): Promise<void>;

  /** Settings document of a scope, null when never saved. */
  loadSettings(scope: string): Promise<Record<string, unknown> | null>;
  /** Save the settings document (secrets inside are encrypted by the adapter). */
  saveSettings(scope: string, settings: Record<string, unknown>): Promise<void>;

  /** Tokens of the connection, decrypted; null when not connected. */
  loadTokens(scope: string): Promise<StoredXeroTokens | null>;
  /** Save tokens (encrypted at rest). */
  saveTokens(tokens: StoredXeroTokens): Promise<void>;
  /** Forget the connection's tokens. */
  deleteTokens(scope: string): Promise<void>;

  /** Overrides for these products (missing = none). */
  getProductOverrides(scope: string, productIds: number[]): Promise<ProductAccountOverride[]>;
  /** Set or clear (both null) a product's override. */
  setProductOverride(scope: string, override: ProductAccountOverride): Promise<void>;

  /** Which of these orders are marked "do not sync". */
  getMarkedOrders(scope: string, orderIds: number[]): Promise<number[]>;
  /** Mark orders. */
  markOrders(scope: string, orderIds: number[]): Promise<void>;
  /** Unmark orders. */
  unmarkOrders(scope: string, orderIds: number[]): Promise<void>;

  /** Start a run record. */
  startRun(run: Omit<SyncRun, 'id' | 'startedAt' | 'finishedAt' | 'status' | 'summary' | 'error'>): Promise<SyncRun>;
  /** Update a run's summary while it goes. */
  updateRun(runId: string, summary: Record<string, unknown>): Promise<void>;
  /** Finish a run. */
  finishRun(runId: string, status: SyncRun['status'], summary: Record<string, unknown>, error?: string | null): Promise<void>;
  /** A run by id. */
  getRun(runId: string): Promise<SyncRun | null>;
  /** Recent runs, newest first. */
  listRuns(scope: string, query: { limit: number; beforeId?: string }): Promise<SyncRun[]>;
  /** Append log lines. */
  appendLog(entries: SyncLogEntry[]): Promise<void>;
  /** Log lines filtered, newest first. */
  listLog(query: { scope?: string; runId?: string; entityType?: string; entityId?: string; level?: SyncLogEntry['level']; status?: string; from?: string; to?: string; limit: number; offset?: number }): Promise<SyncLogEntry[]>;

  /** Take a named lock (e.g. the run lock of a scope) for at most ttlMs; false when someone else holds it. */
  tryLock(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Release a lock held by owner. */
  unlock(name: string, owner: string): Promise<void>;
}
