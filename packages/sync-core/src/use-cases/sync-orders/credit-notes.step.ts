/**
 * Credit-notes step: orders in a refund status (and paid orders reaching a remove status) get an
 * ACCRECCREDIT credit note (written once through the ledger, 'order:42' as credit-note), settled
 * against their invoice by refund-settlement.ts: allocated for what is owed ('allocation'), paid
 * back for what was paid ('refund'). The invoice's payment is never deleted.
 */
import Decimal from 'decimal.js';
import { mapOrderToCreditNote, paymentAccountFor } from '../../mapping/order-to-credit-note.mapper';
import { orderKey } from '../../ledger/ledger-keys';
import type { LedgerEntry, LedgerOutcome } from '../../ledger/ledger.port';
import { invoiceNumberFor } from '../../mapping/order-to-invoice.mapper';
import type { OnceItem } from '../../ledger/write-once.protocol';
import type { OcOrder } from '../../ports/opencart.port';
import type { XeroCreditNote, XeroCreditNoteDraft, XeroInvoice } from '../../ports/xero.port';
import { payloadHash } from '../sync-run.model';
import { failOrder, mapOrders, skipOrder } from './order-outcomes';
import { settleCredits, type CreditToSettle } from './refund-settlement';
import type { OrderRun, PreparedOrder } from './sync-orders.model';

/**
 * `why`: 'refund' for orders in a refund status; 'removal' for paid orders reaching a remove status
 * (the removals step hands them over: a paid invoice is cancelled by a credit note paid back, never
 * by deleting its payment).
 */
