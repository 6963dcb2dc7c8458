import { emptyCounts, type SyncSummary } from '@oc-xero/sync-core';
import { checkDate, exitCodeOf, kindsOf, mergeSummaries } from './sync.command';
import { formatSummaryText, toCliSummary } from './sync-summary.formatter';

const summary = (over: Partial<SyncSummary>): SyncSummary => ({
  ...emptyCounts(),
  runId: 'r1',
  kind: 'orders',
  status: 'completed',
  error: null,
  dryRun: false,
  parts: [],
  xeroCalls: 0,
  xeroCallsByEndpoint: {},
  xeroCallsPerOrder: 0,
  durationMs: 10,
  ...over,
});

describe('sync command', () => {
  it('runs all parts unless some are named, in the runner order', () => {
    expect(kindsOf({})).toEqual(['all']);
    expect(kindsOf({ all: true, orders: true })).toEqual(['all']);
    expect(kindsOf({ stock: true, orders: true, customers: true })).toEqual(['customers', 'orders', 'stock']);
  });

  it('accepts real YYYY-MM-DD dates only', () => {
    expect(checkDate('--from', undefined)).toBeNull();
    expect(checkDate('--from', '2025-02-28')).toBeNull();
    expect(checkDate('--from', '2025-02-30')).toMatch(/--from must be a date as YYYY-MM-DD/);
    expect(checkDate('--to', '25-1-1')).toMatch(/--to must be/);
  });

  it('adds the runs of several parts into one summary; a stopped part makes the whole run stopped', () => {
    const merged = mergeSummaries([
      summary({
        runId: 'a',
        kind: 'customers',
        contactsCreated: 3,
        xeroCalls: 2,
        xeroCallsByEndpoint: { 'POST /Contacts': 2 },
        customersSeen: 3,
      }),
      summary({
        runId: 'b',
        ordersSeen: 10,
        ordersExported: 9,
        invoicesCreated: 9,
        xeroCalls: 3,
        xeroCallsByEndpoint: { 'PUT /Invoices': 1, 'POST /Contacts': 1 },
        failures: [{ entityType: 'order', entityId: '7', reason: 'bad' }],
        status: 'failed',
        error: 'Xero could not be reached',
      }),
    ]);
    expect(merged).toEqual(
      expect.objectContaining({
        runId: 'a,b',
        status: 'failed',
        error: 'Xero could not be reached',
        contactsCreated: 3,
        invoicesCreated: 9,
        xeroCalls: 5,
        xeroCallsByEndpoint: { 'POST /Contacts': 3, 'PUT /Invoices': 1 },
        xeroCallsPerOrder: 0.5,
        durationMs: 20,
      }),
    );
    const cli = toCliSummary(merged, [
      { entityType: 'order', entityId: '8', message: 'Order 8: email left off' },
    ]);
    expect(cli.failures).toEqual([{ orderId: 7, entityType: 'order', entityId: '7', reason: 'bad' }]);
    expect(cli.warnings).toEqual([
      { orderId: 8, entityType: 'order', entityId: '8', message: 'Order 8: email left off' },
    ]);
    expect(exitCodeOf(cli)).toBe(1);
    expect(
      exitCodeOf(toCliSummary(summary({ failures: [{ entityType: 'order', entityId: '1', reason: 'x' }] }))),
    ).toBe(0);
    const text = formatSummaryText(cli);
    expect(text).toMatch(/Sync failed: Xero could not be reached/);
    expect(text).toMatch(/- order 7: bad/);
    expect(text).toMatch(/Order 8: email left off/);
  });

  it('a dry run prints what it would write per order, the planned counts, and carries the plan in --json', () => {
    const planned = [
      { action: 'create', entityType: 'contact', key: 'customer:7', number: 'OC-C7' },
      { action: 'create', entityType: 'invoice', key: 'order:42', number: 'INV-0042', orderId: 42, total: '123.45', currency: 'USD' },
      { action: 'create', entityType: 'payment', key: 'order:42', orderId: 42, total: '123.45', currency: 'USD' },
      { action: 'adopt', entityType: 'invoice', key: 'order:43', number: 'INV-0043', orderId: 43, total: '9.00', currency: 'USD' },
      { action: 'remove', entityType: 'removal', key: 'order:44', number: 'INV-0044', orderId: 44, total: '5.00', detail: 'VOIDED' },
    ] satisfies SyncSummary['planned'];
    const merged = mergeSummaries([
      summary({ runId: 'a', kind: 'customers', dryRun: true, planned: planned.slice(0, 1), contactsCreated: 1 }),
      summary({ runId: 'b', dryRun: true, planned: planned.slice(1), invoicesCreated: 1, invoicesAdopted: 1, paymentsCreated: 1 }),
    ]);
    const cli = toCliSummary(merged);
    expect(cli.planned).toEqual(planned);
    expect(cli.plannedCounts).toEqual({ 'contact create': 1, 'invoice adopt': 1, 'invoice create': 1, 'payment create': 1, 'removal remove': 1 });
    expect(JSON.parse(JSON.stringify(cli)).planned).toHaveLength(5);
    const text = formatSummaryText(cli);
    expect(text).toContain("order 42: would create invoice INV-0042 123.45 USD (Xero's total)");
    expect(text).toContain('order 42: would create payment 123.45 USD');
    expect(text).toContain('order 43: would adopt invoice INV-0043 already in Xero 9.00 USD');
    expect(text).toContain('order 44: would void invoice INV-0044 5.00');
    expect(text).toContain('planned:      contact create 1, invoice adopt 1, invoice create 1, payment create 1, removal remove 1');
    expect(text).toMatch(/Dry run \(nothing written\) completed/);
    // A real run carries no plan.
    expect(toCliSummary(summary({})).planned).toBeUndefined();
  });
});
