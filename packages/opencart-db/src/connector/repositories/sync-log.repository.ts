import { DataSource } from 'typeorm';
import { SyncError, type SyncLogEntry, type SyncLogPort } from '@oc-xero/sync-core';
import { toDbTime, fromDbTime, chunk, placeholders, oneOf, requireText, requireLimit, toJson, parseJsonObject, redact, inTransaction, truncate, INSERT_CHUNK, IN_CHUNK } from './connector-sql.util';

const LOG_LEVELS: readonly SyncLogEntry['level'][] = ['debug', 'info', 'warn', 'error'];

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

/** The run log (details redacted: never a secret in a log line). */
export class SyncLogRepository implements SyncLogPort {
  constructor(private readonly dataSource: DataSource) {}

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
    await inTransaction(this.dataSource, async (manager) => {
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
}
