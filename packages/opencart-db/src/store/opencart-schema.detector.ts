import { SyncError, type OpenCartVersion } from '@oc-xero/sync-core';
import type { DataSource } from 'typeorm';

/** Tables every supported OpenCart version has and that we read or write. */
const REQUIRED_TABLES = [
  'order',
  'order_product',
  'order_option',
  'order_total',
  'order_history',
  'order_status',
  'product',
  'product_description',
  'customer',
  'address',
  'country',
  'zone',
  'currency',
  'setting',
  'store',
  'tax_class',
  'tax_rate',
  'tax_rule',
  'extension',
  'language',
] as const;

/** Returns (RMA) are optional: a store without them (or with them dropped by an extension) has no returns to book. */
const RETURN_TABLES = ['return', 'return_action', 'return_status'] as const;

/**
 * 4.1.0.1 moved country and zone names into per-language tables; 4.0.0.0-4.0.2.3 and 4.1.0.0 keep
 * them in country.name / zone.name like 3.x. Optional: we read whichever the store has.
 */
const LOCALISED_GEO_TABLES = ['country_description', 'zone_description'] as const;

/** The columns whose presence decides how we read; looked up once at connect. */
const PROBED_COLUMNS: Record<string, string[]> = {
  order: ['payment_code', 'shipping_code', 'payment_method'],
  product: ['master_id', 'variant'],
  customer: ['address_id'],
  address: ['default'],
  country: ['name'],
  zone: ['name'],
};

/** What the adapter knows about one store's schema. */
export interface OpenCartSchema {
  version: OpenCartVersion;
  prefix: string;
  database: string;
  /** 3.x (and 4.0.0–4.0.1) keep payment_code/shipping_code; 4.0.2+ keep JSON in *_method. */
  hasMethodCodeColumns: boolean;
  /** 3.x gift vouchers bought in an order. */
  hasOrderVoucher: boolean;
  /** 3.x: customer.address_id is the default address; 4.x: address.default = 1. */
  customerHasAddressId: boolean;
  /** 4.1.0.1+: country_description / zone_description hold the names (else country.name / zone.name). */
  hasLocalisedGeoNames: boolean;
  /** 4.x: address.`default` = 1 marks the default address (3.x: customer.address_id). */
  addressHasDefault: boolean;
  /** The return, return_action and return_status tables are all there (else: no returns). */
  hasReturns?: boolean;
  /** `prefix` + name, back-quoted for SQL. */
  table(name: string): string;
}

const PREFIX_PATTERN = /^[A-Za-z0-9_]*$/;

const quoteName = (s: string): string => '`' + s + '`';

/** Reads the schema once and refuses, naming what is missing, when it is not an OpenCart store with this prefix. */
export async function detectOpenCartSchema(
  ds: DataSource,
  database: string,
  prefix: string,
): Promise<OpenCartSchema> {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new SyncError(
      'config',
      `table prefix \`${prefix}\` is not valid: OpenCart's DB_PREFIX holds only letters, digits and underscores (e.g. oc_)`,
    );
  }
  const tableRows: Array<{ name: string }> = await ds.query(
    'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
    [database],
  );
  const tables = new Set(tableRows.map((r) => r.name));

  if (!tables.has(prefix + 'order')) {
    // A store is recognised by order + order_total together: either alone is too common a name.
    const candidates = [...tables]
      .filter((t) => t.endsWith('order_total'))
      .map((t) => t.slice(0, -'order_total'.length))
      .filter((p) => p !== prefix && tables.has(p + 'order'))
      .sort();
    if (candidates.length > 0) {
      throw new SyncError(
        'config',
        `no table \`${prefix}order\` in database \`${database}\`: is OPENCART_DB_PREFIX right? tables found with prefix ${candidates
          .map((c) => (c === '' ? '`` (no prefix)' : quoteName(c)))
          .join(', ')}`,
      );
    }
    throw new SyncError(
      'config',
      `database \`${database}\` is not an OpenCart database: no table \`${prefix}order\`, and no OpenCart tables (order + order_total) under any prefix (${tables.size} tables found). Check the database name in the URL.`,
    );
  }

  const columnRows: Array<{ tableName: string; columnName: string }> = await ds.query(
    'SELECT TABLE_NAME AS tableName, COLUMN_NAME AS columnName FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?)',
    [database, Object.keys(PROBED_COLUMNS).map((t) => prefix + t)],
  );
  const has = (table: string, column: string): boolean =>
    columnRows.some((r) => r.tableName === prefix + table && r.columnName === column);

  // product.master_id (variants) is in every 4.x from 4.0.0.0; country_description only from 4.1.0.1.
  const is4 = has('product', 'master_id') || tables.has(prefix + 'country_description');
  const is3 = !is4 && has('order', 'payment_code');
  if (!is4 && !is3) {
    throw new SyncError(
      'config',
      `database \`${database}\` has \`${prefix}order\` but neither the 3.x layout (\`${prefix}order\`.payment_code) nor the 4.x layout (\`${prefix}product\`.master_id, \`${prefix}country_description\`): not a supported OpenCart (3.0.x or 4.x)`,
    );
  }
  const version: OpenCartVersion = is4 ? '4' : '3';
  const missing: string[] = REQUIRED_TABLES.filter((t) => !tables.has(prefix + t)).map((t) =>
    quoteName(prefix + t),
  );
  const hasLocalisedGeoNames = LOCALISED_GEO_TABLES.every((t) => tables.has(prefix + t));
  // Names come from the description tables when both are there, else from country.name / zone.name:
  // a store with neither has nowhere to name a customer's country.
  if (!hasLocalisedGeoNames) {
    for (const t of ['country', 'zone'] as const) {
      if (tables.has(prefix + t) && !has(t, 'name'))
        missing.push(`${quoteName(prefix + t + '_description')} (or a column ${quoteName(prefix + t)}.name)`);
    }
  }
  if (missing.length > 0) {
    throw new SyncError(
      'config',
      `database \`${database}\` looks like OpenCart ${version}.x with prefix \`${prefix}\` but lacks ${missing.join(', ')}: is it a complete OpenCart database?`,
    );
  }
  if (!has('order', 'payment_method')) {
    throw new SyncError(
      'config',
      `table \`${prefix}order\` in \`${database}\` has no payment_method column: not a supported OpenCart schema`,
    );
  }

  return {
    version,
    prefix,
    database,
    hasMethodCodeColumns: has('order', 'payment_code') && has('order', 'shipping_code'),
    hasOrderVoucher: tables.has(prefix + 'order_voucher'),
    customerHasAddressId: has('customer', 'address_id'),
    hasLocalisedGeoNames,
    addressHasDefault: has('address', 'default'),
    hasReturns: RETURN_TABLES.every((t) => tables.has(prefix + t)),
    table: (name: string) => quoteName(prefix + name),
  };
}
