/**
 * The store's time zone. OpenCart (3.0.x system/framework.php and catalog/admin startup, 4.x
 * startup/setting.php) reads `config_timezone` of store 0 from the setting table, makes it PHP's
 * zone and then runs `SET time_zone = date('P')` on its database session, so every NOW() it writes
 * (date_added, date_modified) is wall time in that zone. Without the setting PHP's zone stays UTC
 * (system/config/default.php date_timezone, startup.php's fallback).
 */
import type { OpenCartSchema } from './opencart-schema.detector';
import type { Sql } from './opencart-order.repository';
import { str } from './opencart-row.util';

/** The IANA name in config_timezone of store 0; 'UTC' when the store has none. */
export async function readStoreTimeZone(sql: Sql, schema: OpenCartSchema): Promise<string> {
  const rows = await sql(
    `SELECT value FROM ${schema.table('setting')} WHERE store_id = 0 AND \`key\` = 'config_timezone' LIMIT 1`,
  );
  const zone = rows.length ? str(rows[0]!.value).trim() : '';
  return zone || 'UTC';
}
