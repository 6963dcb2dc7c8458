/**
 * What every use case shares: how a run is described to it, how it reports entity outcomes and
 * progress, and the counters the summary is made of.
 */
import { createHash } from 'node:crypto';
import type { SettingsStorePort } from '../ports/settings-store.port';
import type { SyncLogEntry } from '../ports/sync-log.port';
import { SyncError, isSyncError, type SyncErrorKind } from '../errors';
import type { LedgerSession, PlannedWrite } from '../ledger/write-once.protocol';
import { parseSettings, defaultSettings, type Settings } from '../settings/settings.schema';

/** Which part of a run a progress event is about. */
export type SyncPhase = 'prepare' | 'retry' | 'orders' | 'customers' | 'items' | 'stock' | 'mark';

/** A progress event (for a progress bar or server-sent events). */
export interface SyncProgress {
  /** Run id. */
  runId: string;
  /** Part of the run. */
  phase: SyncPhase;
  /** Records handled so far in this phase. */
  processed: number;
  /** Records this phase will handle (counted before it starts; grows if records arrive meanwhile). */
  total: number;
  /** Short human text, e.g. "page 3". */
  message?: string;
}

/** One outcome line for the run log: an entity exported, failed, removed or skipped, with why. */
export type RunLogLine = Omit<SyncLogEntry, 'runId' | 'createdAt'>;

/** Where a use case reports what happens; the runner persists and forwards it. */
export interface RunReporter {
  /** One outcome line. */
  log(line: RunLogLine): void;
  /** Progress of the current phase. */
  progress(event: SyncProgress): void;
}

/** A reporter that keeps nothing (use cases called directly without a runner). */
export const nullReporter: RunReporter = { log: () => undefined, progress: () => undefined };

/** How a run is described to a use case. */
export interface UseCaseRun {
  /** Run id, on every log line. */
  runId: string;
  /** Connection scope (store + organisation). */
  scope: string;
  /** Plan only: no Xero writes, no ledger/checkpoint/store writes. */
  dryRun?: boolean;
  /** Settings to use; when absent they are loaded from the connector store (defaults when never saved). */
  settings?: Settings;
  /** Stops the run between pages when aborted. */
  signal?: AbortSignal;
  /** Outcome lines and progress. */
  reporter?: RunReporter;
  /**
   * The run's ledger session, shared by the runner across its parts so the later parts of a dry
   * run see what the earlier ones would have written (default: a session of the use case's own).
   */
  ledger?: LedgerSession;
}

/** One failed record in a summary. */
export interface SyncFailure {
  /** 'order', 'customer', 'product'. */
  entityType: string;
  /** Its id in OpenCart. */
  entityId: string;
  /** Merchant-readable reason. */
  reason: string;
}

/** Counters of a run (JSON-serialisable, stored as the run summary). */
export interface SyncCounts {
  ordersSeen: number;
  ordersExported: number;
  ordersUnchanged: number;
  ordersSkipped: number;
  ordersMarked: number;
  invoicesCreated: number;
  invoicesAdopted: number;
  /** Invoices Xero held that were updated because their order changed (or the settings ask for another status). */
  invoicesUpdated: number;
  paymentsCreated: number;
  paymentsAdopted: number;
  paymentsDeleted: number;
  contactsCreated: number;
  contactsUpdated: number;
  contactsAdopted: number;
  itemsSaved: number;
  itemsAdopted: number;
  creditNotesCreated: number;
  creditNotesAdopted: number;
  allocations: number;
  /** Refund payments made against our credit notes (money paid back out). */
  refundsCreated: number;
  /** Refund payments found in Xero after a lost answer and recorded, not made again. */
  refundsAdopted: number;
  /** Orders (and returns) whose credit note was settled this run: allocated and/or paid back. */
  ordersRefunded: number;
  removals: number;
  conflicts: number;
  stockUpdated: number;
  /** Opening-stock bills posted (items that became tracked in Xero). */
  openingStockPosted: number;
  customersSeen: number;
  productsSeen: number;
  failures: SyncFailure[];
}

