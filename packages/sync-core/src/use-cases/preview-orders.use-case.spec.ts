import Decimal from 'decimal.js';
import { STATUS } from '../testing/sample-data.fixture';
import { PreviewOrdersUseCase } from './preview-orders.use-case';
import { harness, SCOPE, testSettings, type Harness } from '../testing/use-case-harness';
import { computeXeroTotals } from '../testing/xero-arithmetic';

const preview = (h: Harness) => new PreviewOrdersUseCase({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger, clock: h.clock });

describe('PreviewOrdersUseCase', () => {
  it('shows one order’s exact payloads and totals, whose Xero arithmetic lands on OpenCart’s total, writing nothing', async () => {
    const h = harness(7);
    const result = await preview(h).execute({ scope: SCOPE, orderId: 7, settings: testSettings() });
    expect(result.count).toBe(1);
    const p = result.orders[0]!;
    expect(p).toMatchObject({ orderId: 7, action: 'export', outcome: 'would-export', invoiceNumber: 'OC-7', difference: '0.00' });
    // Order 7 is in EUR: the invoice is in the order currency, and Xero's own arithmetic on the
    // payload gives OpenCart's total converted.
    const order = h.oc.data.orders[6]!;
    expect(p.invoice!.CurrencyCode).toBe('EUR');
    const xero = computeXeroTotals(p.invoice!, h.xero.taxRates);
    expect(xero.Total).toBe(new Decimal(order.total).times(order.currencyValue).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber());
    expect(p.xeroTotals!.total).toBe(xero.Total.toFixed(2));
    expect(p.payment).toMatchObject({ Amount: xero.Total, Account: { Code: '090' } });
    expect(p.contact!.ContactNumber).toBeTruthy();
    expect(h.store.writes).toBe(0);
    // Lookups only (they decide adopt vs create); nothing is written.
    expect(h.xero.callLog.filter((c) => !c.method.startsWith('GET') && !c.method.startsWith('find'))).toEqual([]);
  });

  it('previews a range of ids, including orders in a status that is not exported, and reports the worst difference', async () => {
    const h = harness(10);
    h.oc.setOrderStatus(4, STATUS.pending, '2024-03-02 10:04:00');
    h.oc.data.orders[5]!.lines[0]!.quantity = -1;
    const result = await preview(h).execute({ scope: SCOPE, fromOrderId: 3, toOrderId: 12, settings: testSettings() });
    expect(result.orders.map((o) => o.orderId)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(result.orders.find((o) => o.orderId === 4)!.outcome).toBe('would-export');
    expect(result.failures).toEqual([{ orderId: 6, reason: expect.stringContaining('quantity -1') }]);
    expect(result.worstDifference).toBe('0.00');
    expect(h.store.writes).toBe(0);
  });

  it('refuses an empty or oversized selection', async () => {
    const h = harness(1);
    await expect(preview(h).execute({ scope: SCOPE })).rejects.toThrow('choose an order');
    await expect(preview(h).execute({ scope: SCOPE, fromOrderId: 1, toOrderId: 5000 })).rejects.toThrow('at most 500');
  });
});
