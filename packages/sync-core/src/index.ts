export * from './errors';
export * from './ports/opencart.port';
export * from './ports/xero.port';
export * from './ports/connector-store.port';
