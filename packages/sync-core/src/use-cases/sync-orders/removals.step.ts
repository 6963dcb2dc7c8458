/**
 * Removals step: orders in a remove status void (AUTHORISED, nothing paid) or delete
 * (DRAFT/SUBMITTED) their invoice. A paid invoice is cancelled the way an accountant does it: a
 * credit note paid back out (the credit-notes step, 'removal'), never by deleting its payment (a
 * reconciled payment cannot be deleted, and deleting one erases the cash trail). Each removal is a
 * state change checked against what Xero holds right before it (getInvoice), reserved and recorded
 * through the ledger session.
 */
import Decimal from 'decimal.js';
import { isSyncError } from '../../errors';
import { paymentAccountFor } from '../../mapping/order-to-credit-note.mapper';
import { invoiceNumberFor } from '../../mapping/order-to-invoice.mapper';
import { orderKey } from '../../ledger/ledger-keys';
import type { LedgerOutcome } from '../../ledger/ledger.port';
import type { OcOrder } from '../../ports/opencart.port';
import type { XeroInvoice } from '../../ports/xero.port';
import { payloadHash, reasonOf } from '../sync-run.model';
import { refundOrders } from './credit-notes.step';
import { conflictOrder, skipOrder } from './order-outcomes';
import type { OrderPlanView, OrderRun } from './sync-orders.model';

