import { MAX_AUTO_RETRIES, needsAttention } from '../../ledger/ledger.rules';
import type { OcOrder } from '../../ports/opencart.port';
import { sampleOrder, STATUS, type SampleLine } from '../../testing/sample-data.fixture';
import { CollectingReporter, harness, SCOPE, testSettings, type Harness } from '../../testing/use-case-harness';
import type { Settings } from '../../settings/settings.schema';
import { PreviewOrdersUseCase } from '../preview-orders.use-case';
import { SyncOrdersUseCase, type SyncOrdersRun } from '.';

const deps = (h: Harness) => ({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger, clock: h.clock });
const run = (h: Harness, settings: Settings, extra: Partial<SyncOrdersRun> = {}) => {
  const reporter = new CollectingReporter();
  return new SyncOrdersUseCase(deps(h)).execute({ runId: 'r', scope: SCOPE, settings, reporter, ...extra }).then((r) => ({ ...r, reporter }));
};
const calls = (h: Harness, method: string) => h.xero.callLog.filter((c) => c.method === method).length;
const WRITES = ['saveContacts', 'createInvoices', 'updateInvoices', 'setInvoiceStatus', 'createPayments', 'deletePayment', 'createCreditNotes', 'allocateCreditNote'];
const writes = (h: Harness) => h.xero.callLog.filter((c) => WRITES.includes(c.method)).length;

const LINES: SampleLine[] = [{ productId: 40, name: 'iPhone', price: '100.0000', quantity: 1, taxed: true }];
/** Unpaid (Processing is exported, only Complete is paid) unless said otherwise. */
const UNPAID = testSettings({ paidStatuses: ['Complete'] });

/** The order as OpenCart's admin edit leaves it: new lines and totals, a later date_modified. */
function edit(h: Harness, orderId: number, lines: SampleLine[], dateModified = '2024-04-01 09:00:00', statusId?: number): OcOrder {
  const i = h.oc.data.orders.findIndex((o) => o.orderId === orderId);
  const old = h.oc.data.orders[i]!;
  const next = sampleOrder({ orderId, statusId: statusId ?? old.orderStatusId, lastname: old.lastname, lines, dateAdded: old.dateAdded, dateModified });
  h.oc.data.orders[i] = next;
  return next;
}

function store(statusId: number): Harness {
  const h = harness(0);
  h.oc.data.orders.push(sampleOrder({ orderId: 1, statusId, lines: LINES, dateAdded: '2024-03-01 10:00:00' }), sampleOrder({ orderId: 2, statusId, lastname: 'Other', lines: LINES, dateAdded: '2024-03-01 11:00:00' }));
  return h;
}
const invoice = (h: Harness, n: number) => h.xero.snapshot().invoices.find((i) => i.number === `OC-${n}`)!;

