/**
 * Acceptance on the REAL OpenCart 3.0.5.0 and 4.1.0.3 databases (issue 11 §4, §5):
 * - `oc-xero sync --dry-run` on a new connector database previews, through the same code as the
 *   real run, exactly what the real run then writes (counts, invoices with Xero's totals), and
 *   writes nothing to Xero;
 * - on an organisation whose Xero plan has no multi-currency, foreign-currency orders are booked in
 *   the base currency at the order's rate, to the cent, with the original amount in the Reference.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expectedOrderCents, xeroCents } from '@oc-xero/sample-store';
import type { RunningSandbox } from '@oc-xero/xero-sandbox';
import { runSync } from '../../src/cli/sync.command';
import type { CliSyncSummary } from '../../src/cli/sync-summary.formatter';
import {
  acceptanceSettings,
  cliEnv,
  dropDatabases,
  invoicesByNumber,
  MAPPED_METHODS,
  methodCode,
  openContext,
  orgState,
  paymentsOf,
  requireShared,
  scratchName,
  sql,
  startCheckedSandbox,
} from './support/acceptance.harness';
import { runCli } from './support/cli.process';
import { loadDumpStore } from './support/dump.fixture';
import type { SampleStore } from './support/sample-store.fixture';

jest.setTimeout(300_000);

const available = requireShared('fixtures');
const describeIf = available ? describe : describe.skip;

/** Calls that change something in Xero (PUT/POST/DELETE on the accounting API), from the sandbox's counters. */
const xeroWrites = (sandbox: RunningSandbox): number =>
  Object.entries(sandbox.counters())
    .filter(([k]) => /^(PUT|POST|DELETE) /.test(k) && !/connect|token|connections/i.test(k))
    .reduce((n, [, v]) => n + v, 0);

/** OpenCart's currency values (per one unit of the store's default currency) and its default currency. */
async function storeCurrencies(dump: SampleStore): Promise<{ defaultCode: string; values: Map<string, string> }> {
  const conn = await sql(dump.database);
  try {
    const [rows] = await conn.query(`SELECT code, value FROM \`${dump.prefix}currency\``);
    const [setting] = await conn.query(
      `SELECT value FROM \`${dump.prefix}setting\` WHERE \`key\` = 'config_currency' AND store_id = 0`,
    );
    return {
      defaultCode: String((setting as Array<{ value: string }>)[0]!.value),
      values: new Map((rows as Array<{ code: string; value: string }>).map((r) => [r.code, String(r.value)])),
    };
  } finally {
    await conn.end();
  }
}

