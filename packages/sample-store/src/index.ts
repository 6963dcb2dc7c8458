export { buildSampleStore, type BuildSampleStoreOptions, type SampleStoreResult } from './sample-store.builder';
export { generateSampleStore, escapeHtml, type GeneratedOrder, type GeneratedOrderLine, type GeneratedStore } from './generator/sample-store.generator';
export { createTableStatements, tableColumns, tableNames, type ColumnSpec } from './schema/opencart.schema';
export { calculateOrder, TOTAL_SORT_ORDER, type OrderInput, type CalculatedOrder, type CalculatedTotal } from './totals/opencart-totals.calculator';
export { resolveTaxRates } from './totals/opencart-tax.resolver';
export { phpStoredDecimal } from './totals/php-decimal';
export type { OpenCartVersion } from './sample-store.types';
export { cloneOrdersUpTo } from './clone/order-clone.util';
export * from './check/invoice-check.util';
