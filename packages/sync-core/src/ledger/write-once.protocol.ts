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
 *
 * Dry mode (a preview, `--dry-run`) runs the very same protocol: the lookups against Xero happen
 * (reading is harmless, and they decide adopt vs create), nothing is reserved, sent or recorded, and
 * every write the run would make is listed in `planned`. What would be sent is answered with the
 * spec's `dryValue` (placeholder ids) and counted as `created`, so the steps after it (payments after
 * invoices) plan on top of it and a dry run's counts equal the real run's on the same store.
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

/** What a write of the run is (or, in a dry run, would be). */
export type PlannedAction = 'create' | 'update' | 'adopt' | 'remove' | 'refund' | 'allocate' | 'conflict';

/** One write a dry run would make (the preview). */
export interface PlannedWrite {
  action: PlannedAction;
  entityType: LedgerEntityType;
  /** Ledger key ('order:42', 'customer:7'…). */
  key: string;
  /** Xero's number of it (invoice / credit note number, contact number). */
  number?: string;
  /** The OpenCart order it belongs to, when it does. */
  orderId?: number;
  /** The total Xero would compute (2 dp) and its currency, for documents. */
  total?: string;
  currency?: string;
  /** Why (conflicts), or what is adopted (Xero's id). */
  detail?: string;
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
  /**
   * Dry mode: what stands in for Xero's answer to an element that would be sent (placeholder ids,
   * see dryId). Without it a dry run lists the element in `planned` but not in `created`.
   */
  dryValue?: (item: I) => V;
  /** Dry mode: what the preview says of an item (order, total, currency). */
  describe?: (item: I) => Pick<PlannedWrite, 'orderId' | 'total' | 'currency'>;
  /** Dry mode: the action of an item that would be sent (default 'create'). */
  sendAction?: (item: I) => PlannedAction;
}

