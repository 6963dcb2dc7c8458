/**
 * TEST HELPER: judges what Xero holds against OpenCart's figures (DESIGN.md §5), with Xero's own
 * arithmetic (the sandbox's Total/TotalTax), and reports the worst differences.
 */
import { xeroCents, expectedOrderCents } from '@oc-xero/sample-store';
import { paymentsOf, type XeroState } from './acceptance.harness';

type Json = Record<string, unknown>;

/** The figures of one order the check needs (from orders-*.json or the sample store's record). */
export interface TruthOrder {
  orderId: number;
  status: string;
  currencyCode: string;
  currencyValue: string;
  /** order.total, default currency. */
  total: string;
  /** tax rows (code 'tax') values, default currency. */
  taxRows: string[];
  /** Payment method code ('cod', 'cod.cod'). */
  paymentCode: string;
}

export interface TruthReport {
  checked: number;
  worstTotalCents: number;
  worstTaxCents: number;
  roundingLines: number;
  /** Invoices that took a payment / that correctly took none (unmapped method, unpaid, zero). */
  paid: number;
  unpaid: number;
  problems: string[];
}

const ROUNDING_ACCOUNT = '860';

/**
 * Every order in an export status has exactly one live invoice whose Total equals OpenCart's
 * converted total to the cent and whose tax is right to the cent or off by a few cents carried by
 * one rounding line; payments exist exactly where the method is mapped (in the invoice currency).
 */
export function checkAgainstTruth(
  state: XeroState,
  orders: TruthOrder[],
  o: {
    exportStatuses: string[];
    invoiceNumber: (orderId: number) => string;
    mappedMethods: Set<string>;
    paidStatuses: string[];
    /** Per payment method, replacing paidStatuses (the setting paidStatusesByPaymentMethod, e.g. cod → Complete). */
    paidStatusesByPaymentMethod?: Record<string, string[]>;
  },
): TruthReport {
  const problems: string[] = [];
  let worstTotal = 0;
  let worstTax = 0;
  let roundingLines = 0;
  let checked = 0;
  let paid = 0;
  let unpaid = 0;
  const byNumber = new Map<string, Json[]>();
  for (const inv of state.Invoices) {
    const n = String(inv.InvoiceNumber);
    byNumber.set(n, [...(byNumber.get(n) ?? []), inv]);
  }
  for (const order of orders) {
    const number = o.invoiceNumber(order.orderId);
    const invoices = byNumber.get(number) ?? [];
    if (!o.exportStatuses.includes(order.status)) {
      if (invoices.length) problems.push(`order ${order.orderId} (${order.status}) has an invoice`);
      continue;
    }
    if (invoices.length !== 1) {
      problems.push(`order ${order.orderId}: ${invoices.length} invoices numbered ${number}`);
      continue;
    }
    checked += 1;
    const inv = invoices[0]!;
    if (inv.CurrencyCode !== order.currencyCode)
      problems.push(
        `order ${order.orderId}: invoice in ${String(inv.CurrencyCode)}, order in ${order.currencyCode}`,
      );
    const totalDiff = Number(xeroCents(inv.Total as number) - expectedOrderCents(order));
    worstTotal = Math.max(worstTotal, Math.abs(totalDiff));
    if (totalDiff !== 0)
      problems.push(
        `order ${order.orderId}: Xero total ${String(inv.Total)} differs from OpenCart's by ${totalDiff} cents`,
      );

    const expectedTax = order.taxRows.reduce(
      (sum, v) => sum + expectedOrderCents({ total: v, currencyValue: order.currencyValue }),
      0n,
    );
    const taxDiff = Number(xeroCents(inv.TotalTax as number) - expectedTax);
    worstTax = Math.max(worstTax, Math.abs(taxDiff));
    const rounding = ((inv.LineItems as Json[] | undefined) ?? []).filter(
      (l) => l.AccountCode === ROUNDING_ACCOUNT,
    );
    roundingLines += rounding.length;
    if (rounding.length > 1) problems.push(`order ${order.orderId}: ${rounding.length} rounding lines`);
    if (
      taxDiff !== 0 &&
      !(
        rounding.length === 1 &&
        Math.abs(taxDiff) <= 5 &&
        Math.abs(Number(rounding[0]!.LineAmount) * 100) <= 5
      )
    ) {
      problems.push(
        `order ${order.orderId}: tax ${String(inv.TotalTax)} is ${taxDiff} cents from OpenCart's without one small rounding line`,
      );
    }

    const payments = paymentsOf(state, String(inv.InvoiceID));
    const method = order.paymentCode.split('.')[0]!;
    const shouldPay =
      o.mappedMethods.has(method) &&
      (o.paidStatusesByPaymentMethod?.[order.paymentCode] ?? o.paidStatusesByPaymentMethod?.[method] ?? o.paidStatuses).includes(order.status) &&
      expectedOrderCents(order) > 0n;
    if (shouldPay) {
      paid += 1;
      if (payments.length !== 1)
        problems.push(`order ${order.orderId} (${method}): ${payments.length} payments, expected 1`);
      else {
        const p = payments[0]!;
        if (xeroCents(p.Amount as number) !== xeroCents(inv.Total as number))
          problems.push(`order ${order.orderId}: payment ${String(p.Amount)} ≠ total ${String(inv.Total)}`);
        if (inv.Status !== 'PAID')
          problems.push(`order ${order.orderId}: paid in full but invoice is ${String(inv.Status)}`);
      }
    } else if ((unpaid += 1) && payments.length)
      problems.push(
        `order ${order.orderId} (${method || 'no method'}): ${payments.length} payments where none was expected`,
      );
  }
  return {
    checked,
    worstTotalCents: worstTotal,
    worstTaxCents: worstTax,
    roundingLines,
    paid,
    unpaid,
    problems,
  };
}
