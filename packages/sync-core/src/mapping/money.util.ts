/**
 * Money arithmetic in decimal.js only: floats appear solely in the number handed to Xero.
 * Rounding is half away from zero, as PHP's round() (OpenCart's display) and Xero do.
 */
import Decimal from 'decimal.js';

/** Our own Decimal constructor: enough precision for any currency product, half-up (away from zero). */
export const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof D>;

export const dec = (v: Decimal.Value | Dec): Dec => new D(v as Decimal.Value);
export const ZERO = new D(0);
export const round2 = (v: Dec): Dec => v.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
export const round4 = (v: Dec): Dec => v.toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
/** The figure shown/sent: fixed 2 dp string. */
export const fmt2 = (v: Dec): string => round2(v).toFixed(2);
/** The number handed to Xero (the only float conversion). */
export const toXeroNumber = (v: Dec): number => v.toNumber();
export const sum = (xs: Dec[]): Dec => xs.reduce((a, b) => a.plus(b), ZERO);

/** A line as Xero sees it for arithmetic. */
export interface XeroArithmeticLine {
  Quantity: number;
  UnitAmount: number;
  TaxType?: string;
  DiscountRate?: number;
  TaxAmount?: number;
}

/** Xero's totals for an invoice. */
export interface XeroComputedTotals {
  subTotal: Dec;
  tax: Dec;
  total: Dec;
  lines: Array<{ lineAmount: Dec; taxAmount: Dec }>;
}

/**
 * What Xero computes for an invoice: LineAmount = round2(Quantity × UnitAmount × (1 − DiscountRate/100)),
 * tax per line round2(LineAmount × rate) (Exclusive) or round2(LineAmount × rate / (100 + rate))
 * (Inclusive), an explicit TaxAmount overriding the computed one.
 * Used for InvoicePlan.xeroTotals and for the mapper's own search; tests check it against the sandbox.
 */
export function computeXeroTotals(
  lineAmountTypes: 'Exclusive' | 'Inclusive' | 'NoTax',
  lines: XeroArithmeticLine[],
  ratePercentByTaxType: (taxType: string | undefined) => Dec,
): XeroComputedTotals {
  const out: XeroComputedTotals['lines'] = [];
  for (const l of lines) {
    let amount = dec(l.Quantity).times(dec(l.UnitAmount));
    if (l.DiscountRate) amount = amount.times(dec(100).minus(dec(l.DiscountRate))).dividedBy(100);
    const lineAmount = round2(amount);
    let taxAmount: Dec;
    if (lineAmountTypes === 'NoTax') taxAmount = ZERO;
    else if (l.TaxAmount !== undefined) taxAmount = dec(l.TaxAmount);
    else {
      const rate = ratePercentByTaxType(l.TaxType);
      taxAmount =
        lineAmountTypes === 'Exclusive'
          ? round2(lineAmount.times(rate).dividedBy(100))
          : round2(lineAmount.times(rate).dividedBy(dec(100).plus(rate)));
    }
    out.push({ lineAmount, taxAmount });
  }
  const lineSum = sum(out.map((l) => l.lineAmount));
  const tax = sum(out.map((l) => l.taxAmount));
  const subTotal = lineAmountTypes === 'Inclusive' ? lineSum.minus(tax) : lineSum;
  return { subTotal, tax, total: subTotal.plus(tax), lines: out };
}
