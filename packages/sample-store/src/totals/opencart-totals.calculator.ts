/**
 * OpenCart's own order arithmetic (3.0.x catalog/model/extension/total/*, 4.x
 * extension/opencart/catalog/model/total/*), replayed step by step in IEEE doubles like PHP does,
 * then stored the way OpenCart stores it (see phpStoredDecimal). Getting the same float operations
 * in the same order is what makes the 4th decimal agree with a real store; the unit test replays
 * every order of the real dumps through it.
 */
import type { OpenCartVersion } from '../sample-store.types';
import { phpStoredDecimal } from './php-decimal';

/** A tax rate as Tax::getRates sees it. */
export interface AppliedTaxRate {
  taxRateId: number;
  /** Rate name; also the title of its order_total row. */
  name: string;
  type: 'P' | 'F';
  /** Percent for P, amount per unit (default currency) for F. */
  rate: number;
}

/**
 * Rates in force for each tax class on this order, in OpenCart's order (shipping-based rules by
 * priority, then payment-based, then store-based; a rate already seen keeps its place).
 */
export type TaxRatesByClass = ReadonlyMap<number, readonly AppliedTaxRate[]>;

export interface CartLineInput {
  /** Product price, or the discount/special price that replaced it. */
  basePrice: number;
  /** Signed option price modifiers ('+' adds, '-' subtracts), in the order the options were chosen. */
  optionPrices?: number[];
  quantity: number;
  taxClassId: number;
  /** Reward points needed to buy this line with points (product points × quantity). */
  points?: number;
}

export interface CouponInput {
  code: string;
  type: 'P' | 'F';
  discount: number;
  /** Free shipping coupon. */
  shipping: boolean;
}

export interface ShippingInput {
  title: string;
  cost: number;
  taxClassId: number;
}

export interface OrderInput {
  version: OpenCartVersion;
  lines: CartLineInput[];
  taxRates: TaxRatesByClass;
  /** Null when nothing is shipped (downloads, vouchers only). */
  shipping: ShippingInput | null;
  coupon?: CouponInput | null;
  /** Reward points redeemed (the customer has at least this many). */
  rewardPoints?: number;
  /** The customer's store credit balance, applied automatically when positive. */
  creditBalance?: number;
  /** Gift voucher redeemed (3.x): its code and remaining balance. */
  voucher?: { code: string; balance: number } | null;
  /** Gift vouchers bought in this order (3.x): their amounts. */
  vouchersBought?: number[];
}

export interface CalculatedLine {
  /** Unit price with options (4 dp). */
  price: string;
  /** price × quantity (4 dp). */
  total: string;
  /** Tax per unit, all rates (4 dp). */
  tax: string;
}

export interface CalculatedTotal {
  code: string;
  title: string;
  value: string;
  sortOrder: number;
}

export interface CalculatedOrder {
  lines: CalculatedLine[];
  /** order_total rows in OpenCart's order. */
  totals: CalculatedTotal[];
  /** order.total (4 dp). */
  total: string;
  /** The amounts actually used, as floats, for the store-side records (credit, reward, voucher history). */
  applied: { credit: number; reward: number; voucher: number };
}

/** The demo stores' total sort orders, identical in 3.0.5.0 and 4.1.0.3. */
export const TOTAL_SORT_ORDER = {
  sub_total: 1,
  reward: 2,
  shipping: 3,
  coupon: 4,
  tax: 5,
  credit: 7,
  voucher: 8,
  total: 9,
} as const;

/** Tax::getRates: the amount of each rate for one value. */
function getRates(value: number, taxClassId: number, taxRates: TaxRatesByClass): Map<number, AppliedTaxRate & { amount: number }> {
  const result = new Map<number, AppliedTaxRate & { amount: number }>();
  for (const rate of taxRates.get(taxClassId) ?? []) {
    let amount = result.get(rate.taxRateId)?.amount ?? 0;
    if (rate.type === 'F') amount += rate.rate;
    else amount += (value / 100) * rate.rate;
    result.set(rate.taxRateId, { ...rate, amount });
  }
  return result;
}

/** Tax::getTax: all rates together. */
function getTax(value: number, taxClassId: number, taxRates: TaxRatesByClass): number {
  let amount = 0;
  for (const rate of getRates(value, taxClassId, taxRates).values()) amount += rate.amount;
  return amount;
}

