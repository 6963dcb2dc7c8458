export * from './ledger.port';
export * from './ledger-keys';
export * from './ledger.rules';
export * from './write-once.protocol';