/** The placeholder id a dry run gives what it would create (never sent to Xero). */
export const dryId = (key: string): string => `dry-run:${key}`;
/** Is this a dry run's placeholder id? */
export const isDryId = (id: string | null | undefined): boolean => Boolean(id?.startsWith('dry-run:'));

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

  /** What the run would write (filled in dry mode only): the preview. */
  readonly planned: PlannedWrite[] = [];

  /** Adds one write to the preview (dry mode; steps that write per object, not through writeOnce). */
  plan(write: PlannedWrite): void {
    if (this.dry) this.planned.push(write);
  }

  /**
   * Dry mode: the outcomes this run would have recorded, by entity type and key, laid over the
   * stored rows by rows(). Later steps and parts of the same dry run (payments after invoices,
   * orders after customers) then see what the earlier ones would have written, as in a real run.
   */
  private readonly overlay = new Map<LedgerEntityType, Map<string, LedgerOutcome>>();

  /** Rows of these keys by key (in a dry run: with what the run would have recorded). */
  async rows(entityType: LedgerEntityType, keys: string[]): Promise<Map<string, LedgerEntry>> {
    if (!keys.length) return new Map();
    const stored = byKey(await this.ledger.getLedger(this.scope, entityType, [...new Set(keys)]));
    const over = this.overlay.get(entityType);
    if (!over) return stored;
    for (const key of keys) {
      const o = over.get(key);
      if (!o) continue;
      const base: LedgerEntry = stored.get(key) ?? { scope: this.scope, entityType, entityKey: key, status: o.status, xeroId: null, xeroNumber: null, payloadHash: null, attempts: 0, lastError: null, updatedAt: '' };
      stored.set(key, {
        ...base,
        status: o.status,
        ...(o.xeroId !== undefined ? { xeroId: o.xeroId } : {}),
        ...(o.xeroNumber !== undefined ? { xeroNumber: o.xeroNumber } : {}),
        ...(o.payloadHash !== undefined ? { payloadHash: o.payloadHash } : {}),
        ...(o.lastError !== undefined ? { lastError: o.lastError } : {}),
      });
    }
    return stored;
  }

  /** Reserve rows pending (for per-object steps that are not a batch: removals, allocations). */
  async reserve(entityType: LedgerEntityType, items: LedgerReservation[]): Promise<void> {
    if (this.dry || !items.length) return;
    await this.ledger.reserve(this.scope, entityType, items);
  }

  /** Record outcomes (in a dry run only in memory, see overlay). */
  async record(entityType: LedgerEntityType, rows: LedgerOutcome[]): Promise<void> {
    if (!rows.length) return;
    if (this.dry) {
      let over = this.overlay.get(entityType);
      if (!over) this.overlay.set(entityType, (over = new Map()));
      for (const r of rows) {
        const before = over.get(r.entityKey);
        over.set(r.entityKey, before ? { ...before, ...Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) } : r);
      }
      return;
    }
    await this.ledger.record(this.scope, entityType, this.manual ? rows.map((r) => ({ ...r, resetAttempts: true })) : rows);
  }

  /** The protocol (see the file comment); in dry mode it plans instead of writing. */
  async writeOnce<I extends OnceItem<unknown>, V>(spec: WriteOnceSpec<I, V>): Promise<WriteOnceOutcome<I, V>> {
    const out: WriteOnceOutcome<I, V> = { adopted: [], created: [], refused: [], conflicts: [] };
    if (!spec.items.length) return out;
    if (this.dry) return this.planOnce(spec, out);
    await this.ledger.reserve(
      this.scope,
      spec.entityType,
      spec.items.map((i) => ({ entityKey: i.key, payloadHash: i.hash, ...(i.number !== undefined ? { xeroNumber: i.number } : {}), ...(spec.newVersions ? { newVersion: true } : {}) })),
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
      // `unknown`: the element's call ended without Xero's answer (a temporary failure after the
      // client's retries): it may have reached Xero, so its row stays pending and the next run looks
      // it up before sending it again. It is still reported with the other refusals.
      const refusals: Array<{ item: I; errors: string[]; unknown: boolean }> = [];
      answers.forEach((a, n) => {
        const item = toSend[n]!;
        if (a.ok) {
          const id = spec.identify(a.value, item);
          out.created.push({ item, value: a.value });
          results.push({ entityKey: item.key, status: 'done', xeroId: id.xeroId, ...(id.xeroNumber !== undefined ? { xeroNumber: id.xeroNumber } : {}), payloadHash: item.hash });
        } else refusals.push({ item, errors: a.errors, unknown: a.kind === 'transient' });
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
      for (const { item, errors, unknown } of refusals) {
        if (foundAfter.has(item.key)) continue;
        const failed = spec.refused(item, errors);
        out.refused.push({ item, reason: failed.lastError });
        if (unknown) continue;
        // The same payload refused again counts one more attempt; a new payload starts again.
        results.push({ entityKey: item.key, status: 'failed', ...failed, ...(item.row?.payloadHash !== item.hash ? { resetAttempts: true } : {}) });
      }
    }
    await this.record(spec.entityType, results);
    return out;
  }

  /** Dry mode of writeOnce: the same lookup, then the plan of what would be sent. */
  private async planOnce<I extends OnceItem<unknown>, V>(spec: WriteOnceSpec<I, V>, out: WriteOnceOutcome<I, V>): Promise<WriteOnceOutcome<I, V>> {
    const seen = new Set<string>();
    const base = (item: I): PlannedWrite => ({
      action: 'create',
      entityType: spec.entityType,
      key: item.key,
      ...(item.number !== undefined ? { number: item.number } : {}),
      ...(spec.describe ? spec.describe(item) : {}),
    });
    const results: LedgerOutcome[] = [];
    if (spec.lookup) {
      // A plan cannot learn from a refusal (nothing is sent), so what a real run would look up
      // after Xero refuses a taken number is looked up here first: reads are harmless.
      const pick = spec.lookup.afterRefusal ? () => true : (spec.lookup.candidates ?? ((i: I) => outcomeUnknown(i.row)));
      const candidates = spec.items.filter(pick);
      const found = candidates.length ? await spec.lookup.find(candidates) : new Map<string, FoundInXero>();
      for (const item of candidates) {
        const hit = found.get(item.key);
        if (!hit) continue;
        seen.add(item.key);
        if (hit.conflict !== undefined) {
          out.conflicts.push({ item, reason: hit.conflict, found: hit });
          this.planned.push({ ...base(item), action: 'conflict', detail: hit.conflict });
          results.push({ entityKey: item.key, status: 'conflict', xeroId: null, lastError: hit.conflict });
        } else {
          out.adopted.push({ item, found: hit });
          this.planned.push({ ...base(item), action: 'adopt', detail: `Xero already holds it (${hit.xeroId})` });
          results.push({ entityKey: item.key, status: 'done', xeroId: hit.xeroId, ...(hit.xeroNumber !== undefined ? { xeroNumber: hit.xeroNumber } : {}), payloadHash: hit.payloadHash !== undefined ? hit.payloadHash : item.hash });
        }
      }
    }
    for (const item of spec.items) {
      if (seen.has(item.key)) continue;
      this.planned.push({ ...base(item), action: spec.sendAction ? spec.sendAction(item) : 'create' });
      if (!spec.dryValue) continue;
      const value = spec.dryValue(item);
      out.created.push({ item, value });
      const id = spec.identify(value, item);
      results.push({ entityKey: item.key, status: 'done', xeroId: id.xeroId || dryId(item.key), ...(id.xeroNumber !== undefined ? { xeroNumber: id.xeroNumber } : {}), payloadHash: item.hash });
    }
    await this.record(spec.entityType, results);
    return out;
  }
}
