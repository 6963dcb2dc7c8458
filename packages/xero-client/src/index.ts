export * from './xero-client.config';
export * from './xero-auth.service';
export * from './xero.gateway';
export * from './tenant-rate.limiter';
export * from './retry.policy';
export { parseXeroNodeError, toSyncError, redactSecrets } from './xero-error.translator';
export type { XeroFailure } from './xero-error.translator';
