import { api, first, Json, messages, useSandbox } from './sandbox.helper';

const ctx = useSandbox({ now: () => new Date('2026-11-23T12:00:00Z') });
const call = (method: string, path: string, body?: unknown) =>
  api(ctx.sandbox(), ctx.token(), method, path, body);

async function authorisedInvoice(total: number, extra: Json = {}): Promise<Json> {
  const res = await call('PUT', '/Invoices?summarizeErrors=false', {
    Invoices: [
      {
        Type: 'ACCREC',
        Contact: { Name: 'Ann Lee' },
        Status: 'AUTHORISED',
        LineAmountTypes: 'NoTax',
        LineItems: [{ Description: 'Goods', Quantity: 1, UnitAmount: total, AccountCode: '200' }],
        ...extra,
      },
    ],
  });
  const inv = first<Json>(res.body, 'Invoices');
  expect(inv.StatusAttributeString).toBe('OK');
  return inv;
}

async function pay(invoiceId: unknown, amount: number, account: Json = { Code: '090' }): Promise<Json> {
  const res = await call('PUT', '/Payments?summarizeErrors=false', {
    Payments: [
      {
        Invoice: { InvoiceID: invoiceId },
        Account: account,
        Amount: amount,
        Date: '2026-11-23',
        Reference: 'Order 1',
      },
    ],
  });
  expect(res.status).toBe(200);
  return first(res.body, 'Payments');
}

const getInvoice = async (id: unknown) =>
  first<Json>((await call('GET', `/Invoices/${String(id)}`)).body, 'Invoices');

describe('payments', () => {
  it('a partial then a full payment to the bank account: AmountDue falls, the invoice becomes PAID', async () => {
    const inv = await authorisedInvoice(100);
    const p1 = await pay(inv.InvoiceID, 40);
    expect(p1).toMatchObject({
      StatusAttributeString: 'OK',
      Amount: 40,
      PaymentType: 'ACCRECPAYMENT',
      Status: 'AUTHORISED',
      Account: { Code: '090' },
    });
    expect(await getInvoice(inv.InvoiceID)).toMatchObject({
      Status: 'AUTHORISED',
      AmountPaid: 40,
      AmountDue: 60,
    });
    await pay(inv.InvoiceID, 60);
    const paid = await getInvoice(inv.InvoiceID);
    expect(paid).toMatchObject({ Status: 'PAID', AmountPaid: 100, AmountDue: 0 });
    expect(paid.FullyPaidOnDate).toMatch(/^\/Date\(\d+\+0000\)\/$/);
    expect(paid.Payments).toHaveLength(2);
  });

  it('accepts an account with payments enabled (clearing), refuses other accounts', async () => {
    const inv = await authorisedInvoice(50);
    expect((await pay(inv.InvoiceID, 10, { Code: '880' })).StatusAttributeString).toBe('OK');
    const sales = await pay(inv.InvoiceID, 10, { Code: '200' });
    expect(messages(sales)).toEqual([
      'Account 200 is not a bank account and does not have "Enable payments to this account" set, so it cannot take payments.',
    ]);
    const missing = await pay(inv.InvoiceID, 10, { Code: '999' });
    expect(messages(missing)).toEqual([
      'The account for the payment could not be found: send Account.AccountID or Account.Code.',
    ]);
  });

  it('refuses more than the amount due, zero amounts and documents that are not AUTHORISED', async () => {
    const inv = await authorisedInvoice(20);
    expect(messages(await pay(inv.InvoiceID, 20.01))).toEqual([
      'Payment amount exceeds the amount outstanding on this document (20).',
    ]);
    expect(messages(await pay(inv.InvoiceID, 0))).toEqual(['The payment Amount must be greater than zero.']);
    const draft = await authorisedInvoice(20, { Status: 'DRAFT' });
    expect(messages(await pay(draft.InvoiceID, 5))).toEqual([
      'Payments can only be made against Authorised documents; this invoice is DRAFT.',
    ]);
    expect((await getInvoice(inv.InvoiceID)).AmountPaid).toBe(0);
  });

  it('no edits after PAID; no void while a payment exists; deleting the payment (POST Status DELETED) reopens the invoice and allows the void', async () => {
    const inv = await authorisedInvoice(30);
    const payment = await pay(inv.InvoiceID, 30);
    const edit = await call('POST', `/Invoices/${String(inv.InvoiceID)}`, {
      Invoices: [{ Reference: 'changed' }],
    });
    expect(edit.status).toBe(400);
    expect(messages(first(edit.body, 'Elements'))).toEqual([
      'This document cannot be edited as it has a payment or credit note allocated to it.',
    ]);
    const partial = await authorisedInvoice(30);
    await pay(partial.InvoiceID, 10);
    const voidPartial = await call('POST', `/Invoices/${String(partial.InvoiceID)}`, {
      Invoices: [{ Status: 'VOIDED' }],
    });
    expect(voidPartial.status).toBe(400);
    const deleted = await call('POST', `/Payments/${String(payment.PaymentID)}`, { Status: 'DELETED' });
    expect(deleted.status).toBe(200);
    expect(first(deleted.body, 'Payments')).toMatchObject({
      PaymentID: payment.PaymentID,
      Status: 'DELETED',
    });
    expect(await getInvoice(inv.InvoiceID)).toMatchObject({
      Status: 'AUTHORISED',
      AmountPaid: 0,
      AmountDue: 30,
    });
    const voided = await call('POST', `/Invoices/${String(inv.InvoiceID)}`, {
      Invoices: [{ Status: 'VOIDED' }],
    });
    expect(first(voided.body, 'Invoices')).toMatchObject({ Status: 'VOIDED' });
    const again = await call('POST', `/Payments/${String(payment.PaymentID)}`, { Status: 'DELETED' });
    expect(messages(first(again.body, 'Elements'))).toEqual(['This payment has already been deleted.']);
  });

  it('lists payments with paging and where', async () => {
    const inv = await authorisedInvoice(90);
    for (const amount of [10, 20, 30]) await pay(inv.InvoiceID, amount);
    const page = await call('GET', '/Payments?page=1&pageSize=2');
    expect((page.body.Payments as Json[]).map((p) => p.Amount)).toEqual([10, 20]);
    expect(page.body.pagination).toEqual({ page: 1, pageSize: 2, pageCount: 2, itemCount: 3 });
    const where = await call(
      'GET',
      `/Payments?where=${encodeURIComponent('Amount >= 20 AND Status=="AUTHORISED"')}`,
    );
    expect((where.body.Payments as Json[]).map((p) => p.Amount)).toEqual([20, 30]);
  });
});

