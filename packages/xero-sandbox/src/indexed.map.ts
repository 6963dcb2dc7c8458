/**
 * A Map of entities by id that also answers "which entities have this (case-insensitive) field
 * value" in constant time. The sandbox looks documents up by number and contacts by number and
 * name on every element of every batch; scanning all of them each time made a sync's cost grow
 * with the square of the organisation's size (issue 10 §7), which no real Xero does.
 *
 * Entities are replaced with `set` whenever a keyed field changes (saveContact / saveDocument build
 * a new object), so the indexes follow `set`, `delete` and `clear`. Lookups re-check the field on
 * the entity, so an in-place edit can never produce a false match (callers then apply their exact
 * rule: the index folds case and surrounding spaces, a superset of what they compare); answers keep the Map's own
 * order (first insertion), as the scans they replace did.
 */
export type KeyOf<V> = (value: V) => unknown;

const norm = (v: unknown): string | undefined =>
  v === undefined || v === null ? undefined : String(v).trim().toLowerCase();

export class IndexedMap<V> extends Map<string, V> {
  private readonly keyOf = new Map<string, KeyOf<V>>();
  private readonly buckets = new Map<string, Map<string, Set<string>>>();
  /** First-insertion rank of each id: the Map's iteration order. */
  private readonly rank = new Map<string, number>();
  private nextRank = 0;
  /** The keys each id was filed under, so a later in-place edit cannot strand it in a bucket. */
  private readonly filed = new Map<string, Array<[string, string]>>();

  /** `indexes`: name → the field it keys on; 'id' (the Map key itself) is always indexed. */
  constructor(indexes: Record<string, KeyOf<V>> = {}) {
    super();
    this.keyOf.set('id', () => undefined);
    this.buckets.set('id', new Map());
    for (const [name, keyOf] of Object.entries(indexes)) {
      this.keyOf.set(name, keyOf);
      this.buckets.set(name, new Map());
    }
  }

  override set(id: string, value: V): this {
    // Map's constructor calls set before our fields exist.
    if (!this.buckets) return super.set(id, value);
    const old = super.get(id);
    if (old !== undefined) this.unindex(id);
    else if (!this.rank.has(id)) this.rank.set(id, this.nextRank++);
    super.set(id, value);
    this.index(id, value);
    return this;
  }

  override delete(id: string): boolean {
    this.unindex(id);
    this.rank.delete(id);
    return super.delete(id);
  }

  override clear(): void {
    for (const b of this.buckets.values()) b.clear();
    this.rank.clear();
    this.filed.clear();
    super.clear();
  }

  /** The entity whose id equals `id` ignoring case (Xero ids are case-insensitive GUIDs). */
  byId(id: unknown): V | undefined {
    const exact = typeof id === 'string' ? super.get(id) : undefined;
    if (exact !== undefined) return exact;
    return this.lookup('id', id)[0];
  }

  /** Entities whose `name` field equals `value` (trimmed, ignoring case), in the Map's order. */
  lookup(name: string, value: unknown): V[] {
    const key = norm(value);
    const bucket = this.buckets.get(name);
    if (key === undefined || !bucket) return [];
    const ids = bucket.get(key);
    if (!ids) return [];
    const keyOf = this.keyOf.get(name)!;
    const found: Array<[number, V]> = [];
    for (const id of ids) {
      const v = super.get(id);
      if (v === undefined) continue;
      if (name === 'id' ? norm(id) !== key : norm(keyOf(v)) !== key) continue;
      found.push([this.rank.get(id) ?? 0, v]);
    }
    if (found.length > 1) found.sort((a, b) => a[0] - b[0]);
    return found.map(([, v]) => v);
  }

  private index(id: string, value: V): void {
    const keys: Array<[string, string]> = [];
    for (const [name, bucket] of this.buckets) {
      const key = name === 'id' ? norm(id) : norm(this.keyOf.get(name)!(value));
      if (key === undefined) continue;
      let ids = bucket.get(key);
      if (!ids) bucket.set(key, (ids = new Set()));
      ids.add(id);
      keys.push([name, key]);
    }
    this.filed.set(id, keys);
  }

  private unindex(id: string): void {
    for (const [name, key] of this.filed.get(id) ?? []) {
      const bucket = this.buckets.get(name)!;
      const ids = bucket.get(key);
      ids?.delete(id);
      if (ids && ids.size === 0) bucket.delete(key);
    }
    this.filed.delete(id);
  }
}
