import {
  api,
  expectOnlyUuidPathViolations,
  expectOnlyViolationsOf,
  first,
  Json,
  messages,
  useSandbox,
} from './sandbox.helper';

const ctx = useSandbox({ now: () => new Date('2026-11-23T12:00:00Z') });
const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  api(ctx.sandbox(), ctx.token(), method, path, body, { headers });

function invoice(lines: Json[], extra: Json = {}): Json {
  return {
    Type: 'ACCREC',
    Contact: { Name: 'Ann Lee' },
    Date: '2026-11-20',
    DueDate: '2026-12-20',
    Status: 'AUTHORISED',
    LineItems: lines,
    ...extra,
  };
}
const line = (UnitAmount: number, extra: Json = {}): Json => ({
  Description: 'Widget',
  Quantity: 1,
  UnitAmount,
  AccountCode: '200',
  TaxType: 'OUTPUT2',
  ...extra,
});

async function create(inv: Json, query = 'summarizeErrors=false&unitdp=4'): Promise<Json> {
  const res = await call('PUT', `/Invoices?${query}`, { Invoices: [inv] });
  expect(res.status).toBe(200);
  return first(res.body, 'Invoices');
}

describe('invoice arithmetic (Xero rounds per line, half away from zero)', () => {
  it('1 x 12.3456 at 20% with unitdp=4 → 12.35 + 2.47 = 14.82, keeping the 4-dp unit price', async () => {
    const inv = await create(invoice([line(12.3456)]));
    expect(inv).toMatchObject({
      SubTotal: 12.35,
      TotalTax: 2.47,
      Total: 14.82,
      AmountDue: 14.82,
      StatusAttributeString: 'OK',
    });
    expect(first<Json>(inv, 'LineItems')).toMatchObject({
      UnitAmount: 12.3456,
      LineAmount: 12.35,
      TaxAmount: 2.47,
    });
    const plain = await call('GET', `/Invoices/${String(inv.InvoiceID)}`);
    expect(first<Json>(first(plain.body, 'Invoices'), 'LineItems').UnitAmount).toBe(12.35);
    const four = await call('GET', `/Invoices/${String(inv.InvoiceID)}?unitdp=4`);
    expect(first<Json>(first(four.body, 'Invoices'), 'LineItems').UnitAmount).toBe(12.3456);
  });

  it('without unitdp the unit price is rounded to 2 dp BEFORE multiplying (3 x 12.3456 → 37.05, not 37.04)', async () => {
    const two = await create(invoice([line(12.3456, { Quantity: 3 })]), 'summarizeErrors=false');
    expect(first<Json>(two, 'LineItems')).toMatchObject({
      UnitAmount: 12.35,
      LineAmount: 37.05,
      TaxAmount: 7.41,
    });
    const four = await create(invoice([line(12.3456, { Quantity: 3 })]));
    expect(first<Json>(four, 'LineItems')).toMatchObject({
      UnitAmount: 12.3456,
      LineAmount: 37.04,
      TaxAmount: 7.41,
    });
  });

  it('sums per-line rounded tax: three 0.125 lines at 20% → tax 0.09 (not 0.08 on the sum)', async () => {
    const inv = await create(invoice([line(0.125), line(0.125), line(0.125)]));
    expect(inv).toMatchObject({ SubTotal: 0.39, TotalTax: 0.09, Total: 0.48 });
  });

  it('Inclusive amounts: the tax is extracted per line and the Total is the sum of the lines', async () => {
    const inv = await create(
      invoice(
        [
          line(14.81),
          line(10.5, { Quantity: 2, TaxType: 'RROUTPUT' }),
          line(3.33, { TaxType: 'ZERORATEDOUTPUT' }),
        ],
        { LineAmountTypes: 'Inclusive' },
      ),
    );
    expect((inv.LineItems as Json[]).map((l) => [l.LineAmount, l.TaxAmount])).toEqual([
      [14.81, 2.47],
      [21, 1],
      [3.33, 0],
    ]);
    expect(inv).toMatchObject({
      LineAmountTypes: 'Inclusive',
      Total: 39.14,
      TotalTax: 3.47,
      SubTotal: 35.67,
    });
  });

  it('NoTax carries no tax, DiscountRate reduces the line, and a Total that does not match is ignored', async () => {
    const inv = await create(
      invoice([line(10, { Quantity: 2, DiscountRate: 12.5 })], { Total: 999, SubTotal: 1, TotalTax: 1 }),
    );
    expect(inv).toMatchObject({ SubTotal: 17.5, TotalTax: 3.5, Total: 21 });
    const noTax = await create(invoice([line(10)], { LineAmountTypes: 'NoTax' }));
    expect(noTax).toMatchObject({ SubTotal: 10, TotalTax: 0, Total: 10 });
  });

  it('foreign currency: CurrencyCode with the rate sent, or the daily rate when none is sent; unknown currencies refused', async () => {
    const usd = await create(invoice([line(100)], { CurrencyCode: 'USD', CurrencyRate: 1.25 }));
    expect(usd).toMatchObject({ CurrencyCode: 'USD', CurrencyRate: 1.25, Total: 120 });
    const daily = await create(invoice([line(100)], { CurrencyCode: 'EUR' }));
    expect(daily).toMatchObject({ CurrencyCode: 'EUR', CurrencyRate: 1.16 });
    const gbp = await create(invoice([line(1)]));
    expect(gbp).toMatchObject({ CurrencyCode: 'GBP', CurrencyRate: 1 });
    const jpy = await create(invoice([line(100)], { CurrencyCode: 'JPY' }));
    expect(jpy.StatusAttributeString).toBe('ERROR');
    expect(messages(jpy)).toEqual(['The currency JPY has not been added to this organisation.']);
  });
});

