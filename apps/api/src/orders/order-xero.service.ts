import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { type ConnectorStore, type LedgerEntry, type OpenCartReader } from '@oc-xero/sync-core';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, CONNECTOR_STORE, OPENCART_READER } from '../ports/tokens';
import { XeroConnectionService } from '../xero/xero-connection.service';
import { multiplyDecimal } from './order-state.repository';
import { xeroInvoiceUrl } from './orders.service';

const cents = (n: number): string => (Math.round(n * 100) / 100).toFixed(2);
/** b − a of two 2-dp decimal strings, exactly (in cents). */
const minus = (b: string, a: string): string => {
  const c = Math.round(Number(b) * 100) - Math.round(Number(a) * 100);
  return `${c < 0 ? '-' : ''}${(Math.abs(c) / 100).toFixed(2)}`;
};

/**
 * What Xero holds for one order (the OpenCart order page's Xero panel): the invoice the ledger
 * recorded, read once from Xero (status, total posted, paid, due, the payments and credit notes
 * applied to it), beside the order's OpenCart total. No invoice in the ledger → no Xero call.
 */
@Injectable()
export class OrderXeroService {
  constructor(
    @Inject(OPENCART_READER) private readonly reader: OpenCartReader,
    @Inject(CONNECTOR_STORE) private readonly store: ConnectorStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly xero: XeroConnectionService,
  ) {}

  /** A Xero page of this kind, on the same Xero as the invoice links (XERO_INVOICE_URL's origin). */
  private link(path: string, id: string): string {
    const origin = new URL(xeroInvoiceUrl('x', this.config.xeroInvoiceUrl)).origin;
    return `${origin}${path}${encodeURIComponent(id)}`;
  }

  async read(orderId: number) {
    const order = await this.reader.getOrder(orderId);
    if (!order) throw new NotFoundException(`No order ${orderId} in the store.`);
    const key = `order:${orderId}`;
    const [[invoiceRow], [paymentRow], [creditRow]] = await Promise.all(
      (['invoice', 'payment', 'credit-note'] as const).map((t) => this.store.getLedger(this.config.scope, t, [key])),
    );
    const opencartTotal = multiplyDecimal(order.total, order.currencyValue || '1');
    const ledger = (l: LedgerEntry | undefined) => (l ? { status: l.status as string, number: l.xeroNumber, xeroId: l.xeroId, error: l.lastError, updatedAt: l.updatedAt } : null);
    const base = {
      orderId,
      currencyCode: order.currencyCode,
      opencartTotal,
      ledger: { invoice: ledger(invoiceRow), payment: ledger(paymentRow), creditNote: ledger(creditRow) },
      invoice: null as null | Record<string, unknown>,
      payments: [] as Array<{ paymentId: string; amount: string; url: string }>,
      creditNotes: [] as Array<{ creditNoteId: string; number: string | null; total: string | null; applied: string | null; url: string }>,
      xeroError: null as string | null,
    };
    const invoiceId = invoiceRow?.xeroId;
    if (!invoiceId) return base;
    try {
      const gateway = await this.xero.gateway();
      const inv = await gateway.getInvoice(invoiceId);
      if (!inv) return { ...base, xeroError: `Xero has no invoice ${invoiceRow.xeroNumber ?? invoiceId} any more (deleted in Xero?).` };
      const url = xeroInvoiceUrl(inv.InvoiceID, this.config.xeroInvoiceUrl);
      const total = cents(inv.Total);
      const creditUrl = (id: string) => this.link('/AccountsReceivable/ViewCreditNote.aspx?creditNoteID=', id);
      const allocated = (inv.CreditNotes ?? []).map((c) => ({
        creditNoteId: c.CreditNoteID,
        number: c.CreditNoteNumber ?? (creditRow?.xeroId === c.CreditNoteID ? creditRow.xeroNumber : null),
        total: c.Total !== undefined ? cents(c.Total) : null,
        applied: c.AppliedAmount !== undefined ? cents(c.AppliedAmount) : null,
        url: creditUrl(c.CreditNoteID),
      }));
      // Our credit note of a paid order is paid back out (a refund payment), not allocated, so the
      // invoice does not list it: it is read by its number (one more call, only then).
      const paidOut =
        creditRow?.status === 'done' && creditRow.xeroId && creditRow.xeroNumber && !allocated.some((c) => c.creditNoteId === creditRow.xeroId)
          ? (await gateway.findCreditNotesByNumbers([creditRow.xeroNumber])).map((c) => ({ creditNoteId: c.CreditNoteID, number: c.CreditNoteNumber, total: cents(c.Total), applied: null, url: creditUrl(c.CreditNoteID) }))
          : [];
      return {
        ...base,
        invoice: {
          invoiceId: inv.InvoiceID,
          number: inv.InvoiceNumber,
          status: inv.Status,
          currencyCode: inv.CurrencyCode ?? order.currencyCode,
          total,
          amountPaid: cents(inv.AmountPaid),
          amountDue: cents(inv.AmountDue),
          difference: minus(total, opencartTotal),
          url,
        },
        // Xero shows an invoice's payments on the invoice's page.
        payments: (inv.Payments ?? []).map((p) => ({ paymentId: p.PaymentID, amount: cents(p.Amount), url })),
        creditNotes: [...allocated, ...paidOut],
      };
    } catch (e) {
      // The ledger still answers when Xero does not (not connected, rate limited, down).
      const message = e instanceof Error ? e.message : String(e);
      return { ...base, xeroError: `Xero could not be read: ${message}` };
    }
  }
}
