export * from './secret.cipher';
export * from './settings-secret.codec';
export * from './entities';
export * from './migrations/1763900000000-initial-connector-schema.migration';
export * from './connector-data-source.factory';
export * from './repositories';
export * from './typeorm-connector.store';
