import { SyncError } from '../errors';
import { invoiceNumberFor, mapOrderToInvoice, orderExportDecision } from './order-to-invoice.mapper';
import {
  context,
  contextInput,
  ECO,
  line,
  order,
  RR,
  totals,
  VAT,
} from '../../test/mapping/support/order.builder';
import { buildMappingContext } from './mapping-context';
import { xeroTotalsOf } from '../../test/mapping/support/xero-arithmetic.oracle';
import { ukTaxRates } from '../../test/mapping/support/xero-organisations';
import type { OcTaxRate } from '../ports/opencart.port';

const judge = (plan: ReturnType<typeof mapOrderToInvoice>) => xeroTotalsOf(plan.invoice, ukTaxRates);
const byDesc = (plan: ReturnType<typeof mapOrderToInvoice>, prefix: string) =>
  plan.invoice.LineItems.filter((l) => l.Description.startsWith(prefix));

describe('mapOrderToInvoice: the cents (DESIGN.md §5)', () => {
  it("lands 1 × 12.3456 at VAT 20% on OpenCart's 14.81 although Xero alone would make it 14.82", () => {
    const o = order({
      lines: [line({ price: '12.3456', quantity: 1, taxPerUnit: '2.4691', taxClassId: 9 })],
      totals: totals([
        ['sub_total', 'Sub-Total', '12.3456'],
        ['tax', 'VAT (20%)', '2.4691'],
        ['total', 'Total', '14.8147'],
      ]),
      total: '14.8147',
    });
    const plan = mapOrderToInvoice(o, context());
    const x = judge(plan);
    expect(x.total).toBe(14.81);
    expect(x.tax).toBe(2.47);
    expect(plan.expected).toEqual({ total: '14.81', tax: '2.47', currency: 'USD' });
    expect(plan.roundingAdjustment).toBe('-0.01');
    const rounding = plan.invoice.LineItems.filter((l) => l.AccountCode === '860');
    expect(rounding).toEqual([
      { Description: 'Rounding', Quantity: 1, UnitAmount: -0.01, AccountCode: '860', TaxType: 'NONE' },
    ]);
    expect(plan.xeroTotals).toEqual({ subTotal: '12.34', tax: '2.47', total: '14.81' });
  });

  it("moves line amounts so Xero's per-line tax rounding gives OpenCart's tax row, with no rounding line left", () => {
    // Three lines of 1.025 at 20%: OpenCart's VAT row is 0.615 → 0.62; Xero line by line makes 3 × 0.21 = 0.63.
    const lines = [1, 2, 3].map((i) =>
      line({
        orderProductId: i,
        productId: i,
        name: `Item ${i}`,
        price: '1.0250',
        quantity: 1,
        taxPerUnit: '0.2050',
      }),
    );
    const o = order({
      lines,
      totals: totals([
        ['sub_total', 'Sub-Total', '3.0750'],
        ['tax', 'VAT (20%)', '0.6150'],
        ['total', 'Total', '3.6900'],
      ]),
      total: '3.6900',
    });
    const plan = mapOrderToInvoice(o, context());
    const x = judge(plan);
    expect(x.tax).toBe(0.62);
    expect(x.total).toBe(3.69);
    expect(plan.roundingAdjustment).toBe('0.00');
    // every line stays within a few cents of its real price
    for (const l of plan.invoice.LineItems) expect(Math.abs(l.UnitAmount - 1.025)).toBeLessThanOrEqual(0.02);
    expect(plan.warnings).toEqual([]);
  });

  it('taxes shipping when the VAT row holds its tax, and leaves it untaxed when it does not', () => {
    const base = { lines: [line({ price: '100.0000', quantity: 1, taxPerUnit: '20.0000' })] };
    const taxed = mapOrderToInvoice(
      order({
        ...base,
        total: '126.0000',
        totals: totals([
          ['sub_total', 'Sub-Total', '100'],
          ['shipping', 'Flat Shipping Rate', '5.0000'],
          ['tax', 'VAT (20%)', '21.0000'],
          ['total', 'Total', '126'],
        ]),
      }),
      context(),
    );
    expect(byDesc(taxed, 'Flat Shipping Rate')).toEqual([
      {
        Description: 'Flat Shipping Rate',
        Quantity: 1,
        UnitAmount: 5,
        AccountCode: '200',
        TaxType: 'OUTPUT2',
      },
    ]);
    expect(judge(taxed)).toMatchObject({ total: 126, tax: 21 });
    const untaxed = mapOrderToInvoice(
      order({
        ...base,
        total: '125.0000',
        totals: totals([
          ['sub_total', 'Sub-Total', '100'],
          ['shipping', 'Flat Shipping Rate', '5.0000'],
          ['tax', 'VAT (20%)', '20.0000'],
          ['total', 'Total', '125'],
        ]),
      }),
      context({ settings: { shippingAccountCode: '260' } }),
    );
    expect(byDesc(untaxed, 'Flat Shipping Rate')).toEqual([
      { Description: 'Flat Shipping Rate', Quantity: 1, UnitAmount: 5, AccountCode: '260', TaxType: 'NONE' },
    ]);
    expect(judge(untaxed)).toMatchObject({ total: 125, tax: 20 });
  });

  it('books a coupon to the discount account with its tax effect, split when it covered taxed and untaxed goods', () => {
    // Fixed coupon 15 over 100 (VAT) + 50 (no VAT): OpenCart takes 10 × 20% off the VAT row.
    const o = order({
      lines: [
        line({ price: '100.0000', quantity: 1, taxPerUnit: '20.0000' }),
        line({ orderProductId: 2, productId: 41, name: 'Book', price: '50.0000', quantity: 1 }),
      ],
      totals: totals([
        ['sub_total', 'Sub-Total', '150'],
        ['coupon', 'Coupon (FIXED15)', '-15.0000'],
        ['tax', 'VAT (20%)', '18.0000'],
        ['total', 'Total', '153'],
      ]),
      total: '153.0000',
    });
    const plan = mapOrderToInvoice(o, context({ settings: { discountAccountCode: '260' } }));
    expect(byDesc(plan, 'Coupon (FIXED15)')).toEqual([
      {
        Description: 'Coupon (FIXED15)',
        Quantity: 1,
        UnitAmount: -10,
        AccountCode: '260',
        TaxType: 'OUTPUT2',
      },
      {
        Description: 'Coupon (FIXED15) (no tax)',
        Quantity: 1,
        UnitAmount: -5,
        AccountCode: '260',
        TaxType: 'NONE',
      },
    ]);
    expect(judge(plan)).toMatchObject({ total: 153, tax: 18 });
  });

  it('takes reward points off with their tax, and books vouchers and store credit to liabilities without tax', () => {
    const o = order({
      lines: [line({ price: '100.0000', quantity: 1, taxPerUnit: '20.0000' })],
      totals: totals([
        ['sub_total', 'Sub-Total', '100'],
        ['reward', 'Reward Points (100)', '-10.0000'],
        ['voucher', 'Gift Certificate (ABC)', '-20.0000'],
        ['credit', 'Store Credit', '-30.0000'],
        ['tax', 'VAT (20%)', '18.0000'],
        ['total', 'Total', '58.0000'],
      ]),
      total: '58.0000',
    });
    const ctx = context({ settings: { rewardPointsAccountCode: '260', storeCreditAccountCode: '880' } });
    const plan = mapOrderToInvoice(o, ctx);
    expect(byDesc(plan, 'Reward Points')).toEqual([
      {
        Description: 'Reward Points (100)',
        Quantity: 1,
        UnitAmount: -10,
        AccountCode: '260',
        TaxType: 'OUTPUT2',
      },
    ]);
    expect(byDesc(plan, 'Gift Certificate')).toEqual([
      {
        Description: 'Gift Certificate (ABC)',
        Quantity: 1,
        UnitAmount: -20,
        AccountCode: '835',
        TaxType: 'NONE',
      },
    ]);
    expect(byDesc(plan, 'Store Credit')).toEqual([
      { Description: 'Store Credit', Quantity: 1, UnitAmount: -30, AccountCode: '880', TaxType: 'NONE' },
    ]);
    expect(judge(plan)).toMatchObject({ total: 58, tax: 18 });
  });

  it('books a gift voucher bought in the order as a liability, not a sale', () => {
    const o = order({
      vouchers: [
        { orderVoucherId: 1, code: 'GIFT50', description: '$50 Gift Certificate for Bob', amount: '50.0000' },
      ],
      totals: totals([
        ['sub_total', 'Sub-Total', '50.0000'],
        ['total', 'Total', '50.0000'],
      ]),
      total: '50.0000',
    });
    const plan = mapOrderToInvoice(o, context());
    expect(plan.invoice.LineItems).toEqual([
      {
        Description: 'Gift voucher GIFT50 – $50 Gift Certificate for Bob',
        Quantity: 1,
        UnitAmount: 50,
        AccountCode: '835',
        TaxType: 'NONE',
      },
    ]);
    expect(judge(plan).total).toBe(50);
  });

  it('never drops a total row: fees to the fee account, unknown codes to the unknown-total account with a warning, per-code overrides first', () => {
    const o = order({
      lines: [line({ price: '10.0000', quantity: 1 })],
      totals: totals([
        ['sub_total', 'Sub-Total', '10'],
        ['handling', 'Handling Fee', '2.5000'],
        ['gift_wrap', 'Gift wrapping', '1.0000'],
        ['insurance', 'Parcel insurance', '3.0000'],
        ['total', 'Total', '16.5000'],
      ]),
      total: '16.5000',
    });
    const plan = mapOrderToInvoice(
      o,
      context({
        settings: {
          feeAccountCode: '260',
          unknownTotalAccountCode: '200',
          totalCodeAccounts: { insurance: '260' },
        },
      }),
    );
    expect(byDesc(plan, 'Handling Fee')[0]).toMatchObject({ UnitAmount: 2.5, AccountCode: '260' });
    expect(byDesc(plan, 'Gift wrapping')[0]).toMatchObject({ UnitAmount: 1, AccountCode: '200' });
    expect(byDesc(plan, 'Parcel insurance')[0]).toMatchObject({ UnitAmount: 3, AccountCode: '260' });
    expect(plan.warnings).toEqual([
      'order total "Gift wrapping" (code gift_wrap) has no mapping: booked to 200',
    ]);
    expect(judge(plan).total).toBe(16.5);
  });

  it('puts fixed-amount taxes (Eco Tax) on their own untaxed line and still matches VAT to the cent', () => {
    // 100 × 0.3333 with VAT 20% + Eco 2.00 per unit, flat shipping 5 taxed by the same class (real order 1).
    const o = order({
      lines: [line({ price: '0.3333', quantity: 100, taxPerUnit: '2.0667', taxClassId: 9 })],
      totals: totals([
        ['sub_total', 'Sub-Total', '33.3300'],
        ['shipping', 'Flat Shipping Rate', '5.0000'],
        ['tax', 'Eco Tax (-2.00)', '202.0000'],
        ['tax', 'VAT (20%)', '7.6660'],
        ['total', 'Total', '247.9960'],
      ]),
      total: '247.9960',
    });
    const plan = mapOrderToInvoice(o, context());
    expect(byDesc(plan, 'Eco Tax')).toEqual([
      { Description: 'Eco Tax (-2.00)', Quantity: 1, UnitAmount: 202, AccountCode: '200', TaxType: 'NONE' },
    ]);
    expect(plan.invoice.LineItems[0]).toMatchObject({
      Quantity: 100,
      UnitAmount: 0.3333,
      TaxType: 'OUTPUT2',
    });
    expect(judge(plan)).toMatchObject({ total: 248, tax: 7.67 });
  });

  it('books a percentage rate with no Xero equivalent as its own line, and says so', () => {
    const odd: OcTaxRate = { taxRateId: 90, name: 'Sales Tax (7%)', rate: '7.0000', type: 'P', geoZoneId: 1 };
    const ctx = context({ ocTaxRates: [VAT, ECO, odd], settings: { fixedTaxAccountCode: '820' } });
    expect(ctx.notes.join('\n')).toContain('"Sales Tax (7%)" (7%) has no matching Xero tax rate');
    const o = order({
      lines: [line({ price: '100.0000', quantity: 1, taxPerUnit: '7.0000' })],
      totals: totals([
        ['sub_total', 'Sub-Total', '100'],
        ['tax', 'Sales Tax (7%)', '7.0000'],
        ['total', 'Total', '107'],
      ]),
      total: '107.0000',
    });
    const plan = mapOrderToInvoice(o, ctx);
    expect(plan.invoice.LineItems).toEqual([
      { Description: 'iPhone', Quantity: 1, UnitAmount: 100, AccountCode: '200', TaxType: 'NONE' },
      { Description: 'Sales Tax (7%)', Quantity: 1, UnitAmount: 7, AccountCode: '820', TaxType: 'NONE' },
    ]);
    expect(plan.expected.tax).toBe('0.00');
    expect(judge(plan).total).toBe(107);
  });

  it("tells 20% of 9.9999 (stored as 2.0000) from a fixed Eco Tax of 2.00 by the order's tax rows", () => {
    // 178 × 9.9999 at VAT 20%: per-unit tax 1.99998 is stored as 2.0000, exactly the Eco amount.
    const o = order({
      lines: [
        line({ price: '9.9999', quantity: 178, taxPerUnit: '2.0000' }),
        line({ orderProductId: 2, productId: 41, name: 'Cable', price: '25.1246', quantity: 5 }),
      ],
      totals: totals([
        ['sub_total', 'Sub-Total', '1905.6052'],
        ['shipping', 'Flat Shipping Rate', '5.0000'],
        ['tax', 'VAT (20%)', '356.9964'],
        ['tax', 'Eco Tax (-2.00)', '2.0000'],
        ['total', 'Total', '2269.6016'],
      ]),
      total: '2269.6016',
    });
    const plan = mapOrderToInvoice(o, context());
    expect(plan.invoice.LineItems[0]).toMatchObject({
      Quantity: 178,
      UnitAmount: 9.9999,
      TaxType: 'OUTPUT2',
    });
    expect(byDesc(plan, 'Flat Shipping Rate')[0]).toMatchObject({ TaxType: 'OUTPUT2' });
    expect(byDesc(plan, 'Eco Tax')[0]).toMatchObject({ UnitAmount: 2, TaxType: 'NONE' });
    expect(judge(plan)).toMatchObject({ total: 2269.6, tax: 357 });
    expect(plan.warnings).toEqual([]);
  });

  it('recognises VAT + Eco on a line when coupons and reward points took the VAT row to nothing (OpenCart omits it)', () => {
    // Sample-store order 200: 2 × 0.4545 at VAT 20% + Eco 2.00 (2.0909 per unit); reward and
    // coupon take the whole VAT away, so OpenCart writes only the Eco row.
    const o = order({
      lines: [line({ price: '0.4545', quantity: 2, total: '0.9090', taxPerUnit: '2.0909', taxClassId: 9 })],
      totals: totals([
        ['sub_total', 'Sub-Total', '0.9090'],
        ['reward', 'Reward Points (-9)', '-0.8181'],
        ['shipping', 'Pickup From Store', '0.0000'],
        ['coupon', 'Coupon (VIP25)', '-0.0909'],
        ['tax', 'Eco Tax (-2.00)', '4.0000'],
        ['total', 'Total', '4.0000'],
      ]),
      total: '4.0000',
    });
    const plan = mapOrderToInvoice(o, context());
    expect(plan.warnings).toEqual([]);
    expect(plan.invoice.LineItems[0]).toMatchObject({ Quantity: 2, UnitAmount: 0.4545, TaxType: 'OUTPUT2' });
    expect(byDesc(plan, 'Eco Tax')).toEqual([
      { Description: 'Eco Tax (-2.00)', Quantity: 1, UnitAmount: 4, AccountCode: '200', TaxType: 'NONE' },
    ]);
    expect(judge(plan)).toMatchObject({ total: 4, tax: 0 });
    expect(plan.expected).toMatchObject({ total: '4.00', tax: '0.00' });
  });

  it('works out which rate taxed the shipping when products carry another rate (shipping at 20%, goods at 5%)', () => {
    const ctx = context({ ocTaxRates: [VAT, ECO, RR] });
    const o = order({
      lines: [line({ price: '0.3333', quantity: 1, taxPerUnit: '0.0167' })],
      totals: totals([
        ['sub_total', 'Sub-Total', '0.3333'],
        ['shipping', 'Flat Shipping Rate', '12.0200'],
        ['coupon', 'Coupon (SPRING25)', '-0.0833'],
        ['tax', 'VAT (5%)', '0.0125'],
        ['tax', 'VAT (20%)', '2.4040'],
        ['total', 'Total', '14.6865'],
      ]),
      total: '14.6865',
    });
    const plan = mapOrderToInvoice(o, ctx);
    expect(byDesc(plan, 'Flat Shipping Rate')).toEqual([
      {
        Description: 'Flat Shipping Rate',
        Quantity: 1,
        UnitAmount: 12.02,
        AccountCode: '200',
        TaxType: 'OUTPUT2',
      },
    ]);
    expect(byDesc(plan, 'Coupon (SPRING25)')[0]).toMatchObject({ TaxType: 'RROUTPUT' });
    expect(judge(plan)).toMatchObject({ total: 14.69, tax: 2.41 });
    expect(plan.warnings).toEqual([]);
  });

  it('uses the 5% rate for a line taxed at 5%, each rate matched on its own', () => {
    const ctx = context({ ocTaxRates: [VAT, ECO, RR] });
    const o = order({
      lines: [
        line({ price: '10.0100', quantity: 3, taxPerUnit: '2.0020' }),
        line({
          orderProductId: 2,
          productId: 41,
          name: 'Child seat',
          price: '33.3300',
          quantity: 1,
          taxPerUnit: '1.6665',
        }),
      ],
      totals: totals([
        ['sub_total', 'Sub-Total', '63.3600'],
        ['tax', 'VAT (20%)', '6.0060'],
        ['tax', 'VAT (5%)', '1.6665'],
        ['total', 'Total', '71.0325'],
      ]),
      total: '71.0325',
    });
    const plan = mapOrderToInvoice(o, ctx);
    expect(plan.invoice.LineItems.map((l) => l.TaxType)).toEqual(
      expect.arrayContaining(['OUTPUT2', 'RROUTPUT']),
    );
    const x = judge(plan);
    expect(x.total).toBe(71.03);
    expect(x.tax).toBe(7.68); // 6.01 (20%) + 1.67 (5%)
  });
});

