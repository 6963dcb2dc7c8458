/**
 * The exactly-once protocol, in one place (DESIGN.md §7): reserve `pending` rows in one
 * transaction → look up what Xero may already hold for rows whose outcome is unknown → send the
 * rest in one batched call → record each element's outcome in one transaction.
 *
 * Why each step: a row still pending when a run starts means an earlier call may have reached Xero
 * without us hearing back, so creating again could post twice; the lookup finds it by its stable
 * number and adopts it instead. When the call itself throws, the adoptions already made are
 * recorded and the rest stay pending, so the next run looks them up again.
 *
 * Rule kept for every caller: an adopted object is recorded, never written again in the same run
 * (Xero already holds it; writing it would overwrite whatever the merchant has done there since).
 * Which items are looked up is the caller's rule: those whose outcome is unknown (pending) by
 * default, or every item not yet done when Xero may hold documents this ledger never saw (a lost
 * or new connector database, a migration from the old extension, a second connector).
 */
import type { BatchElementResult } from '../ports/xero.port';
import type { LedgerEntityType, LedgerEntry, LedgerOutcome, LedgerPort, LedgerReservation } from './ledger.port';
import { byKey, outcomeUnknown } from './ledger.rules';

/** One element to put in Xero once. */
export interface OnceItem<D> {
  /** Ledger key. */
  key: string;
  /** Hash of the payload, stored once Xero holds it. */
  hash: string;
  /** What is sent. */
  draft: D;
  /** Number Xero knows it by, reserved with the row so a lost answer can be looked up. */
  number?: string;
  /** The row as it was before this run reserved it (undefined when there was none). */
  row?: LedgerEntry;
}

/** An object Xero already holds, to adopt instead of creating. */
export interface FoundInXero {
  /** Xero's id. */
  xeroId: string;
  /** Xero's number, when it has one worth recording. */
  xeroNumber?: string | null;
  /**
   * Set when Xero holds something under our number that is NOT this record (another order's
   * invoice…): neither adopted nor sent; recorded as a conflict with this merchant-readable reason.
   */
  conflict?: string;
  /**
   * The hash to record with the adoption (default: the item's). null when what Xero holds did not
   * come from this payload (adopted from the old extension…), so a later export writes ours once.
   */
  payloadHash?: string | null;
}

export interface WriteOnceSpec<I extends OnceItem<unknown>, V> {
  /** Ledger entity type. */
  entityType: LedgerEntityType;
  /**
   * The items are new versions of objects Xero holds (updates): a done row with another hash is
   * reserved pending again, so a lost answer is looked up instead of trusted. Default false.
   */
  newVersions?: boolean;
  /** What to put in Xero. */
  items: I[];
  /**
   * How to find what Xero holds: `candidates` picks the items to look up (default: outcome
   * unknown, i.e. the row was pending); `find` answers key → object for those it found.
   */
  lookup?: { candidates?: (item: I) => boolean; find: (items: I[]) => Promise<Map<string, FoundInXero>> };
  /** The batched call; answers in input order. */
  send: (items: I[]) => Promise<Array<BatchElementResult<V>>>;
  /** Id and number of an element Xero accepted. */
  identify: (value: V, item: I) => FoundInXero;
  /** The failed row of an element Xero refused: the merchant-readable reason and any field to keep. */
  refused: (item: I, errors: string[]) => Omit<LedgerOutcome, 'entityKey' | 'status'> & { lastError: string };
}

export interface WriteOnceOutcome<I, V> {
  /** Found in Xero and recorded as done, not sent. */
  adopted: Array<{ item: I; found: FoundInXero }>;
  /** Sent and accepted. */
  created: Array<{ item: I; value: V }>;
  /** Sent and refused (recorded failed). */
  refused: Array<{ item: I; reason: string }>;
  /** Xero holds something else under this number: recorded conflict, not sent. */
  conflicts: Array<{ item: I; reason: string; found: FoundInXero }>;
}

/**
 * The ledger of one run: reads, records (nothing in a dry run) and the write-once protocol.
 * Every write of a use case goes through it.
 */