/** Compute one order as OpenCart's checkout would, and what it would store. */
export function calculateOrder(input: OrderInput): CalculatedOrder {
  const { taxRates, version } = input;
  const cart = input.lines.map((line) => {
    let optionPrice = 0;
    for (const p of line.optionPrices ?? []) optionPrice += p;
    const price = line.basePrice + optionPrice;
    return { ...line, price, total: price * line.quantity, points: line.points ?? 0 };
  });

  const rows: Array<{ code: keyof typeof TOTAL_SORT_ORDER; title: string; value: number }> = [];
  // $total['taxes'], keyed by tax_rate_id in insertion order (a PHP array).
  const taxes = new Map<number, number>();
  const rateNames = new Map<number, string>();
  const addTax = (id: number, amount: number): void => {
    taxes.set(id, (taxes.get(id) ?? 0) + amount);
  };
  // PHP's `$taxes[$id] -= x` on a missing key starts from null (0).
  const subTax = (id: number, amount: number): void => {
    taxes.set(id, (taxes.get(id) ?? 0) - amount);
  };

  // Cart::getTaxes
  for (const line of cart) {
    if (!line.taxClassId) continue;
    for (const rate of getRates(line.price, line.taxClassId, taxRates).values()) {
      rateNames.set(rate.taxRateId, rate.name);
      addTax(rate.taxRateId, rate.amount * line.quantity);
    }
  }
  let total = 0;

  // sub_total (sort 1): 3.x counts gift vouchers bought as part of the sub-total.
  let cartSubTotal = 0;
  for (const line of cart) cartSubTotal += line.total;
  let subTotal = cartSubTotal;
  for (const amount of input.vouchersBought ?? []) subTotal += amount;
  rows.push({ code: 'sub_total', title: 'Sub-Total', value: subTotal });
  total += subTotal;

  // reward (sort 2)
  let rewardUsed = 0;
  if (input.rewardPoints) {
    let pointsTotal = 0;
    for (const line of cart) if (line.points) pointsTotal += line.points;
    let discountTotal = 0;
    for (const line of cart) {
      let discount = 0;
      if (line.points) {
        discount = line.total * (input.rewardPoints / pointsTotal);
        if (line.taxClassId) {
          for (const rate of getRates(line.total - (line.total - discount), line.taxClassId, taxRates).values()) {
            if (rate.type === 'P') subTax(rate.taxRateId, rate.amount);
          }
        }
      }
      discountTotal += discount;
    }
    const title = version === '3' ? `Reward Points (${input.rewardPoints})` : `Reward Points (-${input.rewardPoints})`;
    rows.push({ code: 'reward', title, value: -discountTotal });
    total -= discountTotal;
    rewardUsed = discountTotal;
  }

  // shipping (sort 3)
  if (input.shipping) {
    const { cost, taxClassId, title } = input.shipping;
    rows.push({ code: 'shipping', title, value: cost });
    if (taxClassId) {
      for (const rate of getRates(cost, taxClassId, taxRates).values()) {
        rateNames.set(rate.taxRateId, rate.name);
        addTax(rate.taxRateId, rate.amount);
      }
    }
    total += cost;
  }

  // coupon (sort 4)
  if (input.coupon) {
    const coupon = { ...input.coupon };
    let discountTotal = 0;
    const subTotalForCoupon = cartSubTotal;
    if (coupon.type === 'F') coupon.discount = Math.min(coupon.discount, subTotalForCoupon);
    for (const line of cart) {
      let discount = 0;
      if (coupon.type === 'F') discount = coupon.discount * (line.total / subTotalForCoupon);
      else discount = (line.total / 100) * coupon.discount;
      if (line.taxClassId) {
        for (const rate of getRates(line.total - (line.total - discount), line.taxClassId, taxRates).values()) {
          if (rate.type === 'P') subTax(rate.taxRateId, rate.amount);
        }
      }
      discountTotal += discount;
    }
    if (coupon.shipping && input.shipping) {
      if (input.shipping.taxClassId) {
        for (const rate of getRates(input.shipping.cost, input.shipping.taxClassId, taxRates).values()) {
          if (rate.type === 'P') subTax(rate.taxRateId, rate.amount);
        }
      }
      discountTotal += input.shipping.cost;
    }
    if (discountTotal > total) discountTotal = total;
    if (discountTotal > 0) {
      rows.push({ code: 'coupon', title: `Coupon (${coupon.code})`, value: -discountTotal });
      total -= discountTotal;
    }
  }

  // tax (sort 5): one row per rate with a positive amount.
  for (const [id, value] of taxes) {
    if (value > 0) {
      rows.push({ code: 'tax', title: rateNames.get(id) ?? '', value });
      total += value;
    }
  }

  // credit (sort 7)
  let creditUsed = 0;
  if (input.creditBalance) {
    const credit = Math.min(input.creditBalance, total);
    if (credit > 0) {
      rows.push({ code: 'credit', title: 'Store Credit', value: -credit });
      total -= credit;
      creditUsed = credit;
    }
  }

  // voucher (sort 8, 3.x only)
  let voucherUsed = 0;
  if (input.voucher && version === '3') {
    const amount = Math.min(input.voucher.balance, total);
    if (amount > 0) {
      rows.push({ code: 'voucher', title: `Gift Certificate (${input.voucher.code})`, value: -amount });
      total -= amount;
      voucherUsed = amount;
    }
  }

  // total (sort 9)
  const grandTotal = Math.max(0, total);
  rows.push({ code: 'total', title: 'Total', value: grandTotal });

  // array_multisort($sort_order, SORT_ASC, $totals): ties (the tax rows) fall back to comparing
  // the rows themselves, i.e. by code, then title.
  const sorted = rows
    .map((row, index) => ({ ...row, index, sortOrder: TOTAL_SORT_ORDER[row.code] }))
    .sort((a, b) => a.sortOrder - b.sortOrder || cmp(a.code, b.code) || cmp(a.title, b.title) || a.value - b.value || a.index - b.index);

  return {
    lines: cart.map((line) => ({
      price: phpStoredDecimal(line.price),
      total: phpStoredDecimal(line.total),
      tax: phpStoredDecimal(getTax(line.price, line.taxClassId, taxRates)),
    })),
    totals: sorted.map((row) => ({ code: row.code, title: row.title, value: phpStoredDecimal(row.value), sortOrder: row.sortOrder })),
    total: phpStoredDecimal(grandTotal),
    applied: { credit: creditUsed, reward: rewardUsed, voucher: voucherUsed },
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
