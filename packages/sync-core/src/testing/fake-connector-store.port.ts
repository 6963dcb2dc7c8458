import type {
  ConnectorStore,
  LedgerEntityType,
  LedgerEntry,
  LedgerStatus,
  ProductAccountOverride,
  StoredXeroTokens,
  SyncLogEntry,
  SyncRun,
} from '../ports/connector-store.port';

type RecordInput = Parameters<ConnectorStore['record']>[2];

/**
 * The connector's own tables in memory, with the same transactional promises as the real store
 * (reserve/record are all-or-nothing) and a hook to simulate a crash between Xero's answer and
 * the ledger write — the window that exactly-once has to survive.
 */
export class FakeConnectorStore implements ConnectorStore {
  readonly ledger = new Map<string, LedgerEntry>();
  readonly checkpoints = new Map<string, string>();
  readonly settings = new Map<string, Record<string, unknown>>();
  readonly tokens = new Map<string, StoredXeroTokens>();
  readonly overrides = new Map<string, ProductAccountOverride>();
  readonly marked = new Map<string, Set<number>>();
  readonly runs = new Map<string, SyncRun>();
  readonly logs: Array<SyncLogEntry & { scope?: string }> = [];
  readonly locks = new Map<string, { owner: string; untilMs: number }>();
  /** Count of write operations (reserve, record, setCheckpoint), to prove a dry run writes nothing. */
  writes = 0;
  /** Called before `record` applies; throw from it to simulate a crash after Xero answered. */
  beforeRecord: ((entityType: LedgerEntityType, results: RecordInput) => void) | null = null;

  private runSeq = 0;
  private nowIso = (): string => new Date().toISOString();

  private k(scope: string, type: LedgerEntityType, key: string): string {
    return `${scope}|${type}|${key}`;
  }

  async getLedger(scope: string, entityType: LedgerEntityType, entityKeys: string[]): Promise<LedgerEntry[]> {
    return entityKeys.map((key) => this.ledger.get(this.k(scope, entityType, key))).filter((e): e is LedgerEntry => Boolean(e)).map((e) => ({ ...e }));
  }

  async listLedger(
    scope: string,
    query: { entityType?: LedgerEntityType; status?: LedgerStatus; limit: number; afterKey?: string },
  ): Promise<LedgerEntry[]> {
    return [...this.ledger.values()]
      .filter((e) => e.scope === scope && (!query.entityType || e.entityType === query.entityType) && (!query.status || e.status === query.status))
      .filter((e) => query.afterKey === undefined || e.entityKey > query.afterKey)
      .sort((a, b) => (a.entityKey < b.entityKey ? -1 : a.entityKey > b.entityKey ? 1 : 0))
      .slice(0, query.limit)
      .map((e) => ({ ...e }));
  }

  async reserve(
    scope: string,
    entityType: LedgerEntityType,
    items: Array<{ entityKey: string; payloadHash: string; xeroNumber?: string; newVersion?: boolean }>,
  ): Promise<LedgerEntry[]> {
    this.writes += 1;
    return items.map((item) => {
      const key = this.k(scope, entityType, item.entityKey);
      const existing = this.ledger.get(key);
      if (existing && existing.status === 'done' && !(item.newVersion && existing.payloadHash !== item.payloadHash)) return { ...existing };
      const entry: LedgerEntry = {
        scope,
        entityType,
        entityKey: item.entityKey,
        status: 'pending',
        xeroId: existing?.xeroId ?? null,
        xeroNumber: item.xeroNumber ?? existing?.xeroNumber ?? null,
        payloadHash: item.payloadHash,
        attempts: existing?.attempts ?? 0,
        lastError: existing?.lastError ?? null,
        updatedAt: this.nowIso(),
      };
      this.ledger.set(key, entry);
      return { ...entry };
    });
  }

  async record(scope: string, entityType: LedgerEntityType, results: RecordInput): Promise<void> {
    this.beforeRecord?.(entityType, results);
    this.writes += 1;
    for (const r of results) {
      const key = this.k(scope, entityType, r.entityKey);
      const existing = this.ledger.get(key);
      this.ledger.set(key, {
        scope,
        entityType,
        entityKey: r.entityKey,
        status: r.status,
        xeroId: r.xeroId !== undefined ? r.xeroId : (existing?.xeroId ?? null),
        xeroNumber: r.xeroNumber !== undefined ? r.xeroNumber : (existing?.xeroNumber ?? null),
        payloadHash: r.payloadHash !== undefined ? r.payloadHash : (existing?.payloadHash ?? null),
        attempts: r.resetAttempts ? 1 : (existing?.attempts ?? 0) + 1,
        lastError: r.lastError !== undefined ? r.lastError : null,
        updatedAt: this.nowIso(),
      });
    }
  }

  async getCheckpoint(scope: string, name: string): Promise<string | null> {
    return this.checkpoints.get(`${scope}|${name}`) ?? null;
  }
  async setCheckpoint(scope: string, name: string, value: string): Promise<void> {
    this.writes += 1;
    this.checkpoints.set(`${scope}|${name}`, value);
  }

