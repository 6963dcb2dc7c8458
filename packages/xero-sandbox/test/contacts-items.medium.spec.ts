import { api, expectOnlyViolationsOf, first, Json, messages, useSandbox } from './sandbox.helper';

const ctx = useSandbox({ now: () => new Date('2026-11-23T12:00:00Z') });
const call = (method: string, path: string, body?: unknown) =>
  api(ctx.sandbox(), ctx.token(), method, path, body);
const putContacts = async (contacts: Json[]) =>
  (await call('PUT', '/Contacts?summarizeErrors=false', { Contacts: contacts })).body.Contacts as Json[];
const names = (body: Json) => (body.Contacts as Json[]).map((c) => c.Name);

describe('contacts', () => {
  it('a Name must be unique among ACTIVE contacts (ignoring case); an archived contact frees its name', async () => {
    const [a] = await putContacts([{ Name: 'Smith & Sons', ContactNumber: 'oc-1' }]);
    const [dup] = await putContacts([{ Name: 'SMITH & SONS' }]);
    expect(messages(dup)).toEqual([
      'The contact name SMITH & SONS is already assigned to another contact. The contact name must be unique across all active contacts.',
    ]);
    const archived = await call('POST', `/Contacts/${String(a.ContactID)}`, {
      Contacts: [{ ContactStatus: 'ARCHIVED' }],
    });
    expect(first(archived.body, 'Contacts')).toMatchObject({ ContactStatus: 'ARCHIVED' });
    const [again] = await putContacts([{ Name: 'Smith & Sons' }]);
    expect(again.StatusAttributeString).toBe('OK');
    expect(names((await call('GET', '/Contacts')).body)).toEqual(['Smith & Sons']);
    expect(names((await call('GET', '/Contacts?includeArchived=true')).body)).toEqual([
      'Smith & Sons',
      'Smith & Sons',
    ]);
  });

  it('POST updates by ContactID or by ContactNumber instead of creating a second contact', async () => {
    const [a] = await putContacts([
      { Name: 'Ann Lee', ContactNumber: 'oc-7', EmailAddress: 'ann@example.com' },
    ]);
    const res = await call('POST', '/Contacts?summarizeErrors=false', {
      Contacts: [{ ContactNumber: 'oc-7', Name: 'Ann Lee-Smith' }],
    });
    expect(first(res.body, 'Contacts')).toMatchObject({
      ContactID: a.ContactID,
      Name: 'Ann Lee-Smith',
      EmailAddress: 'ann@example.com',
    });
    expect((await call('GET', '/Contacts')).body.Contacts).toHaveLength(1);
    const inv = await call('PUT', '/Invoices', {
      Invoices: [
        {
          Type: 'ACCREC',
          Contact: { ContactNumber: 'oc-7' },
          LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 1, AccountCode: '200' }],
        },
      ],
    });
    await call('POST', `/Contacts/${String(a.ContactID)}`, { Contacts: [{ Name: 'Ann Smith' }] });
    const fetched = await call('GET', `/Invoices/${String(first<Json>(inv.body, 'Invoices').InvoiceID)}`);
    expect(first<Json>(fetched.body, 'Invoices').Contact).toMatchObject({
      ContactID: a.ContactID,
      Name: 'Ann Smith',
    });
  });

  it("enforces Xero's field limits with clear messages (Name 255, ContactNumber 50, e-mail format)", async () => {
    const [long, number, email, blank] = await putContacts([
      { Name: 'x'.repeat(256) },
      { Name: 'ok', ContactNumber: 'n'.repeat(51) },
      { Name: 'ok2', EmailAddress: 'not-an-email' },
      { Name: '  ' },
    ]);
    expect(messages(long)).toEqual(['The Contact Name must not be more than 255 characters long.']);
    expect(messages(number)).toEqual(['The Contact Number must not be more than 50 characters long.']);
    expect(messages(email)).toEqual(['Email address must be valid.']);
    expect(messages(blank)).toEqual(['The contact name must be specified.']);
    // The spec knows these limits too: the request (and the echo of the refused element) break it.
    expectOnlyViolationsOf(ctx.sandbox(), 'maxLength');
    const [address] = await putContacts([
      {
        Name: 'ok3',
        Addresses: [{ AddressType: 'STREET', AddressLine1: 'a'.repeat(501), PostalCode: 'p'.repeat(51) }],
        Phones: [{ PhoneType: 'DEFAULT', PhoneNumber: '1'.repeat(51) }],
      },
    ]);
    expect(messages(address)).toEqual([
      'Address 1 AddressLine1 must not be more than 500 characters long.',
      'Address 1 PostalCode must not be more than 50 characters long.',
      'Phone 1 PhoneNumber must not be more than 50 characters long.',
    ]);
    expectOnlyViolationsOf(ctx.sandbox(), 'maxLength');
    const [exact] = await putContacts([{ Name: 'y'.repeat(255), ContactNumber: 'n'.repeat(50) }]);
    expect(exact.StatusAttributeString).toBe('OK');
  });

  it('finds contacts with the where forms a client uses, IDs, searchTerm and paging', async () => {
    const created = await putContacts([
      { Name: 'Ann', ContactNumber: 'oc-1', EmailAddress: 'ann@example.com' },
      { Name: 'Bob', ContactNumber: 'oc-2', EmailAddress: 'bob@example.com' },
      { Name: 'Cy "Quoted"', ContactNumber: 'oc-3' },
    ]);
    const where = async (w: string) =>
      names((await call('GET', `/Contacts?where=${encodeURIComponent(w)}`)).body);
    expect(await where('ContactNumber=="oc-2"')).toEqual(['Bob']);
    expect(await where('Name=="ann"')).toEqual(['Ann']);
    expect(await where('EmailAddress=="BOB@example.com"')).toEqual(['Bob']);
    expect(await where('ContactNumber=="oc-1" OR EmailAddress=="bob@example.com"')).toEqual(['Ann', 'Bob']);
    expect(await where('ContactNumber=="oc-1" AND Name=="Bob"')).toEqual([]);
    expect(await where('Name=="Cy \\"Quoted\\""')).toEqual(['Cy "Quoted"']);
    expect(names((await call('GET', `/Contacts?IDs=${String(created[2].ContactID)}`)).body)).toEqual([
      'Cy "Quoted"',
    ]);
    expect(names((await call('GET', '/Contacts?searchTerm=example')).body)).toEqual(['Ann', 'Bob']);
    const page = await call('GET', '/Contacts?page=2&pageSize=2');
    expect(names(page.body)).toEqual(['Cy "Quoted"']);
    expect(page.body.pagination).toEqual({ page: 2, pageSize: 2, pageCount: 2, itemCount: 3 });
  });
});

