// Where the medium tests find the real OpenCart dumps and the MariaDB server, and how they make
// and drop their scratch databases (prefix ocx_t_store_, fresh per run).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';

const repoRoot = path.resolve(__dirname, '../../../..');

export const fixturesDir = process.env.OPENCART_FIXTURES_DIR ?? path.resolve(repoRoot, '../shared/opencart');

/** The server the scratch databases go on; root without password on the CI machine. */
export const serverUrl = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

/** mysql://…/database for a scratch database on the test server. */
export const databaseUrl = (database: string): string => {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
};

const runId = `${process.pid}_${Date.now().toString(36)}`;

/** A fresh scratch database name for this run. */
export const scratchName = (tag: string): string =>
  `ocx_t_store_${runId}_${tag}`.replace(/[^A-Za-z0-9_]/g, '_');

/**
 * True when the dumps are there. Absent outside CI: say which variable to set and let the caller
 * skip. Absent in CI: fail, because CI must always run the real-data suite.
 */
export function fixturesPresent(): boolean {
  const need = ['opencart-3.sql', 'opencart-4.sql', 'orders-3.json', 'orders-4.json'].map((f) =>
    path.join(fixturesDir, f),
  );
  const missing = need.filter((f) => !existsSync(f));
  if (missing.length === 0) return true;
  const msg = `OpenCart fixtures missing (${missing.join(', ')}): set OPENCART_FIXTURES_DIR to the folder with the real dumps`;
  if (process.env.CI) throw new Error(`${msg}. CI must run the real-data suite.`);
  console.warn(`SKIPPED real-data suite: ${msg}`);
  return false;
}

async function admin<T>(
  work: (q: (sql: string, params?: unknown[]) => Promise<unknown>) => Promise<T>,
): Promise<T> {
  const u = new URL(serverUrl);
  const conn = await createConnection({
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    dateStrings: true,
  });
  try {
    return await work(async (sql, params) => (await conn.query(sql, params))[0]);
  } finally {
    await conn.end();
  }
}

/** Runs statements against a scratch database (test set-up only; never the adapter's path). */
export const sqlIn = <T = Record<string, unknown>[]>(
  database: string,
  sql: string,
  params?: unknown[],
): Promise<T> =>
  admin(async (q) => {
    await q(`USE \`${database}\``);
    return (await q(sql, params)) as T;
  });

export async function dropScratch(database: string): Promise<void> {
  if (!database.startsWith('ocx_t_store_'))
    throw new Error(`refusing to drop ${database}: not a scratch database`);
  await admin((q) => q(`DROP DATABASE IF EXISTS \`${database}\``));
}

export async function createEmptyScratch(database: string, statements: string[]): Promise<void> {
  await admin(async (q) => {
    await q(`CREATE DATABASE \`${database}\``);
    await q(`USE \`${database}\``);
    for (const s of statements) await q(s);
  });
}

/** The ground truth files' shape (orders-3.json / orders-4.json). */
export interface GroundTruth {
  opencart_version: string;
  orders: Array<{
    order_id: number;
    store_id: number;
    customer_id: number;
    customer_group_id: number;
    email: string;
    currency_code: string;
    currency_value: string;
    order_status: string;
    status_path: string[];
    payment: { method?: string; name?: string; code: string } | null;
    shipping: { method?: string; name?: string; code: string } | null;
    total: string;
    order_total: Array<{ code: string; title: string; value: string }>;
    returns: Array<{
      return_id: string;
      product_id: string;
      quantity: string;
      action: string;
      status: string;
    }>;
    lines: Array<{
      product_id: number;
      name: string;
      quantity: number;
      price: string;
      total: string;
      tax_per_unit: string;
    }>;
  }>;
}

/** host:port of the test server, as the adapter's messages print it. */
export const serverHostPort = (): string => {
  const u = new URL(serverUrl);
  return `${u.hostname}:${u.port || 3306}`;
};
