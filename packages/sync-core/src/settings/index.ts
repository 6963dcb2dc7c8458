// Browser-safe entry (`@oc-xero/sync-core/settings`): the settings schema, its choices and
// placeholders, with zod as the only dependency, for the admin SPA.
export * from './settings.schema';
export * from './settings.fields';
export * from './run-gate.rules';
export * from './organisation-fit.rules';
export * from './unknown-keys.rules';
