export * from './store';
export * from './connector';
