/**
 * Credit-notes step: orders in a refund status get an ACCRECCREDIT credit note (written once
 * through the ledger, 'order:42' as credit-note) allocated to their invoice ('allocation').
 */
import Decimal from 'decimal.js';
import { isSyncError } from '../../errors';
import { mapOrderToCreditNote } from '../../mapping/order-to-credit-note.mapper';
import { orderKey } from '../../ledger/ledger-keys';
import type { LedgerEntry, LedgerOutcome } from '../../ledger/ledger.port';
import { invoiceNumberFor } from '../../mapping/order-to-invoice.mapper';
import type { OnceItem } from '../../ledger/write-once.protocol';
import type { OcOrder } from '../../ports/opencart.port';
import type { XeroCreditNote, XeroCreditNoteDraft, XeroInvoice } from '../../ports/xero.port';
import { payloadHash, reasonOf } from '../sync-run.model';
import { conflictOrder, failOrder, mapOrders, skipOrder } from './order-outcomes';
import type { OrderRun, PreparedOrder } from './sync-orders.model';

export async function refundOrders(state: OrderRun, orders: OcOrder[]): Promise<void> {
  const { xero } = state.deps;
  const keys = orders.map((o) => orderKey(o.orderId));
  const invoiceRows = (await state.ledger.rows('invoice', keys));
  const noteRows = (await state.ledger.rows('credit-note', keys));
  const allocRows = (await state.ledger.rows('allocation', keys));
  const paymentRows = (await state.ledger.rows('payment', keys));
  const adoptedInvoices = await adoptRefundedInvoices(state, orders, invoiceRows, allocRows);

  const candidates: OcOrder[] = [];
  for (const order of orders) {
    const key = orderKey(order.orderId);
    const inv = invoiceRows.get(key);
    if (allocRows.get(key)?.status === 'done') {
      state.counts.ordersUnchanged += 1;
      state.plans?.push({ orderId: order.orderId, action: 'refund', outcome: 'unchanged', reason: 'credit note already allocated' });
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
    'refund',
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
    const draft = mapOrderToCreditNote(p.order, p.plan, contact.xeroId);
    p.view.creditNote = draft;
    notes.push({ ...p, draft, invoiceId: invoiceRows.get(p.key)!.xeroId! });
  }
  await state.ledger.record('credit-note', failures);
  if (state.dry) {
    notes.forEach((n) => {
      const done = noteRows.get(n.key)?.status === 'done';
      n.view.outcome = done ? 'would-allocate' : 'would-refund';
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

  // 2. Allocation of each credit note to its invoice.
  const allocatable = notes.filter((n) => noteIds.has(n.draft.CreditNoteNumber) && n.view.outcome !== 'failed');
  if (!allocatable.length) return;
  await state.ledger.reserve('allocation', allocatable.map((n) => ({ entityKey: n.key, payloadHash: payloadHash({ allocate: n.draft.CreditNoteNumber }), xeroNumber: n.draft.CreditNoteNumber })));
  for (const n of allocatable) {
    const note = noteIds.get(n.draft.CreditNoteNumber)!;
    const pay = paymentRows.get(n.key);
    await allocate(state, n, note, pay?.status === 'done' && pay.xeroId ? [pay.xeroId] : []);
  }
}


export async function allocate(state: OrderRun, n: PreparedOrder & { draft: XeroCreditNoteDraft; invoiceId: string }, note: XeroCreditNote, ours: string[]): Promise<void> {
  const { xero } = state.deps;
  const id = n.order.orderId;
  let inv = await xero.getInvoice(n.invoiceId);
  if (inv?.CreditNotes?.some((c) => c.CreditNoteID === note.CreditNoteID)) {
    await state.ledger.record('allocation', [{ entityKey: n.key, status: 'done', xeroId: note.CreditNoteID, xeroNumber: note.CreditNoteNumber }]);
    n.view.outcome = 'refunded';
    return;
  }
  if (!inv || inv.Status === 'DELETED' || inv.Status === 'VOIDED') {
    await conflictOrder(state, id, n.key, n.invoiceId, `invoice ${n.plan.invoice.InvoiceNumber} is ${inv?.Status ?? 'gone'} in Xero, so credit note ${note.CreditNoteNumber} cannot be allocated to it; handle the credit note in Xero`, n.view, 'allocation');
    return;
  }
  const amount = new Decimal(note.RemainingCredit ?? note.Total);
  if (new Decimal(inv.AmountDue).lt(amount)) {
    // A paid invoice has nothing left to credit: take our own payment off first (the refund
    // replaces it); someone else's payment is theirs to undo.
    const foreign = (inv.Payments ?? []).filter((p) => !ours.includes(p.PaymentID));
    if (foreign.length || (inv.Payments === undefined && inv.AmountPaid > 0)) {
      await conflictOrder(state, id, n.key, n.invoiceId, `invoice ${n.plan.invoice.InvoiceNumber} has a payment the connector did not make, so the refund's credit note ${note.CreditNoteNumber} cannot be allocated; record the refund against that payment in Xero`, n.view, 'allocation');
      return;
    }
    for (const p of inv.Payments ?? []) {
      await xero.deletePayment(p.PaymentID);
      state.counts.paymentsDeleted += 1;
      await state.ledger.record('payment', [{ entityKey: n.key, status: 'removed', xeroId: p.PaymentID }]);
    }
    inv = await xero.getInvoice(n.invoiceId);
  }
  if (!inv || inv.Status !== 'AUTHORISED') {
    const reason = `invoice ${n.plan.invoice.InvoiceNumber} is ${inv?.Status ?? 'gone'} in Xero; a credit note is allocated only to an approved (AUTHORISED) invoice. Approve it in Xero and the next sync allocates ${note.CreditNoteNumber}.`;
    failOrder(state, id, reason, n.view);
    await state.ledger.record('allocation', [{ entityKey: n.key, status: 'failed', lastError: reason }]);
    return;
  }
  const allocation = Decimal.min(amount, inv.AmountDue).toNumber();
  try {
    await xero.allocateCreditNote(note.CreditNoteID, n.invoiceId, allocation, n.draft.Date);
  } catch (e) {
    if (isSyncError(e) && e.kind === 'validation') {
      const reason = `Xero refused to allocate credit note ${note.CreditNoteNumber}: ${reasonOf(e)}`;
      failOrder(state, id, reason, n.view);
      await state.ledger.record('allocation', [{ entityKey: n.key, status: 'failed', lastError: reason }]);
      return;
    }
    throw e;
  }
  await state.ledger.record('allocation', [{ entityKey: n.key, status: 'done', xeroId: note.CreditNoteID, xeroNumber: note.CreditNoteNumber }]);
  state.counts.allocations += 1;
  n.view.outcome = 'refunded';
  state.reporter.log({
    level: 'info',
    entityType: 'order',
    entityId: String(id),
    status: 'refunded',
    message: `Order ${id}: credit note ${note.CreditNoteNumber} (${note.Total}) allocated to invoice ${n.plan.invoice.InvoiceNumber}.`,
  });
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
