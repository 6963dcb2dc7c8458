/**
 * TEST HELPER: a real OpenCart dump (OPENCART_FIXTURES_DIR) loaded into a scratch database, with
 * its ground truth (orders-*.json) in the shape the checks use. Read in place, never copied.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadOpenCartDump } from '@oc-xero/opencart-db';
import { fixturesDir, serverUrl, sql } from './acceptance.harness';
import type { TruthOrder } from './ground-truth.check';
import { statusIdsOf, type SampleStore } from './sample-store.fixture';

interface GroundTruth {
  orders: Array<{
    order_id: number;
    order_status: string;
    currency_code: string;
    currency_value: string;
    total: string;
    order_total: Array<{ code: string; title: string; value: string }>;
    payment: { code: string } | null;
  }>;
}

/** Fixed-amount taxes (Eco Tax) are their own net line in Xero, not tax (DESIGN.md §5.4). */
export async function fixedTaxNames(database: string, prefix: string): Promise<string[]> {
  const conn = await sql(database);
  try {
    const [rows] = await conn.query(`SELECT name FROM \`${prefix}tax_rate\` WHERE type = 'F'`);
    return (rows as Array<{ name: string }>).map((r) => r.name);
  } finally {
    await conn.end();
  }
}

export function truthOf(version: '3' | '4', fixedTaxes: string[]): TruthOrder[] {
  const json = JSON.parse(
    readFileSync(path.join(fixturesDir(), `orders-${version}.json`), 'utf8'),
  ) as GroundTruth;
  return json.orders.map((o) => ({
    orderId: o.order_id,
    status: o.order_status,
    currencyCode: o.currency_code,
    currencyValue: o.currency_value,
    total: o.total,
    taxRows: o.order_total
      .filter((t) => t.code === 'tax' && !fixedTaxes.some((n) => t.title.startsWith(n)))
      .map((t) => t.value),
    paymentCode: o.payment?.code ?? '',
  }));
}

/** Loads opencart-<version>.sql into `database` under `prefix`. */
export async function loadDumpStore(
  database: string,
  version: '3' | '4',
  prefix: string,
): Promise<SampleStore> {
  await loadOpenCartDump({
    serverUrl,
    database,
    file: path.join(fixturesDir(), `opencart-${version}.sql`),
    prefix,
  });
  const fixed = await fixedTaxNames(database, prefix);
  if (!fixed.length)
    throw new Error(`no fixed-amount tax rate in ${database}: the Eco Tax rows would be judged as tax`);
  return { database, prefix, truth: truthOf(version, fixed), statusIds: await statusIdsOf(database, prefix) };
}
