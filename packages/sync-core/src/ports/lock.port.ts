/** Named locks shared by every process of the connector (opencart-db: lock.repository.ts). */
export interface LockPort {
  /** Take a named lock (e.g. the run lock of a scope) for at most ttlMs; false when someone else holds it. */
  tryLock(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Release a lock held by owner. */
  unlock(name: string, owner: string): Promise<void>;
}