describe('credit notes and allocations', () => {
  async function creditNote(total: number, extra: Json = {}): Promise<Json> {
    const res = await call('PUT', '/CreditNotes?summarizeErrors=false', {
      CreditNotes: [
        {
          Type: 'ACCRECCREDIT',
          Contact: { Name: 'Ann Lee' },
          Status: 'AUTHORISED',
          LineAmountTypes: 'Exclusive',
          LineItems: [
            { Description: 'Refund', Quantity: 1, UnitAmount: total, AccountCode: '200', TaxType: 'OUTPUT2' },
          ],
          ...extra,
        },
      ],
    });
    return first(res.body, 'CreditNotes');
  }
  const allocate = (cnId: unknown, invoiceId: unknown, amount: number) =>
    call('PUT', `/CreditNotes/${String(cnId)}/Allocations?summarizeErrors=false`, {
      Allocations: [{ Invoice: { InvoiceID: invoiceId }, Amount: amount, Date: '2026-11-23' }],
    });

  it('creates an ACCRECCREDIT with Xero arithmetic and a CN- number', async () => {
    const cn = await creditNote(10);
    expect(cn).toMatchObject({
      Type: 'ACCRECCREDIT',
      CreditNoteNumber: 'CN-0001',
      Status: 'AUTHORISED',
      SubTotal: 10,
      TotalTax: 2,
      Total: 12,
      RemainingCredit: 12,
    });
  });

  it('allocates within the remaining credit and the amount due; both documents become PAID when settled', async () => {
    const inv = await authorisedInvoice(12);
    const cn = await creditNote(10);
    const over = await allocate(cn.CreditNoteID, inv.InvoiceID, 12.01);
    expect(messages(first(over.body, 'Allocations'))).toEqual([
      'The allocation amount 12.01 exceeds the amount due on the invoice (12).',
      'The allocation amount 12.01 exceeds the remaining credit (12).',
    ]);
    const partial = await allocate(cn.CreditNoteID, inv.InvoiceID, 5);
    expect(first(partial.body, 'Allocations')).toMatchObject({
      StatusAttributeString: 'OK',
      Amount: 5,
      Invoice: { AmountDue: 7 },
      CreditNote: { RemainingCredit: 7 },
    });
    const rest = await allocate(cn.CreditNoteID, inv.InvoiceID, 7);
    expect(first(rest.body, 'Allocations')).toMatchObject({
      Invoice: { Status: 'PAID', AmountDue: 0 },
      CreditNote: { Status: 'PAID', RemainingCredit: 0 },
    });
    expect(await getInvoice(inv.InvoiceID)).toMatchObject({ Status: 'PAID', AmountCredited: 12 });
    const voidAttempt = await call('POST', `/Invoices/${String(inv.InvoiceID)}`, {
      Invoices: [{ Status: 'VOIDED' }],
    });
    expect(voidAttempt.status).toBe(400);
  });

  it("refuses allocations from a DRAFT credit note, to another contact's invoice, or in another currency", async () => {
    const inv = await authorisedInvoice(50);
    const draft = await creditNote(5, { Status: 'DRAFT' });
    expect(
      messages(first((await allocate(draft.CreditNoteID, inv.InvoiceID, 1)).body, 'Allocations')),
    ).toEqual(['Only an AUTHORISED credit note can be allocated; this one is DRAFT.']);
    const other = await creditNote(5, { Contact: { Name: 'Someone Else' } });
    expect(
      messages(first((await allocate(other.CreditNoteID, inv.InvoiceID, 1)).body, 'Allocations')),
    ).toEqual(['The credit note and the invoice must belong to the same contact.']);
    const usd = await creditNote(5, { CurrencyCode: 'USD', CurrencyRate: 1.3 });
    expect(messages(first((await allocate(usd.CreditNoteID, inv.InvoiceID, 1)).body, 'Allocations'))).toEqual(
      ['The credit note and the invoice must be in the same currency.'],
    );
  });

  it('a refund payment against a credit note uses up its credit', async () => {
    const cn = await creditNote(10);
    const res = await call('PUT', '/Payments?summarizeErrors=false', {
      Payments: [
        {
          CreditNote: { CreditNoteID: cn.CreditNoteID },
          Account: { Code: '090' },
          Amount: 12,
          Date: '2026-11-23',
        },
      ],
    });
    expect(first(res.body, 'Payments')).toMatchObject({
      StatusAttributeString: 'OK',
      PaymentType: 'ARCREDITPAYMENT',
    });
    const after = first<Json>(
      (await call('GET', `/CreditNotes/${String(cn.CreditNoteID)}`)).body,
      'CreditNotes',
    );
    expect(after).toMatchObject({ Status: 'PAID', RemainingCredit: 0 });
  });
  it('a paid invoice is refunded the way Xero books it: a credit note paid out from the bank; the invoice stays PAID with its payment', async () => {
    const inv = await authorisedInvoice(12);
    const payment = await pay(inv.InvoiceID, 12);
    expect(ctx.sandbox().reconcilePayment(String(payment.PaymentID))).toBe(true);
    const cn = await creditNote(10);
    const res = await call('PUT', '/Payments?summarizeErrors=false', {
      Payments: [
        {
          CreditNote: { CreditNoteID: cn.CreditNoteID },
          Account: { Code: '090' },
          Amount: 12,
          Date: '2026-11-24',
          Reference: 'Refund',
        },
      ],
    });
    expect(first(res.body, 'Payments')).toMatchObject({
      StatusAttributeString: 'OK',
      PaymentType: 'ARCREDITPAYMENT',
      Account: { Code: '090' },
      CreditNote: { CreditNoteID: cn.CreditNoteID },
      IsReconciled: false,
    });
    const note = first<Json>(
      (await call('GET', `/CreditNotes/${String(cn.CreditNoteID)}`)).body,
      'CreditNotes',
    );
    expect(note).toMatchObject({ Status: 'PAID', RemainingCredit: 0 });
    expect((note.Payments as Json[]).map((p) => p.Amount)).toEqual([12]);
    expect(await getInvoice(inv.InvoiceID)).toMatchObject({ Status: 'PAID', AmountPaid: 12, AmountDue: 0 });
    const listed = first<Json>(
      (await call('GET', `/Payments/${String(payment.PaymentID)}`)).body,
      'Payments',
    );
    expect(listed).toMatchObject({ IsReconciled: true, Status: 'AUTHORISED' });
  });

  it('a reconciled payment cannot be deleted (until it is unreconciled), so its invoice cannot be voided either', async () => {
    const inv = await authorisedInvoice(20);
    const payment = await pay(inv.InvoiceID, 20);
    const control = await fetch(
      `${ctx.sandbox().url}/__sandbox/payments/${String(payment.PaymentID)}/reconcile`,
      { method: 'POST' },
    );
    expect(control.status).toBe(200);
    const refused = await call('POST', `/Payments/${String(payment.PaymentID)}`, { Status: 'DELETED' });
    expect(refused.status).toBe(400);
    expect(messages(first(refused.body, 'Elements'))).toEqual([
      'This payment has been reconciled and cannot be deleted; unreconcile it in Xero first.',
    ]);
    expect(await getInvoice(inv.InvoiceID)).toMatchObject({ Status: 'PAID', AmountPaid: 20 });
    const voidAttempt = await call('POST', `/Invoices/${String(inv.InvoiceID)}`, {
      Invoices: [{ Status: 'VOIDED' }],
    });
    expect(voidAttempt.status).toBe(400);
    const unknown = await fetch(
      `${ctx.sandbox().url}/__sandbox/payments/00000000-0000-0000-0000-000000000000/reconcile`,
      { method: 'POST' },
    );
    expect(unknown.status).toBe(404);
    ctx.sandbox().reconcilePayment(String(payment.PaymentID), false);
    const deleted = await call('POST', `/Payments/${String(payment.PaymentID)}`, { Status: 'DELETED' });
    expect(first(deleted.body, 'Payments')).toMatchObject({ Status: 'DELETED' });
  });
});