export async function refundOrders(state: OrderRun, orders: OcOrder[], why: 'refund' | 'removal' = 'refund'): Promise<void> {
  const { xero } = state.deps;
  const action = why === 'removal' ? 'remove' : 'refund';
  const keys = orders.map((o) => orderKey(o.orderId));
  const invoiceRows = (await state.ledger.rows('invoice', keys));
  const noteRows = (await state.ledger.rows('credit-note', keys));
  const allocRows = (await state.ledger.rows('allocation', keys));
  const refundRows = (await state.ledger.rows('refund', keys));
  const paymentRows = (await state.ledger.rows('payment', keys));
  const adoptedInvoices = await adoptRefundedInvoices(state, orders, invoiceRows, allocRows);

  const candidates: OcOrder[] = [];
  for (const order of orders) {
    const key = orderKey(order.orderId);
    const inv = invoiceRows.get(key);
    const refund = refundRows.get(key)?.status;
    if (allocRows.get(key)?.status === 'done' && (refund === undefined || refund === 'done' || refund === 'removed')) {
      state.counts.ordersUnchanged += 1;
      state.plans?.push({ orderId: order.orderId, action, outcome: 'unchanged', reason: refund === 'done' ? 'credit note already paid back' : 'credit note already allocated' });
    } else if (inv?.status !== 'done' || !inv.xeroId) {
      skipOrder(state, order, 'it reached a refund status but its invoice is not in Xero (never exported), so there is nothing to credit', 'refund');
    } else candidates.push(order);
  }
  const mappingFailures: LedgerOutcome[] = [];
  const prepared = mapOrders(
    state,
    candidates,
    (order, reason) => {
      failOrder(state, order.orderId, reason);
      mappingFailures.push({ entityKey: orderKey(order.orderId), status: 'failed', lastError: reason });
    },
    action,
  );
  await state.ledger.record('credit-note', mappingFailures);
  if (!prepared.length) return;
  await adoptPaymentsOnAdoptedInvoices(state, prepared, adoptedInvoices, paymentRows);

  const contactRows = (await state.ledger.rows('contact', [...new Set(prepared.map((p) => p.contact.key))]));
  const notes: Array<PreparedOrder & { draft: XeroCreditNoteDraft; invoiceId: string }> = [];
  const failures: LedgerOutcome[] = [];
  for (const p of prepared) {
    const known = contactRows.get(p.contact.key);
    const adoptedContact = adoptedInvoices.get(p.key)?.Contact?.ContactID;
    const contact = known?.status === 'done' && known.xeroId ? known : adoptedContact ? { status: 'done', xeroId: adoptedContact } : undefined;
    p.view.invoice = undefined;
    state.plans?.push(p.view);
    if (contact?.status !== 'done' || !contact.xeroId) {
      const reason = `the contact of invoice ${p.plan.invoice.InvoiceNumber} is not known to the connector; the credit note cannot be addressed`;
      failOrder(state, p.order.orderId, reason, p.view);
      failures.push({ entityKey: p.key, status: 'failed', lastError: reason });
      continue;
    }
    const draft = mapOrderToCreditNote(p.order, p.plan, contact.xeroId, why);
    p.view.creditNote = draft;
    notes.push({ ...p, draft, invoiceId: invoiceRows.get(p.key)!.xeroId! });
  }
  await state.ledger.record('credit-note', failures);
  if (state.dry) {
    notes.forEach((n) => {
      const done = noteRows.get(n.key)?.status === 'done';
      n.view.outcome = done ? 'would-allocate' : 'would-refund';
      // The same count as the real run for the credit notes it would create.
      if (!done) state.counts.creditNotesCreated += 1;
      state.ledger.plan({ action: done ? 'allocate' : 'refund', entityType: done ? 'allocation' : 'credit-note', key: n.key, number: n.draft.CreditNoteNumber, orderId: n.order.orderId, total: n.plan.xeroTotals.total, currency: n.plan.expected.currency });
    });
    return;
  }
  if (!notes.length) return;

  // 1. Credit notes (exactly once: reserve, look up unknown outcomes by number, create the rest).
  const noteIds = new Map<string, XeroCreditNote>();
  const toCreate = notes.filter((n) => noteRows.get(n.key)?.status !== 'done');
  const known = notes.filter((n) => noteRows.get(n.key)?.status === 'done');
  // Every credit note about to be created is looked up too: one already on an adopted invoice
  // (a lost connector database, the old extension) is adopted, never added again.
  const lookup = [...known, ...toCreate];
  if (lookup.length) {
    for (const cn of await xero.findCreditNotesByNumbers(lookup.map((n) => n.draft.CreditNoteNumber))) noteIds.set(cn.CreditNoteNumber, cn);
  }
  if (toCreate.length) {
    const result = await state.ledger.writeOnce<OnceItem<XeroCreditNoteDraft> & { n: (typeof toCreate)[number] }, XeroCreditNote>({
      entityType: 'credit-note',
      items: toCreate.map((n) => ({ key: n.key, hash: payloadHash(n.draft), draft: n.draft, number: n.draft.CreditNoteNumber, row: noteRows.get(n.key), n })),
      lookup: {
        candidates: () => true,
        // Looked up above with the known ones (their ids are needed for the allocation anyway).
        find: async (items) => {
          const out = new Map<string, { xeroId: string; xeroNumber: string }>();
          for (const i of items) {
            const cn = noteIds.get(i.draft.CreditNoteNumber);
            if (cn) out.set(i.key, { xeroId: cn.CreditNoteID, xeroNumber: cn.CreditNoteNumber });
          }
          return out;
        },
      },
      send: (items) => xero.createCreditNotes(items.map((i) => i.draft)),
      identify: (v) => ({ xeroId: v.CreditNoteID, xeroNumber: v.CreditNoteNumber }),
      refused: (_i, errors) => ({ lastError: `Xero refused the credit note: ${errors.join('; ')}` }),
    });
    for (const c of result.created) noteIds.set(c.value.CreditNoteNumber, c.value);
    for (const r of result.refused) failOrder(state, r.item.n.order.orderId, r.reason, r.item.n.view);
    state.counts.creditNotesAdopted += result.adopted.length;
    state.counts.creditNotesCreated += result.created.length;
  }

  // 2. Each credit note settles its invoice: allocated for what is owed, paid back for what was paid.
  const settle: CreditToSettle[] = [];
  for (const n of notes) {
    const note = noteIds.get(n.draft.CreditNoteNumber);
    if (!note || n.view.outcome === 'failed') continue;
    const account = paymentAccountFor(n.order, state.ctx);
    settle.push({
      orderId: n.order.orderId,
      key: n.key,
      view: n.view,
      invoiceId: n.invoiceId,
      invoiceNumber: n.plan.invoice.InvoiceNumber,
      draft: n.draft,
      note,
      payOutAccount: account,
      payOutHint: `map payment method "${n.order.paymentMethod?.code || 'none'}" to a payment account in the connector's settings`,
      what: why === 'removal' ? 'cancels the order' : 'refunds the order',
    });
  }
  await settleCredits(state, settle, allocRows, refundRows);
}