describe('invoice rules', () => {
  it('InvoiceNumber is unique, also against voided invoices: a voided number cannot be reused', async () => {
    const a = await create(invoice([line(10)], { InvoiceNumber: 'OC-1001' }));
    const dup = await create(invoice([line(10)], { InvoiceNumber: 'oc-1001' }));
    expect(messages(dup)).toEqual(['Invoice # must be unique.']);
    const voided = await call('POST', `/Invoices/${String(a.InvoiceID)}`, {
      Invoices: [{ Status: 'VOIDED' }],
    });
    expect(first(voided.body, 'Invoices')).toMatchObject({ Status: 'VOIDED', AmountDue: 0 });
    const reuse = await create(invoice([line(10)], { InvoiceNumber: 'OC-1001' }));
    expect(messages(reuse)).toEqual(['Invoice # must be unique.']);
    const upsert = await call('POST', '/Invoices?summarizeErrors=false', {
      Invoices: [invoice([line(10)], { InvoiceNumber: 'OC-1001' })],
    });
    expect(messages(first(upsert.body, 'Invoices'))).toEqual([
      'Invoice not of valid status for modification',
    ]);
  });

  it('an AUTHORISED invoice with a zero total is PAID at once (nothing to pay)', async () => {
    const zero = await create(invoice([line(0)]));
    expect(zero).toMatchObject({ Total: 0, AmountDue: 0, Status: 'PAID' });
  });

  it('changing LineAmountTypes alone recomputes the kept lines', async () => {
    const inv = await create(invoice([line(12)], { InvoiceNumber: 'LAT-1' }));
    expect(inv).toMatchObject({ Total: 14.4, TotalTax: 2.4 });
    const res = await call('POST', `/Invoices/${String(inv.InvoiceID)}`, {
      Invoices: [{ LineAmountTypes: 'Inclusive' }],
    });
    expect(first(res.body, 'Invoices')).toMatchObject({
      LineAmountTypes: 'Inclusive',
      Total: 12,
      TotalTax: 2,
      SubTotal: 10,
    });
  });

  it('numbers ACCREC invoices INV-0001… when none is sent', async () => {
    const a = await create(invoice([line(1)]));
    const b = await create(invoice([line(1)]));
    expect([a.InvoiceNumber, b.InvoiceNumber]).toEqual(['INV-0001', 'INV-0002']);
  });

  it('status transitions: DRAFT → SUBMITTED → AUTHORISED; DRAFT/SUBMITTED → DELETED; AUTHORISED → VOIDED only; nothing after VOIDED', async () => {
    const draft = await create(invoice([line(10)], { Status: 'DRAFT', InvoiceNumber: 'T-1' }));
    expect(draft.Status).toBe('DRAFT');
    // POST /Invoices/{id} has no summarizeErrors: errors come back as a 400 ValidationException.
    const post = async (id: unknown, body: Json) =>
      (await call('POST', `/Invoices/${String(id)}`, { Invoices: [body] })).body;
    const refused = async (id: unknown, body: Json) => {
      const res = await call('POST', `/Invoices/${String(id)}`, { Invoices: [body] });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        ErrorNumber: 10,
        Type: 'ValidationException',
        Message: 'A validation exception occurred',
      });
      return messages(first(res.body, 'Elements'));
    };
    expect(first<Json>(await post(draft.InvoiceID, { Status: 'SUBMITTED' }), 'Invoices').Status).toBe(
      'SUBMITTED',
    );
    expect(first<Json>(await post(draft.InvoiceID, { Status: 'AUTHORISED' }), 'Invoices').Status).toBe(
      'AUTHORISED',
    );
    expect(await refused(draft.InvoiceID, { Status: 'DELETED' })).toEqual([
      'An AUTHORISED invoice cannot be deleted: void it (Status VOIDED) instead.',
    ]);
    expect(await refused(draft.InvoiceID, { Status: 'DRAFT' })).toEqual([
      'An invoice with status AUTHORISED cannot be changed to status DRAFT.',
    ]);
    expect(first<Json>(await post(draft.InvoiceID, { Status: 'VOIDED' }), 'Invoices').Status).toBe('VOIDED');
    expect(await refused(draft.InvoiceID, { Reference: 'edit' })).toEqual([
      'Invoice not of valid status for modification',
    ]);
    const submitted = await create(invoice([line(10)], { Status: 'SUBMITTED' }));
    expect(first<Json>(await post(submitted.InvoiceID, { Status: 'DELETED' }), 'Invoices').Status).toBe(
      'DELETED',
    );
    const paidOnCreate = await create(invoice([line(10)], { Status: 'PAID' }));
    expect(messages(paidOnCreate)).toEqual([
      'A new invoice must have status DRAFT, SUBMITTED or AUTHORISED, not PAID.',
    ]);
  });

  it('POST updates an AUTHORISED invoice without payments (by InvoiceID or by InvoiceNumber) and recomputes totals', async () => {
    const inv = await create(invoice([line(10)], { InvoiceNumber: 'U-1' }));
    const byNumber = await call('POST', '/Invoices?summarizeErrors=false&unitdp=4', {
      Invoices: [{ InvoiceNumber: 'U-1', LineItems: [line(20)], Reference: 'updated' }],
    });
    const updated = first<Json>(byNumber.body, 'Invoices');
    expect(updated).toMatchObject({
      InvoiceID: inv.InvoiceID,
      Reference: 'updated',
      Total: 24,
      Status: 'AUTHORISED',
    });
    const all = await call('GET', '/Invoices');
    expect((all.body.Invoices as Json[]).length).toBe(1);
  });

  it('POST /Invoices with InvoiceIDs in a batch (summarizeErrors=false): a DRAFT is updated and authorised, a part-paid AUTHORISED one is refused per element and kept as it was', async () => {
    const draft = await create(invoice([line(10)], { InvoiceNumber: 'B-1', Status: 'DRAFT' }));
    const partPaid = await create(invoice([line(10)], { InvoiceNumber: 'B-2' }));
    const pay = await call('PUT', '/Payments', {
      Payments: [
        {
          Invoice: { InvoiceID: partPaid.InvoiceID },
          Account: { Code: '090' },
          Date: '2026-11-21',
          Amount: 5,
        },
      ],
    });
    expect(pay.status).toBe(200);
    const res = await call('POST', '/Invoices?summarizeErrors=false&unitdp=4', {
      Invoices: [
        {
          InvoiceID: draft.InvoiceID,
          InvoiceNumber: 'B-1',
          Status: 'AUTHORISED',
          LineItems: [line(10, { Quantity: 2 })],
        },
        {
          InvoiceID: partPaid.InvoiceID,
          InvoiceNumber: 'B-2',
          Status: 'AUTHORISED',
          LineItems: [line(10, { Quantity: 2 })],
        },
      ],
    });
    expect(res.status).toBe(200);
    const [a, b] = res.body.Invoices as Json[];
    expect(a).toMatchObject({
      InvoiceID: draft.InvoiceID,
      StatusAttributeString: 'OK',
      Status: 'AUTHORISED',
      Total: 24,
      AmountDue: 24,
    });
    expect(b).toMatchObject({ StatusAttributeString: 'ERROR' });
    expect(messages(b)).toEqual([
      'This document cannot be edited as it has a payment or credit note allocated to it.',
    ]);
    const kept = first<Json>((await call('GET', `/Invoices/${String(partPaid.InvoiceID)}`)).body, 'Invoices');
    expect(kept).toMatchObject({ Total: 12, AmountPaid: 5, AmountDue: 7, Status: 'AUTHORISED' });
  });

  it("gets an invoice by id or by number; an unknown one is Xero's plain-text 404", async () => {
    const inv = await create(invoice([line(10)], { InvoiceNumber: 'G-1' }));
    expect(first((await call('GET', `/Invoices/${String(inv.InvoiceID)}`)).body, 'Invoices')).toMatchObject({
      InvoiceNumber: 'G-1',
    });
    expect(first((await call('GET', '/Invoices/G-1')).body, 'Invoices')).toMatchObject({
      InvoiceID: inv.InvoiceID,
    });
    expectOnlyUuidPathViolations(ctx.sandbox(), 1); // the spec types the path parameter as a uuid; Xero also takes the number
    const missing = await call('GET', '/Invoices/7d3c1b2a-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe("The resource you're looking for cannot be found");
  });

  it('validates lines: unknown/archived/bank accounts, unknown tax types, missing descriptions, unknown items', async () => {
    const res = await call('PUT', '/Invoices?summarizeErrors=false', {
      Invoices: [
        invoice([line(1, { AccountCode: '999' })]),
        invoice([line(1, { AccountCode: '201' })]),
        invoice([line(1, { AccountCode: '090' })]),
        invoice([line(1, { TaxType: 'OUTPUT9' })]),
        invoice([line(1, { Description: undefined })]),
        invoice([line(1, { ItemCode: 'NOPE' })]),
        { Type: 'ACCREC', LineItems: [line(1)] },
      ],
    });
    const errors = (res.body.Invoices as Json[]).map(messages);
    expect(errors).toEqual([
      ["Account code '999' is not a valid code for this document."],
      [
        "Account code '201' has been archived, or has been deleted. Each line item must reference a valid account.",
      ],
      ["Account code '090' is a bank account and cannot be used on a line item."],
      ["The TaxType code 'OUTPUT9' does not exist or cannot be used for this type of transaction."],
      ['The description field is mandatory for each line item.'],
      ["Item code 'NOPE' is not valid."],
      [
        'The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber',
      ],
    ]);
    expect((await call('GET', '/Invoices')).body.Invoices).toEqual([]);
    expect((await call('GET', '/Contacts')).body.Contacts).toEqual([]);
  });

  it('enforces InvoiceNumber 255, Reference 255 and line Description 4000', async () => {
    const res = await call('PUT', '/Invoices?summarizeErrors=false', {
      Invoices: [
        invoice([line(1)], { InvoiceNumber: 'n'.repeat(256) }),
        invoice([line(1)], { Reference: 'r'.repeat(256) }),
        invoice([line(1, { Description: 'd'.repeat(4001) })]),
        invoice([line(1, { Description: 'd'.repeat(4000) })], { InvoiceNumber: 'n'.repeat(255) }),
      ],
    });
    expect((res.body.Invoices as Json[]).map(messages)).toEqual([
      ['Invoice Number must not be more than 255 characters long.'],
      ['Reference must not be more than 255 characters long.'],
      ['The Description of line 1 must not be more than 4000 characters long.'],
      [],
    ]);
    expectOnlyViolationsOf(ctx.sandbox(), 'maxLength', true);
  });

  it('a contact named on an invoice that does not exist yet is created, and reused next time', async () => {
    await create(invoice([line(1)], { Contact: { Name: 'New Customer Ltd' } }));
    await create(invoice([line(1)], { Contact: { Name: 'new customer ltd' } }));
    const contacts = (await call('GET', '/Contacts')).body.Contacts as Json[];
    expect(contacts.map((c) => c.Name)).toEqual(['New Customer Ltd']);
    expect(contacts[0].IsCustomer).toBe(true);
  });
});