describe('mapOrderToInvoice: currency (§5.5)', () => {
  const usdOrder = (p: Parameters<typeof order>[0] = {}) =>
    order({
      lines: [line({ price: '100.0000', quantity: 1 })],
      totals: totals([
        ['sub_total', 'Sub-Total', '100'],
        ['total', 'Total', '100'],
      ]),
      total: '100.0000',
      ...p,
    });

  it("invoices a USD order in USD into a GBP organisation at OpenCart's rate (USD per GBP)", () => {
    const plan = mapOrderToInvoice(
      usdOrder(),
      context({ organisation: { Name: 'UK', BaseCurrency: 'GBP' } }),
    );
    expect(plan.invoice.CurrencyCode).toBe('USD');
    expect(plan.invoice.CurrencyRate).toBeCloseTo(1 / 0.61250001, 6);
  });

  it("converts a EUR order from the store currency with the order's currency_value, to the cent", () => {
    const plan = mapOrderToInvoice(
      usdOrder({ currencyCode: 'EUR', currencyValue: '0.78460002' }),
      context({ organisation: { Name: 'UK', BaseCurrency: 'GBP' } }),
    );
    expect(plan.invoice.CurrencyCode).toBe('EUR');
    expect(plan.invoice.LineItems[0]!.UnitAmount).toBe(78.46);
    expect(plan.expected).toMatchObject({ total: '78.46', currency: 'EUR' });
    expect(plan.invoice.CurrencyRate).toBeCloseTo(0.78460002 / 0.61250001, 6);
    expect(judge(plan).total).toBe(78.46);
  });

  const withCurrencies = (codes: string[], settings: Partial<ReturnType<typeof contextInput>['settings']> = {}, base = 'GBP') => {
    const input = contextInput({ organisation: { Name: 'UK', BaseCurrency: base }, settings });
    const built = buildMappingContext({ ...input, xeroCurrencies: codes.map((Code) => ({ Code })) });
    if (!built.ok) throw new Error('context');
    return built.context;
  };
  // A taxed order: a 4-dp line at VAT 20%, taxed shipping, a coupon; in the store currency (USD).
  const taxedOrder = (p: Parameters<typeof order>[0] = {}) =>
    order({
      lines: [
        line({ price: '12.3456', quantity: 3, taxPerUnit: '2.4691', taxClassId: 9 }),
        line({ orderProductId: 2, productId: 2, name: 'Mug', price: '7.9900', quantity: 1, taxPerUnit: '1.5980', taxClassId: 9 }),
      ],
      totals: totals([
        ['sub_total', 'Sub-Total', '45.0268'],
        ['shipping', 'Flat Shipping Rate', '5.0000'],
        ['coupon', 'Coupon (-10%)', '-4.5027'],
        ['tax', 'VAT (20%)', '9.1048'],
        ['total', 'Total', '54.6289'],
      ]),
      total: '54.6289',
      currencyCode: 'EUR',
      currencyValue: '0.78460002',
      ...p,
    });

  it("'order': refuses, with what to do, an order in a currency the organisation has not enabled", () => {
    const ctx = withCurrencies(['USD'], { foreignCurrencyInvoices: 'order' });
    expect(mapOrderToInvoice(usdOrder(), ctx).invoice.CurrencyCode).toBe('USD');
    expect(() => mapOrderToInvoice(usdOrder({ currencyCode: 'EUR', currencyValue: '0.78460002' }), ctx)).toThrow(
      'order 42 is in EUR, which is not a currency of the Xero organisation "UK": add EUR under Settings › Currencies in Xero (multi-currency needs Xero\'s top plan), or set "Foreign-currency invoices" to "auto" or "base"',
    );
  });

  it("'auto' (the default): the order's currency when the organisation has it, else the base currency", () => {
    const premium = withCurrencies(['GBP', 'USD', 'EUR']);
    expect(mapOrderToInvoice(taxedOrder(), premium).invoice).toMatchObject({ CurrencyCode: 'EUR', Reference: 'Order 42' });
    // A standard-plan organisation lists its base currency only.
    const standard = withCurrencies(['GBP']);
    const plan = mapOrderToInvoice(taxedOrder(), standard);
    expect(plan.invoice.CurrencyCode).toBe('GBP');
    expect(plan.invoice.CurrencyRate).toBeUndefined();
    // OpenCart stored the order in USD; GBP is 0.61250001 per USD in its currency table.
    expect(plan.expected).toMatchObject({ total: '33.46', currency: 'GBP' });
    expect(judge(plan).total).toBe(33.46);
    expect(plan.xeroTotals.total).toBe('33.46');
    expect(plan.invoice.Reference).toBe('Order 42 (EUR 42.86, booked in GBP at 1.280932 EUR/GBP)');
    expect(plan.payment?.amount ?? 33.46).toBe(33.46);
    expect(plan.payment?.currencyRate).toBeUndefined();
  });

  it("'base': booked in the base currency, cent-exact: Xero's total is round(order total × rate) for every order", () => {
    const ctx = withCurrencies(['GBP', 'EUR'], { foreignCurrencyInvoices: 'base' });
    for (const [total, shipping] of [
      ['54.6289', '5.0000'],
      ['54.6329', '5.0033'],
      ['54.6301', '5.0011'],
      ['54.6377', '5.0073'],
    ]) {
      const o = taxedOrder({ total: total!, totals: totals([
        ['sub_total', 'Sub-Total', '45.0268'],
        ['shipping', 'Flat Shipping Rate', shipping!],
        ['coupon', 'Coupon (-10%)', '-4.5027'],
        ['tax', 'VAT (20%)', (Number(total) - 45.0268 - Number(shipping) + 4.5027).toFixed(4)],
        ['total', 'Total', total!],
      ]) });
      const plan = mapOrderToInvoice(o, ctx);
      const want = (Math.round(Number(total) * 0.61250001 * 100 + 1e-9) / 100).toFixed(2);
      expect({ total, invoiced: judge(plan).total.toFixed(2), currency: plan.invoice.CurrencyCode }).toEqual({ total, invoiced: want, currency: 'GBP' });
      expect(plan.invoice.Reference).toMatch(/^Order 42 \(EUR \d+\.\d\d, booked in GBP at/);
      // Any rest is on the one rounding line, a few cents at most.
      expect(plan.invoice.LineItems.filter((l) => l.Description === 'Rounding').length).toBeLessThanOrEqual(1);
      expect(Math.abs(Number(plan.roundingAdjustment))).toBeLessThanOrEqual(0.05);
    }
    // An order already in the base currency is not touched.
    expect(mapOrderToInvoice(taxedOrder({ currencyCode: 'GBP', currencyValue: '0.61250001' }), ctx).invoice.Reference).toBe('Order 42');
  });

  it("a store whose default currency is the base currency books the stored amounts as they are", () => {
    const input = contextInput({ organisation: { Name: 'US org', BaseCurrency: 'USD' }, settings: { foreignCurrencyInvoices: 'base' } });
    const built = buildMappingContext(input);
    if (!built.ok) throw new Error('context');
    const plan = mapOrderToInvoice(taxedOrder(), built.context);
    expect(plan.invoice.CurrencyCode).toBe('USD');
    expect(judge(plan).total).toBe(54.63);
  });

  it('says what to do when the base currency has no rate in OpenCart', () => {
    const ctx = withCurrencies(['NZD'], {}, 'NZD');
    expect(() => mapOrderToInvoice(taxedOrder(), ctx)).toThrow(/OpenCart's currency table has no rate for NZD/);
  });

  it("leaves CurrencyRate out for the base currency, an unknown base currency, or when Xero's rate is chosen", () => {
    expect(mapOrderToInvoice(usdOrder(), context()).invoice.CurrencyRate).toBeUndefined();
    expect(
      mapOrderToInvoice(usdOrder(), context({ organisation: { Name: 'NZ', BaseCurrency: 'NZD' } })).invoice
        .CurrencyRate,
    ).toBeUndefined();
    expect(
      mapOrderToInvoice(
        usdOrder(),
        context({
          organisation: { Name: 'UK', BaseCurrency: 'GBP' },
          settings: { currencyRateSource: 'xero' },
        }),
      ).invoice.CurrencyRate,
    ).toBeUndefined();
  });
});

describe('mapOrderToInvoice: payment, zero totals, numbering', () => {
  const paid = (p: Parameters<typeof order>[0] = {}) =>
    order({
      lines: [line({ price: '40.0000', quantity: 1 })],
      totals: totals([
        ['sub_total', 'Sub-Total', '40'],
        ['total', 'Total', '40'],
      ]),
      total: '40.0000',
      ...p,
    });

  it('pays an AUTHORISED invoice of a paid order to the method\'s account (4.x "cod.cod" matches "cod"), dated when it became paid', () => {
    const ctx = context({ settings: { invoiceStatus: 'AUTHORISED', paymentAccountCodes: { cod: '090' } } });
    const history = [
      { orderStatusId: 1, notify: false, comment: '', dateAdded: '2024-05-06 12:00:00' },
      { orderStatusId: 2, notify: false, comment: '', dateAdded: '2024-05-08 09:00:00' },
      { orderStatusId: 5, notify: false, comment: '', dateAdded: '2024-05-10 15:00:00' },
    ];
    const plan = mapOrderToInvoice(
      paid({ paymentMethod: { code: 'cod.cod', name: 'Cash On Delivery' }, history }),
      ctx,
    );
    // Cash on delivery is paid when delivered (Complete), not at Processing.
    expect(plan.payment).toEqual({ accountCode: '090', amount: 40, date: '2024-05-10' });
    const bank = mapOrderToInvoice(
      paid({ paymentMethod: { code: 'bank_transfer', name: 'Bank Transfer' }, history }),
      context({ settings: { invoiceStatus: 'AUTHORISED', paymentAccountCodes: { bank_transfer: '090' } } }),
    );
    expect(bank.payment).toEqual({ accountCode: '090', amount: 40, date: '2024-05-08' });
  });

  it('decides "paid" per payment method: a COD order at Processing is not paid, at Complete it is (paidStatusesByPaymentMethod)', () => {
    const auth = { invoiceStatus: 'AUTHORISED' as const, paymentAccountCodes: { cod: '090', bank_transfer: '091' } };
    const processing = { orderStatusId: 2 };
    expect(mapOrderToInvoice(paid(processing), context({ settings: auth })).payment).toBeNull();
    expect(mapOrderToInvoice(paid({ orderStatusId: 5 }), context({ settings: auth })).payment).toMatchObject({ accountCode: '090', amount: 40 });
    // Bank transfer keeps paidStatuses (money arrived before the merchant set Processing).
    expect(
      mapOrderToInvoice(paid({ ...processing, paymentMethod: { code: 'bank_transfer', name: 'Bank Transfer' } }), context({ settings: auth })).payment,
    ).toMatchObject({ accountCode: '091', amount: 40 });
    // The merchant's own map wins, for any method; an empty map means paidStatuses for every method.
    const byMethod = { ...auth, paidStatusesByPaymentMethod: { bank_transfer: ['Complete'] } };
    expect(
      mapOrderToInvoice(paid({ ...processing, paymentMethod: { code: 'bank_transfer', name: 'Bank Transfer' } }), context({ settings: byMethod })).payment,
    ).toBeNull();
    expect(mapOrderToInvoice(paid(processing), context({ settings: byMethod })).payment).toMatchObject({ accountCode: '090' });
    expect(mapOrderToInvoice(paid(processing), context({ settings: { ...auth, paidStatusesByPaymentMethod: {} } })).payment).not.toBeNull();
  });

  it("pays in the invoice currency with the invoice's rate", () => {
    const ctx = context({
      organisation: { Name: 'UK', BaseCurrency: 'GBP' },
      settings: { invoiceStatus: 'AUTHORISED', paymentAccountCodes: { cod: '090' } },
    });
    const plan = mapOrderToInvoice(paid({ currencyCode: 'EUR', currencyValue: '0.78460002' }), ctx);
    expect(plan.payment).toMatchObject({ amount: 31.38, currencyRate: plan.invoice.CurrencyRate });
  });

  it('takes no payment for DRAFT invoices, unpaid statuses, unmapped methods (with a warning) or zero totals', () => {
    expect(
      mapOrderToInvoice(paid(), context({ settings: { paymentAccountCodes: { cod: '090' } } })).payment,
    ).toBeNull();
    const auth = { invoiceStatus: 'AUTHORISED' as const, paymentAccountCodes: { cod: '090' } };
    expect(mapOrderToInvoice(paid({ orderStatusId: 1 }), context({ settings: auth })).payment).toBeNull();
    const unmapped = mapOrderToInvoice(
      paid({ paymentMethod: { code: 'cheque', name: 'Cheque' } }),
      context({ settings: auth }),
    );
    expect(unmapped.payment).toBeNull();
    expect(unmapped.warnings).toContain(
      'payment method "cheque" has no payment account: invoice left awaiting payment',
    );
    const free = paid({
      lines: [line({ price: '29.9997', quantity: 1 })],
      totals: totals([
        ['sub_total', 'Sub-Total', '29.9997'],
        ['credit', 'Store Credit', '-29.9997'],
        ['total', 'Total', '0.0000'],
      ]),
      total: '0.0000',
      paymentMethod: { code: 'free_checkout', name: 'Free Checkout' },
    });
    const plan = mapOrderToInvoice(
      free,
      context({ settings: { ...auth, defaultPaymentAccountCode: '090' } }),
    );
    expect(plan.payment).toBeNull();
    expect(judge(plan).total).toBe(0);
    expect(plan.invoice.LineItems.length).toBe(2);
  });

  it("uses a store's own payment accounts and sales account (multi-store)", () => {
    const ctx = context({
      settings: {
        invoiceStatus: 'AUTHORISED',
        paymentAccountCodes: { cod: '090' },
        stores: { '1': { salesAccountCode: '260', paymentAccountCodes: { cod: '091' } } },
      },
    });
    const plan = mapOrderToInvoice(paid({ storeId: 1 }), ctx);
    expect(plan.payment?.accountCode).toBe('091');
    expect(plan.invoice.LineItems[0]!.AccountCode).toBe('260');
  });

  it('skips zero-total orders only when the setting says so, and non-export statuses', () => {
    const zero = paid({ total: '0.0000', lines: [], totals: totals([['total', 'Total', '0']]) });
    expect(orderExportDecision(zero, context())).toEqual({ export: true });
    expect(orderExportDecision(zero, context({ settings: { exportZeroTotalOrders: false } }))).toEqual({
      export: false,
      reason: 'zero-total order (Export zero-total orders is off)',
    });
    expect(orderExportDecision(paid({ orderStatusId: 7 }), context())).toEqual({
      export: false,
      reason: 'status "Canceled" is not an export status',
    });
    expect(orderExportDecision(paid(), context({ settings: { exportFromDate: '2024-06-01' } }))).toEqual({
      export: false,
      reason: 'added before 2024-06-01',
    });
  });

  it("numbers the invoice stably from the format, references OpenCart's invoice number, dates it and its due date", () => {
    const ctx = context({ settings: { dueDays: 14, invoiceNumberFormat: '{invoice_prefix}{order_id}' } });
    const o = paid({ invoiceNo: 17 });
    const plan = mapOrderToInvoice(o, ctx);
    expect(plan.invoice).toMatchObject({
      InvoiceNumber: 'INV-2024-0042',
      Reference: 'INV-2024-0017',
      Date: '2024-05-06',
      DueDate: '2024-05-20',
      Type: 'ACCREC',
      Status: 'DRAFT',
    });
    expect(invoiceNumberFor(o, ctx.settings)).toBe(mapOrderToInvoice(o, ctx).invoice.InvoiceNumber);
    expect(mapOrderToInvoice(paid({ invoiceNo: 0 }), context()).invoice).toMatchObject({
      InvoiceNumber: 'OC-42',
      Reference: 'Order 42',
    });
    const perStore = context({ settings: { stores: { '2': { invoiceNumberFormat: 'B-{order_id}' } } } });
    expect(invoiceNumberFor(paid({ storeId: 2 }), perStore.settings)).toBe('B-42');
  });

  it('leaves the contact as a placeholder for the use case (ContactNumber + Name)', () => {
    const plan = mapOrderToInvoice(paid(), context());
    expect(plan.invoice.Contact).toEqual({ ContactNumber: 'C7', Name: 'John Smith' });
  });
});

describe('mapOrderToInvoice: lines', () => {
  it("puts options into the description, keeps Xero's 4000-character limit, references item codes and product overrides", () => {
    const long = 'X'.repeat(4100);
    const o = order({
      lines: [
        line({
          productId: 42,
          name: 'Apple Cinema 30"',
          price: '110.0000',
          quantity: 1,
          options: [
            { name: 'Size', value: 'Large', type: 'select' },
            { name: 'Date', value: '2011-02-20', type: 'date' },
          ],
        }),
        line({ orderProductId: 2, productId: 99, name: long, price: '1.0000', quantity: 1 }),
        line({
          orderProductId: 3,
          productId: 29,
          productExists: false,
          name: 'Palm Treo Pro',
          price: '5.0000',
          quantity: 1,
        }),
      ],
      totals: totals([
        ['sub_total', 'Sub-Total', '116'],
        ['total', 'Total', '116'],
      ]),
      total: '116.0000',
    });
    const ctx = context({
      settings: { exportItems: true },
      itemCodes: new Map([
        [42, 'SAM1'],
        [29, 'PALM'],
      ]),
    });
    const plan = mapOrderToInvoice(o, ctx);
    const [cinema, longLine, palm] = plan.invoice.LineItems;
    expect(cinema).toEqual({
      Description: 'Apple Cinema 30" (Size: Large, Date: 2011-02-20)',
      Quantity: 1,
      UnitAmount: 110,
      AccountCode: '200',
      TaxType: 'NONE',
      ItemCode: 'SAM1',
    });
    expect(Array.from(longLine!.Description).length).toBe(4000);
    expect(longLine!.AccountCode).toBe('260');
    expect(palm!.ItemCode).toBeUndefined();
    expect(plan.warnings).toContain(
      'line "Palm Treo Pro": product 29 no longer exists; invoiced by description only',
    );
  });

  it('refuses orders it cannot map with a validation SyncError that says why', () => {
    const bad = order({ currencyValue: 'abc', total: '1', totals: totals([['total', 'Total', '1']]) });
    expect(() => mapOrderToInvoice(bad, context())).toThrow(SyncError);
    expect(() => mapOrderToInvoice(bad, context())).toThrow('order 42: currency_value "abc" is not a number');
    try {
      mapOrderToInvoice(order({ lines: [line({ price: '1', quantity: 0 })] }), context());
      throw new Error('should have thrown');
    } catch (e) {
      expect((e as SyncError).kind).toBe('validation');
    }
    // Two percentage rates on one line: Xero takes one tax type per line.
    const ctx = context({ ocTaxRates: [VAT, ECO, RR] });
    const both = order({
      lines: [line({ price: '100.0000', quantity: 1, taxPerUnit: '25.0000' })],
      totals: totals([
        ['sub_total', 'Sub-Total', '100'],
        ['tax', 'VAT (20%)', '20'],
        ['tax', 'VAT (5%)', '5'],
        ['total', 'Total', '125'],
      ]),
      total: '125.0000',
    });
    expect(() => mapOrderToInvoice(both, ctx)).toThrow(
      /several percentage rates \(VAT \(20%\), VAT \(5%\)\)/,
    );
  });

  it('books a tax row whose rate is gone as its own line, with a warning', () => {
    const o = order({
      lines: [line({ price: '10.0000', quantity: 1 })],
      totals: totals([
        ['sub_total', 'Sub-Total', '10'],
        ['tax', 'Old Levy', '1.0000'],
        ['total', 'Total', '11'],
      ]),
      total: '11.0000',
    });
    const plan = mapOrderToInvoice(o, context({ settings: { unknownTotalAccountCode: '260' } }));
    expect(byDesc(plan, 'Old Levy')).toEqual([
      { Description: 'Old Levy', Quantity: 1, UnitAmount: 1, AccountCode: '260', TaxType: 'NONE' },
    ]);
    expect(plan.warnings[0]).toMatch(/tax row "Old Levy" matches no OpenCart tax rate/);
    expect(judge(plan).total).toBe(11);
  });
});