/**
 * A refunded order whose invoice this ledger never saw done (a lost connector database, the old
 * extension): its invoice is looked up by number and adopted, so the refund credits it instead of
 * being skipped as "never exported". Returns order key → the adopted invoice.
 */
async function adoptRefundedInvoices(state: OrderRun, orders: OcOrder[], invoiceRows: Map<string, LedgerEntry>, allocRows: Map<string, LedgerEntry>): Promise<Map<string, XeroInvoice>> {
  const contacts = new Map<string, XeroInvoice>();
  const unknown = orders.filter((o) => {
    const key = orderKey(o.orderId);
    const row = invoiceRows.get(key);
    return allocRows.get(key)?.status !== 'done' && row?.status !== 'done' && row?.status !== 'removed';
  });
  if (!unknown.length) return contacts;
  const numbers = new Map(unknown.map((o) => [invoiceNumberFor(o, state.settings), o]));
  const adopted: LedgerOutcome[] = [];
  for (const inv of await state.deps.xero.findInvoicesByNumbers([...numbers.keys()])) {
    const order = numbers.get(inv.InvoiceNumber);
    if (!order || inv.Status === 'DELETED' || inv.Status === 'VOIDED') continue;
    const key = orderKey(order.orderId);
    invoiceRows.set(key, { scope: state.scope, entityType: 'invoice', entityKey: key, status: 'done', xeroId: inv.InvoiceID, xeroNumber: inv.InvoiceNumber, payloadHash: null, attempts: 0, lastError: null, updatedAt: new Date().toISOString() });
    contacts.set(key, inv);
    adopted.push({ entityKey: key, status: 'done', xeroId: inv.InvoiceID, xeroNumber: inv.InvoiceNumber, payloadHash: null });
  }
  if (!state.dry) state.counts.invoicesAdopted += adopted.length;
  await state.ledger.record('invoice', adopted);
  return contacts;
}

/**
 * The payment our earlier life made on an invoice adopted above: the one of the order's amount is
 * recorded as ours, so the refund may take it off as it does for its own (DESIGN.md §3 Refunds)
 * instead of calling it someone else's.
 */
async function adoptPaymentsOnAdoptedInvoices(state: OrderRun, prepared: PreparedOrder[], adopted: Map<string, XeroInvoice>, paymentRows: Map<string, LedgerEntry>): Promise<void> {
  const rows: LedgerOutcome[] = [];
  for (const p of prepared) {
    let inv: XeroInvoice | null | undefined = adopted.get(p.key);
    // A refund status is not a paid one, so the plan may carry no payment: ours paid the invoice in full.
    const amount = p.plan.payment?.amount ?? Number(p.plan.xeroTotals.total);
    if (!inv || paymentRows.get(p.key)?.status === 'done') continue;
    if (inv.Payments === undefined && inv.AmountPaid > 0) inv = await state.deps.xero.getInvoice(inv.InvoiceID);
    const match = inv?.Payments?.find((pm) => new Decimal(pm.Amount).eq(amount));
    if (!match) continue;
    const row: LedgerEntry = { scope: state.scope, entityType: 'payment', entityKey: p.key, status: 'done', xeroId: match.PaymentID, xeroNumber: null, payloadHash: null, attempts: 0, lastError: null, updatedAt: new Date().toISOString() };
    paymentRows.set(p.key, row);
    rows.push({ entityKey: p.key, status: 'done', xeroId: match.PaymentID, payloadHash: null });
  }
  if (!state.dry) state.counts.paymentsAdopted += rows.length;
  await state.ledger.record('payment', rows);
}
