import { DataSource } from 'typeorm';
import { SyncError, type LockPort } from '@oc-xero/sync-core';
import { requireText, inTransaction } from './connector-sql.util';

/** Named locks; expiry uses the database clock, so workers on several hosts agree. */
export class LockRepository implements LockPort {
  constructor(private readonly dataSource: DataSource) {}

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
    return inTransaction(this.dataSource, async (manager) => {
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
