/**
 * What a ledger row means for the next step. The only place that reads row statuses as rules;
 * use cases ask these questions instead of comparing statuses themselves.
 */
import type { LedgerEntry } from './ledger.port';

/** Rows by key. */
export const byKey = (rows: LedgerEntry[]): Map<string, LedgerEntry> => new Map(rows.map((r) => [r.entityKey, r]));

/** Xero holds the object and we know its id. */
export const isDone = (row: LedgerEntry | undefined): row is LedgerEntry & { xeroId: string } => row?.status === 'done' && Boolean(row.xeroId);

/** Reserved earlier but never recorded: the call may or may not have reached Xero. */
export const outcomeUnknown = (row: LedgerEntry | undefined): boolean => row?.status === 'pending';

/**
 * Rows a local failure must not overwrite: done (the object exists in Xero; failing it would let
 * a later run create it twice) and pending (outcome unknown; the next run must still look it up).
 */
export const holdsOutcome = (row: LedgerEntry | undefined): boolean => row?.status === 'done' || row?.status === 'pending';

/** Unchanged since it was last written: done with the same payload hash. */
export const isUnchanged = (row: LedgerEntry | undefined, hash: string): boolean => row?.status === 'done' && row.payloadHash === hash;

/** Should the retry phase pick this row up again? Pending always; failed until maxAttempts. */
export const wantsRetry = (row: LedgerEntry, maxAttempts: number): boolean => row.status === 'pending' || (row.status === 'failed' && row.attempts < maxAttempts);

/**
 * How many times a failed row is retried automatically (the same payload failing every run) before
 * it waits for the merchant: a manual run of the order, or a change of the order, starts again.
 */
export const MAX_AUTO_RETRIES = 10;

/**
 * Does this row need the merchant? A conflict always; a failure once automatic retries gave up.
 * (The orders API lists these as `needsAttention`.)
 */
export const needsAttention = (row: LedgerEntry | undefined, maxAttempts: number = MAX_AUTO_RETRIES): boolean =>
  row?.status === 'conflict' || (row?.status === 'failed' && row.attempts >= maxAttempts);
