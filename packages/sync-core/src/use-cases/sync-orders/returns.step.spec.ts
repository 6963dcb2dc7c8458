import Decimal from 'decimal.js';
import type { OcReturn } from '../../ports/opencart.port';
import { SyncOrdersUseCase, type SyncOrdersRun } from '.';
import { CollectingReporter, harness, SCOPE, testSettings, type Harness } from '../../testing/use-case-harness';

const run = (h: Harness, extra: Partial<SyncOrdersRun> = {}) =>
  new SyncOrdersUseCase({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger, clock: h.clock }).execute({
    runId: 'r1',
    scope: SCOPE,
    settings: testSettings(),
    reporter: new CollectingReporter(),
    ...extra,
  });

const aReturn = (over: Partial<OcReturn>): OcReturn => ({
  returnId: 1,
  orderId: 2,
  productId: 42,
  product: 'Product 42',
  model: 'M42',
  quantity: 2,
  action: 'Refunded',
  status: 'Complete',
  dateAdded: '2024-05-01 10:00:00',
  dateModified: '2024-05-01 10:00:00',
  ...over,
});

/** What OpenCart refunds for `qty` of the order's line of `productId`, in the order currency, to the cent. */
function openCartAmount(h: Harness, orderId: number, productId: number, qty: number): number {
  const order = h.oc.data.orders.find((o) => o.orderId === orderId)!;
  const line = order.lines.find((l) => l.productId === productId)!;
  return new Decimal(line.price).plus(line.taxPerUnit).times(qty).times(order.currencyValue).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
}

describe('SyncOrdersUseCase: returns (partial refunds)', () => {
  it('a Refunded, Complete return of 2 of 3 units: a credit note of exactly those units with their tax, paid back from the payment account; a rerun posts nothing', async () => {
    const h = harness(3);
    await run(h);
    const line = h.oc.data.orders[1]!.lines[0]!;
    expect(line).toMatchObject({ productId: 42, quantity: 3 });
    h.oc.data.returns.push(aReturn({}), aReturn({ returnId: 2, status: 'Pending' }), aReturn({ returnId: 3, action: 'Replacement Sent' }));
    const reporter = new CollectingReporter();
    const result = await run(h, { runId: 'r2', reporter });
    expect(result.counts.failures).toEqual([]);
    expect(result.counts).toMatchObject({ creditNotesCreated: 1, refundsCreated: 1, allocations: 0, paymentsDeleted: 0, ordersRefunded: 1 });
    const note = [...h.xero.creditNotes.values()][0]!;
    expect(note.CreditNoteNumber).toBe('OC-2-R1');
    expect(note.draft.LineItems).toHaveLength(1);
    expect(note.draft.LineItems[0]).toMatchObject({ Quantity: 2, AccountCode: '200', TaxType: 'OUTPUT2' });
    // The order line's unit price (moved at most within its rounding so Xero lands on OpenCart's cents).
    expect(Math.abs(note.draft.LineItems[0]!.UnitAmount - Number(line.price))).toBeLessThan(0.01);
    expect(note.Total).toBe(openCartAmount(h, 2, 42, 2));
    const snap = h.xero.snapshot();
    const payment = snap.payments.find((p) => p.invoice === 'OC-2')!;
    expect(snap.refunds).toEqual([{ creditNote: 'OC-2-R1', amount: note.Total, account: payment.account }]);
    expect(snap.invoices.find((i) => i.number === 'OC-2')).toMatchObject({ status: 'PAID', credited: 0 });
    expect(reporter.statusOf(2)).toContain('refunded');

    const writes = () => h.xero.callLog.filter((c) => /^(create|allocate|delete|set|save)/.test(c.method)).length;
    const lookups = () => h.xero.callLog.filter((c) => c.method === 'findCreditNotesByNumbers' || c.method === 'getInvoice').length;
    const [before, looked] = [writes(), lookups()];
    const again = await run(h, { runId: 'r3' });
    expect(again.counts).toMatchObject({ creditNotesCreated: 0, refundsCreated: 0 });
    // A settled return costs no Xero call at all.
    expect([writes(), lookups()]).toEqual([before, looked]);
  });

  it('store credit: the returned lines are credited into the store-credit liability account, not the bank', async () => {
    const h = harness(3);
    h.xero.accounts.push({ AccountID: 'acc-836', Code: '836', Name: 'Store Credit', Type: 'CURRLIAB', Status: 'ACTIVE', EnablePaymentsToAccount: true });
    const settings = testSettings({ storeCreditAccountCode: '836' });
    await run(h, { settings });
    h.oc.data.returns.push(aReturn({ quantity: 1, action: 'Credit Issued' }));
    const result = await run(h, { runId: 'r2', settings });
    expect(result.counts.failures).toEqual([]);
    const note = [...h.xero.creditNotes.values()][0]!;
    expect(note.Total).toBe(openCartAmount(h, 2, 42, 1));
    expect(h.xero.snapshot().refunds).toEqual([{ creditNote: 'OC-2-R1', amount: note.Total, account: '836' }]);
  });

  it('an unpaid invoice takes the return as an allocation; a return of more than was ordered fails alone with what to correct', async () => {
    const h = harness(3);
    const unpaid = testSettings({ paymentAccountCodes: {} });
    await run(h, { settings: unpaid });
    h.oc.data.returns.push(aReturn({}), aReturn({ returnId: 2, orderId: 3, productId: 43, quantity: 9 }));
    const result = await run(h, { runId: 'r2', settings: unpaid });
    expect(result.counts).toMatchObject({ creditNotesCreated: 1, allocations: 1, refundsCreated: 0 });
    expect(result.counts.failures).toEqual([{ entityType: 'order', entityId: '3', reason: expect.stringMatching(/return 2 .*returns 9 but the order line has \d; correct the return's quantity in OpenCart/) }]);
    const inv = h.xero.snapshot().invoices.find((i) => i.number === 'OC-2')!;
    expect(inv.credited).toBe(openCartAmount(h, 2, 42, 2));
  });

  it('a dry run previews the return credit note and writes nothing', async () => {
    const h = harness(3);
    await run(h);
    h.oc.data.returns.push(aReturn({}));
    const writes = h.store.writes;
    const dry = await run(h, { runId: 'r2', dryRun: true });
    expect(h.store.writes).toBe(writes);
    const plan = dry.plans.find((p) => p.creditNote?.CreditNoteNumber === 'OC-2-R1');
    expect(plan).toMatchObject({ orderId: 2, action: 'refund', outcome: 'would-refund' });
    expect(h.xero.creditNotes.size).toBe(0);
  });
});
