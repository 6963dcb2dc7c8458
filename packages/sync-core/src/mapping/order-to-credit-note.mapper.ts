/**
 * A refunded order → an ACCRECCREDIT credit note for the full invoice. Its lines are the
 * invoice's own lines, so Xero computes exactly the invoice's total and the allocation clears it.
 */
import type { OcOrder } from '../ports/opencart.port';
import type { XeroCreditNoteDraft } from '../ports/xero.port';
import type { OrderMappingContext } from './mapping-context';
import type { InvoicePlan } from './order-to-invoice.mapper';
import { truncate } from './text.util';

/** CreditNoteNumber of an invoice's full refund: stable, so a rerun finds it again. */
export const creditNoteNumberFor = (invoiceNumber: string): string => truncate(`${invoiceNumber}-CN`, 255);

/**
 * The account an order's money came in: its payment method's account (per store, then global,
 * then the default), as the invoice's payment uses it. A refund pays back out of it. null = none.
 */
export function paymentAccountFor(order: OcOrder, ctx: OrderMappingContext): string | null {
  const methodCode = order.paymentMethod?.code ?? '';
  const short = methodCode.split('.')[0] ?? '';
  const table = { ...ctx.accounts.payment, ...(ctx.accounts.stores[order.storeId]?.payment ?? {}) };
  return table[methodCode] ?? table[short] ?? ctx.accounts.defaultPayment ?? null;
}

export function mapOrderToCreditNote(
  order: OcOrder,
  plan: InvoicePlan,
  contactId: string,
  why: 'refund' | 'removal' = 'refund',
): XeroCreditNoteDraft {
  const inv = plan.invoice;
  // The refund happened when the order last changed status; fall back to the order's last change.
  const last = order.history.length ? order.history[order.history.length - 1]!.dateAdded : order.dateModified;
  const date = (last || order.dateAdded).slice(0, 10);
  const note: XeroCreditNoteDraft = {
    Type: 'ACCRECCREDIT',
    Contact: { ContactID: contactId },
    CreditNoteNumber: creditNoteNumberFor(inv.InvoiceNumber),
    Reference: truncate(`${why === 'removal' ? 'Cancellation' : 'Refund'} of ${inv.InvoiceNumber}`, 255),
    Date: date < inv.Date ? inv.Date : date,
    // Only an AUTHORISED credit note can be allocated to the invoice.
    Status: 'AUTHORISED',
    LineAmountTypes: inv.LineAmountTypes,
    LineItems: inv.LineItems.map((l) => ({ ...l })),
  };
  if (inv.CurrencyCode) note.CurrencyCode = inv.CurrencyCode;
  if (inv.CurrencyRate !== undefined) note.CurrencyRate = inv.CurrencyRate;
  return note;
}