describeIf.each([
  { version: '3' as const, prefix: 'shop3_' },
  { version: '4' as const, prefix: 'oc_' },
])('real OpenCart $version dump: dry run and currencies (prefix $prefix)', ({ version, prefix }) => {
  const store = scratchName(`dcur${version}`);
  const connectors: string[] = [];
  let dump!: SampleStore;

  beforeAll(async () => {
    dump = await loadDumpStore(store, version, prefix);
  });
  afterAll(async () => {
    await dropDatabases([store, ...connectors]);
  });

  it('a dry run on a new connector database plans exactly what the real run then creates, and writes nothing to Xero', async () => {
    const sandbox = await startCheckedSandbox();
    const connector = scratchName(`ddry${version}`);
    connectors.push(connector);
    try {
      const settings = { status: true, invoiceStatus: 'AUTHORISED', exportCustomers: true, paymentAccountCodes: { cod: '090', bank_transfer: '090' } };
      const dir = mkdtempSync(path.join(tmpdir(), 'ocx-dry-'));
      const file = path.join(dir, 'settings.json');
      writeFileSync(file, JSON.stringify(settings));
      const env = cliEnv({ store, connector, prefix, sandboxUrl: sandbox.url });

      const writesBefore = xeroWrites(sandbox);
      const dryJson = await runCli(['sync', '--all', '--dry-run', '--json', '--settings', file], env);
      expect({ code: dryJson.code, stderr: dryJson.stderr }).toEqual({ code: 0, stderr: '' });
      const dry = JSON.parse(dryJson.stdout) as CliSyncSummary;
      const dryText = await runCli(['sync', '--all', '--dry-run', '--no-progress', '--settings', file], env);
      expect(dryText.code).toBe(0);
      // Nothing was written to Xero (only lookups), nor to the ledger (the real run below creates everything).
      expect(xeroWrites(sandbox)).toBe(writesBefore);
      expect(orgState(sandbox).Invoices).toHaveLength(0);
      expect(orgState(sandbox).Contacts).toHaveLength(0);

      const ctx = await openContext(env);
      let real;
      try {
        real = await runSync(ctx, { all: true, settings: acceptanceSettings() });
      } finally {
        await ctx.close();
      }
      const state = orgState(sandbox);
      const invoices = invoicesByNumber(state);
      const planned = dry.planned ?? [];
      const invoiceCreates = planned.filter((w) => w.entityType === 'invoice' && w.action === 'create');
      const paymentCreates = planned.filter((w) => w.entityType === 'payment' && w.action === 'create');
      console.log(
        `OpenCart ${version} dry run: ${dry.orders.exported} orders would be exported, ${invoiceCreates.length} invoices, ${paymentCreates.length} payments, ${dry.created.contacts} contacts planned in ${dry.xero.calls} Xero calls (reads only); the real run created ${real.summary.created.invoices} invoices, ${real.summary.created.payments} payments, ${real.summary.created.contacts} contacts. Plan counts: ${JSON.stringify(dry.plannedCounts)}`,
      );
      expect(dry.status).toBe('completed');
      expect(dry.dryRun).toBe(true);
      expect(real.summary.failures).toEqual([]);
      expect(real.summary.created.invoices).toBeGreaterThan(20);
      // The counts of the dry run are the real run's.
      expect(dry.orders).toEqual(real.summary.orders);
      expect(dry.created).toEqual(real.summary.created);
      expect(dry.adopted).toEqual(real.summary.adopted);
      expect(dry.failures).toEqual(real.summary.failures);
      // Its plan is what Xero then holds: every planned invoice, with Xero's own total, and every payment.
      expect(invoiceCreates).toHaveLength(invoices.size);
      expect(paymentCreates).toHaveLength(state.Payments.length);
      for (const w of invoiceCreates) {
        const inv = invoices.get(w.number!);
        expect({ number: w.number, total: w.total, currency: w.currency }).toEqual({
          number: w.number,
          total: Number(inv?.Total).toFixed(2),
          currency: inv?.CurrencyCode,
        });
      }
      // The text preview names each order's invoice with Xero's total, and the plan's counts.
      const first = invoiceCreates[0]!;
      expect(dryText.stdout).toContain(`order ${first.orderId}: would create invoice ${first.number} ${first.total} ${first.currency} (Xero's total)`);
      expect(dryText.stdout.match(/would create invoice /g)).toHaveLength(invoiceCreates.length);
      expect(dryText.stdout).toContain(`invoice create ${invoiceCreates.length}`);
      expect(dryText.stdout).toMatch(/Dry run \(nothing written\) completed/);
      expect(sandbox.violations()).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it('a standard-plan organisation: foreign orders are booked in its base currency, total = round(order total × rate) to the cent, the original amount in the Reference', async () => {
    const sandbox = await startCheckedSandbox({ plan: 'standard' });
    const connector = scratchName(`dstd${version}`);
    connectors.push(connector);
    try {
      const settings = acceptanceSettings();
      expect(settings.foreignCurrencyInvoices).toBe('auto');
      const ctx = await openContext(cliEnv({ store, connector, prefix, sandboxUrl: sandbox.url }));
      let first;
      try {
        first = await runSync(ctx, { orders: true, settings });
      } finally {
        await ctx.close();
      }
      const state = orgState(sandbox);
      const invoices = invoicesByNumber(state);
      const { defaultCode, values } = await storeCurrencies(dump);
      const base = 'GBP';
      // OpenCart stores amounts in its default currency; the base currency's value converts them.
      expect(values.get(defaultCode)).toMatch(/^1(\.0+)?$/);
      const baseRate = values.get(base)!;
      const exported = dump.truth.filter((o) => settings.exportStatuses.includes(o.status));
      const foreign = exported.filter((o) => o.currencyCode !== base);
      expect(foreign.length).toBeGreaterThan(10);
      expect(new Set(foreign.map((o) => o.currencyCode))).toEqual(new Set(['USD', 'EUR']));

      expect(first.summary.status).toBe('completed');
      expect(first.summary.failures).toEqual([]);
      expect(first.summary.orders.exported).toBe(exported.length);
      let worst = 0n;
      for (const o of exported) {
        const inv = invoices.get(`OC-${o.orderId}`);
        expect({ order: o.orderId, currency: inv?.CurrencyCode }).toEqual({ order: o.orderId, currency: base });
        const want = expectedOrderCents({ total: o.total, currencyValue: o.currencyCode === base ? o.currencyValue : baseRate });
        const diff = xeroCents(Number(inv!.Total)) - want;
        if ((diff < 0n ? -diff : diff) > worst) worst = diff < 0n ? -diff : diff;
        expect({ order: o.orderId, cents: xeroCents(Number(inv!.Total)) }).toEqual({ order: o.orderId, cents: want });
        if (o.currencyCode !== base) {
          const original = expectedOrderCents(o);
          const text = `${o.currencyCode} ${original / 100n}.${String(original % 100n).padStart(2, '0')}`;
          expect({ order: o.orderId, reference: String(inv!.Reference) }).toEqual({
            order: o.orderId,
            reference: expect.stringContaining(`(${text}, booked in ${base} at `),
          });
        }
        // Paid orders of mapped methods are paid in full, in the base currency.
        const pays = paymentsOf(state, String(inv!.InvoiceID));
        if (pays.length) {
          expect(MAPPED_METHODS.has(methodCode(o.paymentCode))).toBe(true);
          expect(xeroCents(Number(pays[0]!.Amount))).toBe(xeroCents(Number(inv!.Total)));
        }
      }
      console.log(
        `OpenCart ${version} on a standard plan: ${exported.length} invoices in ${base} (${foreign.length} from USD/EUR orders), worst total difference ${(Number(worst) / 100).toFixed(2)}, ${state.Payments.length} payments, 0 failures`,
      );
      expect(worst).toBe(0n);
      expect(sandbox.violations()).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });
});
