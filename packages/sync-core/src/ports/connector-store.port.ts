/**
 * The connector's own state (its own database, never the store's tables), implemented by
 * packages/opencart-db over TypeORM with migrations. Everything is scoped by a connection key
 * (`scope`: store + Xero organisation) so one database can serve several stores.
 *
 * One small port per aggregate, one repository each in opencart-db/src/connector/repositories;
 * ConnectorStore is their sum, for the composition root and the tests. A use case asks only for
 * the ports it uses.
 */
import type { LedgerPort } from '../ledger/ledger.port';
import type { CheckpointPort } from './checkpoint.port';
import type { LockPort } from './lock.port';
import type { OrderMarkPort } from './order-mark.port';
import type { ProductOverridePort } from './product-override.port';
import type { SettingsStorePort } from './settings-store.port';
import type { SyncLogPort } from './sync-log.port';
import type { SyncRunPort } from './sync-run.port';
import type { TokenStorePort } from './token-store.port';

export type * from '../ledger/ledger.port';
export type * from './checkpoint.port';
export type * from './lock.port';
export type * from './order-mark.port';
export type * from './product-override.port';
export type * from './settings-store.port';
export type * from './sync-log.port';
export type * from './sync-run.port';
export type * from './token-store.port';

/** The connector's own tables: the sum of the ports. */
export interface ConnectorStore
  extends LedgerPort,
    CheckpointPort,
    SettingsStorePort,
    TokenStorePort,
    ProductOverridePort,
    OrderMarkPort,
    SyncRunPort,
    SyncLogPort,
    LockPort {}
