/**
 * In-memory fakes of sync-core's ports, for the tests of sync-core and of the packages that use it
 * (import from '@oc-xero/sync-core/testing' source path; not part of the runtime API in src/index.ts).
 */
export * from './fake-xero.port';
export * from './fake-connector-store.port';
export * from './fake-open-cart.port';
export * from './memory-logger';
export * from './sample-data.fixture';
export * from './xero-arithmetic';
export * from './use-case-harness';
