import { creditNoteNumberFor, mapOrderToCreditNote } from './order-to-credit-note.mapper';
import { mapOrderToInvoice } from './order-to-invoice.mapper';
import { context, line, order, totals } from '../../test/mapping/support/order.builder';
import { xeroTotalsOf } from '../../test/mapping/support/xero-arithmetic.oracle';
import { ukTaxRates } from '../../test/mapping/support/xero-organisations';

describe('mapOrderToCreditNote', () => {
  it("refunds the whole invoice: same lines, so Xero computes the invoice's own total, in its currency", () => {
    const o = order({
      orderStatusId: 11,
      currencyCode: 'EUR',
      currencyValue: '0.78460002',
      lines: [line({ price: '12.3456', quantity: 3, taxPerUnit: '2.4691' })],
      totals: totals([
        ['sub_total', 'Sub-Total', '37.0368'],
        ['shipping', 'Flat Shipping Rate', '5.0000'],
        ['tax', 'VAT (20%)', '8.4074'],
        ['total', 'Total', '50.4442'],
      ]),
      total: '50.4442',
      history: [
        { orderStatusId: 2, notify: false, comment: '', dateAdded: '2024-05-06 12:00:00' },
        { orderStatusId: 11, notify: false, comment: '', dateAdded: '2024-06-01 08:00:00' },
      ],
    });
    const ctx = context({ organisation: { Name: 'UK', BaseCurrency: 'GBP' } });
    const plan = mapOrderToInvoice(o, ctx);
    const note = mapOrderToCreditNote(o, plan, 'contact-1');
    expect(note).toMatchObject({
      Type: 'ACCRECCREDIT',
      Contact: { ContactID: 'contact-1' },
      CreditNoteNumber: 'OC-42-CN',
      Reference: 'Refund of OC-42',
      Date: '2024-06-01',
      Status: 'AUTHORISED',
      CurrencyCode: 'EUR',
      CurrencyRate: plan.invoice.CurrencyRate,
    });
    expect(note.LineItems).toEqual(plan.invoice.LineItems);
    expect(xeroTotalsOf(note, ukTaxRates).total).toBe(xeroTotalsOf(plan.invoice, ukTaxRates).total);
    expect(xeroTotalsOf(note, ukTaxRates).total).toBe(39.58);
    expect(creditNoteNumberFor('OC-42')).toBe('OC-42-CN');
  });
});
