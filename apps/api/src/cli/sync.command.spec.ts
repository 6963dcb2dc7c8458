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
});
