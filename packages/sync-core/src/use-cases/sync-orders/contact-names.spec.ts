import { ExportCustomersUseCase } from '../export-customers.use-case';
import { harness, SCOPE, testSettings } from '../../testing/use-case-harness';
import { sampleCustomer } from '../../testing/sample-data.fixture';
import { mapCustomerToContact } from '../../mapping/customer-to-contact.mapper';
import { resolveContactNames } from './contacts.step';

describe('Make Customer Unique: a suffix only when the name would clash', () => {
  const plan = (id: number, first = 'John', last = 'Smith') => mapCustomerToContact(sampleCustomer(id, first, last), testSettings());

  it('keeps plain names that are free, suffixes the second of a batch and names Xero already gives another contact', async () => {
    const h = harness(0);
    // Someone else's "Ann Lee" is in Xero already (made by hand, no ContactNumber of ours).
    await h.xero.saveContacts([{ Name: 'Ann Lee', IsCustomer: true }]);
    const plans = [plan(1), plan(2), plan(3, 'Ann', 'Lee'), plan(4, 'Mary', 'Jones')];
    const items = plans.map((p) => ({ key: p.key, draft: { ...p.draft }, uniqueName: p.uniqueName }));
    await resolveContactNames(h.xero, items);
    expect(items.map((i) => i.draft.Name)).toEqual(['John Smith', 'John Smith (C2)', 'Ann Lee (C3)', 'Mary Jones']);
  });

  it('a dry run (no Xero) still names the clash within the batch', async () => {
    const plans = [plan(1), plan(2)];
    const items = plans.map((p) => ({ key: p.key, draft: { ...p.draft }, uniqueName: p.uniqueName }));
    await resolveContactNames(null, items);
    expect(items.map((i) => i.draft.Name)).toEqual(['John Smith', 'John Smith (C2)']);
  });

  it("does not count a contact's own Xero record (same ContactNumber or ContactID) as a clash", async () => {
    const h = harness(0);
    const [mine] = await h.xero.saveContacts([{ Name: 'John Smith', ContactNumber: 'C1', IsCustomer: true }]);
    const p = plan(1);
    const byNumber = [{ key: p.key, draft: { ...p.draft }, uniqueName: p.uniqueName }];
    await resolveContactNames(h.xero, byNumber);
    expect(byNumber[0]!.draft.Name).toBe('John Smith');
    const id = mine!.ok ? mine!.value.ContactID : '';
    const byId = [{ key: p.key, draft: { ...p.draft, ContactNumber: 'OLD-1', ContactID: id }, uniqueName: p.uniqueName }];
    await resolveContactNames(h.xero, byId);
    expect(byId[0]!.draft.Name).toBe('John Smith');
  });

  it('Export Customers: two "John Smith"s become "John Smith" and "John Smith (C…)"; other names carry no suffix', async () => {
    const h = harness(0);
    h.oc.data.customers = [sampleCustomer(1, 'John', 'Smith'), sampleCustomer(2, 'John', 'Smith'), sampleCustomer(3, 'Mary', 'Jones')];
    const result = await new ExportCustomersUseCase({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger }).execute({ runId: 'c1', scope: SCOPE, settings: testSettings() });
    expect(result.counts).toMatchObject({ contactsCreated: 3, failures: [] });
    const names = h.xero.snapshot().contacts.map((c) => c.name).sort();
    expect(names).toEqual(['John Smith', 'John Smith (C2)', 'Mary Jones']);
    // A later run sees nothing changed (the hash is the plan's, not the resolved name's).
    const again = await new ExportCustomersUseCase({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger }).execute({ runId: 'c2', scope: SCOPE, settings: testSettings() });
    expect(again.counts).toMatchObject({ contactsCreated: 0, contactsUpdated: 0 });
  });
});