describe('items and tracked inventory', () => {
  const trackedItem = {
    Code: 'WIDGET',
    Name: 'Widget',
    Description: 'A widget',
    InventoryAssetAccountCode: '630',
    PurchaseDetails: { COGSAccountCode: '310', UnitPrice: 4 },
    SalesDetails: { UnitPrice: 10, AccountCode: '200', TaxType: 'OUTPUT2' },
    QuantityOnHand: 999,
  };
  const invoice = (type: string, quantity: number, extra: Json = {}) => ({
    Type: type,
    Contact: { Name: type === 'ACCPAY' ? 'Supplier Ltd' : 'Ann Lee' },
    Status: 'AUTHORISED',
    LineItems: [{ ItemCode: 'WIDGET', Quantity: quantity, UnitAmount: type === 'ACCPAY' ? 4 : 10 }],
    ...extra,
  });
  const item = async () =>
    first<Json>((await call('GET', `/Items?where=${encodeURIComponent('Code=="WIDGET"')}`)).body, 'Items');

  it('a tracked item needs an inventory account and a COGS account; QuantityOnHand cannot be set', async () => {
    const res = await call('PUT', '/Items?summarizeErrors=false', {
      Items: [trackedItem, { Code: 'BAD', InventoryAssetAccountCode: '200', PurchaseDetails: {} }],
    });
    const [good, bad] = res.body.Items as Json[];
    expect(good).toMatchObject({
      Code: 'WIDGET',
      IsTrackedAsInventory: true,
      QuantityOnHand: 0,
      TotalCostPool: 0,
      StatusAttributeString: 'OK',
    });
    expect(messages(bad)).toEqual([
      "InventoryAssetAccountCode '200' must be an active account of type Inventory.",
      'A tracked inventory item needs PurchaseDetails.COGSAccountCode.',
    ]);
  });

  it('enforces Code 30, Name 50, Description 4000 and unique codes', async () => {
    const res = await call('PUT', '/Items?summarizeErrors=false', {
      Items: [
        { Code: 'c'.repeat(31) },
        { Code: 'A', Name: 'n'.repeat(51) },
        { Code: 'B', Description: 'd'.repeat(4001) },
        { Code: 'C' },
        { Code: 'c' },
      ],
    });
    expect((res.body.Items as Json[]).map(messages)).toEqual([
      ['The Code field must not be more than 30 characters long.'],
      ['The Name field must not be more than 50 characters long.'],
      ['The Description field must not be more than 4000 characters long.'],
      [],
      ["Item code 'c' already exists."],
    ]);
    expectOnlyViolationsOf(ctx.sandbox(), 'maxLength');
    const where = await call('GET', `/Items?where=${encodeURIComponent('Code=="C"')}`);
    expect((where.body.Items as Json[]).map((i) => i.Code)).toEqual(['C']);
  });

  it('bills add stock, AUTHORISED sales reduce it, overselling is refused unless allowBackorders=true, voids give it back', async () => {
    await call('PUT', '/Items', { Items: [trackedItem] });
    await call('PUT', '/Invoices?summarizeErrors=false', { Invoices: [invoice('ACCPAY', 5)] });
    // A bill of 5 at 4: the stock and its cost (ex tax) go into the item.
    expect(await item()).toMatchObject({ QuantityOnHand: 5, TotalCostPool: 20 });
    const sale = first<Json>(
      (await call('PUT', '/Invoices?summarizeErrors=false', { Invoices: [invoice('ACCREC', 3)] })).body,
      'Invoices',
    );
    expect(sale).toMatchObject({ StatusAttributeString: 'OK', Total: 36 });
    expect((await item()).QuantityOnHand).toBe(2);
    const oversell = first<Json>(
      (await call('PUT', '/Invoices?summarizeErrors=false', { Invoices: [invoice('ACCREC', 3)] })).body,
      'Invoices',
    );
    expect(messages(oversell)).toEqual([
      "The quantity on hand for item 'WIDGET' would fall below zero (on hand 2, this invoice needs 3). Send allowBackorders=true to allow it.",
    ]);
    const draft = first<Json>(
      (
        await call('PUT', '/Invoices?summarizeErrors=false', {
          Invoices: [invoice('ACCREC', 3, { Status: 'DRAFT' })],
        })
      ).body,
      'Invoices',
    );
    expect(draft.StatusAttributeString).toBe('OK');
    expect((await item()).QuantityOnHand).toBe(2);
    const backorder = first<Json>(
      (
        await call('PUT', '/Invoices?summarizeErrors=false&allowBackorders=true', {
          Invoices: [invoice('ACCREC', 3)],
        })
      ).body,
      'Invoices',
    );
    expect(backorder.StatusAttributeString).toBe('OK');
    expect((await item()).QuantityOnHand).toBe(-1);
    await call('POST', `/Invoices/${String(sale.InvoiceID)}`, { Invoices: [{ Status: 'VOIDED' }] });
    expect((await item()).QuantityOnHand).toBe(2);
  });

  it('an inventory adjustment bill (item line + negative offset line, total 0) adds the opening stock at its cost and is PAID at once', async () => {
    await call('PUT', '/Items', { Items: [trackedItem] });
    const adjustment = {
      Type: 'ACCPAY',
      Contact: { Name: 'Opening Stock' },
      InvoiceNumber: 'OC-OPENING-1',
      Status: 'AUTHORISED',
      LineAmountTypes: 'NoTax',
      LineItems: [
        { ItemCode: 'WIDGET', Description: 'Opening stock: Widget', Quantity: 12, UnitAmount: 4, TaxType: 'NONE' },
        { Description: 'Opening stock adjustment', Quantity: 1, UnitAmount: -48, AccountCode: '840', TaxType: 'NONE' },
      ],
    };
    const bill = first<Json>((await call('PUT', '/Invoices?summarizeErrors=false', { Invoices: [adjustment] })).body, 'Invoices');
    expect(bill).toMatchObject({ StatusAttributeString: 'OK', Type: 'ACCPAY', Status: 'PAID', Total: 0, AmountDue: 0 });
    // The tracked line goes to the item's inventory asset account.
    expect((bill.LineItems as Json[])[0]).toMatchObject({ AccountCode: '630', LineAmount: 48 });
    expect(await item()).toMatchObject({ QuantityOnHand: 12, TotalCostPool: 48 });
    // Bills are listed with their lines when paged, filtered by Type and status.
    const listed = await call(
      'GET',
      `/Invoices?where=${encodeURIComponent('Type=="ACCPAY"')}&Statuses=AUTHORISED,PAID&page=1&pageSize=100&unitdp=4`,
    );
    expect((listed.body.Invoices as Json[]).map((i) => [i.InvoiceNumber, (i.LineItems as Json[]).length])).toEqual([['OC-OPENING-1', 2]]);
    // A supplier credit note takes stock (and its cost) away.
    const credit = {
      Type: 'ACCPAYCREDIT',
      Contact: { Name: 'Supplier Ltd' },
      Status: 'AUTHORISED',
      LineAmountTypes: 'NoTax',
      LineItems: [{ ItemCode: 'WIDGET', Description: 'Returned', Quantity: 2, UnitAmount: 4, TaxType: 'NONE' }],
    };
    const cn = first<Json>((await call('PUT', '/CreditNotes?summarizeErrors=false', { CreditNotes: [credit] })).body, 'CreditNotes');
    expect(cn.StatusAttributeString).toBe('OK');
    expect(await item()).toMatchObject({ QuantityOnHand: 10, TotalCostPool: 40 });
    const credits = await call(
      'GET',
      `/CreditNotes?where=${encodeURIComponent('Type=="ACCPAYCREDIT" AND (Status=="AUTHORISED" OR Status=="PAID")')}&page=1&pageSize=100&unitdp=4`,
    );
    expect((credits.body.CreditNotes as Json[]).map((c) => (c.LineItems as Json[])[0]!.Quantity)).toEqual([2]);
  });

  it('POST /Items updates by Code and ignores QuantityOnHand', async () => {
    await call('PUT', '/Items', { Items: [trackedItem] });
    const res = await call('POST', '/Items?summarizeErrors=false', {
      Items: [{ Code: 'WIDGET', Name: 'Widget v2', QuantityOnHand: 50 }],
    });
    expect(first(res.body, 'Items')).toMatchObject({
      Name: 'Widget v2',
      QuantityOnHand: 0,
      IsTrackedAsInventory: true,
    });
    expect((await call('GET', '/Items')).body.Items).toHaveLength(1);
  });
});