describe('invoice updates: an order changed after export', () => {
  it('updates the unpaid invoice to the new total (one POST), and the next runs post nothing', async () => {
    const h = store(STATUS.processing);
    await run(h, UNPAID);
    expect(invoice(h, 1)).toMatchObject({ status: 'AUTHORISED', total: 126 }); // 100 + 5 shipping + 20% VAT
    const edited = edit(h, 1, [{ ...LINES[0]!, quantity: 2 }]);
    expect(edited.total).toBe('246.0000');

    const second = await run(h, UNPAID);
    expect(second.counts.failures).toEqual([]);
    expect(second.counts).toMatchObject({ invoicesUpdated: 1, invoicesCreated: 0 });
    expect(invoice(h, 1)).toMatchObject({ status: 'AUTHORISED', total: 246 });
    expect(invoice(h, 2)).toMatchObject({ total: 126 });
    expect(h.xero.snapshot().invoices).toHaveLength(2);
    expect(calls(h, 'updateInvoices')).toBe(1);
    const line = second.reporter.lines.find((l) => l.status === 'updated')!;
    expect(line.message).toBe('Order 1 changed after export: invoice OC-1 updated in Xero (126.00 → 246.00 USD).');
    expect(h.store.rows(SCOPE, 'invoice-update').get('order:1')).toMatchObject({ status: 'done' });

    // Re-read from scratch: the invoice row holds the new hash, nothing is posted again.
    const before = writes(h);
    h.store.checkpoints.clear();
    const third = await run(h, UNPAID);
    expect(third.counts).toMatchObject({ ordersUnchanged: 2, invoicesUpdated: 0 });
    expect(writes(h)).toBe(before);
  });

  it('a paid invoice is never edited: a conflict with the amounts and what to do; reverting the order clears it', async () => {
    const h = store(STATUS.complete);
    const settings = testSettings();
    await run(h, settings);
    expect(invoice(h, 1)).toMatchObject({ status: 'PAID', total: 126, paid: 126 });
    const original = h.oc.data.orders[0]!;
    edit(h, 1, [{ ...LINES[0]!, quantity: 2 }]);
    const before = writes(h);

    const second = await run(h, settings);
    expect(writes(h)).toBe(before);
    expect(invoice(h, 1)).toMatchObject({ status: 'PAID', total: 126 });
    expect(second.counts.conflicts).toBe(1);
    const reason = second.counts.failures.find((f) => f.entityId === '1')!.reason;
    expect(reason).toBe(
      'order 1 changed after its invoice OC-1 was paid 126.00 in Xero: Xero holds 126.00 USD, OpenCart now says 246.00 USD (difference 120.00); Xero does not allow editing an invoice with a payment or credit note: credit note the old invoice and re-invoice the order, or revert the order in OpenCart',
    );
    const row = h.store.rows(SCOPE, 'invoice-update').get('order:1');
    expect(row).toMatchObject({ status: 'conflict', lastError: reason });
    expect(needsAttention(row)).toBe(true);

    // The merchant reverts the order in OpenCart: the conflict is settled, nothing is written to Xero.
    h.oc.data.orders[0] = { ...original, dateModified: '2024-04-02 09:00:00' };
    const third = await run(h, settings);
    expect(third.counts.failures).toEqual([]);
    expect(writes(h)).toBe(before);
    expect(needsAttention(h.store.rows(SCOPE, 'invoice-update').get('order:1'))).toBe(false);
  });

  it('Invoice Status DRAFT → AUTHORISED: the draft is authorised through the update, then paid (not "Payments can only be made against Authorised documents")', async () => {
    const h = store(STATUS.complete);
    const asDraft = await run(h, testSettings({ invoiceStatus: 'DRAFT' }));
    expect(invoice(h, 1)).toMatchObject({ status: 'DRAFT', paid: 0 });
    // Said once, clearly: why the paid order has no payment, and what to do.
    expect(asDraft.reporter.lines.filter((l) => l.entityId === '1' && l.level === 'warn').map((l) => l.message)).toEqual([
      'Order 1: the order is paid but its invoice is DRAFT (setting "Invoice Status"), and Xero takes payments only on AUTHORISED invoices, so no payment is booked; set Invoice Status to AUTHORISED and sync the order again: its invoice is approved and paid.',
    ]);
    expect(h.xero.snapshot().payments).toHaveLength(0);

    // The setting changes; the order is paid later (its status change brings it back).
    const authorised = testSettings({ invoiceStatus: 'AUTHORISED' });
    h.oc.data.orders[0] = { ...h.oc.data.orders[0]!, dateModified: '2024-04-01 09:00:00' };
    const second = await run(h, authorised);
    expect(second.counts.failures).toEqual([]);
    expect(second.counts).toMatchObject({ invoicesUpdated: 1, paymentsCreated: 1 });
    expect(invoice(h, 1)).toMatchObject({ status: 'PAID', total: 126, paid: 126 });
    const order = h.xero.callLog.map((c) => c.method).filter((m) => m === 'updateInvoices' || m === 'createPayments');
    expect(order).toEqual(['updateInvoices', 'createPayments']);
    expect(second.reporter.lines.find((l) => l.status === 'updated')!.message).toContain('DRAFT → AUTHORISED');
    // Order 2 is still a draft (not read again); a manual run of it brings it along too.
    const third = await run(h, authorised, { orderIds: [2] });
    expect(third.counts).toMatchObject({ invoicesUpdated: 1, paymentsCreated: 1 });
    expect(invoice(h, 2)).toMatchObject({ status: 'PAID' });
  });

  it('an invoice approved in Xero is not moved back to DRAFT by the update', async () => {
    const h = store(STATUS.processing);
    const draft = testSettings({ invoiceStatus: 'AUTHORISED', paidStatuses: ['Complete'] });
    await run(h, draft);
    edit(h, 1, [{ ...LINES[0]!, quantity: 3 }]);
    const second = await run(h, { ...draft, invoiceStatus: 'DRAFT' });
    expect(second.counts.failures).toEqual([]);
    expect(invoice(h, 1)).toMatchObject({ status: 'AUTHORISED', total: 366 });
  });

  it('the answer of the update is lost: the rerun finds Xero holds the new version and posts nothing again', async () => {
    const h = store(STATUS.processing);
    await run(h, UNPAID);
    edit(h, 1, [{ ...LINES[0]!, quantity: 2 }]);
    h.xero.injectFault({ method: 'updateInvoices', mode: 'after' });
    const second = await run(h, UNPAID);
    expect(second.status).toBe('failed');
    expect(h.store.rows(SCOPE, 'invoice-update').get('order:1')!.status).toBe('pending');
    expect(invoice(h, 1).total).toBe(246); // Xero applied it

    const third = await run(h, UNPAID);
    expect(third.counts.failures).toEqual([]);
    expect(third.counts.invoicesUpdated).toBe(1);
    expect(calls(h, 'updateInvoices')).toBe(1);
    expect(h.store.rows(SCOPE, 'invoice-update').get('order:1')!.status).toBe('done');
    h.store.checkpoints.clear();
    const before = writes(h);
    await run(h, UNPAID);
    expect(writes(h)).toBe(before);
  });

  it('a second edit whose answer is lost is looked up, not trusted: the done row of the first update goes back to pending', async () => {
    const h = store(STATUS.processing);
    await run(h, UNPAID);
    edit(h, 1, [{ ...LINES[0]!, quantity: 2 }]);
    await run(h, UNPAID);
    expect(h.store.rows(SCOPE, 'invoice-update').get('order:1')!.status).toBe('done');
    edit(h, 1, [{ ...LINES[0]!, quantity: 3 }], '2024-04-02 09:00:00');
    h.xero.injectFault({ method: 'updateInvoices', mode: 'after' });
    expect((await run(h, UNPAID)).status).toBe('failed');
    expect(h.store.rows(SCOPE, 'invoice-update').get('order:1')!.status).toBe('pending');
    expect(invoice(h, 1).total).toBe(366);
    const next = await run(h, UNPAID);
    expect(next.counts.failures).toEqual([]);
    expect(calls(h, 'updateInvoices')).toBe(2);
    expect(h.store.rows(SCOPE, 'invoice-update').get('order:1')!.status).toBe('done');
    expect(invoice(h, 1).total).toBe(366);
  });

  it(`an update Xero refuses every run stops retrying after ${MAX_AUTO_RETRIES} attempts and needs the merchant; a manual run starts again`, async () => {
    const h = store(STATUS.processing);
    await run(h, UNPAID);
    edit(h, 1, [{ ...LINES[0]!, quantity: 2 }]);
    h.xero.setElementRejector((m) => (m === 'updateInvoices' ? "Account code '200' has been archived, or has been deleted." : null));
    const first = await run(h, UNPAID);
    expect(first.counts.failures[0]!.reason).toBe(
      "Xero refused the update of invoice OC-1 (order changed after export: invoice OC-1: 126.00 → 246.00 USD): Account code '200' has been archived, or has been deleted.",
    );
    expect(h.store.rows(SCOPE, 'invoice-update').get('order:1')).toMatchObject({ status: 'failed', attempts: 1 });
    for (let n = 2; n <= MAX_AUTO_RETRIES + 3; n++) await run(h, UNPAID);
    const row = h.store.rows(SCOPE, 'invoice-update').get('order:1')!;
    expect(row.attempts).toBe(MAX_AUTO_RETRIES);
    expect(calls(h, 'updateInvoices')).toBe(MAX_AUTO_RETRIES);
    expect(needsAttention(row)).toBe(true);

    // The merchant fixes the account in Xero and retries the order by hand.
    h.xero.setElementRejector(() => null);
    const manual = await run(h, UNPAID, { orderIds: [1] });
    expect(manual.counts.invoicesUpdated).toBe(1);
    expect(needsAttention(h.store.rows(SCOPE, 'invoice-update').get('order:1'))).toBe(false);
    expect(invoice(h, 1).total).toBe(246);
  });

  it('a manual retry of a refused update starts its attempt count again', async () => {
    const h = store(STATUS.processing);
    await run(h, UNPAID);
    edit(h, 1, [{ ...LINES[0]!, quantity: 2 }]);
    h.xero.setElementRejector((m) => (m === 'updateInvoices' ? 'refused' : null));
    for (let n = 0; n < MAX_AUTO_RETRIES; n++) await run(h, UNPAID);
    expect(needsAttention(h.store.rows(SCOPE, 'invoice-update').get('order:1'))).toBe(true);
    await run(h, UNPAID, { orderIds: [1] });
    const row = h.store.rows(SCOPE, 'invoice-update').get('order:1')!;
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(needsAttention(row)).toBe(false);
  });

  it('the preview shows the real difference: what Xero holds against what OpenCart says now', async () => {
    const h = store(STATUS.processing);
    await run(h, UNPAID);
    edit(h, 1, [{ ...LINES[0]!, quantity: 2 }]);
    const before = writes(h);
    const preview = await new PreviewOrdersUseCase(deps(h)).execute({ scope: SCOPE, orderIds: [1, 2], settings: UNPAID });
    expect(writes(h)).toBe(before);
    const [one, two] = preview.orders;
    expect(one).toMatchObject({ outcome: 'would-update', reason: 'would update invoice OC-1: 126.00 → 246.00 USD', difference: '-120.00', xeroHeld: { status: 'AUTHORISED', total: '126.00' } });
    expect(two).toMatchObject({ outcome: 'unchanged', difference: '0.00' });
    expect(preview.worstDifference).toBe('120.00');

    // Paid: the preview says it is a conflict, and why.
    const p = store(STATUS.complete);
    await run(p, testSettings());
    edit(p, 1, [{ ...LINES[0]!, quantity: 2 }]);
    const paid = await new PreviewOrdersUseCase(deps(p)).execute({ scope: SCOPE, orderId: 1, settings: testSettings() });
    expect(paid.orders[0]).toMatchObject({ outcome: 'conflict', difference: '-120.00' });
    expect(paid.orders[0]!.reason).toContain('credit note the old invoice and re-invoice the order, or revert the order in OpenCart');
  });
});
