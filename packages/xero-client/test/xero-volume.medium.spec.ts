import type { RunningSandbox } from '@oc-xero/xero-sandbox';
import type { XeroInvoiceDraft } from '@oc-xero/sync-core';
import { MemoryTokenStore, connect, describeWithSpec, startSpecSandbox, today } from './sandbox.harness';

/**
 * The headline figure: API calls for 500 invoices of 500 new customers, with Xero's real limits
 * on in the sandbox and the client's default policy. Printed, and held to the batching rule.
 */
jest.setTimeout(60_000);

describeWithSpec('API calls for 500 invoices with 500 new contacts', () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    sandbox = await startSpecSandbox({ rateLimits: true });
  });
  afterAll(() => sandbox?.close());

  it('contacts batch + invoices batch = 20 calls', async () => {
    const { gateway } = await connect(sandbox, new MemoryTokenStore());
    sandbox.resetViolations();
    const started = Date.now();
    const base = gateway.usage().calls;
    const contacts = await gateway.saveContacts(
      Array.from({ length: 500 }, (_, i) => ({ Name: `Volume Customer ${i}`, ContactNumber: `oc-customer-${i}`, EmailAddress: `c${i}@example.com`, IsCustomer: true })),
    );
    const invoices: XeroInvoiceDraft[] = contacts.map((c, i) => {
      if (!c.ok) throw new Error(`contact ${i}: ${c.errors.join()}`);
      return {
        Type: 'ACCREC',
        Contact: { ContactID: c.value.ContactID },
        InvoiceNumber: `VOL-${i}`,
        Date: today(sandbox),
        DueDate: today(sandbox),
        Status: 'AUTHORISED',
        LineAmountTypes: 'Exclusive',
        LineItems: [
          { Description: 'Product', Quantity: 2, UnitAmount: 12.3456, AccountCode: '200', TaxType: 'OUTPUT2' },
          { Description: 'Shipping', Quantity: 1, UnitAmount: 5, AccountCode: '260', TaxType: 'OUTPUT2' },
        ],
      };
    });
    const results = await gateway.createInvoices(invoices);
    const usage = gateway.usage();
    const calls = usage.calls - base;
    console.log(
      `[figure] 500 invoices with 500 new contacts: ${calls} API calls (${(calls / 500).toFixed(3)} per order) in ${Date.now() - started} ms; by endpoint ${JSON.stringify(usage.callsByEndpoint)}; day limit remaining ${usage.dayRemaining}`,
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(calls).toBe(20);
    expect(usage.callsByEndpoint['POST /Contacts']).toBe(10);
    expect(usage.callsByEndpoint['PUT /Invoices']).toBe(10);
    expect(sandbox.violations()).toEqual([]);
  });
});
