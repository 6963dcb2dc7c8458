import { readFileSync } from 'fs';
import path from 'path';
import { openCartFixturesDir } from '../../test/helpers/fixtures.helper';
import { AppliedTaxRate, calculateOrder, CouponInput, OrderInput } from './opencart-totals.calculator';
import { phpStoredDecimal } from './php-decimal';

const VAT: AppliedTaxRate = { taxRateId: 1, name: 'VAT (20%)', type: 'P', rate: 20 };
const ECO: AppliedTaxRate = { taxRateId: 2, name: 'Eco Tax (-2.00)', type: 'F', rate: 2 };
const TAXABLE = 9;
// The demo "Downloadable" class: Eco Tax on the store address, VAT on the payment address.
const DOWNLOADABLE = 10;

describe('phpStoredDecimal', () => {
  it('rounds what PHP prints, half away from zero, to 4 dp', () => {
    expect(phpStoredDecimal(0.3333 / 100 * 20 + 2)).toBe('2.0667');
    expect(phpStoredDecimal(12.3456 * 0.2)).toBe('2.4691');
    expect(phpStoredDecimal(-0.00004)).toBe('0.0000');
    expect(phpStoredDecimal(-7.66665)).toBe('-7.6667');
    // The double nearest 1.00005 is slightly below it; PHP prints 1.00005 and MySQL rounds up.
    expect(phpStoredDecimal(1.00005)).toBe('1.0001');
  });

  it('refuses NaN and Infinity', () => {
    expect(() => phpStoredDecimal(NaN)).toThrow(/non-finite/);
  });
});

describe('calculateOrder (hand-checked cases)', () => {
  const rates = new Map([[TAXABLE, [VAT, ECO]]]);
  const flat = { title: 'Flat Shipping Rate', cost: 5, taxClassId: TAXABLE };

  it('charges VAT per unit and the fixed tax per unit, shipping taxed too', () => {
    const order = calculateOrder({ version: '3', lines: [{ basePrice: 0.3333, quantity: 100, taxClassId: TAXABLE }], taxRates: rates, shipping: flat });
    expect(order.lines).toEqual([{ price: '0.3333', total: '33.3300', tax: '2.0667' }]);
    expect(order.totals.map((t) => [t.code, t.title, t.value])).toEqual([
      ['sub_total', 'Sub-Total', '33.3300'],
      ['shipping', 'Flat Shipping Rate', '5.0000'],
      ['tax', 'Eco Tax (-2.00)', '202.0000'],
      ['tax', 'VAT (20%)', '7.6660'],
      ['total', 'Total', '247.9960'],
    ]);
    expect(order.total).toBe('247.9960');
  });

  it('adds option modifiers to the unit price', () => {
    const order = calculateOrder({
      version: '4',
      lines: [{ basePrice: 100, optionPrices: [10, -2.5], quantity: 2, taxClassId: 0 }],
      taxRates: rates,
      shipping: null,
    });
    expect(order.lines[0]).toEqual({ price: '107.5000', total: '215.0000', tax: '0.0000' });
    expect(order.total).toBe('215.0000');
  });

  it('a free-shipping coupon removes the shipping and its percentage tax, not the fixed tax', () => {
    const coupon: CouponInput = { code: 'SHIP', type: 'F', discount: 0, shipping: true };
    const order = calculateOrder({ version: '4', lines: [{ basePrice: 200, quantity: 1, taxClassId: TAXABLE }], taxRates: rates, shipping: flat, coupon });
    expect(order.totals.map((t) => [t.code, t.value])).toEqual([
      ['sub_total', '200.0000'],
      ['shipping', '5.0000'],
      ['coupon', '-5.0000'],
      ['tax', '4.0000'],
      ['tax', '40.0000'],
      ['total', '244.0000'],
    ]);
  });

  it('store credit never takes the total below zero and is capped by the balance', () => {
    const full = calculateOrder({ version: '3', lines: [{ basePrice: 9.9999, quantity: 3, taxClassId: 0 }], taxRates: rates, shipping: null, creditBalance: 500 });
    expect(full.totals.find((t) => t.code === 'credit')?.value).toBe('-29.9997');
    expect(full.total).toBe('0.0000');
    const part = calculateOrder({ version: '3', lines: [{ basePrice: 100, quantity: 1, taxClassId: 0 }], taxRates: rates, shipping: null, creditBalance: 25 });
    expect(part.total).toBe('75.0000');
  });

  it('titles reward rows the way each version does', () => {
    const input: OrderInput = { version: '3', lines: [{ basePrice: 10, quantity: 1, taxClassId: 0, points: 100 }], taxRates: rates, shipping: null, rewardPoints: 50 };
    expect(calculateOrder(input).totals[1]).toEqual({ code: 'reward', title: 'Reward Points (50)', value: '-5.0000', sortOrder: 2 });
    expect(calculateOrder({ ...input, version: '4' }).totals[1].title).toBe('Reward Points (-50)');
  });
});

