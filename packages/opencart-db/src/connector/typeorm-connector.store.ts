import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import {
  ConnectorStore,
  LedgerEntityType,
  LedgerEntry,
  LedgerStatus,
  ProductAccountOverride,
  RunKind,
  StoredXeroTokens,
  SyncError,
  SyncLogEntry,
  SyncRun,
} from '@oc-xero/sync-core';
import { SecretCipher, SecretDecryptError } from './secret.cipher';
import {
  decryptSettingsSecrets,
  encryptSettingsSecrets,
  isSecretSettingKey,
  SettingsSecretError,
} from './settings-secret.codec';

const LEDGER_ENTITY_TYPES: readonly LedgerEntityType[] = [
  'contact',
  'item',
  'invoice',
  'payment',
  'credit-note',
  'allocation',
  'removal',
];
const LEDGER_STATUSES: readonly LedgerStatus[] = ['pending', 'done', 'failed', 'removed', 'conflict'];
const RUN_KINDS: readonly RunKind[] = ['orders', 'customers', 'items', 'stock', 'all'];
const RUN_STATUSES: readonly SyncRun['status'][] = ['running', 'completed', 'failed', 'cancelled', 'interrupted'];
const LOG_LEVELS: readonly SyncLogEntry['level'][] = ['info', 'warn', 'error'];

/** Statuses reserve() may send back to pending; done, removed and conflict rows are left alone. */
const RESETTABLE = "('pending','failed')";
/** Rows per multi-row INSERT, well under max_allowed_packet. */
const INSERT_CHUNK = 500;
/** Ids per IN (...) list. */
const IN_CHUNK = 1000;
const MAX_LIMIT = 10_000;
const MYSQL_DEADLOCK = 'ER_LOCK_DEADLOCK';
const MYSQL_LOCK_WAIT = 'ER_LOCK_WAIT_TIMEOUT';
const REDACTED = '[redacted]';

interface LedgerRow {
  scope: string;
  entity_type: string;
  entity_key: string;
  status: string;
  xero_id: string | null;
  xero_number: string | null;
  payload_hash: string | null;
  attempts: number | string;
  last_error: string | null;
  updated_at: string;
}

interface RunRow {
  id: string;
  scope: string;
  kind: string;
  trigger_source: string;
  status: string;
  dry_run: number | string;
  started_at: string;
  finished_at: string | null;
  summary: string;
  error: string | null;
}

interface LogRow {
  run_id: string;
  level: string;
  entity_type: string;
  entity_id: string;
  status: string;
  message: string;
  details: string | null;
  created_at: string;
}

interface TokensRow {
  scope: string;
  tenant_id: string;
  tenant_name: string;
  access_token_encrypted: string;
  refresh_token_encrypted: string | null;
  expires_at: string;
  refreshed_at: string;
  scopes: string;
}

/** DATETIME(3) in UTC, which is how every timestamp of ours is stored. */
function toDbTime(iso: string | Date, field: string): string {
  const date = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(date.getTime())) {
    throw new SyncError(
      'validation',
      `${field} is not a valid date/time: "${String(iso)}" (expected ISO 8601, e.g. 2026-01-31T10:00:00Z)`,
    );
  }
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

function fromDbTime(value: string): string;
function fromDbTime(value: string | null): string | null;
function fromDbTime(value: string | null): string | null {
  if (value === null) return null;
  const [date, time = '00:00:00'] = value.split(' ');
  const [hms, fraction = ''] = time.split('.');
  return `${date}T${hms}.${fraction.padEnd(3, '0').slice(0, 3)}Z`;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function placeholders(count: number): string {
  return new Array(count).fill('?').join(',');
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (!allowed.includes(value as T)) {
    throw new SyncError(
      'unexpected',
      `${field} must be one of ${allowed.join(', ')} (got "${String(value)}")`,
    );
  }
  return value as T;
}

function requireText(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string' || value === '') {
    throw new SyncError('unexpected', `${field} must be a non-empty string`);
  }
  if (value.length > maxLength) {
    throw new SyncError(
      'unexpected',
      `${field} is longer than ${maxLength} characters: "${value.slice(0, 40)}…"`,
    );
  }
  return value;
}

function requireLimit(limit: unknown): number {
  if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > MAX_LIMIT) {
    throw new SyncError(
      'unexpected',
      `limit must be an integer from 1 to ${MAX_LIMIT} (got ${String(limit)})`,
    );
  }
  return limit as number;
}

