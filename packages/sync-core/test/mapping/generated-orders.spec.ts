/**
 * Beyond the 79 real orders: thousands of orders generated the way OpenCart computes them
 * (per-unit tax from unrounded rates, tax rows summed unrounded and stored at 4 dp, coupons and
 * reward points taking their tax off the rows, shipping and handling fees taxed by their class,
 * fixed Eco Tax per unit, vouchers and store credit, USD/EUR/GBP at OpenCart's rates), each mapped and judged with Xero's arithmetic (the
 * sandbox's computeInvoiceTotals). A seeded generator, so a failure names a reproducible order.
 */
import Decimal from 'decimal.js';
import { mapOrderToInvoice } from '../../src/mapping/order-to-invoice.mapper';
import type { OcOrder, OcOrderLine } from '../../src/ports/opencart.port';
import { context, ECO, order, RR, VAT } from './support/order.builder';
import { xeroTotalsOf } from './support/xero-arithmetic.oracle';
import { ukTaxRates } from './support/xero-organisations';

const D = (v: Decimal.Value): Decimal => new Decimal(v);
const r4 = (v: Decimal): Decimal => v.toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
const r2 = (v: Decimal): Decimal => v.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

/** mulberry32: small seeded PRNG so every generated order can be reproduced from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type TaxClass = 'vat+eco' | 'vat' | 'rr' | 'none';
const CURRENCIES: Array<[string, string]> = [
  ['USD', '1.00000000'],
  ['EUR', '0.78460002'],
  ['GBP', '0.61250001'],
];

/** An order as OpenCart's cart and total extensions would store it. */
function generate(seed: number): OcOrder {
  const rand = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const price = (): Decimal =>
    pick([
      D(rand() * 50).toDecimalPlaces(4),
      D(rand() * 500).toDecimalPlaces(2),
      D(pick(['0.3333', '12.3456', '79.9950', '9.9999', '1.0250', '0.0050'])),
    ]);
  const rates = (cls: TaxClass) =>
    cls === 'vat+eco' ? [VAT, ECO] : cls === 'vat' ? [VAT] : cls === 'rr' ? [RR] : [];
  const rateAmount = (r: typeof VAT, base: Decimal): Decimal =>
    r.type === 'P' ? base.times(r.rate).dividedBy(100) : D(r.rate);

  const taxes = new Map<string, Decimal>();
  const addTax = (name: string, v: Decimal) => taxes.set(name, (taxes.get(name) ?? D(0)).plus(v));
  const lines: OcOrderLine[] = [];
  const n = 1 + Math.floor(rand() * (rand() < 0.2 ? 25 : 5));
  const classes: TaxClass[] = [];
  for (let i = 0; i < n; i++) {
    const p = price();
    const q = rand() < 0.1 ? 100 + Math.floor(rand() * 150) : 1 + Math.floor(rand() * 12);
    const cls = pick<TaxClass>(['vat+eco', 'vat', 'vat', 'rr', 'none']);
    classes.push(cls);
    let perUnit = D(0);
    for (const r of rates(cls)) {
      const a = rateAmount(r, p);
      perUnit = perUnit.plus(a);
      addTax(r.name, a.times(q));
    }
    lines.push({
      orderProductId: i + 1,
      productId: 100 + i,
      productExists: true,
      name: `Product ${i}`,
      model: `M${i}`,
      sku: '',
      quantity: q,
      price: p.toFixed(4),
      total: r4(p.times(q)).toFixed(4),
      taxPerUnit: r4(perUnit).toFixed(4),
      reward: 0,
      taxClassId: 0,
      options: [],
    });
  }
  const subTotal = lines.reduce((a, l) => a.plus(D(l.price).times(l.quantity)), D(0));
  const rows: Array<[string, string, Decimal]> = [['sub_total', 'Sub-Total', subTotal]];
  let running = subTotal;

  if (rand() < 0.8) {
    const cost = pick([D(5), D(0), D(rand() * 20).toDecimalPlaces(2)]);
    const cls = pick<TaxClass>(['vat+eco', 'vat', 'none']);
    rows.push(['shipping', 'Flat Shipping Rate', cost]);
    running = running.plus(cost);
    for (const r of rates(cls)) addTax(r.name, rateAmount(r, cost));
  }
  // A handling fee (an OpenCart total extension with its own tax class).
  if (rand() < 0.15) {
    const fee = D(pick(['2.5000', '0.9900', '4.1234']));
    rows.push(['handling', 'Handling Fee', fee]);
    running = running.plus(fee);
    for (const r of rates(pick<TaxClass>(['vat', 'none']))) addTax(r.name, rateAmount(r, fee));
  }
  // Coupon: percent of every product, taking each product's percentage tax off the rows (OpenCart's coupon total).
  if (rand() < 0.3) {
    const pct = D(pick([10, 15, 25]));
    let discount = D(0);
    lines.forEach((l, i) => {
      const d = D(l.price).times(l.quantity).times(pct).dividedBy(100);
      discount = discount.plus(d);
      for (const r of rates(classes[i]!)) if (r.type === 'P') addTax(r.name, rateAmount(r, d).negated());
    });
    rows.push(['coupon', `Coupon (SPRING${pct.toString()})`, discount.negated()]);
    running = running.minus(discount);
  }
  // Reward points: spread over products by their share of the sub-total, tax taken off likewise.
  if (rand() < 0.2 && subTotal.gt(0)) {
    const points = D(Math.floor(rand() * 100))
      .plus(0.3333)
      .toDecimalPlaces(4);
    const value = Decimal.min(points, subTotal.times(0.5));
    lines.forEach((l, i) => {
      const d = value.times(D(l.price).times(l.quantity)).dividedBy(subTotal);
      for (const r of rates(classes[i]!)) if (r.type === 'P') addTax(r.name, rateAmount(r, d).negated());
    });
    rows.push(['reward', 'Reward Points (100)', value.negated()]);
    running = running.minus(value);
  }
  for (const [name, v] of taxes) {
    if (v.isZero()) continue;
    rows.push(['tax', name, v]);
    running = running.plus(v);
  }
  if (rand() < 0.1) {
    const voucher = Decimal.min(running, D(rand() * 40).toDecimalPlaces(4));
    rows.push(['voucher', 'Gift Certificate (GEN)', voucher.negated()]);
    running = running.minus(voucher);
  }
  if (rand() < 0.15) {
    const credit = Decimal.min(running, D(rand() * 60).toDecimalPlaces(4));
    rows.push(['credit', 'Store Credit', credit.negated()]);
    running = running.minus(credit);
  }
  rows.push(['total', 'Total', running]);
  const [code, value] = pick(CURRENCIES);
  return order({
    orderId: seed,
    currencyCode: code,
    currencyValue: value,
    lines,
    totals: rows.map(([c, t, v], i) => ({ code: c, title: t, value: r4(v).toFixed(4), sortOrder: i })),
    total: r4(running).toFixed(4),
  });
}

