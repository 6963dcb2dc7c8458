import { DataSource } from 'typeorm';
import { SyncError, type CheckpointPort } from '@oc-xero/sync-core';
import { requireText } from './connector-sql.util';

/** Named checkpoints of a scope. */
export class CheckpointRepository implements CheckpointPort {
  constructor(private readonly dataSource: DataSource) {}

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
}
