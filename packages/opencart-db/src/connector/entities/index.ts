import { CheckpointEntity } from './checkpoint.entity';
import { LedgerEntity } from './ledger.entity';
import { LockEntity } from './lock.entity';
import { OrderMarkEntity } from './order-mark.entity';
import { ProductAccountOverrideEntity } from './product-account-override.entity';
import { SettingsEntity } from './settings.entity';
import { SyncLogEntity } from './sync-log.entity';
import { SyncRunEntity } from './sync-run.entity';
import { XeroTokensEntity } from './xero-tokens.entity';

export {
  CheckpointEntity,
  LedgerEntity,
  LockEntity,
  OrderMarkEntity,
  ProductAccountOverrideEntity,
  SettingsEntity,
  SyncLogEntity,
  SyncRunEntity,
  XeroTokensEntity,
};

/** Every entity of the connector's own database. */
export const CONNECTOR_ENTITIES = [
  SettingsEntity,
  XeroTokensEntity,
  LedgerEntity,
  CheckpointEntity,
  ProductAccountOverrideEntity,
  OrderMarkEntity,
  SyncRunEntity,
  SyncLogEntity,
  LockEntity,
];