export class LedgerSession {
  constructor(
    private readonly ledger: LedgerPort,
    /** Connection scope. */
    readonly scope: string,
    /** Plan only: nothing is written. */
    readonly dry: boolean,
    /**
     * A run the merchant asked for (chosen orders): every outcome starts the attempt count again,
     * so a record that had stopped retrying on its own is retried automatically again.
     */
    readonly manual = false,
  ) {}

  /** Rows of these keys by key. */
  async rows(entityType: LedgerEntityType, keys: string[]): Promise<Map<string, LedgerEntry>> {
    if (!keys.length) return new Map();
    return byKey(await this.ledger.getLedger(this.scope, entityType, [...new Set(keys)]));
  }

  /** Reserve rows pending (for per-object steps that are not a batch: removals, allocations). */
  async reserve(entityType: LedgerEntityType, items: LedgerReservation[]): Promise<void> {
    if (this.dry || !items.length) return;
    await this.ledger.reserve(this.scope, entityType, items);
  }

  /** Record outcomes (nothing in a dry run or for none). */
  async record(entityType: LedgerEntityType, rows: LedgerOutcome[]): Promise<void> {
    if (this.dry || !rows.length) return;
    await this.ledger.record(this.scope, entityType, this.manual ? rows.map((r) => ({ ...r, resetAttempts: true })) : rows);
  }

  /** The protocol (see the file comment). Not for dry runs: a plan sends nothing. */
  async writeOnce<I extends OnceItem<unknown>, V>(spec: WriteOnceSpec<I, V>): Promise<WriteOnceOutcome<I, V>> {
    const out: WriteOnceOutcome<I, V> = { adopted: [], created: [], refused: [], conflicts: [] };
    if (this.dry) throw new Error('writeOnce called in a dry run');
    if (!spec.items.length) return out;
    await this.ledger.reserve(
      this.scope,
      spec.entityType,
      spec.items.map((i) => ({ entityKey: i.key, payloadHash: i.hash, ...(i.number !== undefined ? { xeroNumber: i.number } : {}), ...(spec.newVersions ? { newVersion: true } : {}) })),
    );
    const results: LedgerOutcome[] = [];
    const adoptedKeys = new Set<string>();
    if (spec.lookup) {
      const pick = spec.lookup.candidates ?? ((i: I) => outcomeUnknown(i.row));
      const candidates = spec.items.filter(pick);
      const found = candidates.length ? await spec.lookup.find(candidates) : new Map<string, FoundInXero>();
      for (const item of candidates) {
        const hit = found.get(item.key);
        if (!hit) continue;
        adoptedKeys.add(item.key);
        if (hit.conflict !== undefined) {
          out.conflicts.push({ item, reason: hit.conflict, found: hit });
          // The other document's id is not ours to keep: the reason names it.
          results.push({ entityKey: item.key, status: 'conflict', xeroId: null, lastError: hit.conflict });
          continue;
        }
        out.adopted.push({ item, found: hit });
        results.push({ entityKey: item.key, status: 'done', xeroId: hit.xeroId, ...(hit.xeroNumber !== undefined ? { xeroNumber: hit.xeroNumber } : {}), payloadHash: hit.payloadHash !== undefined ? hit.payloadHash : item.hash });
      }
    }
    const toSend = spec.items.filter((i) => !adoptedKeys.has(i.key));
    if (toSend.length) {
      let answers: Array<BatchElementResult<V>>;
      try {
        answers = await spec.send(toSend);
      } catch (e) {
        // Whatever Xero managed to apply stays pending and is looked up next run; keep the adoptions.
        await this.record(spec.entityType, results);
        throw e;
      }
      answers.forEach((a, n) => {
        const item = toSend[n]!;
        if (a.ok) {
          const id = spec.identify(a.value, item);
          out.created.push({ item, value: a.value });
          results.push({ entityKey: item.key, status: 'done', xeroId: id.xeroId, ...(id.xeroNumber !== undefined ? { xeroNumber: id.xeroNumber } : {}), payloadHash: item.hash });
        } else {
          const failed = spec.refused(item, a.errors);
          out.refused.push({ item, reason: failed.lastError });
          // The same payload refused again counts one more attempt; a new payload starts again.
          results.push({ entityKey: item.key, status: 'failed', ...failed, ...(item.row?.payloadHash !== item.hash ? { resetAttempts: true } : {}) });
        }
      });
    }
    await this.record(spec.entityType, results);
    return out;
  }
}
