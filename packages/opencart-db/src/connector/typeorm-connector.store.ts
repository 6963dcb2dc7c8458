import { DataSource } from 'typeorm';
import type { ConnectorStore } from '@oc-xero/sync-core';
import {
  CheckpointRepository,
  LedgerRepository,
  LockRepository,
  OrderMarkRepository,
  ProductOverrideRepository,
  SettingsRepository,
  SyncLogRepository,
  SyncRunRepository,
  TokenRepository,
} from './repositories';
import { SecretCipher } from './secret.cipher';

/**
 * The ConnectorStore over the connector's own MySQL/MariaDB database: the sum of one repository
 * per aggregate (repositories/), so the composition root binds one object and a caller that needs
 * one port can be handed just that repository. Timestamps are UTC DATETIME(3); lock expiry uses
 * the database clock, so workers on several hosts agree.
 */
export class TypeormConnectorStore implements ConnectorStore {
  readonly ledger: LedgerRepository;
  readonly checkpoints: CheckpointRepository;
  readonly settings: SettingsRepository;
  readonly tokens: TokenRepository;
  readonly productOverrides: ProductOverrideRepository;
  readonly orderMarks: OrderMarkRepository;
  readonly runs: SyncRunRepository;
  readonly log: SyncLogRepository;
  readonly locks: LockRepository;

  constructor(dataSource: DataSource, cipher: SecretCipher) {
    this.ledger = new LedgerRepository(dataSource);
    this.checkpoints = new CheckpointRepository(dataSource);
    this.settings = new SettingsRepository(dataSource, cipher);
    this.tokens = new TokenRepository(dataSource, cipher);
    this.productOverrides = new ProductOverrideRepository(dataSource);
    this.orderMarks = new OrderMarkRepository(dataSource);
    this.runs = new SyncRunRepository(dataSource);
    this.log = new SyncLogRepository(dataSource);
    this.locks = new LockRepository(dataSource);
  }

  // ---- ledger
  getLedger: ConnectorStore['getLedger'] = (...a) => this.ledger.getLedger(...a);
  listLedger: ConnectorStore['listLedger'] = (...a) => this.ledger.listLedger(...a);
  reserve: ConnectorStore['reserve'] = (...a) => this.ledger.reserve(...a);
  record: ConnectorStore['record'] = (...a) => this.ledger.record(...a);
  // ---- checkpoints
  getCheckpoint: ConnectorStore['getCheckpoint'] = (...a) => this.checkpoints.getCheckpoint(...a);
  setCheckpoint: ConnectorStore['setCheckpoint'] = (...a) => this.checkpoints.setCheckpoint(...a);
  // ---- settings
  loadSettings: ConnectorStore['loadSettings'] = (...a) => this.settings.loadSettings(...a);
  saveSettings: ConnectorStore['saveSettings'] = (...a) => this.settings.saveSettings(...a);
  // ---- tokens
  loadTokens: ConnectorStore['loadTokens'] = (...a) => this.tokens.loadTokens(...a);
  saveTokens: ConnectorStore['saveTokens'] = (...a) => this.tokens.saveTokens(...a);
  deleteTokens: ConnectorStore['deleteTokens'] = (...a) => this.tokens.deleteTokens(...a);
  // ---- product overrides
  getProductOverrides: ConnectorStore['getProductOverrides'] = (...a) => this.productOverrides.getProductOverrides(...a);
  setProductOverride: ConnectorStore['setProductOverride'] = (...a) => this.productOverrides.setProductOverride(...a);
  // ---- order marks
  getMarkedOrders: ConnectorStore['getMarkedOrders'] = (...a) => this.orderMarks.getMarkedOrders(...a);
  markOrders: ConnectorStore['markOrders'] = (...a) => this.orderMarks.markOrders(...a);
  unmarkOrders: ConnectorStore['unmarkOrders'] = (...a) => this.orderMarks.unmarkOrders(...a);
  // ---- runs
  startRun: ConnectorStore['startRun'] = (...a) => this.runs.startRun(...a);
  updateRun: ConnectorStore['updateRun'] = (...a) => this.runs.updateRun(...a);
  finishRun: ConnectorStore['finishRun'] = (...a) => this.runs.finishRun(...a);
  getRun: ConnectorStore['getRun'] = (...a) => this.runs.getRun(...a);
  listRuns: ConnectorStore['listRuns'] = (...a) => this.runs.listRuns(...a);
  // ---- log
  appendLog: ConnectorStore['appendLog'] = (...a) => this.log.appendLog(...a);
  listLog: ConnectorStore['listLog'] = (...a) => this.log.listLog(...a);
  // ---- locks
  tryLock: ConnectorStore['tryLock'] = (...a) => this.locks.tryLock(...a);
  unlock: ConnectorStore['unlock'] = (...a) => this.locks.unlock(...a);
}