// GENERATED_ORDERS=<n> runs a longer sweep by hand; the suite keeps to 3000 to stay quick.
const COUNT = Number(process.env.GENERATED_ORDERS ?? 3000);

describe('generated OpenCart orders → Xero invoices, judged with Xero arithmetic', () => {
  it(`lands every one of ${COUNT} orders on OpenCart's total to the cent, tax to the cent or through one small rounding line`, () => {
    const ctx = context({ ocTaxRates: [VAT, ECO, RR], organisation: { Name: 'UK', BaseCurrency: 'GBP' } });
    const pct = new Set(['vat (20%)', 'vat (5%)']);
    let worstTax = 0;
    let worstRounding = 0;
    let withRounding = 0;
    let taxMisses = 0;
    const failures: string[] = [];
    let mappingNs = 0n;
    for (let seed = 1; seed <= COUNT; seed++) {
      const o = generate(seed);
      const t0 = process.hrtime.bigint();
      const plan = mapOrderToInvoice(o, ctx);
      mappingNs += process.hrtime.bigint() - t0;
      const cv = D(o.currencyValue);
      const x = xeroTotalsOf(plan.invoice, ukTaxRates);
      const expectedTotal = r2(D(o.total).times(cv));
      const expectedTax = o.totals
        .filter((t) => t.code === 'tax' && pct.has(t.title.toLowerCase()))
        .reduce((a, t) => a.plus(r2(D(t.value).times(cv))), D(0));
      const rounding = plan.invoice.LineItems.filter((l) => l.AccountCode === ctx.accounts.rounding);
      const taxDiff = D(x.tax).minus(expectedTax).abs().toNumber();
      const roundingAmount = rounding.length ? Math.abs(rounding[0]!.UnitAmount) : 0;
      if (!D(x.total).eq(expectedTotal))
        failures.push(`order seed ${seed}: Xero total ${x.total} ≠ OpenCart ${expectedTotal.toFixed(2)}`);
      if (rounding.length > 1) failures.push(`order seed ${seed}: ${rounding.length} rounding lines`);
      if (taxDiff > 0.03) failures.push(`order seed ${seed}: tax ${x.tax} vs ${expectedTax.toFixed(2)}`);
      if (roundingAmount > 0.05) failures.push(`order seed ${seed}: rounding line ${roundingAmount}`);
      if (taxDiff > 0) taxMisses++;
      if (rounding.length) withRounding++;
      worstTax = Math.max(worstTax, taxDiff);
      worstRounding = Math.max(worstRounding, roundingAmount);
    }
    const ms = Number(mappingNs) / 1e6;
    console.log(
      `generated orders: ${COUNT}; Xero total = OpenCart total for all but ${failures.filter((f) => f.includes('total')).length}; ` +
        `tax off by ≥1 ct in ${taxMisses} (worst ${worstTax.toFixed(2)}); ${withRounding} with a rounding line (largest ${worstRounding.toFixed(2)}); ` +
        `mapping alone ${(COUNT / (ms / 1000)).toFixed(0)} orders/s (${(ms / COUNT).toFixed(2)} ms/order, 1–25 lines each)`,
    );
    expect(failures).toEqual([]);
  });
});