interface FixtureOrder {
  order_id: number;
  shipping: { method: string; code: string } | null;
  total: string;
  order_total: Array<{ code: string; title: string; value: string }>;
  lines: Array<{ quantity: number; price: string; total: string; tax_per_unit: string }>;
}

// Inputs the ground truth does not carry: the coupons' definitions and, for reward orders, the
// points the cart's products were worth (discount = line total × redeemed / points of the cart).
const COUPONS: Record<string, CouponInput> = {
  SPRING15: { code: 'SPRING15', type: 'P', discount: 15, shipping: false },
  FIXED750: { code: 'FIXED750', type: 'F', discount: 7.5, shipping: false },
  FREESHIP: { code: 'FREESHIP', type: 'F', discount: 0, shipping: true },
};
const CART_POINTS: Record<string, number> = { '3:7': 400, '3:31': 500, '4:7': 400, '4:30': 500 };
// Order 36 redeemed a 50.00 voucher that covered all of it.
const VOUCHER_BALANCE: Record<string, number> = { '3:36': 50 };

/** Rebuild the checkout inputs of one real order from what orders-N.json tells. */
function inputFor(version: '3' | '4', order: FixtureOrder): OrderInput {
  const key = `${version}:${order.order_id}`;
  const row = (code: string) => order.order_total.find((t) => t.code === code);
  const taxTitles = order.order_total.filter((t) => t.code === 'tax').map((t) => t.title);
  // Class 9 in the demo: VAT (priority 1) then Eco Tax (priority 2), both shipping-based.
  const classRates = [VAT, ECO].filter((r) => taxTitles.includes(r.name));
  const downloadRates = classRates.filter((r) => r === ECO);
  const perUnit = (rates: AppliedTaxRate[], price: number) =>
    phpStoredDecimal(rates.reduce((sum, r) => sum + (r.type === 'F' ? r.rate : (price / 100) * r.rate), 0));
  // Which class a line had is not in the ground truth: take the one whose tax matches.
  const classOf = (price: string, tax: string) =>
    Number(tax) === 0 ? 0 : perUnit(classRates, Number(price)) === tax ? TAXABLE : perUnit(downloadRates, Number(price)) === tax ? DOWNLOADABLE : -1;
  const lineTotal = order.lines.reduce((sum, l) => sum + Number(l.total), 0);
  const points = CART_POINTS[key];
  const shippingRow = row('shipping');
  const couponRow = row('coupon');
  const rewardRow = row('reward');
  const creditRow = row('credit');
  const voucherRow = row('voucher');
  const bought = Number(row('sub_total')?.value) - lineTotal;
  return {
    version,
    lines: order.lines.map((l) => ({
      basePrice: Number(l.price),
      quantity: l.quantity,
      taxClassId: classOf(l.price, l.tax_per_unit),
      points: points ? points / order.lines.length : 0,
    })),
    taxRates: new Map([
      [TAXABLE, classRates],
      [DOWNLOADABLE, downloadRates],
    ]),
    shipping: shippingRow
      ? { title: shippingRow.title, cost: Number(shippingRow.value), taxClassId: order.shipping?.code === 'flat.flat' ? TAXABLE : 0 }
      : null,
    coupon: couponRow ? COUPONS[/\((.+)\)/.exec(couponRow.title)![1]] : null,
    rewardPoints: rewardRow ? Number(/\(-?(\d+)\)/.exec(rewardRow.title)![1]) : 0,
    creditBalance: creditRow ? -Number(creditRow.value) : 0,
    voucher: voucherRow ? { code: /\((.+)\)/.exec(voucherRow.title)![1], balance: VOUCHER_BALANCE[key] ?? -Number(voucherRow.value) } : null,
    vouchersBought: bought > 0.00005 ? [bought] : [],
  };
}

const fixturesDir = openCartFixturesDir();
const describeWithFixtures = fixturesDir ? describe : describe.skip;

describeWithFixtures.each(['3', '4'] as const)('calculateOrder replays every real OpenCart %s.x order', (version) => {
  const file = path.join(fixturesDir ?? '', `orders-${version}.json`);
  const orders: FixtureOrder[] = fixturesDir ? JSON.parse(readFileSync(file, 'utf8')).orders : [];

  it('has orders to replay', () => {
    expect(orders.length).toBeGreaterThan(30);
  });

  it.each(orders.map((o) => [o.order_id, o] as const))('order %i: same lines, total rows and total', (_id, order) => {
    const result = calculateOrder(inputFor(version, order));
    expect(result.totals.map((t) => ({ code: t.code, title: t.title, value: t.value }))).toEqual(
      order.order_total.map((t) => ({ code: t.code, title: t.title, value: t.value })),
    );
    expect(result.total).toBe(order.total);
    expect(result.lines).toEqual(order.lines.map((l) => ({ price: l.price, total: l.total, tax: l.tax_per_unit })));
  });
});
