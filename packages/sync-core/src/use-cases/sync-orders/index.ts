export * from './sync-orders.model';
export * from './sync-orders.use-case';
