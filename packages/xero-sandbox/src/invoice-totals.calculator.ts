import Decimal from 'decimal.js';

// Xero's invoice arithmetic, kept pure so tests and mappers can reproduce it exactly.
//
// Rounding: every LINE is rounded to 2 dp (line amount first, then line tax) and the totals are
// sums of rounded lines, as DESIGN.md §3 says Xero does. Half-way cents go AWAY FROM ZERO
// (decimal.js ROUND_HALF_UP, symmetric for negatives), not banker's rounding: that is the
// commercial rounding a bookkeeper expects on an invoice. We could not check it against a live
// Xero from here; the choice only matters for exact .xx5 values.

export interface InvoiceTotalsInput {
  LineAmountTypes: string;
  LineItems: Array<{
    Quantity: number;
    UnitAmount: number;
    TaxType?: string;
    DiscountRate?: number;
    TaxAmount?: number;
  }>;
}

export interface InvoiceTotals {
  SubTotal: number;
  TotalTax: number;
  Total: number;
  lines: Array<{ LineAmount: number; TaxAmount: number }>;
}

export interface InvoiceTotalsOptions {
  /** Decimal places kept on UnitAmount: Xero's default is 2; the `unitdp=4` query parameter keeps 4. */
  unitdp?: number;
}

const HALF_AWAY = Decimal.ROUND_HALF_UP;

export function roundMoney(value: Decimal.Value, dp = 2): number {
  return new Decimal(value).toDecimalPlaces(dp, HALF_AWAY).toNumber();
}

export function computeInvoiceTotals(
  invoice: InvoiceTotalsInput,
  taxRates: Array<{ TaxType: string; EffectiveRate: number }>,
  options: InvoiceTotalsOptions = {},
): InvoiceTotals {
  const unitdp = options.unitdp === 4 ? 4 : 2;
  const mode = invoice.LineAmountTypes ?? 'Exclusive';
  if (!['Exclusive', 'Inclusive', 'NoTax'].includes(mode)) {
    throw new Error(`LineAmountTypes must be Exclusive, Inclusive or NoTax, got "${mode}"`);
  }
  let subTotal = new Decimal(0);
  let totalTax = new Decimal(0);
  let total = new Decimal(0);
  const lines = invoice.LineItems.map((line) => {
    const quantity = new Decimal(line.Quantity ?? 1).toDecimalPlaces(4, HALF_AWAY);
    const unit = new Decimal(line.UnitAmount ?? 0).toDecimalPlaces(unitdp, HALF_AWAY);
    const discount = new Decimal(line.DiscountRate ?? 0);
    const lineAmount = quantity
      .times(unit)
      .times(new Decimal(100).minus(discount))
      .dividedBy(100)
      .toDecimalPlaces(2, HALF_AWAY);
    let tax = new Decimal(0);
    if (mode !== 'NoTax') {
      if (line.TaxAmount !== undefined && line.TaxAmount !== null) {
        // Xero lets the caller adjust a line's tax; it keeps the sent amount (rounded to cents).
        tax = new Decimal(line.TaxAmount).toDecimalPlaces(2, HALF_AWAY);
      } else {
        const rate = rateOf(line.TaxType, taxRates);
        tax =
          mode === 'Exclusive'
            ? lineAmount.times(rate).dividedBy(100)
            : lineAmount.times(rate).dividedBy(new Decimal(100).plus(rate));
        tax = tax.toDecimalPlaces(2, HALF_AWAY);
      }
    }
    if (mode === 'Inclusive') {
      subTotal = subTotal.plus(lineAmount.minus(tax));
      total = total.plus(lineAmount);
    } else {
      subTotal = subTotal.plus(lineAmount);
      total = total.plus(lineAmount).plus(tax);
    }
    totalTax = totalTax.plus(tax);
    return { LineAmount: lineAmount.toNumber(), TaxAmount: tax.toNumber() };
  });
  return { SubTotal: subTotal.toNumber(), TotalTax: totalTax.toNumber(), Total: total.toNumber(), lines };
}

function rateOf(
  taxType: string | undefined,
  taxRates: Array<{ TaxType: string; EffectiveRate: number }>,
): Decimal {
  if (taxType === undefined || taxType === null || taxType === '') return new Decimal(0);
  const found = taxRates.find((r) => r.TaxType === taxType);
  if (!found) throw new Error(`Unknown TaxType "${taxType}"`);
  return new Decimal(found.EffectiveRate);
}
