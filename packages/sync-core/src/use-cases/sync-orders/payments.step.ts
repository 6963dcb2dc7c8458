/**
 * Payments step: a payment for each AUTHORISED invoice of a paid order with a mapped method,
 * written once through the ledger ('order:42' as payment).
 */
import Decimal from 'decimal.js';
import type { LedgerEntry } from '../../ledger/ledger.port';
import { dryId, type OnceItem } from '../../ledger/write-once.protocol';
import type { XeroInvoice, XeroPayment, XeroPaymentDraft } from '../../ports/xero.port';
import { payloadHash } from '../sync-run.model';
import { failOrder } from './order-outcomes';
import type { OrderRun, PreparedOrder } from './sync-orders.model';

type PaymentItem = OnceItem<XeroPaymentDraft> & { p: PreparedOrder };

/**
 * `adoptedInvoices`: orders whose invoice this run found in Xero instead of creating; a payment
 * already on such an invoice is adopted, never added again.
 */
export async function applyPayments(state: OrderRun, prepared: PreparedOrder[], invoiceIds: Map<number, string>, paymentRows: Map<string, LedgerEntry>, adoptedInvoices: Set<number> = new Set()): Promise<void> {
  const { xero } = state.deps;
  const due: PaymentItem[] = [];
  for (const p of prepared) {
    const invoiceId = invoiceIds.get(p.order.orderId);
    const pay = p.plan.payment;
    if (!pay || p.plan.invoice.Status !== 'AUTHORISED' || p.view.outcome === 'failed') continue;
    const row = paymentRows.get(p.key);
    if (row && row.status !== 'pending' && row.status !== 'failed') continue;
    const draft: XeroPaymentDraft = {
      Invoice: { InvoiceID: invoiceId ?? '' },
      Account: { Code: pay.accountCode },
      Date: pay.date,
      Amount: pay.amount,
      Reference: p.plan.invoice.InvoiceNumber,
    };
    if (pay.currencyRate !== undefined) draft.CurrencyRate = pay.currencyRate;
    p.view.payment = draft;
    if (!invoiceId) continue; // the invoice failed
    due.push({ key: p.key, hash: payloadHash({ ...draft, Invoice: p.plan.invoice.InvoiceNumber }), draft, row, p });
  }
  if (!due.length) return;
  const result = await state.ledger.writeOnce<PaymentItem, { PaymentID: string }>({
    entityType: 'payment',
    items: due,
    lookup: {
      candidates: (d) => d.row?.status === 'pending' || adoptedInvoices.has(d.p.order.orderId),
      // Before paying again, see whether the lost payment is on the invoice already.
      find: async (items) => {
        const invoices = new Map((await xero.findInvoicesByNumbers(items.map((d) => d.p.plan.invoice.InvoiceNumber))).map((i) => [i.InvoiceNumber, i]));
        const out = new Map<string, { xeroId: string }>();
        for (const d of items) {
          let inv: XeroInvoice | null | undefined = invoices.get(d.p.plan.invoice.InvoiceNumber);
          if (inv && inv.Payments === undefined && inv.AmountPaid > 0) inv = await xero.getInvoice(inv.InvoiceID);
          const match = inv?.Payments?.find((pm) => new Decimal(pm.Amount).eq(d.draft.Amount));
          if (match) out.set(d.key, { xeroId: match.PaymentID });
        }
        return out;
      },
    },
    send: (items) => xero.createPayments(items.map((d) => d.draft)),
    identify: (v) => ({ xeroId: v.PaymentID }),
    refused: (d, errors) => ({ lastError: `Xero refused the payment to invoice ${d.p.plan.invoice.InvoiceNumber}: ${errors.join('; ')}`, payloadHash: d.hash }),
    dryValue: (d): XeroPayment => ({ PaymentID: dryId(d.key), Amount: d.draft.Amount }),
    describe: (d) => ({ orderId: d.p.order.orderId, total: new Decimal(d.draft.Amount).toFixed(2), currency: d.p.plan.expected.currency }),
  });
  state.counts.paymentsAdopted += result.adopted.length;
  state.counts.paymentsCreated += result.created.length;
  for (const c of result.created) if (c.item.p.view.outcome === 'pending') c.item.p.view.outcome = state.dry ? 'would-pay' : 'paid';
  for (const r of result.refused) failOrder(state, r.item.p.order.orderId, r.reason, r.item.p.view);
}