export async function removeOrders(state: OrderRun, orders: OcOrder[]): Promise<void> {
  const { xero } = state.deps;
  const keys = orders.map((o) => orderKey(o.orderId));
  const invoiceRows = (await state.ledger.rows('invoice', keys));
  const removalRows = (await state.ledger.rows('removal', keys));
  const paymentRows = (await state.ledger.rows('payment', keys));
  const noteRows = (await state.ledger.rows('credit-note', keys));
  const allocRows = (await state.ledger.rows('allocation', keys));
  const refundRows = (await state.ledger.rows('refund', keys));
  const cancelledByCredit = (key: string): boolean => {
    const refund = refundRows.get(key)?.status;
    return allocRows.get(key)?.status === 'done' && (refund === 'done' || refund === 'removed' || (refund === undefined && noteRows.get(key)?.status === 'done'));
  };

  const numberOf = (o: OcOrder): string => invoiceRows.get(orderKey(o.orderId))?.xeroNumber ?? invoiceNumberFor(o, state.settings);
  const unknown = orders.filter((o) => invoiceRows.get(orderKey(o.orderId))?.status === 'pending');
  const found = unknown.length ? new Map((await xero.findInvoicesByNumbers(unknown.map(numberOf))).map((i) => [i.InvoiceNumber, i])) : new Map<string, XeroInvoice>();

  const settled: LedgerOutcome[] = [];
  const targets: Array<{ order: OcOrder; key: string; invoiceId: string; invoiceNumber: string; ours: string[]; ourNote: string | null }> = [];
  for (const order of orders) {
    const key = orderKey(order.orderId);
    const row = invoiceRows.get(key);
    const removal = removalRows.get(key);
    if (removal?.status === 'done' || row?.status === 'removed' || cancelledByCredit(key)) {
      state.counts.ordersUnchanged += 1;
      state.plans?.push({ orderId: order.orderId, action: 'remove', outcome: 'unchanged', reason: 'already removed in Xero', invoiceNumber: numberOf(order) });
      continue;
    }
    let invoiceId = row?.status === 'done' ? row.xeroId : null;
    if (row?.status === 'pending') invoiceId = found.get(numberOf(order))?.InvoiceID ?? null;
    if (!invoiceId) {
      skipOrder(state, order, 'it reached a remove status but was never exported to Xero', 'remove');
      if (row) settled.push({ entityKey: key, status: 'removed', lastError: 'the order reached a remove status before its invoice existed in Xero' });
      continue;
    }
    const pay = paymentRows.get(key);
    const note = noteRows.get(key);
    targets.push({
      order,
      key,
      invoiceId,
      invoiceNumber: numberOf(order),
      ours: pay?.status === 'done' && pay.xeroId ? [pay.xeroId] : [],
      ourNote: note?.status === 'done' ? note.xeroId : null,
    });
  }
  await state.ledger.record('invoice', settled);
  if (!targets.length) return;
  await state.ledger.reserve('removal', targets.map((t) => ({ entityKey: t.key, payloadHash: payloadHash({ remove: t.invoiceId }), xeroNumber: t.invoiceNumber })));

  const paid: typeof targets = [];
  for (const t of targets) {
    const inv = await xero.getInvoice(t.invoiceId);
    if (inv && (inv.Status === 'AUTHORISED' || inv.Status === 'PAID') && new Decimal(inv.AmountPaid).gt(0)) {
      if (paymentAccountFor(t.order, state.ctx)) {
        paid.push(t);
        continue;
      }
      // Never half-done: without the account the money came in, no credit note is started.
      const view: OrderPlanView = { orderId: t.order.orderId, action: 'remove', outcome: 'pending', invoiceNumber: t.invoiceNumber };
      state.plans?.push(view);
      await conflictOrder(state, t.order.orderId, t.key, t.invoiceId, `invoice ${t.invoiceNumber} is paid (${new Decimal(inv.AmountPaid).toFixed(2)}), so cancelling the order means paying that back, but payment method "${t.order.paymentMethod?.code || 'none'}" has no payment account to pay it from: map it in the connector's settings and change the order again, or refund or void it yourself in Xero`, view);
      continue;
    }
    const view: OrderPlanView = { orderId: t.order.orderId, action: 'remove', outcome: 'pending', invoiceNumber: t.invoiceNumber };
    state.plans?.push(view);
    if (!inv || inv.Status === 'DELETED' || inv.Status === 'VOIDED') {
      view.outcome = 'removed';
      view.reason = inv ? `already ${inv.Status} in Xero` : 'no longer in Xero';
      if (!state.dry) {
        await state.ledger.record('invoice', [{ entityKey: t.key, status: 'removed' }]);
        await state.ledger.record('removal', [{ entityKey: t.key, status: 'done', xeroId: t.invoiceId, xeroNumber: t.invoiceNumber }]);
        state.counts.removals += 1;
        logRemoved(state, t.order.orderId, t.invoiceNumber, view.reason);
      }
      continue;
    }
    const foreignNotes = (inv.CreditNotes ?? []).filter((c) => c.CreditNoteID !== t.ourNote);
    if (!foreignNotes.length && inv.CreditNotes?.length) {
      // Refunded first, cancelled after: our own credit note already settled the invoice, and
      // Xero would not void it with an allocation on it. Nothing is left to remove.
      view.outcome = 'unchanged';
      view.reason = 'already settled by its refund credit note';
      if (!state.dry) {
        await state.ledger.record('removal', [{ entityKey: t.key, status: 'done', xeroId: t.invoiceId, xeroNumber: t.invoiceNumber }]);
        state.reporter.log({ level: 'info', entityType: 'order', entityId: String(t.order.orderId), status: 'skipped', message: `Order ${t.order.orderId} skipped: invoice ${t.invoiceNumber} is already settled by its refund credit note.` });
      }
      continue;
    }
    let conflict: string | null = null;
    if (inv.CreditNotes?.length) {
      conflict = `invoice ${t.invoiceNumber} has a credit note allocated; remove the allocation in Xero, or leave the invoice as it is if the refund already settled it`;
    } else if (!['DRAFT', 'SUBMITTED', 'AUTHORISED'].includes(inv.Status)) {
      conflict = `invoice ${t.invoiceNumber} is ${inv.Status} in Xero and cannot be removed by the connector; handle it in Xero`;
    }
    const newStatus: 'DELETED' | 'VOIDED' = inv.Status === 'DRAFT' || inv.Status === 'SUBMITTED' ? 'DELETED' : 'VOIDED';
    view.outcome = state.dry ? (conflict ? 'conflict' : `would-${newStatus.toLowerCase()}`) : view.outcome;
    if (conflict) {
      await conflictOrder(state, t.order.orderId, t.key, t.invoiceId, conflict, view);
      continue;
    }
    if (state.dry) {
      // The same count as the real run; the preview names what would happen to the invoice.
      state.counts.removals += 1;
      state.ledger.plan({ action: 'remove', entityType: 'removal', key: t.key, number: t.invoiceNumber, orderId: t.order.orderId, total: new Decimal(inv.Total).toFixed(2), ...(inv.CurrencyCode ? { currency: inv.CurrencyCode } : {}), detail: newStatus });
      continue;
    }
    try {
      await xero.setInvoiceStatus(t.invoiceId, newStatus);
    } catch (e) {
      if (isSyncError(e) && e.kind === 'validation') {
        await conflictOrder(state, t.order.orderId, t.key, t.invoiceId, `Xero refused to ${newStatus === 'DELETED' ? 'delete' : 'void'} invoice ${t.invoiceNumber}: ${reasonOf(e)}.`, view);
        continue;
      }
      throw e;
    }
    await state.ledger.record('invoice', [{ entityKey: t.key, status: 'removed' }]);
    await state.ledger.record('removal', [{ entityKey: t.key, status: 'done', xeroId: t.invoiceId, xeroNumber: t.invoiceNumber }]);
    state.counts.removals += 1;
    view.outcome = 'removed';
    view.reason = newStatus;
    logRemoved(state, t.order.orderId, t.invoiceNumber, newStatus === 'DELETED' ? 'deleted' : 'voided');
  }

  if (!paid.length) return;
  // A paid invoice stays (with its payment); a credit note for the whole of it is paid back out.
  await refundOrders(state, paid.map((t) => t.order), 'removal');
  const paidKeys = paid.map((t) => t.key);
  const [allocAfter, refundAfter] = [await state.ledger.rows('allocation', paidKeys), await state.ledger.rows('refund', paidKeys)];
  const outcomes: LedgerOutcome[] = [];
  for (const t of paid) {
    const alloc = allocAfter.get(t.key);
    const refund = refundAfter.get(t.key);
    if (alloc?.status === 'done' && (!refund || refund.status === 'done' || refund.status === 'removed')) {
      outcomes.push({ entityKey: t.key, status: 'done', xeroId: t.invoiceId, xeroNumber: t.invoiceNumber });
      state.counts.removals += 1;
    } else {
      // Not finished: the removal waits on its credit note (retried when failed, the merchant's when a conflict).
      const blocking = [refund, alloc].find((r) => r && r.status !== 'done');
      outcomes.push({ entityKey: t.key, status: blocking?.status === 'conflict' ? 'conflict' : 'failed', lastError: blocking?.lastError ?? 'the credit note cancelling the paid invoice is not settled yet' });
    }
  }
  await state.ledger.record('removal', outcomes);
}


export function logRemoved(state: OrderRun, orderId: number, invoiceNumber: string, how: string): void {
  state.reporter.log({ level: 'info', entityType: 'order', entityId: String(orderId), status: 'removed', message: `Order ${orderId}: invoice ${invoiceNumber} ${how}.` });
}

