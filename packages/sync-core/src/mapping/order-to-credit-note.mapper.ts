/**
 * A refunded order → an ACCRECCREDIT credit note for the full invoice. Its lines are the
 * invoice's own lines, so Xero computes exactly the invoice's total and the allocation clears it.
 */
import type { OcOrder } from '../ports/opencart.port';
import type { XeroCreditNoteDraft } from '../ports/xero.port';
import type { InvoicePlan } from './order-to-invoice.mapper';
import { truncate } from './text.util';

/** CreditNoteNumber of an invoice's full refund: stable, so a rerun finds it again. */
export const creditNoteNumberFor = (invoiceNumber: string): string => truncate(`${invoiceNumber}-CN`, 255);

export function mapOrderToCreditNote(
  order: OcOrder,
  plan: InvoicePlan,
  contactId: string,
): XeroCreditNoteDraft {
  const inv = plan.invoice;
  // The refund happened when the order last changed status; fall back to the order's last change.
  const last = order.history.length ? order.history[order.history.length - 1]!.dateAdded : order.dateModified;
  const date = (last || order.dateAdded).slice(0, 10);
  const note: XeroCreditNoteDraft = {
    Type: 'ACCRECCREDIT',
    Contact: { ContactID: contactId },
    CreditNoteNumber: creditNoteNumberFor(inv.InvoiceNumber),
    Reference: truncate(`Refund of ${inv.InvoiceNumber}`, 255),
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
