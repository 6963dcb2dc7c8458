import { ExportCustomersUseCase } from './export-customers.use-case';
import { SyncOrdersUseCase } from './sync-orders';
import { CollectingReporter, harness, SCOPE, testSettings, type Harness } from '../testing/use-case-harness';

const exportCustomers = (h: Harness, extra: { dryRun?: boolean; reporter?: CollectingReporter } = {}) =>
  new ExportCustomersUseCase({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger }).execute({ runId: 'c1', scope: SCOPE, settings: testSettings(), ...extra });

describe('ExportCustomersUseCase', () => {
  it('creates one contact per registered customer by ContactNumber; a second run calls Xero for nothing', async () => {
    const h = harness(0);
    const result = await exportCustomers(h);
    expect(result).toMatchObject({ status: 'completed', error: null });
    expect(result.counts).toMatchObject({ customersSeen: 5, contactsCreated: 5 });
    const contacts = h.xero.snapshot().contacts;
    expect(contacts).toHaveLength(5);
    expect(contacts.every((c) => c.number)).toBe(true);
    const calls = h.xero.usage().calls;
    const again = await exportCustomers(h);
    expect(again.counts).toMatchObject({ contactsCreated: 0, contactsUpdated: 0 });
    expect(h.xero.usage().calls).toBe(calls);
  });

  it('updates the same Xero contact when the customer changes', async () => {
    const h = harness(0);
    await exportCustomers(h);
    h.oc.data.customers[1]!.telephone = '07700 900123';
    const result = await exportCustomers(h);
    expect(result.counts).toMatchObject({ contactsUpdated: 1, contactsCreated: 0 });
    expect(h.xero.snapshot().contacts).toHaveLength(5);
    const stored = [...h.xero.contacts.values()].find((c) => c.ContactNumber === h.store.rows(SCOPE, 'contact').get('customer:2')!.xeroNumber)!;
    expect(stored.draft.Phones).toEqual([{ PhoneType: 'DEFAULT', PhoneNumber: '07700 900123' }]);
  });

  it('orders of exported customers reuse their contacts (shared ledger keys)', async () => {
    const h = harness(9);
    await exportCustomers(h);
    const orders = await new SyncOrdersUseCase({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger, clock: h.clock }).execute({ runId: 'o1', scope: SCOPE, settings: testSettings() });
    // orders 3, 6, 9 are guests; the rest belong to customers 1..5 already in Xero.
    expect(orders.counts.contactsCreated).toBe(3);
    expect(h.xero.snapshot().contacts).toHaveLength(8);
  });

  it('an answer lost after Xero saved the contacts: the rerun finds them by number and creates no duplicate', async () => {
    const h = harness(0);
    h.xero.injectFault({ method: 'saveContacts', mode: 'after' });
    const first = await exportCustomers(h);
    expect(first.status).toBe('failed');
    const second = await exportCustomers(h);
    expect(second.status).toBe('completed');
    expect(second.counts.contactsAdopted).toBe(5);
    expect(h.xero.snapshot().contacts).toHaveLength(5);
  });

  it('a contact Xero refuses is reported with the reason; the others are saved', async () => {
    const h = harness(0);
    h.xero.setElementRejector((m, el) => (m === 'saveContacts' && (el as { Name: string }).Name.includes('Customer3') ? 'Email address must be valid.' : null));
    const reporter = new CollectingReporter();
    const result = await exportCustomers(h, { reporter });
    expect(result.counts.contactsCreated).toBe(4);
    expect(result.counts.failures).toEqual([{ entityType: 'customer', entityId: '3', reason: 'Xero refused the contact: Email address must be valid.' }]);
    expect(reporter.lines.filter((l) => l.status === 'failed')).toHaveLength(1);
  });

  it('a dry run writes nothing: it only looks Xero up, plans each contact and counts as the real run would', async () => {
    const h = harness(0);
    const reporter = new CollectingReporter();
    const result = await exportCustomers(h, { dryRun: true, reporter });
    expect(result.status).toBe('completed');
    expect(h.store.writes).toBe(0);
    expect(h.xero.callLog.map((c) => c.method).filter((m) => !m.startsWith('find'))).toEqual([]);
    expect(reporter.lines.filter((l) => l.status === 'planned')).toHaveLength(5);
    expect(result.counts.contactsCreated).toBe(5);
    const real = await exportCustomers(h, {});
    expect(real.counts.contactsCreated).toBe(result.counts.contactsCreated);
  });
});
