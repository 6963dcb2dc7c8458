/**
 * `oc-xero-demo` (`npm run demo`): a sample OpenCart 4 store in a database of its own on the local
 * MariaDB (or a real dump when OPENCART_FIXTURES_DIR holds one), a Xero sandbox (UK organisation),
 * one full sync with a progress bar, a summary with the cent check, and the result left to look
 * at: the sandbox keeps answering on the printed URL (unless --exit / DEMO_EXIT=1) and its state
 * is saved to .demo/sandbox-state.json.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadOpenCartDump } from '@oc-xero/opencart-db';
import { invoiceNumberFor, parseSettings, type Settings } from '@oc-xero/sync-core';
import { startSandbox, type RunningSandbox } from '@oc-xero/xero-sandbox';
import { createConnection } from 'mysql2/promise';
import {
  createCliLogger,
  formatSummaryText,
  loadConfig,
  mergeSummaries,
  openSyncContext,
  runSync,
  toCliSummary,
  type CliSyncSummary,
  type SyncContext,
} from '@oc-xero/api';
import { buildSampleStore, checkInvoiceTotals, type InvoiceTotalFact } from '@oc-xero/sample-store';

export const DEMO_STORE_DATABASE = 'oc_xero_demo_store';
export const DEMO_CONNECTOR_DATABASE = 'oc_xero_demo_connector';

/** Repository root, from src/cli or dist/cli alike. */
export const repoRoot = path.resolve(__dirname, '../../..');

export interface DemoOptions {
  /** Database of the demo store (DEMO_STORE_DB, default oc_xero_demo_store); dropped and rebuilt. */
  storeDatabase: string;
  /** The connector's database for the demo (DEMO_CONNECTOR_DB, default oc_xero_demo_connector); dropped and rebuilt. */
  connectorDatabase: string;
  /** MySQL server (no database), default mysql://root@127.0.0.1:3306 or DEMO_DB_URL. */
  serverUrl: string;
  /** Sandbox port; 0 = any free port. */
  port: number;
  /** Orders in the sample store. */
  orders: number;
  /** Stop the sandbox after the summary. */
  exit: boolean;
  /** Where sandbox-state.json goes. */
  stateDir: string;
  /** A folder holding opencart-4.sql; undefined = build the sample store. */
  fixturesDir?: string;
  /** Where Xero's OpenAPI spec is (for request validation); undefined = no validation. */
  specDir?: string;
  /** Progress bar on stderr. */
  progress: boolean;
  /** Text output goes here. */
  out: (line: string) => void;
}

