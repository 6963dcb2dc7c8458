import { FakeConnectorStore } from '../../testing/fake-connector-store.port';
import { sampleOrder, STATUS } from '../../testing/sample-data.fixture';
import { SyncOrdersUseCase, type SyncOrdersRun } from '.';
import { ExportCustomersUseCase } from '../export-customers.use-case';
import { ExportItemsUseCase } from '../export-items.use-case';
import { CollectingReporter, harness, SCOPE, testSettings, type Harness } from '../../testing/use-case-harness';

const run = (h: Harness, extra: Partial<SyncOrdersRun> = {}) =>
  new SyncOrdersUseCase({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger, clock: h.clock }).execute({
    runId: 'r1',
    scope: SCOPE,
    settings: testSettings(),
    reporter: new CollectingReporter(),
    ...extra,
  });

describe('SyncOrdersUseCase: adoption of what Xero already holds', () => {
  it('a first export into an empty Xero sends the invoices without looking each batch up first', async () => {
    const h = harness(60);
    const first = await run(h);
    expect(first.counts.failures).toEqual([]);
    expect(first.counts.invoicesCreated).toBe(60);
    expect(h.xero.callLog.filter((c) => c.method === 'findInvoicesByNumbers')).toEqual([]);
  });

  it('an invoice Xero already holds under our number (refused "must be unique") is looked up once and adopted, not failed', async () => {
    const h = harness(5);
    await run(h);
    const firstCalls = h.xero.callLog.length;
    h.store = new FakeConnectorStore();
    const again = await run(h, { runId: 'r2' });
    expect(again.counts.failures).toEqual([]);
    expect(again.counts).toMatchObject({ invoicesCreated: 0, invoicesAdopted: 5 });
    const invoiceCalls = h.xero.callLog.slice(firstCalls).map((c) => c.method).filter((m) => /Invoices/.test(m));
    // One refused create, one lookup that adopts all five; then the payments step reads the adopted invoices' payments.
    expect(invoiceCalls).toEqual(['createInvoices', 'findInvoicesByNumbers', 'findInvoicesByNumbers']);
    expect(h.xero.invoices.size).toBe(5);
  });

  it('a lost connector database: the next sync creates nothing, adopts every invoice, contact, payment and credit note', async () => {
    const h = harness(60);
    const first = await run(h);
    expect(first.counts.failures).toEqual([]);
    for (const id of [4, 10]) h.oc.setOrderStatus(id, STATUS.refunded, `2024-05-01 11:${String(id).padStart(2, '0')}:00`);
    const second = await run(h, { runId: 'r1b' }); // refunds of exported orders
    // Paid orders: each credit note is paid back from the payment account, the invoices keep their payments.
    expect(second.counts).toMatchObject({ creditNotesCreated: 2, refundsCreated: 2, allocations: 0, paymentsDeleted: 0 });
    expect(second.counts.failures).toEqual([]);
    const before = h.xero.snapshot();
    h.store = new FakeConnectorStore(); // reinstall: an empty connector database
    const reporter = new CollectingReporter();
    const again = await run(h, { runId: 'r2', reporter });
    expect(again.status).toBe('completed');
    expect(again.counts.failures).toEqual([]);
    expect(again.counts).toMatchObject({ invoicesCreated: 0, contactsCreated: 0, paymentsCreated: 0, creditNotesCreated: 0 });
    expect(again.counts.invoicesAdopted).toBe(60);
    expect(again.counts.creditNotesAdopted).toBe(2);
    expect(again.counts).toMatchObject({ refundsAdopted: 2, refundsCreated: 0 });
    expect(again.counts.contactsAdopted).toBe(before.contacts.length);
    expect(again.counts.paymentsAdopted).toBeGreaterThan(0);
    expect(h.xero.snapshot()).toEqual(before);
    expect(reporter.lines.filter((l) => l.status === 'adopted')).toHaveLength(58);
  });

  it('a pre-existing invoice with our number that is not this order is a conflict naming both totals', async () => {
    const h = harness(3);
    // The old extension (or another connector) left an OC-2 of its own in the organisation.
    const other = harness(0);
    other.xero = h.xero;
    other.oc.data.orders.push(sampleOrder({ orderId: 2, customerId: 0, lastname: 'Someone', email: 'someone@example.com', lines: [{ productId: 40, name: 'Something else', price: '999.0000', quantity: 1, taxed: true }] }));
    const foreign = await run(other);
    expect(foreign.counts.invoicesCreated).toBe(1);
    const reporter = new CollectingReporter();
    const result = await run(h, { runId: 'r2', reporter });
    expect(result.counts).toMatchObject({ invoicesCreated: 2, conflicts: 1 });
    const failure = result.counts.failures.find((f) => f.entityId === '2')!;
    expect(failure.reason).toMatch(/Xero already holds invoice OC-2 but it is not this order/);
    expect(failure.reason).toMatch(/Xero's total is \d+\.\d\d [A-Z]{3}, the order's \d+\.\d\d [A-Z]{3}/);
    expect(failure.reason).toMatch(/Invoice number format/);
    expect(h.store.rows(SCOPE, 'invoice').get('order:2')).toMatchObject({ status: 'conflict', xeroId: null });
    expect(reporter.statusOf(2)).toContain('conflict');
    expect(h.xero.snapshot().invoices.filter((i) => i.number === 'OC-2')).toHaveLength(1);
  });

  it('Export Items and Export Customers after a lost connector database: every item and contact adopted, none saved', async () => {
    const h = harness(0);
    const items = (runId: string) => new ExportItemsUseCase({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger }).execute({ runId, scope: SCOPE, settings: testSettings({ exportItems: true }) });
    const customers = (runId: string) => new ExportCustomersUseCase({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger }).execute({ runId, scope: SCOPE, settings: testSettings() });
    expect((await items('i1')).counts.itemsSaved).toBe(5);
    expect((await customers('c1')).counts.contactsCreated).toBe(5);
    const before = h.xero.snapshot();
    const saves = h.xero.callLog.filter((c) => c.method === 'saveItems' || c.method === 'saveContacts').length;
    h.store = new FakeConnectorStore();
    const itemsAgain = await items('i2');
    expect(itemsAgain.counts).toMatchObject({ itemsSaved: 0, itemsAdopted: 5 });
    const customersAgain = await customers('c2');
    expect(customersAgain.counts).toMatchObject({ contactsCreated: 0, contactsUpdated: 0, contactsAdopted: 5 });
    expect(h.xero.callLog.filter((c) => c.method === 'saveItems' || c.method === 'saveContacts')).toHaveLength(saves);
    expect(h.xero.snapshot()).toEqual(before);
  });
});
