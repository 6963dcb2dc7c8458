/**
 * Acceptance on the sample store (always runs, no ../shared needed): a full sync through the CLI's
 * composition into a sandbox over HTTP, judged order by order with Xero's own arithmetic; a second
 * run creates nothing; orders reaching a remove status are voided (approved) or deleted (draft),
 * our payments removed first; refunded orders get a credit note allocated to their invoice.
 */
import type { RunningSandbox } from '@oc-xero/xero-sandbox';
import { runSync } from '../../src/cli/sync.command';
import {
  acceptanceSettings,
  cliEnv,
  dropDatabases,
  invoicesByNumber,
  MAPPED_METHODS,
  openContext,
  orgState,
  scratchName,
  snapshot,
  startCheckedSandbox,
} from './support/acceptance.harness';
import { checkAgainstTruth } from './support/ground-truth.check';
import { removeAndRefundScenario } from './support/remove-refund.scenario';
import { buildStore, setStatus, type SampleStore } from './support/sample-store.fixture';

jest.setTimeout(180_000);

describe.each([
  { version: '4' as const, prefix: 'oc_' },
  { version: '3' as const, prefix: 'kc_' },
])('sample OpenCart $version store (prefix $prefix)', ({ version, prefix }) => {
  const storeDb = scratchName(`sample${version}`);
  const connector = scratchName(`sconn${version}`);
  const draftConnector = scratchName(`sdraft${version}`);
  let store: SampleStore;
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    store = await buildStore(storeDb, { version, prefix, orders: 160 });
    sandbox = await startCheckedSandbox();
  });
  afterAll(async () => {
    await sandbox?.close();
    await dropDatabases([storeDb, connector, draftConnector]);
  });

  const settings = acceptanceSettings();
  const env = () => cliEnv({ store: storeDb, connector, prefix, sandboxUrl: sandbox.url });

  it('invoices every exported order to the cent with payments where mapped; a second run creates nothing', async () => {
    const ctx = await openContext(env());
    try {
      const first = await runSync(ctx, { all: true, settings });
      const picture = snapshot(orgState(sandbox));
      const second = await runSync(ctx, { all: true, settings });
      expect(snapshot(orgState(sandbox))).toEqual(picture);

      const report = checkAgainstTruth(orgState(sandbox), store.truth, {
        exportStatuses: settings.exportStatuses,
        paidStatuses: settings.paidStatuses,
        paidStatusesByPaymentMethod: settings.paidStatusesByPaymentMethod,
        mappedMethods: MAPPED_METHODS,
        invoiceNumber: (id) => `OC-${id}`,
      });
      console.log(
        `sample ${version}: ${report.checked} invoices; worst total difference ${(report.worstTotalCents / 100).toFixed(2)}, worst tax difference ${(report.worstTaxCents / 100).toFixed(2)}, rounding lines ${report.roundingLines}; ${report.paid} paid, ${report.unpaid} unpaid; ${first.summary.xero.calls} calls (${first.summary.xero.callsPerOrder}/order)`,
      );
      expect(first.summary.status).toBe('completed');
      expect(first.summary.failures).toEqual([]);
      expect(report.problems).toEqual([]);
      const exportable = store.truth.filter((o) => settings.exportStatuses.includes(o.status));
      expect(report.checked).toBe(exportable.length);
      expect(report.checked).toBeGreaterThan(60);
      // EUR and GBP orders are in the set, so conversion is exercised.
      expect(new Set(exportable.map((o) => o.currencyCode))).toEqual(new Set(['USD', 'EUR', 'GBP']));
      expect(report.paid).toBeGreaterThan(10);
      expect(report.unpaid).toBeGreaterThan(5);
      expect(first.summary.created.invoices).toBe(report.checked);
      expect(first.summary.created.contacts).toBeGreaterThan(10);
      expect(second.summary.status).toBe('completed');
      expect(second.summary.created).toEqual({
        invoices: 0,
        payments: 0,
        contacts: 0,
        items: 0,
        creditNotes: 0,
        refunds: 0,
      });
      expect(sandbox.violations()).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('cancelled and refunded orders are booked as an accountant would: unpaid invoices voided or credited, paid ones (a reconciled one too) credited and paid back, no payment deleted', async () => {
    await removeAndRefundScenario(store, sandbox, env(), settings);
  });

  it('deletes draft invoices of orders that reach a remove status', async () => {
    const draftSandbox = await startCheckedSandbox();
    const drafts = acceptanceSettings({ invoiceStatus: 'DRAFT' });
    const ctx = await openContext(
      cliEnv({ store: storeDb, connector: draftConnector, prefix, sandboxUrl: draftSandbox.url }),
    );
    try {
      const first = await runSync(ctx, { orders: true, settings: drafts });
      expect(first.summary.status).toBe('completed');
      expect(first.summary.created.payments).toBe(0);
      const live = [...invoicesByNumber(orgState(draftSandbox)).values()].filter((i) => i.Status === 'DRAFT');
      expect(live.length).toBeGreaterThan(60);
      const ids = live.slice(0, 2).map((i) => Number(String(i.InvoiceNumber).slice(3)));
      await setStatus(store, ids, 'Reversed');
      const second = await runSync(ctx, { orders: true, settings: drafts });
      expect(second.summary.orders.removed).toBe(2);
      const after = invoicesByNumber(orgState(draftSandbox));
      for (const id of ids) expect(after.get(`OC-${id}`)!.Status).toBe('DELETED');
      expect(draftSandbox.violations()).toEqual([]);
    } finally {
      await ctx.close();
      await draftSandbox.close();
    }
  });
});