/** Settings of the demo: approved invoices, payments to the bank account, items exported. */
export function demoSettings(): Settings {
  const parsed = parseSettings({
    status: true,
    invoiceStatus: 'AUTHORISED',
    exportCustomers: true,
    exportItems: true,
    paymentAccountCodes: { cod: '090', bank_transfer: '090', cheque: '090' },
    defaultPaymentAccountCode: '090',
  });
  if (!parsed.ok)
    throw new Error(
      `demo settings are invalid: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    );
  return parsed.settings;
}

export const withDatabase = (serverUrl: string, database: string): string => {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
};

async function recreateDatabase(serverUrl: string, database: string): Promise<void> {
  const conn = await createConnection({ uri: withDatabase(serverUrl, ''), connectTimeout: 10_000 });
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await conn.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
}

export interface DemoResult {
  summary: CliSyncSummary;
  sandbox: RunningSandbox;
  worstCentDifference: string;
  stateFile: string;
  source: string;
}

/** Runs the demo; the caller closes result.sandbox (or leaves it answering). */
export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const log = o.out;
  let source: string;
  const dump = o.fixturesDir ? path.join(o.fixturesDir, 'opencart-4.sql') : undefined;
  if (dump && existsSync(dump)) {
    log(`Loading the real OpenCart 4 dump ${dump} into ${o.storeDatabase}…`);
    await loadOpenCartDump({ serverUrl: o.serverUrl, database: o.storeDatabase, file: dump, replace: true });
    source = `OpenCart 4 dump (${dump})`;
  } else {
    if (dump) log(`No opencart-4.sql in ${o.fixturesDir}: building the sample store instead.`);
    log(`Building a sample OpenCart 4 store with ${o.orders} orders in ${o.storeDatabase}…`);
    const built = await buildSampleStore({
      serverUrl: o.serverUrl,
      database: o.storeDatabase,
      version: '4',
      orders: o.orders,
      seed: 1,
      force: true,
    });
    source = `sample OpenCart 4 store (${built.orders.length} orders, built in ${(built.durationMs / 1000).toFixed(1)} s)`;
  }
  // A fresh ledger each time, so the demo always shows a first full sync.
  await recreateDatabase(o.serverUrl, o.connectorDatabase);

  const sandbox = await startSandbox({
    port: o.port,
    seed: 'uk',
    spec: o.specDir ? { dir: o.specDir, mode: 'record' } : undefined,
  });
  const config = loadConfig({
    OPENCART_DB_URL: withDatabase(o.serverUrl, o.storeDatabase),
    CONNECTOR_DB_URL: withDatabase(o.serverUrl, o.connectorDatabase),
    XERO_SANDBOX_URL: sandbox.url,
    CONNECTOR_SCOPE: 'demo',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
  });
  try {
    const ctx = await openSyncContext(config, { logger: createCliLogger(config.logLevel) });
    try {
      log(
        `Xero sandbox on ${sandbox.url}, organisation "${ctx.tenant.tenantName}". Syncing items, customers, orders, payments, removals and refunds…`,
      );
      const settings = demoSettings();
      const ids = await allOrderIds(o.serverUrl, o.storeDatabase);
      const first = await runSync(ctx, {
        all: true,
        settings,
        progress: o.progress,
        expectedOrders: ids.length,
      });
      // After the sale: some invoiced orders are cancelled or refunded in the store, and the next
      // sync voids/deletes the unpaid invoices and credits the rest (a paid one's credit note is paid
      // back out of the account the money came in; no payment is deleted).
      const changed = await afterSaleChanges(
        o.serverUrl,
        o.storeDatabase,
        first.raw.ordersExported > 0 ? await exportedOrderIds(ctx) : [],
      );
      if (changed.length)
        log(
          `After the first sync the store moved on: ${changed.map((c) => `order ${c.orderId} → ${c.status}`).join(', ')}. Syncing again…`,
        );
      const second = changed.length
        ? await runSync(ctx, { orders: true, settings, progress: o.progress })
        : null;
      const summary = second
        ? toCliSummary(mergeSummaries([first.raw, second.raw]), [...first.warnings, ...second.warnings])
        : first.summary;

      const state = sandbox.state() as {
        organisations: Array<{ tenantId: string; Invoices: InvoiceTotalFact[] }>;
      };
      const org =
        state.organisations.find((g) => g.tenantId === ctx.tenant.tenantId) ?? state.organisations[0]!;
      const exportedIds = org.Invoices.map((i) => /^OC-(\d+)$/.exec(i.InvoiceNumber)?.[1])
        .filter((x): x is string => Boolean(x))
        .map(Number);
      const orders = await ctx.openCart.reader.getOrders(exportedIds);
      const check = checkInvoiceTotals(orders, org.Invoices, (id) =>
        invoiceNumberFor(
          orders.find((x) => x.orderId === id)!,
          settings,
        ),
      );
      const exported = summary.orders.exported || 1;
      const extra = [
        `  per order:    ${(summary.xero.calls / exported).toFixed(3)} Xero calls per exported order`,
        `  cent check:   ${check.compared} live invoices compared with OpenCart's totals; worst difference ${check.worstAbs}${check.worst && check.worstAbs !== '0.00' ? ` (order ${check.worst.orderId}: Xero ${check.worst.xero}, OpenCart ${check.worst.expected})` : ''}`,
      ];
      if (o.specDir)
        extra.push(
          `  Xero spec:    ${sandbox.violations().length} violations of Xero's OpenAPI spec in the requests and answers`,
        );
      mkdirSync(o.stateDir, { recursive: true });
      const stateFile = path.join(o.stateDir, 'sandbox-state.json');
      writeFileSync(stateFile, JSON.stringify(sandbox.state(), null, 2));
      log('');
      log(`Store: ${source}`);
      log(formatSummaryText(summary, extra));
      log('');
      log(`Sandbox state saved to ${path.relative(process.cwd(), stateFile) || stateFile}`);
      return { summary, sandbox, worstCentDifference: check.worstAbs, stateFile, source };
    } finally {
      await ctx.close();
    }
  } catch (e) {
    await sandbox.close();
    throw e;
  }
}

