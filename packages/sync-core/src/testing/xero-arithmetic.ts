import Decimal from 'decimal.js';

/**
 * Xero's invoice arithmetic as the fakes need it: every line rounded to 2 dp on its own
 * (LineAmount = Quantity × UnitAmount less DiscountRate, tax per line), then summed. This is the
 * behaviour that makes OpenCart's totals and Xero's differ by cents, so the fakes must reproduce
 * it rather than sum unrounded amounts.
 */
export interface ArithmeticLine {
  Quantity: number;
  UnitAmount: number;
  TaxType?: string;
  DiscountRate?: number;
  TaxAmount?: number;
}

export interface ArithmeticResult {
  SubTotal: number;
  TotalTax: number;
  Total: number;
  lines: Array<{ LineAmount: number; TaxAmount: number }>;
}

const round2 = (d: Decimal): Decimal => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

export function computeXeroTotals(
  invoice: { LineAmountTypes: string; LineItems: ArithmeticLine[] },
  taxRates: Array<{ TaxType: string; EffectiveRate: number }>,
): ArithmeticResult {
  const rateOf = (taxType: string | undefined): Decimal => {
    if (!taxType) return new Decimal(0);
    const rate = taxRates.find((r) => r.TaxType === taxType);
    if (!rate) throw new Error(`unknown TaxType ${taxType}`);
    return new Decimal(rate.EffectiveRate);
  };
  let subTotal = new Decimal(0);
  let totalTax = new Decimal(0);
  let total = new Decimal(0);
  const lines: ArithmeticResult['lines'] = [];
  for (const line of invoice.LineItems) {
    const discount = new Decimal(100).minus(line.DiscountRate ?? 0).div(100);
    const lineAmount = round2(new Decimal(line.Quantity).times(line.UnitAmount).times(discount));
    const rate = invoice.LineAmountTypes === 'NoTax' ? new Decimal(0) : rateOf(line.TaxType);
    let tax: Decimal;
    if (line.TaxAmount !== undefined && invoice.LineAmountTypes !== 'NoTax') tax = new Decimal(line.TaxAmount);
    else if (invoice.LineAmountTypes === 'Inclusive') tax = round2(lineAmount.times(rate).div(rate.plus(100)));
    else tax = round2(lineAmount.times(rate).div(100));
    if (invoice.LineAmountTypes === 'Inclusive') {
      subTotal = subTotal.plus(lineAmount.minus(tax));
      total = total.plus(lineAmount);
    } else {
      subTotal = subTotal.plus(lineAmount);
      total = total.plus(lineAmount).plus(tax);
    }
    totalTax = totalTax.plus(tax);
    lines.push({ LineAmount: lineAmount.toNumber(), TaxAmount: tax.toNumber() });
  }
  return { SubTotal: subTotal.toNumber(), TotalTax: totalTax.toNumber(), Total: total.toNumber(), lines };
}
