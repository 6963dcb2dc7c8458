/**
 * Acceptance on the REAL OpenCart 3.0.5.0 and 4.1.0.3 databases (OPENCART_FIXTURES_DIR): a full
 * sync through the CLI's composition into a sandbox over HTTP, judged against orders-*.json with
 * Xero's own arithmetic; then a second run must create nothing.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadOpenCartDump } from '@oc-xero/opencart-db';
import type { RunningSandbox } from '@oc-xero/xero-sandbox';
import { runSync } from '../../src/cli/sync.command';
import {
  acceptanceSettings,
  cliEnv,
  dropDatabases,
  fixturesDir,
  MAPPED_METHODS,
  openContext,
  orgState,
  requireShared,
  scratchName,
  serverUrl,
  snapshot,
  sql,
  startCheckedSandbox,
} from './support/acceptance.harness';
import { checkAgainstTruth, type TruthOrder } from './support/ground-truth.check';

jest.setTimeout(180_000);

const available = requireShared('fixtures');
const describeIf = available ? describe : describe.skip;

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
async function fixedTaxNames(database: string, prefix: string): Promise<string[]> {
  const conn = await sql(database);
  try {
    const [rows] = await conn.query(`SELECT name FROM \`${prefix}tax_rate\` WHERE type = 'F'`);
    return (rows as Array<{ name: string }>).map((r) => r.name);
  } finally {
    await conn.end();
  }
}

function truthOf(version: '3' | '4', fixedTaxes: string[]): TruthOrder[] {
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

// 3.x under a non-default table prefix: a store's DB_PREFIX is its own choice.
describeIf.each([
  { version: '3' as const, prefix: 'shop3_' },
  { version: '4' as const, prefix: 'oc_' },
])('real OpenCart $version dump (prefix $prefix)', ({ version, prefix }) => {
  const store = scratchName(`dump${version}`);
  const connector = scratchName(`conn${version}`);
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    await loadOpenCartDump({
      serverUrl,
      database: store,
      file: path.join(fixturesDir(), `opencart-${version}.sql`),
      prefix,
    });
    sandbox = await startCheckedSandbox();
  });
  afterAll(async () => {
    await sandbox?.close();
    await dropDatabases([store, connector]);
  });

  it('invoices every exported order to the cent, pays the mapped methods, and a second run creates nothing', async () => {
    const settings = acceptanceSettings();
    const ctx = await openContext(cliEnv({ store, connector, prefix, sandboxUrl: sandbox.url }));
    let first;
    let second;
    try {
      first = await runSync(ctx, { all: true, settings });
      const afterFirst = snapshot(orgState(sandbox));
      second = await runSync(ctx, { all: true, settings });
      expect(snapshot(orgState(sandbox))).toEqual(afterFirst);
    } finally {
      await ctx.close();
    }
    const fixed = await fixedTaxNames(store, prefix);
    expect(fixed.length).toBeGreaterThan(0);
    const truth = truthOf(version, fixed);
    const exportStatuses = settings.exportStatuses;
    const report = checkAgainstTruth(orgState(sandbox), truth, {
      exportStatuses,
      paidStatuses: settings.paidStatuses,
      mappedMethods: MAPPED_METHODS,
      invoiceNumber: (id) => `OC-${id}`,
    });
    console.log(
      `OpenCart ${version}: ${report.checked} invoices checked against orders-${version}.json; worst total difference ${(report.worstTotalCents / 100).toFixed(2)}, worst tax difference ${(report.worstTaxCents / 100).toFixed(2)}, rounding lines ${report.roundingLines}; ${report.paid} paid, ${report.unpaid} left unpaid; ${first.summary.xero.calls} Xero calls (${first.summary.xero.callsPerOrder}/order); second run ${second.summary.xero.calls} calls`,
    );
    expect(first.summary.status).toBe('completed');
    expect(first.summary.failures).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(report.checked).toBe(truth.filter((o) => exportStatuses.includes(o.status)).length);
    expect(report.checked).toBeGreaterThan(20);
    // Both sides of the payment rule are exercised: mapped methods paid, cheque/free checkout not.
    expect(report.paid).toBeGreaterThan(10);
    expect(report.unpaid).toBeGreaterThan(5);
    expect(first.summary.orders.exported).toBe(report.checked);
    // The second run: nothing created, nothing changed.
    expect(second.summary.status).toBe('completed');
    expect(second.summary.created).toEqual({
      invoices: 0,
      payments: 0,
      contacts: 0,
      items: 0,
      creditNotes: 0,
    });
    expect(second.summary.adopted).toEqual({ invoices: 0, payments: 0, contacts: 0, creditNotes: 0 });
    expect(sandbox.violations()).toEqual([]);
  });
});
