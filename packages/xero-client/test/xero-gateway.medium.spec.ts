import axios from 'axios';
import type { RunningSandbox } from '@oc-xero/xero-sandbox';
import { isSyncError, type XeroContactDraft, type XeroInvoiceDraft } from '@oc-xero/sync-core';
import { XeroGateway } from '../src';
import { MemoryTokenStore, connect, countOf, describeWithSpec, findInState, startSpecSandbox, today, watchRequests } from './sandbox.harness';

const run = Date.now().toString(36);
let seq = 0;
const uniq = (p: string) => `${p}-${run}-${++seq}`;

const contactDraft = (name = uniq('Customer')): XeroContactDraft => ({ Name: name, ContactNumber: uniq('oc'), EmailAddress: `${name.replace(/\W/g, '').toLowerCase()}@example.com`, IsCustomer: true });

function invoiceDraft(sandbox: RunningSandbox, contactId: string, overrides: Partial<XeroInvoiceDraft> = {}): XeroInvoiceDraft {
  return {
    Type: 'ACCREC',
    Contact: { ContactID: contactId },
    InvoiceNumber: uniq('OC'),
    Date: today(sandbox),
    DueDate: today(sandbox),
    Status: 'AUTHORISED',
    LineAmountTypes: 'Exclusive',
    LineItems: [{ Description: 'Apple Cinema 30"', Quantity: 1, UnitAmount: 12.3456, AccountCode: '200', TaxType: 'OUTPUT2' }],
    ...overrides,
  };
}

jest.setTimeout(60_000);

