import { ObjectSerializer } from 'xero-node';
import type { XeroContactDraft, XeroCreditNoteDraft, XeroInvoiceDraft, XeroItemDraft, XeroPaymentDraft } from '@oc-xero/sync-core';
import { fromXeroModel, invoiceOf, toXeroModel } from './xero-model.mapper';

const draft: XeroInvoiceDraft = {
  Type: 'ACCREC',
  Contact: { ContactID: '5b96e86b-418e-48e8-8949-308c14aec278' },
  InvoiceNumber: 'OC-42',
  Reference: 'Order 42',
  Date: '2024-03-01',
  DueDate: '2024-03-31',
  Status: 'AUTHORISED',
  LineAmountTypes: 'Exclusive',
  CurrencyCode: 'EUR',
  CurrencyRate: 1.1612,
  LineItems: [
    { Description: 'Apple Cinema 30"', Quantity: 2, UnitAmount: 12.3456, AccountCode: '200', TaxType: 'OUTPUT2', DiscountRate: 10, Tracking: [{ Name: 'Region', Option: 'North' }] },
  ],
};

describe('xero-node ObjectSerializer mapping', () => {
  it('a draft becomes the xero-node model (camelCase) and serialises back to the same JSON', () => {
    const model = toXeroModel<{ invoiceNumber: string; lineItems: Array<{ unitAmount: number; tracking: Array<{ option: string }> }>; contact: { contactID: string } }>(draft, 'Invoice');
    expect(model.invoiceNumber).toBe('OC-42');
    expect(model.lineItems[0].unitAmount).toBe(12.3456);
    expect(model.lineItems[0].tracking[0].option).toBe('North');
    expect(model.contact.contactID).toBe(draft.Contact.ContactID);
    expect(fromXeroModel(model, 'Invoice')).toEqual(draft);
    // What createInvoices puts on the wire:
    expect(JSON.parse(JSON.stringify(ObjectSerializer.serialize({ invoices: [model] }, 'Invoices')))).toEqual({ Invoices: [draft] });
  });

  it('contacts keep addresses and phones', () => {
    const contact: XeroContactDraft = {
      Name: 'Smith & Sons',
      ContactNumber: 'oc-customer-7',
      EmailAddress: 'a@b.c',
      Addresses: [{ AddressType: 'POBOX', AddressLine1: '1 High St', City: 'Leeds', PostalCode: 'LS1', Country: 'GB' }],
      Phones: [{ PhoneType: 'DEFAULT', PhoneNumber: '0113' }],
      IsCustomer: true,
    };
    expect(fromXeroModel(toXeroModel(contact, 'Contact'), 'Contact')).toEqual(contact);
  });

  // A field the SDK's model lacks would be dropped silently on the way out: every draft type must
  // survive the round trip whole.
  it('items, payments and credit notes survive the round trip with every field', () => {
    const item: XeroItemDraft = {
      Code: 'HTC-TOUCH',
      Name: 'HTC Touch HD',
      Description: 'Phone',
      IsSold: true,
      IsPurchased: true,
      SalesDetails: { UnitPrice: 100.1234, AccountCode: '200', TaxType: 'OUTPUT2' },
      PurchaseDetails: { UnitPrice: 50, AccountCode: '310', COGSAccountCode: '310', TaxType: 'INPUT2' },
      InventoryAssetAccountCode: '630',
    };
    expect(fromXeroModel(toXeroModel(item, 'Item'), 'Item')).toEqual(item);
    const payment: XeroPaymentDraft = { Invoice: { InvoiceID: 'i1' }, Account: { Code: '090' }, Date: '2024-03-01', Amount: 29.63, CurrencyRate: 1.2, Reference: 'Order 42' };
    expect(fromXeroModel(toXeroModel(payment, 'Payment'), 'Payment')).toEqual(payment);
    const note: XeroCreditNoteDraft = {
      Type: 'ACCRECCREDIT',
      Contact: { ContactID: 'c1' },
      CreditNoteNumber: 'CN-42',
      Reference: 'Return 7',
      Date: '2024-03-02',
      Status: 'AUTHORISED',
      LineAmountTypes: 'Inclusive',
      CurrencyCode: 'EUR',
      CurrencyRate: 1.16,
      LineItems: [{ Description: 'Return', Quantity: 1, UnitAmount: 5, AccountCode: '200', TaxType: 'OUTPUT2', TaxAmount: 0.83 }],
    };
    expect(fromXeroModel(toXeroModel(note, 'CreditNote'), 'CreditNote')).toEqual(note);
  });

  it('an answered invoice becomes a plain domain object with Xero’s totals', () => {
    const answered = ObjectSerializer.deserialize(
      { InvoiceID: 'i1', InvoiceNumber: 'OC-42', Status: 'AUTHORISED', SubTotal: 24.69, TotalTax: 4.94, Total: 29.63, AmountDue: 29.63, AmountPaid: 0, Payments: [{ PaymentID: 'p1', Amount: 5 }], UpdatedDateUTC: '/Date(1709251200000+0000)/' },
      'Invoice',
    );
    expect(invoiceOf(answered)).toEqual({ InvoiceID: 'i1', InvoiceNumber: 'OC-42', Status: 'AUTHORISED', SubTotal: 24.69, TotalTax: 4.94, Total: 29.63, AmountDue: 29.63, AmountPaid: 0, Payments: [{ PaymentID: 'p1', Amount: 5 }] });
  });
});