async function exportedOrderIds(ctx: SyncContext): Promise<number[]> {
  const rows = await ctx.store.listLedger(ctx.config.scope, {
    entityType: 'invoice',
    status: 'done',
    limit: 500,
  });
  return rows
    .map((r) => Number(/^order:(\d+)$/.exec(r.entityKey)?.[1]))
    .filter((n) => Number.isInteger(n) && n > 0);
}

/**
 * Moves a few exported orders to Canceled, Voided and Refunded the way OpenCart's admin does (status,
 * history row, date_modified). The time is set two seconds back so this very next run sees them
 * (a run reads orders changed up to one second before it starts).
 */
async function afterSaleChanges(
  serverUrl: string,
  database: string,
  exported: number[],
): Promise<Array<{ orderId: number; status: string }>> {
  if (exported.length < 6) return [];
  const conn = await createConnection({ uri: withDatabase(serverUrl, database) });
  try {
    const [statusRows] = await conn.query(
      'SELECT order_status_id AS id, name FROM `oc_order_status` WHERE language_id = (SELECT MIN(language_id) FROM `oc_order_status`)',
    );
    const idOf = new Map(
      (statusRows as Array<{ id: number; name: string }>).map((r) => [r.name, Number(r.id)]),
    );
    const plan: Array<{ orderId: number; status: string }> = [];
    const picks = [...exported].sort((a, b) => a - b);
    const step = Math.floor(picks.length / 6);
    const wanted = ['Canceled', 'Canceled', 'Voided', 'Refunded', 'Refunded', 'Refunded'];
    wanted.forEach((status, i) => {
      if (idOf.has(status)) plan.push({ orderId: picks[i * step]!, status });
    });
    // Stamped with the store's clock now, as OpenCart's admin does: a stamp in the past could fall
    // behind the `until` of the sync that just ran, and the next run would never see the change.
    const [nowRows] = await conn.query("SELECT DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s') AS now");
    const now = (nowRows as Array<{ now: string }>)[0]!.now;
    for (const p of plan) {
      const statusId = idOf.get(p.status)!;
      await conn.query('UPDATE `oc_order` SET order_status_id = ?, date_modified = ? WHERE order_id = ?', [
        statusId,
        now,
        p.orderId,
      ]);
      await conn.query(
        "INSERT INTO `oc_order_history` (order_id, order_status_id, notify, comment, date_added) VALUES (?, ?, 0, 'oc-xero demo', ?)",
        [p.orderId, statusId, now],
      );
    }
    // A run reads changes up to one second before it starts: let that second pass.
    for (;;) {
      const [rows] = await conn.query('SELECT NOW() >= ? + INTERVAL 2 SECOND AS passed', [now]);
      if (Number((rows as Array<{ passed: number | string }>)[0]!.passed) === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return plan;
  } finally {
    await conn.end();
  }
}

async function allOrderIds(serverUrl: string, database: string): Promise<number[]> {
  const conn = await createConnection({ uri: withDatabase(serverUrl, database) });
  try {
    const [rows] = await conn.query('SELECT order_id FROM `oc_order` WHERE order_status_id > 0');
    return (rows as Array<{ order_id: number }>).map((r) => Number(r.order_id));
  } finally {
    await conn.end();
  }
}

/** Where the demo finds Xero's spec and the real dumps (never required). */
export function demoDefaults(
  env: NodeJS.ProcessEnv = process.env,
): Pick<
  DemoOptions,
  'serverUrl' | 'specDir' | 'fixturesDir' | 'stateDir' | 'storeDatabase' | 'connectorDatabase'
> {
  const specDir = env.XERO_OPENAPI_DIR ?? path.resolve(repoRoot, '../shared/xero-openapi');
  return {
    serverUrl: env.DEMO_DB_URL ?? 'mysql://root@127.0.0.1:3306',
    storeDatabase: env.DEMO_STORE_DB || DEMO_STORE_DATABASE,
    connectorDatabase: env.DEMO_CONNECTOR_DB || DEMO_CONNECTOR_DATABASE,
    specDir: existsSync(path.join(specDir, 'xero_accounting.yaml')) ? specDir : undefined,
    // Only an explicit OPENCART_FIXTURES_DIR switches the demo to a real dump.
    fixturesDir: env.OPENCART_FIXTURES_DIR || undefined,
    stateDir: env.DEMO_STATE_DIR ?? path.join(repoRoot, '.demo'),
  };
}
