import { checkInvoiceTotals, expectedOrderCents, xeroCents } from './invoice-check.util';

describe('cent check', () => {
  it('converts with exact decimals and rounds half away from zero, as PHP and Xero do', () => {
    expect(expectedOrderCents({ total: '14.8147', currencyValue: '1.00000000' })).toBe(1481n);
    expect(expectedOrderCents({ total: '10.0050', currencyValue: '1.00000000' })).toBe(1001n);
    expect(expectedOrderCents({ total: '-10.0050', currencyValue: '1.00000000' })).toBe(-1001n);
    // 0.1 + 0.2 style traps do not exist with scaled integers: 33.3300 × 0.78460002 = 26.1507186666
    expect(expectedOrderCents({ total: '33.3300', currencyValue: '0.78460002' })).toBe(2615n);
    expect(xeroCents(26.15)).toBe(2615n);
    expect(xeroCents('0.1')).toBe(10n);
  });

  it('finds the worst difference and the orders without a live invoice', () => {
    const check = checkInvoiceTotals(
      [
        { orderId: 1, total: '10.0000', currencyCode: 'USD', currencyValue: '1.00000000' },
        { orderId: 2, total: '20.0000', currencyCode: 'EUR', currencyValue: '0.50000000' },
        { orderId: 3, total: '5.0000', currencyCode: 'USD', currencyValue: '1.00000000' },
        { orderId: 4, total: '5.0000', currencyCode: 'USD', currencyValue: '1.00000000' },
      ],
      [
        { InvoiceNumber: 'OC-1', Status: 'AUTHORISED', Total: 10, CurrencyCode: 'USD' },
        { InvoiceNumber: 'OC-2', Status: 'PAID', Total: 10.02, CurrencyCode: 'EUR' },
        { InvoiceNumber: 'OC-3', Status: 'VOIDED', Total: 5 },
      ],
      (id) => `OC-${id}`,
    );
    expect(check.compared).toBe(2);
    expect(check.missing).toEqual([3, 4]);
    expect(check.worstAbs).toBe('0.02');
    expect(check.worst).toEqual(
      expect.objectContaining({
        orderId: 2,
        expected: '10.00',
        xero: '10.02',
        difference: '0.02',
        currencyMatches: true,
      }),
    );
  });
});
