/**
 * Nest injection tokens of the ports. Modules depend on these interfaces only; the composition
 * root (composition/adapters.module.ts) binds them to the real adapters, and tests may bind fakes.
 */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const CONNECTOR_STORE = Symbol('CONNECTOR_STORE');
export const OPENCART_READER = Symbol('OPENCART_READER');
export const OPENCART_WRITER = Symbol('OPENCART_WRITER');
export const XERO_CONNECTOR = Symbol('XERO_CONNECTOR');
export const SYNC_ENGINE = Symbol('SYNC_ENGINE');
export const SETTINGS_CODEC = Symbol('SETTINGS_CODEC');
