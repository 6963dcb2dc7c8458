/**
 * TEST HELPER: the judge of the mapping tests — what Xero computes for an invoice, with unitdp=4 as
 * our client always sends. A tiny independent re-statement of Xero's rules (not the mapper's code):
 * LineAmount = round2(Quantity × UnitAmount), tax per line round2(LineAmount × rate) (Exclusive),
 * halves away from zero, totals are sums of rounded lines.
 * TEMPORARY: to be replaced by the sandbox's computeInvoiceTotals once @oc-xero/xero-sandbox exports it.
 */
import Decimal from 'decimal.js';
import type { XeroInvoiceDraft, XeroTaxRate } from '../../../src/ports/xero.port';

export interface OracleTotals {
  subTotal: number;
  tax: number;
  total: number;
  lines: Array<{ lineAmount: number; taxAmount: number }>;
}

export const oracleName = 'local oracle (test support)';

export function xeroTotalsOf(invoice: Pick<XeroInvoiceDraft, 'LineAmountTypes' | 'LineItems'>, taxRates: XeroTaxRate[]): OracleTotals {
  if (invoice.LineAmountTypes !== 'Exclusive') throw new Error('the local oracle only knows Exclusive invoices');
  const r2 = (d: Decimal): Decimal => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const lines = invoice.LineItems.map((l) => {
    const unit = new Decimal(l.UnitAmount).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
    const amount = r2(new Decimal(l.Quantity).times(unit));
    const rate = taxRates.find((t) => t.TaxType === l.TaxType);
    if (l.TaxType && !rate) throw new Error(`unknown TaxType ${l.TaxType}`);
    const tax = l.TaxAmount !== undefined ? new Decimal(l.TaxAmount) : r2(amount.times(rate?.EffectiveRate ?? 0).dividedBy(100));
    return { amount, tax };
  });
  const subTotal = lines.reduce((a, l) => a.plus(l.amount), new Decimal(0));
  const tax = lines.reduce((a, l) => a.plus(l.tax), new Decimal(0));
  return {
    subTotal: subTotal.toNumber(),
    tax: tax.toNumber(),
    total: subTotal.plus(tax).toNumber(),
    lines: lines.map((l) => ({ lineAmount: l.amount.toNumber(), taxAmount: l.tax.toNumber() })),
  };
}