describeWithSpec('XeroGateway against the sandbox', () => {
  let sandbox: RunningSandbox;
  let gateway: XeroGateway;
  let contactId: string;
  let store: MemoryTokenStore;

  beforeAll(async () => {
    sandbox = await startSpecSandbox({ rateLimits: { perMinute: 10_000, perDay: 1_000_000, concurrent: 5 } });
  });
  afterAll(() => sandbox?.close());
  beforeEach(async () => {
    sandbox.reset();
    store = new MemoryTokenStore();
    ({ gateway } = await connect(sandbox, store, 'store-1', { perMinute: 10_000 }));
    const [c] = await gateway.saveContacts([contactDraft()]);
    if (!c.ok) throw new Error(c.errors.join());
    contactId = c.value.ContactID;
    sandbox.resetViolations();
  });
  afterEach(() => {
    sandbox.faults.clear();
    expect(sandbox.violations()).toEqual([]);
  });

  it('reads the settings the mapping needs', async () => {
    const [org, accounts, taxRates, currencies, tracking] = await Promise.all([
      gateway.getOrganisation(),
      gateway.listAccounts(),
      gateway.listTaxRates(),
      gateway.listCurrencies(),
      gateway.listTrackingCategories(),
    ]);
    expect(org.BaseCurrency).toBe('GBP');
    expect(accounts.map((a) => a.Code)).toEqual(expect.arrayContaining(['090', '200', '260', '425', '860']));
    expect(taxRates.find((t) => t.TaxType === 'OUTPUT2')?.EffectiveRate).toBe(20);
    expect(currencies.map((c) => c.Code)).toContain('GBP');
    expect(Array.isArray(tracking)).toBe(true);
  });

  it('120 contacts → 3 calls, results in input order', async () => {
    const drafts = Array.from({ length: 120 }, () => contactDraft());
    const before = countOf(sandbox, 'POST', /\/Contacts$/);
    const results = await gateway.saveContacts(drafts);
    expect(countOf(sandbox, 'POST', /\/Contacts$/) - before).toBe(3);
    expect(results).toHaveLength(120);
    results.forEach((r, i) => {
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.value).toMatchObject({ Name: drafts[i].Name, ContactNumber: drafts[i].ContactNumber });
    });
    // Lookups: ≤50 ids per URL.
    const getsBefore = countOf(sandbox, 'GET', /\/Contacts$/);
    const found = await gateway.findContactsByNumbers(drafts.map((d) => d.ContactNumber!));
    expect(found.map((c) => c.ContactNumber).sort()).toEqual(drafts.map((d) => d.ContactNumber).sort());
    expect(countOf(sandbox, 'GET', /\/Contacts$/) - getsBefore).toBe(3);
  });

  it('looks contacts up by name (quotes escaped) and email, leaving missing ones out', async () => {
    const tricky = contactDraft(`O"Brien & Sons ${uniq('x')}`);
    const [saved] = await gateway.saveContacts([tricky]);
    expect(saved.ok).toBe(true);
    const byName = await gateway.findContactsByNames([tricky.Name, 'Nobody at all']);
    expect(byName.map((c) => c.Name)).toEqual([tricky.Name]);
    const byEmail = await gateway.findContactsByEmails([tricky.EmailAddress!]);
    expect(byEmail.map((c) => c.Name)).toEqual([tricky.Name]);
  });

  it('a batch with invalid elements returns per-element results in input order', async () => {
    sandbox.faults.add({ method: 'PUT', path: /\/Invoices$/, kind: 'validation', elementIndexes: [1, 3] });
    const drafts = Array.from({ length: 5 }, () => invoiceDraft(sandbox, contactId));
    const results = await gateway.createInvoices(drafts);
    expect(results.map((r) => r.ok)).toEqual([true, false, true, false, true]);
    results.forEach((r, i) => {
      if (r.ok) expect(r.value.InvoiceNumber).toBe(drafts[i].InvoiceNumber);
      else expect(r.errors.length).toBeGreaterThan(0);
    });
  });

  it('genuinely invalid data: an unknown account code is a Settings problem the merchant can fix', async () => {
    const good = invoiceDraft(sandbox, contactId);
    const bad = invoiceDraft(sandbox, contactId, { LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 5, AccountCode: '999' }] });
    const [r1, r2] = await gateway.createInvoices([good, bad]);
    expect(r1.ok).toBe(true);
    expect(r2).toMatchObject({ ok: false, kind: 'config' });
    if (!r2.ok) expect(r2.errors[0]).toMatch(/^Xero refused account code 999: it does not exist or is archived in .+; pick another account code in Settings/);
  });

  it('Xero computes the totals (per-line tax, unitdp=4)', async () => {
    const [r] = await gateway.createInvoices([invoiceDraft(sandbox, contactId)]);
    expect(r.ok && r.value).toMatchObject({ SubTotal: 12.35, TotalTax: 2.47, Total: 14.82, Status: 'AUTHORISED' });
  });

  it('5xx is retried with the same Idempotency-Key', async () => {
    sandbox.faults.add({ method: 'PUT', path: /\/Invoices$/, kind: '503', times: 2 });
    const watch = watchRequests('PUT', /\/Invoices$/);
    try {
      const before = countOf(sandbox, 'PUT', /\/Invoices$/);
      const draft = invoiceDraft(sandbox, contactId);
      const [r] = await gateway.createInvoices([draft]);
      expect(r.ok).toBe(true);
      expect(countOf(sandbox, 'PUT', /\/Invoices$/) - before).toBe(3);
      const keys = watch.headers.map((h) => h['idempotency-key']);
      expect(keys).toHaveLength(3);
      expect(new Set(keys).size).toBe(1);
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(findInState(sandbox.state(), 'InvoiceNumber', draft.InvoiceNumber)).toHaveLength(1);
    } finally {
      watch.stop();
    }
  });

  it('after a timeout-after-write the retry creates no second invoice', async () => {
    ({ gateway } = await connect(sandbox, new MemoryTokenStore(), 'store-2', { perMinute: 10_000, timeoutMs: 1_000 }));
    await gateway.createInvoices([invoiceDraft(sandbox, contactId)]); // warm the sandbox's validators up
    sandbox.faults.add({ method: 'PUT', path: /\/Invoices$/, kind: 'timeout-after-write', latencyMs: 3_000, times: 1 });
    const draft = invoiceDraft(sandbox, contactId);
    const before = countOf(sandbox, 'PUT', /\/Invoices$/);
    const [r] = await gateway.createInvoices([draft]);
    expect(r.ok && r.value.InvoiceNumber).toBe(draft.InvoiceNumber);
    expect(countOf(sandbox, 'PUT', /\/Invoices$/) - before).toBe(2);
    expect(sandbox.counters()['idempotency:replay']).toBe(1);
    expect(findInState(sandbox.state(), 'InvoiceNumber', draft.InvoiceNumber)).toHaveLength(1);
    expect(await gateway.findInvoicesByNumbers([draft.InvoiceNumber])).toHaveLength(1);
  });

  it('a call that never answers fails as transient after bounded attempts', async () => {
    ({ gateway } = await connect(sandbox, new MemoryTokenStore(), 'store-3', { perMinute: 10_000, timeoutMs: 500, maxAttempts: 2 }));
    await gateway.listCurrencies(); // warm the sandbox's validators up
    sandbox.faults.add({ method: 'GET', path: /\/Currencies$/, kind: 'latency', latencyMs: 2_000, times: 5 });
    const started = Date.now();
    const error = await gateway.listCurrencies().catch((e: unknown) => e);
    expect(isSyncError(error) && error.kind).toBe('transient');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('invoice life: find by number, pay, read back, delete the payment, void', async () => {
    const draft = invoiceDraft(sandbox, contactId);
    const [created] = await gateway.createInvoices([draft]);
    if (!created.ok) throw new Error(created.errors.join());
    const invoiceId = created.value.InvoiceID;
    const [found] = await gateway.findInvoicesByNumbers([draft.InvoiceNumber, 'NO-SUCH-NUMBER']);
    expect(found.InvoiceID).toBe(invoiceId);

    const [paid] = await gateway.createPayments([{ Invoice: { InvoiceID: invoiceId }, Account: { Code: '090' }, Date: today(sandbox), Amount: 14.82, Reference: 'cod' }]);
    if (!paid.ok) throw new Error(paid.errors.join());
    const read = await gateway.getInvoice(invoiceId);
    expect(read).toMatchObject({ AmountPaid: 14.82, AmountDue: 0 });
    expect(read?.Payments?.map((p) => p.PaymentID)).toEqual([paid.value.PaymentID]);

    // Xero refuses to void an invoice that still has payments: a validation error, Xero's words kept.
    const refused = await gateway.setInvoiceStatus(invoiceId, 'VOIDED').catch((e: unknown) => e);
    expect(isSyncError(refused) && refused.kind).toBe('validation');
    expect(isSyncError(refused) && refused.details.messages?.length).toBeGreaterThan(0);

    await gateway.deletePayment(paid.value.PaymentID);
    const voided = await gateway.setInvoiceStatus(invoiceId, 'VOIDED');
    expect(voided.Status).toBe('VOIDED');
    // "Any status": the voided invoice is still found by its number.
    expect((await gateway.findInvoicesByNumbers([draft.InvoiceNumber])).map((i) => i.Status)).toEqual(['VOIDED']);
    expect(await gateway.getInvoice('00000000-0000-0000-0000-000000000000')).toBeNull();
  });

  it('updateInvoices: POST with InvoiceID changes lines, totals and status (DRAFT → AUTHORISED) while unpaid; a paid or voided one is refused per element in Xero\'s words', async () => {
    const [draft, paid, voided] = await gateway.createInvoices([invoiceDraft(sandbox, contactId, { Status: 'DRAFT' }), invoiceDraft(sandbox, contactId), invoiceDraft(sandbox, contactId)]);
    if (!draft.ok || !paid.ok || !voided.ok) throw new Error('setup');
    const [pay] = await gateway.createPayments([{ Invoice: { InvoiceID: paid.value.InvoiceID }, Account: { Code: '090' }, Date: today(sandbox), Amount: 5 }]);
    if (!pay.ok) throw new Error(pay.errors.join());
    await gateway.setInvoiceStatus(voided.value.InvoiceID, 'VOIDED');
    const twice = (id: string, number: string): XeroInvoiceDraft & { InvoiceID: string } => ({
      ...invoiceDraft(sandbox, contactId),
      InvoiceID: id,
      InvoiceNumber: number,
      LineItems: [{ Description: 'Apple Cinema 30"', Quantity: 2, UnitAmount: 12.3456, AccountCode: '200', TaxType: 'OUTPUT2' }],
    });
    const posts = watchRequests('POST', /\/Invoices$/);
    const results = await gateway.updateInvoices([twice(draft.value.InvoiceID, draft.value.InvoiceNumber), twice(paid.value.InvoiceID, paid.value.InvoiceNumber), twice(voided.value.InvoiceID, voided.value.InvoiceNumber)]);
    expect(results.map((r) => r.ok)).toEqual([true, false, false]);
    // 2 × 12.3456 = 24.69 (unitdp=4), VAT 4.94: Xero's arithmetic.
    expect(results[0]).toMatchObject({ ok: true, value: { InvoiceID: draft.value.InvoiceID, Status: 'AUTHORISED', Total: 29.63, AmountDue: 29.63 } });
    expect(results[1]).toMatchObject({ ok: false, kind: 'validation' });
    if (!results[1].ok) expect(results[1].errors.join()).toMatch(/cannot be edited as it has a payment or credit note allocated/);
    if (!results[2].ok) expect(results[2].errors.join()).toMatch(/not of valid status for modification/);
    posts.stop();
    expect(posts.headers).toHaveLength(1); // one batch, with its Idempotency-Key
    expect(posts.headers[0]!['idempotency-key']).toBeTruthy();
    expect(await gateway.getInvoice(paid.value.InvoiceID)).toMatchObject({ Total: 14.82, AmountPaid: 5 });
  });

  it('payments: an overpayment and a non-bank account are refused per element, the others go through', async () => {
    const [a, b] = await gateway.createInvoices([invoiceDraft(sandbox, contactId), invoiceDraft(sandbox, contactId)]);
    if (!a.ok || !b.ok) throw new Error('setup');
    const results = await gateway.createPayments([
      { Invoice: { InvoiceID: a.value.InvoiceID }, Account: { Code: '090' }, Date: today(sandbox), Amount: 1000 },
      { Invoice: { InvoiceID: b.value.InvoiceID }, Account: { Code: '090' }, Date: today(sandbox), Amount: 14.82 },
      { Invoice: { InvoiceID: a.value.InvoiceID }, Account: { Code: '200' }, Date: today(sandbox), Amount: 1 },
    ]);
    expect(results.map((r) => r.ok)).toEqual([false, true, false]);
    expect(results[0]).toMatchObject({ kind: 'validation' });
    // Paying into a sales account is a Settings mistake the merchant can fix.
    expect(results[2]).toMatchObject({ kind: 'config' });
    if (!results[2].ok) expect(results[2].errors[0]).toMatch(/account 200 .*pick another payment account/);
  });

  it('refund: credit note created, found by number and allocated to the invoice', async () => {
    const [inv] = await gateway.createInvoices([invoiceDraft(sandbox, contactId)]);
    if (!inv.ok) throw new Error(inv.errors.join());
    const number = uniq('CN');
    const [cn] = await gateway.createCreditNotes([
      { Type: 'ACCRECCREDIT', Contact: { ContactID: contactId }, CreditNoteNumber: number, Date: today(sandbox), Status: 'AUTHORISED', LineAmountTypes: 'Exclusive', LineItems: [{ Description: 'Return', Quantity: 1, UnitAmount: 5, AccountCode: '200', TaxType: 'OUTPUT2' }] },
    ]);
    if (!cn.ok) throw new Error(cn.errors.join());
    expect(cn.value.Total).toBe(6);
    expect((await gateway.findCreditNotesByNumbers([number])).map((c) => c.CreditNoteID)).toEqual([cn.value.CreditNoteID]);
    await gateway.allocateCreditNote(cn.value.CreditNoteID, inv.value.InvoiceID, 6, today(sandbox));
    expect((await gateway.getInvoice(inv.value.InvoiceID))?.AmountDue).toBeCloseTo(8.82, 2);
  });

  it('refund of a paid invoice: its credit note is paid out from the bank (a payment with CreditNote); the invoice keeps its payment', async () => {
    const [inv] = await gateway.createInvoices([invoiceDraft(sandbox, contactId)]);
    if (!inv.ok) throw new Error(inv.errors.join());
    const [paid] = await gateway.createPayments([{ Invoice: { InvoiceID: inv.value.InvoiceID }, Account: { Code: '090' }, Date: today(sandbox), Amount: 14.82 }]);
    if (!paid.ok) throw new Error(paid.errors.join());
    expect(sandbox.reconcilePayment(paid.value.PaymentID)).toBe(true);
    const number = uniq('CN');
    const [cn] = await gateway.createCreditNotes([
      { Type: 'ACCRECCREDIT', Contact: { ContactID: contactId }, CreditNoteNumber: number, Date: today(sandbox), Status: 'AUTHORISED', LineAmountTypes: 'Exclusive', LineItems: [{ Description: 'Return', Quantity: 1, UnitAmount: 5, AccountCode: '200', TaxType: 'OUTPUT2' }] },
    ]);
    if (!cn.ok) throw new Error(cn.errors.join());
    const [refund, tooMuch] = await gateway.createRefundPayments([
      { CreditNote: { CreditNoteID: cn.value.CreditNoteID }, Account: { Code: '090' }, Date: today(sandbox), Amount: 6, Reference: 'Refund' },
      { CreditNote: { CreditNoteID: cn.value.CreditNoteID }, Account: { Code: '090' }, Date: today(sandbox), Amount: 1 },
    ]);
    if (!refund.ok) throw new Error(refund.errors.join());
    expect(refund.value).toMatchObject({ Amount: 6, CreditNoteID: cn.value.CreditNoteID, IsReconciled: false });
    expect(tooMuch).toMatchObject({ ok: false, kind: 'validation' });
    const [note] = await gateway.findCreditNotesByNumbers([number]);
    expect(note).toMatchObject({ Status: 'PAID', RemainingCredit: 0, Payments: [{ PaymentID: refund.value.PaymentID, Amount: 6 }] });
    expect(await gateway.getInvoice(inv.value.InvoiceID)).toMatchObject({ Status: 'PAID', AmountPaid: 14.82, Payments: [{ PaymentID: paid.value.PaymentID }] });
    // The reconciled payment stays: Xero refuses to delete it.
    const refused = await gateway.deletePayment(paid.value.PaymentID).catch((e: unknown) => e);
    expect(isSyncError(refused) && refused.kind).toBe('validation');
  });

  it('items: create or update by code, then list', async () => {
    const code = uniq('SKU').slice(0, 30);
    const [r] = await gateway.saveItems([{ Code: code, Name: 'Widget', IsSold: true, SalesDetails: { UnitPrice: 9.9999, AccountCode: '200' } }]);
    expect(r.ok).toBe(true);
    const [again] = await gateway.saveItems([{ Code: code, Name: 'Widget v2', IsSold: true }]);
    expect(again.ok && again.value).toMatchObject({ Code: code, Name: 'Widget v2' });
    expect((await gateway.listItems()).filter((i) => i.Code === code)).toHaveLength(1);
  });

  it('tracked stock: selling past stock is refused unless allowBackorders; bills and supplier credit notes are listed with their item lines', async () => {
    const code = uniq('TRK').slice(0, 30);
    const [item] = await gateway.saveItems([{ Code: code, Name: 'Tracked', InventoryAssetAccountCode: '630', PurchaseDetails: { COGSAccountCode: '310' }, SalesDetails: { AccountCode: '200' } }]);
    expect(item.ok && item.value.IsTrackedAsInventory).toBe(true);
    const sale = (n: number) => invoiceDraft(sandbox, contactId, { LineItems: [{ Description: 'Tracked', Quantity: n, UnitAmount: 10, ItemCode: code, AccountCode: '200', TaxType: 'OUTPUT2' }] });
    const [refused] = await gateway.createInvoices([sale(2)]);
    expect(!refused.ok && refused.errors.join(' ')).toMatch(/would fall below zero/);
    const [backordered] = await gateway.createInvoices([sale(2)], { allowBackorders: true });
    expect(backordered.ok).toBe(true);
    const bill: XeroInvoiceDraft = {
      Type: 'ACCPAY',
      Contact: { Name: 'Opening Stock' },
      InvoiceNumber: uniq('OC-OPENING'),
      Date: today(sandbox),
      DueDate: today(sandbox),
      Status: 'AUTHORISED',
      LineAmountTypes: 'NoTax',
      LineItems: [
        { Description: 'Opening stock', Quantity: 5, UnitAmount: 4, ItemCode: code, TaxType: 'NONE' },
        { Description: 'Opening stock adjustment', Quantity: 1, UnitAmount: -20, AccountCode: '840', TaxType: 'NONE' },
      ],
    };
    const [posted] = await gateway.createInvoices([bill]);
    expect(posted.ok && posted.value).toMatchObject({ Total: 0, Status: 'PAID' });
    expect((await gateway.listItems()).find((i) => i.Code === code)?.QuantityOnHand).toBe(3);
    const docs = await gateway.listPurchaseDocuments();
    expect(docs.map((d) => ({ type: d.type, number: d.number, lines: d.lines }))).toEqual([{ type: 'ACCPAY', number: bill.InvoiceNumber, lines: [{ itemCode: code, quantity: 5 }] }]);
    // The sale is not a purchase; the lookup by number finds the bill (a lost answer is adopted).
    expect((await gateway.findInvoicesByNumbers([bill.InvoiceNumber])).map((i) => i.InvoiceNumber)).toEqual([bill.InvoiceNumber]);
  });

  it('the spec check this suite relies on is live: a request breaking the spec is recorded', async () => {
    const tokens = await store.loadTokens('store-1');
    await axios.put(`${sandbox.url}/api.xro/2.0/Invoices`, { Invoices: 'not-a-list' }, {
      headers: { Authorization: `Bearer ${tokens!.accessToken}`, 'xero-tenant-id': sandbox.tenants[0].tenantId },
      validateStatus: () => true,
    });
    expect(sandbox.violations().some((v) => v.direction === 'request' && v.method === 'PUT')).toBe(true);
    sandbox.resetViolations(); // that one was ours on purpose
  });

  it('usage() counts every HTTP call by endpoint and keeps the limit headers', async () => {
    const before = gateway.usage();
    await gateway.listAccounts();
    await gateway.listAccounts();
    const after = gateway.usage();
    expect(after.calls - before.calls).toBe(2);
    expect(after.callsByEndpoint['GET /Accounts']).toBe((before.callsByEndpoint['GET /Accounts'] ?? 0) + 2);
    expect(after.dayRemaining).toEqual(expect.any(Number));
    expect(after.minuteRemaining).toEqual(expect.any(Number));
  });
});
