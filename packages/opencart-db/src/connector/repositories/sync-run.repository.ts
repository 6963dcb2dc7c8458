import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SyncError, type RunKind, type SyncRun, type SyncRunPort } from '@oc-xero/sync-core';
import { toDbTime, fromDbTime, oneOf, requireText, requireLimit, toJson, parseJsonObject, truncate } from './connector-sql.util';

const RUN_KINDS: readonly RunKind[] = ['orders', 'customers', 'items', 'stock', 'all'];
const RUN_STATUSES: readonly SyncRun['status'][] = ['running', 'completed', 'failed', 'cancelled', 'interrupted'];

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

/** Run records. */
export class SyncRunRepository implements SyncRunPort {
  constructor(private readonly dataSource: DataSource) {}

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
