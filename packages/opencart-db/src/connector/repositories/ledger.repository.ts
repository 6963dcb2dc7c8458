import { DataSource, EntityManager } from 'typeorm';
import { SyncError, type LedgerEntityType, type LedgerEntry, type LedgerStatus, type LedgerPort } from '@oc-xero/sync-core';
import { fromDbTime, chunk, placeholders, oneOf, requireText, requireLimit, inTransaction, compareKeys, truncate, INSERT_CHUNK, IN_CHUNK } from './connector-sql.util';

const LEDGER_ENTITY_TYPES: readonly LedgerEntityType[] = [
  'contact',
  'item',
  'invoice',
  'invoice-update',
  'payment',
  'credit-note',
  'allocation',
  'removal',
  'refund',
  'order-seen',
  'opening-stock',
  'stock-level',
];
const LEDGER_STATUSES: readonly LedgerStatus[] = ['pending', 'done', 'failed', 'removed', 'conflict'];

/** Statuses reserve() may send back to pending; done, removed and conflict rows are left alone. */
const RESETTABLE = "('pending','failed')";

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

/** The outbound ledger. Hand-written upserts where atomicity matters: reserve() and record() are one
 * transaction each, rows written in key order so two workers never deadlock on each other. */
export class LedgerRepository implements LedgerPort {
  constructor(private readonly dataSource: DataSource) {}

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
    items: Array<{ entityKey: string; payloadHash: string; xeroNumber?: string; newVersion?: boolean }>,
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
    return inTransaction(this.dataSource, async (manager) => {
      // A new version of a done row (an update of what Xero holds) is reserved pending again.
      for (const item of ordered.filter((i) => i.newVersion)) {
        await manager.query(
          `UPDATE ledger SET payload_hash = ?, xero_number = COALESCE(?, xero_number), updated_at = UTC_TIMESTAMP(3), status = 'pending'
            WHERE scope = ? AND entity_type = ? AND entity_key = ? AND status = 'done' AND NOT (payload_hash <=> ?)`,
          [item.payloadHash, item.xeroNumber ?? null, scope, entityType, item.entityKey, item.payloadHash],
        );
      }
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
      resetAttempts?: boolean;
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
      const signature = `${given.join(',')}|${result.resetAttempts ? 'reset' : ''}`;
      let group = groups.get(signature);
      if (!group) {
        group = {
          sets: [
            'status = VALUES(status)',
            result.resetAttempts ? 'attempts = 1' : 'attempts = attempts + 1',
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
    await inTransaction(this.dataSource, async (manager) => {
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
