/**
 * Acceptance on the REAL OpenCart 3.0.5.0 and 4.1.0.3 databases (OPENCART_FIXTURES_DIR): a full
 * sync through the CLI's composition into a sandbox over HTTP, judged against orders-*.json with
 * Xero's own arithmetic; then a second run must create nothing.
 */
import type { RunningSandbox } from '@oc-xero/xero-sandbox';
import { runSync } from '../../src/cli/sync.command';
import {
  acceptanceSettings,
  cliEnv,
  dropDatabases,
  MAPPED_METHODS,
  openContext,
  orgState,
  requireShared,
  scratchName,
  snapshot,
  startCheckedSandbox,
} from './support/acceptance.harness';
import { loadDumpStore } from './support/dump.fixture';
import { checkAgainstTruth } from './support/ground-truth.check';
import { removeAndRefundScenario } from './support/remove-refund.scenario';
import type { SampleStore } from './support/sample-store.fixture';

jest.setTimeout(180_000);

const available = requireShared('fixtures');
const describeIf = available ? describe : describe.skip;

// 3.x under a non-default table prefix: a store's DB_PREFIX is its own choice.
describeIf.each([
  { version: '3' as const, prefix: 'shop3_' },
  { version: '4' as const, prefix: 'oc_' },
])('real OpenCart $version dump (prefix $prefix)', ({ version, prefix }) => {
  const store = scratchName(`dump${version}`);
  const connector = scratchName(`conn${version}`);
  let sandbox: RunningSandbox;
  let dump!: SampleStore;

  beforeAll(async () => {
    dump = await loadDumpStore(store, version, prefix);
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
    const truth = dump.truth;
    const exportStatuses = settings.exportStatuses;
    const report = checkAgainstTruth(orgState(sandbox), truth, {
      exportStatuses,
      paidStatuses: settings.paidStatuses,
      paidStatusesByPaymentMethod: settings.paidStatusesByPaymentMethod,
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
      refunds: 0,
    });
    expect(second.summary.adopted).toEqual({ invoices: 0, payments: 0, contacts: 0, creditNotes: 0 });
    expect(sandbox.violations()).toEqual([]);
  });

  it('cancelled and refunded orders are booked as an accountant would: unpaid invoices voided or credited, paid ones (a reconciled one too) credited and paid back, no payment deleted', async () => {
    await removeAndRefundScenario(
      dump,
      sandbox,
      cliEnv({ store, connector, prefix, sandboxUrl: sandbox.url }),
      acceptanceSettings(),
    );
  });
});
