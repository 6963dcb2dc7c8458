/**
 * TEST HELPER: the judge of the mapping tests — what Xero computes for an invoice. Delegates to the
 * sandbox's computeInvoiceTotals (the same code that answers over HTTP), with unitdp=4 as our
 * client always sends, so the tests never grade the mapper with the mapper's own sums.
 */
import { computeInvoiceTotals } from '@oc-xero/xero-sandbox';
import type { XeroInvoiceDraft, XeroTaxRate } from '../../../src/ports/xero.port';

export interface OracleTotals {
  subTotal: number;
  tax: number;
  total: number;
  lines: Array<{ lineAmount: number; taxAmount: number }>;
}

export const oracleName = 'xero-sandbox computeInvoiceTotals (unitdp=4)';

export function xeroTotalsOf(
  invoice: Pick<XeroInvoiceDraft, 'LineAmountTypes' | 'LineItems'>,
  taxRates: XeroTaxRate[],
): OracleTotals {
  const r = computeInvoiceTotals(
    { LineAmountTypes: invoice.LineAmountTypes, LineItems: invoice.LineItems },
    taxRates.map((t) => ({ TaxType: t.TaxType, EffectiveRate: t.EffectiveRate })),
    { unitdp: 4 },
  );
  return {
    subTotal: r.SubTotal,
    tax: r.TotalTax,
    total: r.Total,
    lines: r.lines.map((l) => ({ lineAmount: l.LineAmount, taxAmount: l.TaxAmount })),
  };
}