function requireIds(ids: readonly number[], field: string): number[] {
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 1 || id > 4_294_967_295) {
      throw new SyncError('validation', `${field} must be positive whole numbers (got ${String(id)})`);
    }
  }
  return [...new Set(ids)];
}

function toJson(value: unknown, field: string): string {
  try {
    const text = JSON.stringify(value ?? {});
    if (text === undefined) throw new Error('not serialisable');
    return text;
  } catch (error) {
    throw new SyncError(
      'unexpected',
      `${field} cannot be stored: it is not JSON-serialisable (${(error as Error).message})`,
    );
  }
}

function parseJsonObject(text: string | null, field: string): Record<string, unknown> {
  if (text === null || text === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    throw new SyncError('unexpected', `the stored ${field} is not valid JSON`);
  }
}

/** Log details must never carry secrets, whatever a caller put in them. */
function redact(value: unknown, depth = 0): unknown {
  if (depth > 20) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      out[key] =
        isSecretSettingKey(key) || /^(authorization|cookie|password|accessToken|refreshToken)$/i.test(key)
          ? REDACTED
          : redact(child, depth + 1);
    }
    return out;
  }
  return value;
}

function isRetryableLockError(error: unknown): boolean {
  const code =
    (error as { code?: string; driverError?: { code?: string } }).code ??
    (error as { driverError?: { code?: string } }).driverError?.code;
  return code === MYSQL_DEADLOCK || code === MYSQL_LOCK_WAIT;
}

/**
 * The ConnectorStore over the connector's own MySQL/MariaDB database. Hand-written SQL where
 * atomicity matters (INSERT … ON DUPLICATE KEY UPDATE for the ledger and locks); timestamps are
 * UTC DATETIME(3) and lock expiry uses the database clock, so workers on several hosts agree.
 */