export const emptyCounts = (): SyncCounts => ({
  ordersSeen: 0,
  ordersExported: 0,
  ordersUnchanged: 0,
  ordersSkipped: 0,
  ordersMarked: 0,
  invoicesCreated: 0,
  invoicesAdopted: 0,
  invoicesUpdated: 0,
  paymentsCreated: 0,
  paymentsAdopted: 0,
  paymentsDeleted: 0,
  contactsCreated: 0,
  contactsUpdated: 0,
  contactsAdopted: 0,
  itemsSaved: 0,
  itemsAdopted: 0,
  creditNotesCreated: 0,
  creditNotesAdopted: 0,
  allocations: 0,
  refundsCreated: 0,
  refundsAdopted: 0,
  ordersRefunded: 0,
  removals: 0,
  conflicts: 0,
  stockUpdated: 0,
  openingStockPosted: 0,
  customersSeen: 0,
  productsSeen: 0,
  failures: [],
});

/** Adds b's counters into a. */
export function addCounts(a: SyncCounts, b: SyncCounts): void {
  for (const key of Object.keys(b) as Array<keyof SyncCounts>) {
    if (key === 'failures') a.failures.push(...b.failures);
    else a[key] += b[key];
  }
}

/** How a use case ended. */
export interface UseCaseResult {
  /** completed (even with per-record failures), failed (stopped with a reason), cancelled. */
  status: 'completed' | 'failed' | 'cancelled';
  /** Why it stopped, when failed. */
  error: string | null;
  /** The kind of error that stopped it, when it was a SyncError. */
  errorKind?: SyncErrorKind;
  /** What it did. */
  counts: SyncCounts;
  /** Dry run: every write it would make (the write-once protocol's plan). */
  planned?: PlannedWrite[];
}

/** Errors that stop a whole run (everything else fails one record). */
export function stopsTheRun(e: unknown): boolean {
  return !isSyncError(e) || e.kind === 'transient' || e.kind === 'needs-reconnect' || e.kind === 'config' || e.kind === 'unexpected';
}

/** A merchant-readable reason for a stopped run. */
export function describeStop(e: unknown): string {
  if (isSyncError(e)) {
    switch (e.kind) {
      case 'transient':
        return `Xero could not be reached or answered with a temporary error (${e.message}); nothing was lost, the next run continues where this one stopped.`;
      case 'needs-reconnect':
        return `The Xero connection is no longer valid (${e.message}): reconnect to Xero in the connector's settings.`;
      case 'config':
        return e.message;
      default:
        return e.message;
    }
  }
  return `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
}

/** Thrown when a run is aborted between pages. */
export class RunCancelledError extends Error {
  constructor() {
    super('the run was cancelled');
    this.name = 'RunCancelledError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RunCancelledError();
}

/** Ends a use case: completed, cancelled or failed with a reason. */
export function endResult(counts: SyncCounts, e?: unknown): UseCaseResult {
  if (e === undefined) return { status: 'completed', error: null, counts };
  if (e instanceof RunCancelledError) return { status: 'cancelled', error: null, counts };
  return { status: 'failed', error: describeStop(e), counts, ...(isSyncError(e) ? { errorKind: e.kind } : {}) };
}

/** The run's settings: given, saved (validated), or the defaults. Invalid saved settings stop the run. */
export async function resolveSettings(store: SettingsStorePort, run: UseCaseRun): Promise<Settings> {
  if (run.settings) return run.settings;
  const saved = await store.loadSettings(run.scope);
  if (!saved) return defaultSettings();
  const parsed = parseSettings(saved);
  if (!parsed.ok) {
    throw new SyncError('config', `The saved settings are invalid: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  }
  return parsed.settings;
}

/** JSON with sorted keys, so equal payloads hash equal whatever the key order. */
function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}

/** Hash of a payload, stored in the ledger to skip unchanged records. */
export function payloadHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex');
}

/** 'YYYY-MM-DD HH:MM:SS' (UTC) as OpenCart stores dates. */
export function toDbTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Reason text of any error, for a failed record. */
export function reasonOf(e: unknown): string {
  if (isSyncError(e)) return e.details.messages?.length ? `${e.message} (${e.details.messages.join('; ')})` : e.message;
  return e instanceof Error ? e.message : String(e);
}

/** Splits a list into chunks. */
export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