describe('invoice lists', () => {
  async function seedInvoices(): Promise<Json[]> {
    const contact = first<Json>(
      (await call('PUT', '/Contacts', { Contacts: [{ Name: 'Bob' }] })).body,
      'Contacts',
    );
    const out: Json[] = [];
    for (let i = 1; i <= 5; i++) {
      out.push(
        await create(
          invoice([line(i)], {
            InvoiceNumber: `L-${i}`,
            Status: i % 2 ? 'AUTHORISED' : 'DRAFT',
            Contact: i > 3 ? { ContactID: contact.ContactID } : { Name: 'Ann Lee' },
          }),
        ),
      );
    }
    return out;
  }
  const numbers = (body: Json) => (body.Invoices as Json[]).map((i) => i.InvoiceNumber);

  it('filters by InvoiceNumbers, IDs, ContactIDs and Statuses', async () => {
    const all = await seedInvoices();
    expect(numbers((await call('GET', '/Invoices?InvoiceNumbers=L-2,L-4,nope')).body)).toEqual([
      'L-2',
      'L-4',
    ]);
    expect(
      numbers(
        (await call('GET', `/Invoices?IDs=${String(all[0].InvoiceID)},${String(all[4].InvoiceID)}`)).body,
      ),
    ).toEqual(['L-1', 'L-5']);
    const bob = (all[4].Contact as Json).ContactID;
    expect(numbers((await call('GET', `/Invoices?ContactIDs=${String(bob)}`)).body)).toEqual(['L-4', 'L-5']);
    expect(numbers((await call('GET', '/Invoices?Statuses=DRAFT')).body)).toEqual(['L-2', 'L-4']);
    expect(
      numbers((await call('GET', '/Invoices?Statuses=AUTHORISED&ContactIDs=' + String(bob))).body),
    ).toEqual(['L-5']);
  });

  it('filters with where expressions (AND / OR, nested fields, Guid())', async () => {
    const all = await seedInvoices();
    const bob = String((all[4].Contact as Json).ContactID);
    const where = (w: string) => call('GET', `/Invoices?where=${encodeURIComponent(w)}`);
    expect(numbers((await where('InvoiceNumber=="L-1" OR InvoiceNumber=="L-3"')).body)).toEqual([
      'L-1',
      'L-3',
    ]);
    expect(numbers((await where(`Status=="DRAFT" AND Contact.ContactID==Guid("${bob}")`)).body)).toEqual([
      'L-4',
    ]);
    expect(numbers((await where('Total > 4.8')).body)).toEqual(['L-5']);
    const bad = await where('Status="DRAFT"');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ ErrorNumber: 16, Type: 'QueryParseException' });
  });

  it('pages with page/pageSize and a pagination block; line items only come with paging', async () => {
    await seedInvoices();
    const page2 = await call('GET', '/Invoices?page=2&pageSize=2');
    expect(numbers(page2.body)).toEqual(['L-3', 'L-4']);
    expect(page2.body.pagination).toEqual({ page: 2, pageSize: 2, pageCount: 3, itemCount: 5 });
    expect((page2.body.Invoices as Json[])[0].LineItems).toHaveLength(1);
    const unpaged = await call('GET', '/Invoices');
    expect((unpaged.body.Invoices as Json[])[0].LineItems).toBeUndefined();
    expect(unpaged.body.pagination).toBeUndefined();
  });

  it('If-Modified-Since returns only what changed after that moment (sandbox clock)', async () => {
    await seedInvoices();
    const since = ctx.sandbox().clock.now();
    ctx.sandbox().clock.advance(60_000);
    await call('POST', '/Invoices/L-2', { Invoices: [{ Status: 'DELETED' }] });
    expectOnlyUuidPathViolations(ctx.sandbox(), 1); // InvoiceNumber in the path is accepted by Xero, typed uuid by the spec
    const changed = await call('GET', '/Invoices', undefined, { 'If-Modified-Since': since.toISOString() });
    expect(numbers(changed.body)).toEqual(['L-2']);
  });
});