export class TypeormConnectorStore implements ConnectorStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: SecretCipher,
  ) {}

  /**
   * A transaction retried when InnoDB picks it as a deadlock victim (or a lock wait times out):
   * the victim was rolled back whole, so running it again is safe and gives the right answer.
   */
  private async inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(work);
      } catch (error) {
        if (isRetryableLockError(error) && attempt < 5) {
          await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.floor(Math.random() * 10)));
          continue;
        }
        throw error;
      }
    }
  }

  // ---- ledger -------------------------------------------------------------------------------

  async getLedger(scope: string, entityType: LedgerEntityType, entityKeys: string[]): Promise<LedgerEntry[]> {
    oneOf(entityType, LEDGER_ENTITY_TYPES, 'entityType');
    const keys = [...new Set(entityKeys)];
    const rows: LedgerRow[] = [];
    for (const part of chunk(keys, IN_CHUNK)) {
      rows.push(
        ...((await this.dataSource.query(
          `SELECT * FROM ledger WHERE scope = ? AND entity_type = ? AND entity_key IN (${placeholders(part.length)}) ORDER BY id`,
          [scope, entityType, ...part],
        )) as LedgerRow[]),
      );
    }
    return rows.map(toLedgerEntry);
  }

  /**
   * Oldest first means first reserved first (by id): ids never change, so paging with afterKey
   * stays exact while the caller moves rows to other statuses between pages.
   */
  async listLedger(
    scope: string,
    query: { entityType?: LedgerEntityType; status?: LedgerStatus; limit: number; afterKey?: string },
  ): Promise<LedgerEntry[]> {
    const limit = requireLimit(query.limit);
    const where = ['scope = ?'];
    const params: unknown[] = [scope];
    if (query.entityType !== undefined) {
      where.push('entity_type = ?');
      params.push(oneOf(query.entityType, LEDGER_ENTITY_TYPES, 'entityType'));
    }
    if (query.status !== undefined) {
      where.push('status = ?');
      params.push(oneOf(query.status, LEDGER_STATUSES, 'status'));
    }
    if (query.afterKey !== undefined) {
      // Without an entityType a key may exist once per type; the newest such row is the cursor.
      const cursor = (await this.dataSource.query(
        `SELECT MAX(id) AS id FROM ledger WHERE scope = ? AND entity_key = ?${query.entityType !== undefined ? ' AND entity_type = ?' : ''}`,
        query.entityType !== undefined ? [scope, query.afterKey, query.entityType] : [scope, query.afterKey],
      )) as Array<{ id: string | null }>;
      if (cursor[0]?.id == null) {
        throw new SyncError('unexpected', `afterKey "${query.afterKey}" is not in the ledger of this scope`);
      }
      where.push('id > ?');
      params.push(cursor[0].id);
    }
    const rows = (await this.dataSource.query(
      `SELECT * FROM ledger WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${limit}`,
      params,
    )) as LedgerRow[];
    return rows.map(toLedgerEntry);
  }

  async reserve(
    scope: string,
    entityType: LedgerEntityType,
    items: Array<{ entityKey: string; payloadHash: string; xeroNumber?: string }>,
  ): Promise<LedgerEntry[]> {
    requireText(scope, 'scope', 191);
    oneOf(entityType, LEDGER_ENTITY_TYPES, 'entityType');
    if (items.length === 0) return [];
    for (const item of items) {
      requireText(item.entityKey, 'entityKey', 191);
      if (item.payloadHash != null && item.payloadHash.length > 128) {
        throw new SyncError('unexpected', `payloadHash of ${item.entityKey} is longer than 128 characters`);
      }
    }
    // Rows are written in key order so that two workers reserving overlapping batches take
    // their row locks in the same order instead of deadlocking.
    const ordered = [...items].sort((x, y) => compareKeys(x.entityKey, y.entityKey));
    return this.inTransaction(async (manager) => {
      for (const part of chunk(ordered, INSERT_CHUNK)) {
        const values: unknown[] = [];
        for (const item of part) {
          values.push(scope, entityType, item.entityKey, item.payloadHash ?? null, item.xeroNumber ?? null);
        }
        // Column order in the UPDATE matters: `status` must be assigned last, because MySQL
        // evaluates the assignments left to right and the others test the old status.
        await manager.query(
          `INSERT INTO ledger (scope, entity_type, entity_key, status, payload_hash, xero_number, attempts, created_at, updated_at)
           VALUES ${part.map(() => "(?, ?, ?, 'pending', ?, ?, 0, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))").join(',')}
           ON DUPLICATE KEY UPDATE
             payload_hash = IF(status IN ${RESETTABLE}, VALUES(payload_hash), payload_hash),
             xero_number = IF(status IN ${RESETTABLE}, COALESCE(VALUES(xero_number), xero_number), xero_number),
             updated_at = IF(status IN ${RESETTABLE}, VALUES(updated_at), updated_at),
             status = IF(status IN ${RESETTABLE}, 'pending', status)`,
          values,
        );
      }
      const stored = await this.ledgerRows(
        manager,
        scope,
        entityType,
        items.map((item) => item.entityKey),
      );
      const byKey = new Map(stored.map((row) => [row.entity_key, row]));
      const seen = new Set<string>();
      const out: LedgerEntry[] = [];
      for (const item of items) {
        const row = byKey.get(item.entityKey);
        if (row && !seen.has(item.entityKey)) {
          seen.add(item.entityKey);
          out.push(toLedgerEntry(row));
        }
      }
      return out;
    });
  }

  /**
   * Fields left undefined keep their stored value; null clears them. A row that was never
   * reserved is created, so an outcome is never lost. lastError is cleared on success unless given.
   */
  async record(
    scope: string,
    entityType: LedgerEntityType,
    results: Array<{
      entityKey: string;
      status: LedgerStatus;
      xeroId?: string | null;
      xeroNumber?: string | null;
      payloadHash?: string | null;
      lastError?: string | null;
    }>,
  ): Promise<void> {
    requireText(scope, 'scope', 191);
    oneOf(entityType, LEDGER_ENTITY_TYPES, 'entityType');
    for (const result of results) {
      requireText(result.entityKey, 'entityKey', 191);
      oneOf(result.status, LEDGER_STATUSES, `status of ${result.entityKey}`);
    }
    if (results.length === 0) return;
    // Results that give the same fields share one multi-row upsert (usually one statement for
    // the whole batch); rows are written in key order, as in reserve().
    const groups = new Map<string, { sets: string[]; rows: unknown[][] }>();
    for (const result of [...results].sort((x, y) => compareKeys(x.entityKey, y.entityKey))) {
      const lastError =
        result.lastError !== undefined
          ? truncate(result.lastError, 60_000)
          : result.status === 'done' || result.status === 'removed'
            ? null
            : undefined;
      const optional: Array<[string, string | null | undefined]> = [
        ['xero_id', result.xeroId],
        ['xero_number', result.xeroNumber],
        ['payload_hash', result.payloadHash],
        ['last_error', lastError],
      ];
      const given = optional.filter(([, value]) => value !== undefined).map(([column]) => column);
      const signature = given.join(',');
      let group = groups.get(signature);
      if (!group) {
        group = {
          sets: [
            'status = VALUES(status)',
            'attempts = attempts + 1',
            'updated_at = VALUES(updated_at)',
            ...given.map((column) => `${column} = VALUES(${column})`),
          ],
          rows: [],
        };
        groups.set(signature, group);
      }
      group.rows.push([
        scope,
        entityType,
        result.entityKey,
        result.status,
        result.xeroId ?? null,
        result.xeroNumber ?? null,
        result.payloadHash ?? null,
        lastError ?? null,
      ]);
    }
    await this.inTransaction(async (manager) => {
      for (const group of groups.values()) {
        for (const part of chunk(group.rows, INSERT_CHUNK)) {
          await manager.query(
            `INSERT INTO ledger (scope, entity_type, entity_key, status, xero_id, xero_number, payload_hash, last_error, attempts, created_at, updated_at)
             VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, 1, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))').join(',')}
             ON DUPLICATE KEY UPDATE ${group.sets.join(', ')}`,
            part.flat(),
          );
        }
      }
    });
  }

  private async ledgerRows(
    manager: EntityManager,
    scope: string,
    entityType: string,
    keys: string[],
  ): Promise<LedgerRow[]> {
    const rows: LedgerRow[] = [];
    for (const part of chunk([...new Set(keys)], IN_CHUNK)) {
      rows.push(
        ...((await manager.query(
          `SELECT * FROM ledger WHERE scope = ? AND entity_type = ? AND entity_key IN (${placeholders(part.length)})`,
          [scope, entityType, ...part],
        )) as LedgerRow[]),
      );
    }
    return rows;
  }

  // ---- checkpoints --------------------------------------------------------------------------

  async getCheckpoint(scope: string, name: string): Promise<string | null> {
    const rows = (await this.dataSource.query('SELECT value FROM checkpoints WHERE scope = ? AND name = ?', [
      scope,
      name,
    ])) as Array<{ value: string }>;
    return rows[0]?.value ?? null;
  }

  async setCheckpoint(scope: string, name: string, value: string): Promise<void> {
    requireText(scope, 'scope', 191);
    requireText(name, 'checkpoint name', 191);
    if (typeof value !== 'string')
      throw new SyncError('unexpected', `checkpoint ${name} must be a string (JSON text)`);
    await this.dataSource.query(
      `INSERT INTO checkpoints (scope, name, value, updated_at) VALUES (?, ?, ?, UTC_TIMESTAMP(3))
       ON DUPLICATE KEY UPDATE value = VALUES(value), updated_at = VALUES(updated_at)`,
      [scope, name, value],
    );
  }

  // ---- settings -----------------------------------------------------------------------------

  async loadSettings(scope: string): Promise<Record<string, unknown> | null> {
    const rows = (await this.dataSource.query('SELECT document FROM settings WHERE scope = ?', [
      scope,
    ])) as Array<{ document: string }>;
    if (rows.length === 0) return null;
    const stored = parseJsonObject(rows[0].document, 'settings document');
    try {
      return decryptSettingsSecrets(this.cipher, scope, stored);
    } catch (error) {
      if (error instanceof SettingsSecretError) {
        throw new SyncError(
          'config',
          error.message +
            (error.reason === 'wrong-key'
              ? '; use the key the settings were saved with, or enter the secret again'
              : ''),
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  }

  async saveSettings(scope: string, settings: Record<string, unknown>): Promise<void> {
    requireText(scope, 'scope', 191);
    if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
      throw new SyncError('validation', 'settings must be an object');
    }
    const document = toJson(encryptSettingsSecrets(this.cipher, scope, settings), 'settings');
    await this.dataSource.query(
      `INSERT INTO settings (scope, document, updated_at) VALUES (?, ?, UTC_TIMESTAMP(3))
       ON DUPLICATE KEY UPDATE document = VALUES(document), updated_at = VALUES(updated_at)`,
      [scope, document],
    );
  }

  // ---- tokens -------------------------------------------------------------------------------

  async loadTokens(scope: string): Promise<StoredXeroTokens | null> {
    const rows = (await this.dataSource.query('SELECT * FROM xero_tokens WHERE scope = ?', [
      scope,
    ])) as TokensRow[];
    const row = rows[0];
    if (!row) return null;
    try {
      return {
        scope: row.scope,
        tenantId: row.tenant_id,
        tenantName: row.tenant_name,
        accessToken: this.cipher.decrypt(row.access_token_encrypted, tokenContext(scope, 'access')),
        refreshToken:
          row.refresh_token_encrypted === null
            ? null
            : this.cipher.decrypt(row.refresh_token_encrypted, tokenContext(scope, 'refresh')),
        expiresAt: fromDbTime(row.expires_at),
        refreshedAt: fromDbTime(row.refreshed_at),
        scopes: row.scopes,
      };
    } catch (error) {
      if (error instanceof SecretDecryptError) {
        if (error.reason === 'wrong-key') {
          throw new SyncError(
            'config',
            'cannot decrypt stored Xero tokens: the encryption key differs from the one they were saved with',
            { cause: error },
          );
        }
        throw new SyncError(
          'needs-reconnect',
          `cannot decrypt stored Xero tokens: ${error.message}; reconnect to Xero`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  async saveTokens(tokens: StoredXeroTokens): Promise<void> {
    requireText(tokens.scope, 'scope', 191);
    requireText(tokens.accessToken, 'accessToken', 1_000_000);
    const scope = tokens.scope;
    await this.dataSource.query(
      `INSERT INTO xero_tokens (scope, tenant_id, tenant_name, access_token_encrypted, refresh_token_encrypted, expires_at, refreshed_at, scopes, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))
       ON DUPLICATE KEY UPDATE tenant_id = VALUES(tenant_id), tenant_name = VALUES(tenant_name),
         access_token_encrypted = VALUES(access_token_encrypted), refresh_token_encrypted = VALUES(refresh_token_encrypted),
         expires_at = VALUES(expires_at), refreshed_at = VALUES(refreshed_at), scopes = VALUES(scopes), updated_at = VALUES(updated_at)`,
      [
        scope,
        // '' = connected, organisation not chosen yet: xero-client saves the tokens before it
        // lists the organisations (consent and Custom Connection alike), then selects one.
        tokens.tenantId === '' ? '' : requireText(tokens.tenantId, 'tenantId', 64),
        tokens.tenantName ?? '',
        this.cipher.encrypt(tokens.accessToken, tokenContext(scope, 'access')),
        tokens.refreshToken == null
          ? null
          : this.cipher.encrypt(tokens.refreshToken, tokenContext(scope, 'refresh')),
        toDbTime(tokens.expiresAt, 'expiresAt'),
        toDbTime(tokens.refreshedAt, 'refreshedAt'),
        tokens.scopes ?? '',
      ],
    );
  }

  async deleteTokens(scope: string): Promise<void> {
    await this.dataSource.query('DELETE FROM xero_tokens WHERE scope = ?', [scope]);
  }

  // ---- product overrides --------------------------------------------------------------------

  async getProductOverrides(scope: string, productIds: number[]): Promise<ProductAccountOverride[]> {
    const ids = requireIds(productIds, 'productIds');
    const out: ProductAccountOverride[] = [];
    for (const part of chunk(ids, IN_CHUNK)) {
      const rows = (await this.dataSource.query(
        `SELECT product_id, sales_account_code, purchase_account_code FROM product_account_overrides
         WHERE scope = ? AND product_id IN (${placeholders(part.length)}) ORDER BY product_id`,
        [scope, ...part],
      )) as Array<{
        product_id: number | string;
        sales_account_code: string | null;
        purchase_account_code: string | null;
      }>;
      out.push(
        ...rows.map((row) => ({
          productId: Number(row.product_id),
          salesAccountCode: row.sales_account_code,
          purchaseAccountCode: row.purchase_account_code,
        })),
      );
    }
    return out;
  }

  async setProductOverride(scope: string, override: ProductAccountOverride): Promise<void> {
    requireText(scope, 'scope', 191);
    const [productId] = requireIds([override.productId], 'productId');
    const sales = normaliseAccountCode(override.salesAccountCode, 'salesAccountCode');
    const purchase = normaliseAccountCode(override.purchaseAccountCode, 'purchaseAccountCode');
    if (sales === null && purchase === null) {
      await this.dataSource.query(
        'DELETE FROM product_account_overrides WHERE scope = ? AND product_id = ?',
        [scope, productId],
      );
      return;
    }
    await this.dataSource.query(
      `INSERT INTO product_account_overrides (scope, product_id, sales_account_code, purchase_account_code, updated_at)
       VALUES (?, ?, ?, ?, UTC_TIMESTAMP(3))
       ON DUPLICATE KEY UPDATE sales_account_code = VALUES(sales_account_code),
         purchase_account_code = VALUES(purchase_account_code), updated_at = VALUES(updated_at)`,
      [scope, productId, sales, purchase],
    );
  }

  // ---- order marks --------------------------------------------------------------------------

  async getMarkedOrders(scope: string, orderIds: number[]): Promise<number[]> {
    const ids = requireIds(orderIds, 'orderIds');
    const out: number[] = [];
    for (const part of chunk(ids, IN_CHUNK)) {
      const rows = (await this.dataSource.query(
        `SELECT order_id FROM order_marks WHERE scope = ? AND order_id IN (${placeholders(part.length)}) ORDER BY order_id`,
        [scope, ...part],
      )) as Array<{ order_id: number | string }>;
      out.push(...rows.map((row) => Number(row.order_id)));
    }
    return out;
  }

  async markOrders(scope: string, orderIds: number[]): Promise<void> {
    requireText(scope, 'scope', 191);
    const ids = requireIds(orderIds, 'orderIds');
    for (const part of chunk(ids, INSERT_CHUNK)) {
      // Re-marking keeps the first marked_at.
      await this.dataSource.query(
        `INSERT INTO order_marks (scope, order_id, marked_at) VALUES ${part.map(() => '(?, ?, UTC_TIMESTAMP(3))').join(',')}
         ON DUPLICATE KEY UPDATE marked_at = marked_at`,
        part.flatMap((id) => [scope, id]),
      );
    }
  }

  async unmarkOrders(scope: string, orderIds: number[]): Promise<void> {
    const ids = requireIds(orderIds, 'orderIds');
    for (const part of chunk(ids, IN_CHUNK)) {
      await this.dataSource.query(
        `DELETE FROM order_marks WHERE scope = ? AND order_id IN (${placeholders(part.length)})`,
        [scope, ...part],
      );
    }
  }

  // ---- runs and log -------------------------------------------------------------------------

  async startRun(
    run: Omit<SyncRun, 'id' | 'startedAt' | 'finishedAt' | 'status' | 'summary' | 'error'>,
  ): Promise<SyncRun> {
    requireText(run.scope, 'scope', 191);
    const kind = oneOf(run.kind, RUN_KINDS, 'run kind');
    const trigger = requireText(run.trigger, 'run trigger', 32);
    const started: SyncRun = {
      id: randomUUID(),
      scope: run.scope,
      kind,
      trigger,
      status: 'running',
      dryRun: Boolean(run.dryRun),
      startedAt: new Date().toISOString(),
      finishedAt: null,
      summary: {},
      error: null,
    };
    await this.dataSource.query(
      `INSERT INTO sync_runs (id, scope, kind, trigger_source, status, dry_run, started_at, finished_at, summary, error)
       VALUES (?, ?, ?, ?, 'running', ?, ?, NULL, '{}', NULL)`,
      [
        started.id,
        started.scope,
        kind,
        trigger,
        started.dryRun ? 1 : 0,
        toDbTime(started.startedAt, 'startedAt'),
      ],
    );
    return started;
  }

  async updateRun(runId: string, summary: Record<string, unknown>): Promise<void> {
    const result = (await this.dataSource.query('UPDATE sync_runs SET summary = ? WHERE id = ?', [
      toJson(summary, 'run summary'),
      runId,
    ])) as {
      affectedRows: number;
    };
    if (result.affectedRows === 0) throw new SyncError('unexpected', `sync run ${runId} does not exist`);
  }

  async finishRun(
    runId: string,
    status: SyncRun['status'],
    summary: Record<string, unknown>,
    error?: string | null,
  ): Promise<void> {
    oneOf(status, RUN_STATUSES, 'run status');
    const result = (await this.dataSource.query(
      'UPDATE sync_runs SET status = ?, finished_at = ?, summary = ?, error = ? WHERE id = ?',
      [
        status,
        toDbTime(new Date(), 'finishedAt'),
        toJson(summary, 'run summary'),
        error == null ? null : truncate(error, 60_000),
        runId,
      ],
    )) as { affectedRows: number };
    if (result.affectedRows === 0) throw new SyncError('unexpected', `sync run ${runId} does not exist`);
  }

  async getRun(runId: string): Promise<SyncRun | null> {
    const rows = (await this.dataSource.query('SELECT * FROM sync_runs WHERE id = ?', [runId])) as RunRow[];
    return rows[0] ? toSyncRun(rows[0]) : null;
  }

  async listRuns(scope: string, query: { limit: number; beforeId?: string }): Promise<SyncRun[]> {
    const limit = requireLimit(query.limit);
    const params: unknown[] = [scope];
    let keyset = '';
    if (query.beforeId !== undefined) {
      const cursor = (await this.dataSource.query(
        'SELECT started_at, id FROM sync_runs WHERE id = ? AND scope = ?',
        [query.beforeId, scope],
      )) as Array<{
        started_at: string;
        id: string;
      }>;
      if (!cursor[0])
        throw new SyncError('unexpected', `beforeId ${query.beforeId} is not a run of this scope`);
      keyset = ' AND (started_at < ? OR (started_at = ? AND id < ?))';
      params.push(cursor[0].started_at, cursor[0].started_at, cursor[0].id);
    }
    const rows = (await this.dataSource.query(
      `SELECT * FROM sync_runs WHERE scope = ?${keyset} ORDER BY started_at DESC, id DESC LIMIT ${limit}`,
      params,
    )) as RunRow[];
    return rows.map(toSyncRun);
  }

  /**
   * Lines of a run id we do not know are still kept (scope left empty, found by runId): a log
   * line is never worth failing a sync over.
   */
  async appendLog(entries: SyncLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const runIds = [...new Set(entries.map((entry) => requireText(entry.runId, 'runId', 36)))];
    const scopes = new Map<string, string>();
    for (const part of chunk(runIds, IN_CHUNK)) {
      const rows = (await this.dataSource.query(
        `SELECT id, scope FROM sync_runs WHERE id IN (${placeholders(part.length)})`,
        part,
      )) as Array<{
        id: string;
        scope: string;
      }>;
      for (const row of rows) scopes.set(row.id, row.scope);
    }
    const now = new Date();
    const values = entries.map((entry) => [
      entry.runId,
      scopes.get(entry.runId) ?? null,
      oneOf(entry.level, LOG_LEVELS, 'log level'),
      truncate(entry.entityType ?? '', 32),
      truncate(String(entry.entityId ?? ''), 191),
      truncate(entry.status ?? '', 32),
      truncate(entry.message ?? '', 16_000),
      entry.details === undefined ? null : toJson(redact(entry.details), 'log details'),
      toDbTime(entry.createdAt ?? now, 'createdAt'),
    ]);
    await this.inTransaction(async (manager) => {
      for (const part of chunk(values, INSERT_CHUNK)) {
        await manager.query(
          `INSERT INTO sync_log (run_id, scope, level, entity_type, entity_id, status, message, details, created_at)
           VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(',')}`,
          part.flat(),
        );
      }
    });
  }

  /** Newest first; `from` and `to` are ISO times, both inclusive. */
  async listLog(query: {
    scope?: string;
    runId?: string;
    entityType?: string;
    entityId?: string;
    level?: SyncLogEntry['level'];
    status?: string;
    from?: string;
    to?: string;
    limit: number;
    offset?: number;
  }): Promise<SyncLogEntry[]> {
    const limit = requireLimit(query.limit);
    const offset = query.offset ?? 0;
    if (!Number.isInteger(offset) || offset < 0)
      throw new SyncError('unexpected', `offset must be a whole number ≥ 0 (got ${String(offset)})`);
    const where: string[] = [];
    const params: unknown[] = [];
    const equal: Array<[string, string | undefined]> = [
      ['scope', query.scope],
      ['run_id', query.runId],
      ['entity_type', query.entityType],
      ['entity_id', query.entityId],
      ['level', query.level === undefined ? undefined : oneOf(query.level, LOG_LEVELS, 'level')],
      ['status', query.status],
    ];
    for (const [column, value] of equal) {
      if (value !== undefined) {
        where.push(`${column} = ?`);
        params.push(value);
      }
    }
    if (query.from !== undefined) {
      where.push('created_at >= ?');
      params.push(toDbTime(query.from, 'from'));
    }
    if (query.to !== undefined) {
      where.push('created_at <= ?');
      params.push(toDbTime(query.to, 'to'));
    }
    const rows = (await this.dataSource.query(
      `SELECT run_id, level, entity_type, entity_id, status, message, details, created_at FROM sync_log
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ${limit} OFFSET ${offset}`,
      params,
    )) as LogRow[];
    return rows.map((row) => {
      const entry: SyncLogEntry = {
        runId: row.run_id,
        level: row.level as SyncLogEntry['level'],
        entityType: row.entity_type,
        entityId: row.entity_id,
        status: row.status,
        message: row.message,
        createdAt: fromDbTime(row.created_at),
      };
      if (row.details !== null) entry.details = parseJsonObject(row.details, 'log details');
      return entry;
    });
  }

  // ---- locks --------------------------------------------------------------------------------

  /**
   * One upsert decides: a new name is inserted; an existing row is taken over only when it has
   * expired or already belongs to this owner (re-entry extends it). The row lock that the upsert
   * holds until commit makes the follow-up read see exactly the winner.
   */
  async tryLock(name: string, owner: string, ttlMs: number): Promise<boolean> {
    requireText(name, 'lock name', 191);
    requireText(owner, 'lock owner', 191);
    if (!Number.isInteger(ttlMs) || ttlMs < 1)
      throw new SyncError(
        'unexpected',
        `ttlMs must be a positive whole number of milliseconds (got ${ttlMs})`,
      );
    return this.inTransaction(async (manager) => {
      // `owner` is assigned first and `expires_at` then tests the new owner: both change or neither does.
      await manager.query(
        `INSERT INTO locks (name, owner, acquired_at, expires_at)
         VALUES (?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) + INTERVAL ? MICROSECOND)
         ON DUPLICATE KEY UPDATE
           acquired_at = IF(owner = VALUES(owner), acquired_at, IF(expires_at <= UTC_TIMESTAMP(3), VALUES(acquired_at), acquired_at)),
           owner = IF(owner = VALUES(owner) OR expires_at <= UTC_TIMESTAMP(3), VALUES(owner), owner),
           expires_at = IF(owner = VALUES(owner), VALUES(expires_at), expires_at)`,
        [name, owner, ttlMs * 1000],
      );
      const rows = (await manager.query('SELECT owner FROM locks WHERE name = ? FOR UPDATE', [
        name,
      ])) as Array<{ owner: string }>;
      return rows[0]?.owner === owner;
    });
  }

  async unlock(name: string, owner: string): Promise<void> {
    await this.dataSource.query('DELETE FROM locks WHERE name = ? AND owner = ?', [name, owner]);
  }
}

function compareKeys(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

function tokenContext(scope: string, which: 'access' | 'refresh'): string {
  return `xero_tokens:${scope}:${which}`;
}

function truncate(text: string, maxLength: number): string;
function truncate(text: string | null, maxLength: number): string | null;
function truncate(text: string | null, maxLength: number): string | null {
  if (text === null) return null;
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

function normaliseAccountCode(code: string | null | undefined, field: string): string | null {
  if (code == null) return null;
  if (typeof code !== 'string') throw new SyncError('validation', `${field} must be text or null`);
  const trimmed = code.trim();
  if (trimmed === '') return null;
  if (trimmed.length > 32)
    throw new SyncError(
      'validation',
      `${field} "${trimmed.slice(0, 40)}" is too long for a Xero account code`,
    );
  return trimmed;
}

function toLedgerEntry(row: LedgerRow): LedgerEntry {
  return {
    scope: row.scope,
    entityType: row.entity_type as LedgerEntityType,
    entityKey: row.entity_key,
    status: row.status as LedgerStatus,
    xeroId: row.xero_id,
    xeroNumber: row.xero_number,
    payloadHash: row.payload_hash,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    updatedAt: fromDbTime(row.updated_at),
  };
}

function toSyncRun(row: RunRow): SyncRun {
  return {
    id: row.id,
    scope: row.scope,
    kind: row.kind as RunKind,
    trigger: row.trigger_source,
    status: row.status as SyncRun['status'],
    dryRun: Number(row.dry_run) === 1,
    startedAt: fromDbTime(row.started_at),
    finishedAt: fromDbTime(row.finished_at),
    summary: parseJsonObject(row.summary, 'run summary'),
    error: row.error,
  };
}
