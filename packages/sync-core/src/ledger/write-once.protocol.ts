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
 * or new connector database, a migration from the old extension, a second connector) — or, where
 * Xero enforces a unique number, only those it refuses because the number is taken (looked up
 * after the send: no extra call per batch when nothing clashes).
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
  /** What to put in Xero. */
  items: I[];
  /**
   * How to find what Xero holds: `candidates` picks the items to look up (default: outcome
   * unknown, i.e. the row was pending); `find` answers key → object for those it found.
   * `afterRefusal` picks the refusals that mean "Xero already holds this number" (a lost or new
   * connector database, the old extension, a second connector): those items are looked up after the
   * send and adopted (or recorded as a conflict) instead of failing. Where Xero enforces a unique
   * number this finds everything a lookup of every item would, at no cost when nothing clashes.
   */
  lookup?: {
    candidates?: (item: I) => boolean;
    afterRefusal?: (errors: string[]) => boolean;
    find: (items: I[]) => Promise<Map<string, FoundInXero>>;
  };
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
    await this.ledger.record(this.scope, entityType, rows);
  }

  /** The protocol (see the file comment). Not for dry runs: a plan sends nothing. */
  async writeOnce<I extends OnceItem<unknown>, V>(spec: WriteOnceSpec<I, V>): Promise<WriteOnceOutcome<I, V>> {
    const out: WriteOnceOutcome<I, V> = { adopted: [], created: [], refused: [], conflicts: [] };
    if (this.dry) throw new Error('writeOnce called in a dry run');
    if (!spec.items.length) return out;
    await this.ledger.reserve(
      this.scope,
      spec.entityType,
      spec.items.map((i) => ({ entityKey: i.key, payloadHash: i.hash, ...(i.number !== undefined ? { xeroNumber: i.number } : {}) })),
    );
    const results: LedgerOutcome[] = [];
    const adoptedKeys = new Set<string>();
    /** Looks these up; records and answers the keys found (adopted or conflict). */
    const adoptFound = async (candidates: I[]): Promise<Set<string>> => {
      const keys = new Set<string>();
      if (!spec.lookup || !candidates.length) return keys;
      const found = await spec.lookup.find(candidates);
      for (const item of candidates) {
        const hit = found.get(item.key);
        if (!hit) continue;
        keys.add(item.key);
        if (hit.conflict !== undefined) {
          out.conflicts.push({ item, reason: hit.conflict, found: hit });
          // The other document's id is not ours to keep: the reason names it.
          results.push({ entityKey: item.key, status: 'conflict', xeroId: null, lastError: hit.conflict });
          continue;
        }
        out.adopted.push({ item, found: hit });
        results.push({ entityKey: item.key, status: 'done', xeroId: hit.xeroId, ...(hit.xeroNumber !== undefined ? { xeroNumber: hit.xeroNumber } : {}), payloadHash: hit.payloadHash !== undefined ? hit.payloadHash : item.hash });
      }
      return keys;
    };
    if (spec.lookup) {
      const pick = spec.lookup.candidates ?? ((i: I) => outcomeUnknown(i.row));
      for (const k of await adoptFound(spec.items.filter(pick))) adoptedKeys.add(k);
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
      const refusals: Array<{ item: I; errors: string[] }> = [];
      answers.forEach((a, n) => {
        const item = toSend[n]!;
        if (a.ok) {
          const id = spec.identify(a.value, item);
          out.created.push({ item, value: a.value });
          results.push({ entityKey: item.key, status: 'done', xeroId: id.xeroId, ...(id.xeroNumber !== undefined ? { xeroNumber: id.xeroNumber } : {}), payloadHash: item.hash });
        } else refusals.push({ item, errors: a.errors });
      });
      const clash = spec.lookup?.afterRefusal;
      let foundAfter = new Set<string>();
      try {
        foundAfter = clash ? await adoptFound(refusals.filter((r) => clash(r.errors)).map((r) => r.item)) : foundAfter;
      } catch (e) {
        // The created ones are recorded; the clashing ones stay pending and are looked up next run.
        await this.record(spec.entityType, results);
        throw e;
      }
      for (const { item, errors } of refusals) {
        if (foundAfter.has(item.key)) continue;
        const failed = spec.refused(item, errors);
        out.refused.push({ item, reason: failed.lastError });
        results.push({ entityKey: item.key, status: 'failed', ...failed });
      }
    }
    await this.record(spec.entityType, results);
    return out;
  }
}