  async loadSettings(scope: string): Promise<Record<string, unknown> | null> {
    const s = this.settings.get(scope);
    return s ? (JSON.parse(JSON.stringify(s)) as Record<string, unknown>) : null;
  }
  async saveSettings(scope: string, settings: Record<string, unknown>): Promise<void> {
    this.settings.set(scope, JSON.parse(JSON.stringify(settings)) as Record<string, unknown>);
  }

  async loadTokens(scope: string): Promise<StoredXeroTokens | null> {
    return this.tokens.get(scope) ?? null;
  }
  async saveTokens(tokens: StoredXeroTokens): Promise<void> {
    this.tokens.set(tokens.scope, { ...tokens });
  }
  async deleteTokens(scope: string): Promise<void> {
    this.tokens.delete(scope);
  }

  async getProductOverrides(scope: string, productIds: number[]): Promise<ProductAccountOverride[]> {
    return productIds.map((id) => this.overrides.get(`${scope}|${id}`)).filter((o): o is ProductAccountOverride => Boolean(o));
  }
  async setProductOverride(scope: string, override: ProductAccountOverride): Promise<void> {
    const key = `${scope}|${override.productId}`;
    if (override.salesAccountCode === null && override.purchaseAccountCode === null) this.overrides.delete(key);
    else this.overrides.set(key, { ...override });
  }

  private marks(scope: string): Set<number> {
    let set = this.marked.get(scope);
    if (!set) this.marked.set(scope, (set = new Set()));
    return set;
  }
  /** Calls of getMarkedOrders, to check it is asked once per page. */
  markedLookups = 0;
  async getMarkedOrders(scope: string, orderIds: number[]): Promise<number[]> {
    this.markedLookups += 1;
    const set = this.marks(scope);
    return orderIds.filter((id) => set.has(id));
  }
  async markOrders(scope: string, orderIds: number[]): Promise<void> {
    const set = this.marks(scope);
    orderIds.forEach((id) => set.add(id));
  }
  async unmarkOrders(scope: string, orderIds: number[]): Promise<void> {
    const set = this.marks(scope);
    orderIds.forEach((id) => set.delete(id));
  }

  async startRun(run: Omit<SyncRun, 'id' | 'startedAt' | 'finishedAt' | 'status' | 'summary' | 'error'>): Promise<SyncRun> {
    this.runSeq += 1;
    const stored: SyncRun = { ...run, id: `run-${this.runSeq}`, startedAt: this.nowIso(), finishedAt: null, status: 'running', summary: {}, error: null };
    this.runs.set(stored.id, stored);
    return { ...stored };
  }
  async updateRun(runId: string, summary: Record<string, unknown>): Promise<void> {
    const run = this.runs.get(runId);
    if (run) run.summary = JSON.parse(JSON.stringify(summary)) as Record<string, unknown>;
  }
  async finishRun(runId: string, status: SyncRun['status'], summary: Record<string, unknown>, error?: string | null): Promise<void> {
    const run = this.runs.get(runId);
    if (!run) return;
    Object.assign(run, { status, summary: JSON.parse(JSON.stringify(summary)) as Record<string, unknown>, error: error ?? null, finishedAt: this.nowIso() });
  }
  async getRun(runId: string): Promise<SyncRun | null> {
    const run = this.runs.get(runId);
    return run ? { ...run } : null;
  }
  async listRuns(scope: string, query: { limit: number; beforeId?: string }): Promise<SyncRun[]> {
    return [...this.runs.values()]
      .filter((r) => r.scope === scope)
      .reverse()
      .slice(0, query.limit)
      .map((r) => ({ ...r }));
  }
  async appendLog(entries: SyncLogEntry[]): Promise<void> {
    for (const e of entries) this.logs.push({ ...e, createdAt: e.createdAt ?? this.nowIso() });
  }
  async listLog(query: Parameters<ConnectorStore['listLog']>[0]): Promise<SyncLogEntry[]> {
    return this.logs
      .filter(
        (e) =>
          (!query.runId || e.runId === query.runId) &&
          (!query.entityType || e.entityType === query.entityType) &&
          (!query.entityId || e.entityId === query.entityId) &&
          (!query.level || e.level === query.level) &&
          (!query.status || e.status === query.status),
      )
      .reverse()
      .slice(query.offset ?? 0, (query.offset ?? 0) + query.limit);
  }

  async tryLock(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const held = this.locks.get(name);
    if (held && held.owner !== owner && held.untilMs > Date.now()) return false;
    this.locks.set(name, { owner, untilMs: Date.now() + ttlMs });
    return true;
  }
  async unlock(name: string, owner: string): Promise<void> {
    if (this.locks.get(name)?.owner === owner) this.locks.delete(name);
  }

  /** Test helper: ledger rows of a type in a scope, by key. */
  rows(scope: string, entityType: LedgerEntityType): Map<string, LedgerEntry> {
    return new Map([...this.ledger.values()].filter((e) => e.scope === scope && e.entityType === entityType).map((e) => [e.entityKey, { ...e }]));
  }
}
