/** How an order's outcome is told (run log, counters, plan) and how orders are mapped for a step. */
import Decimal from 'decimal.js';
import { isSyncError } from '../../errors';
import { mapOrderToContact } from '../../mapping/customer-to-contact.mapper';
import { mapOrderToInvoice, type InvoicePlan } from '../../mapping/order-to-invoice.mapper';
import { orderKey } from '../../ledger/ledger-keys';
import type { LedgerEntityType } from '../../ledger/ledger.port';
import type { OcOrder } from '../../ports/opencart.port';
import { payloadHash, reasonOf } from '../sync-run.model';
import type { OrderPlanView, OrderRun, PreparedOrder } from './sync-orders.model';

export const difference = (plan: InvoicePlan): string => new Decimal(plan.xeroTotals.total).minus(plan.expected.total).toFixed(2);

export function skipOrder(state: OrderRun, order: OcOrder, reason: string, action: OrderPlanView['action'] = 'skip'): void {
  state.counts.ordersSkipped += 1;
  state.reporter.log({ level: 'info', entityType: 'order', entityId: String(order.orderId), status: 'skipped', message: `Order ${order.orderId} skipped: ${reason}.` });
  state.plans?.push({ orderId: order.orderId, action, outcome: 'skipped', reason });
}

export function failOrder(state: OrderRun, orderId: number, reason: string, view?: OrderPlanView): void {
  state.counts.failures.push({ entityType: 'order', entityId: String(orderId), reason });
  state.reporter.log({ level: 'error', entityType: 'order', entityId: String(orderId), status: 'failed', message: `Order ${orderId} failed: ${reason}` });
  state.deps.logger.warn('order failed', { runId: state.run.runId, orderId, reason });
  if (view) {
    view.outcome = 'failed';
    view.reason = reason;
  }
}

/** A removal/refund Xero no longer allows: a conflict row and an error line saying what to do. Nothing else is touched. */
export async function conflictOrder(state: OrderRun, orderId: number, key: string, invoiceId: string, reason: string, view: OrderPlanView, entityType: LedgerEntityType = 'removal'): Promise<void> {
  view.outcome = 'conflict';
  view.reason = reason;
  if (state.dry) return;
  state.counts.conflicts += 1;
  state.counts.failures.push({ entityType: 'order', entityId: String(orderId), reason });
  await state.ledger.record(entityType, [{ entityKey: key, status: 'conflict', xeroId: invoiceId, lastError: reason }]);
  state.reporter.log({ level: 'error', entityType: 'order', entityId: String(orderId), status: 'conflict', message: `Order ${orderId} needs attention: ${reason}` });
  state.deps.logger.warn('order conflict', { runId: state.run.runId, orderId, reason });
}

/** Maps orders; a mapping failure fails that order alone (unless it is a config problem). */
export function mapOrders(state: OrderRun, orders: OcOrder[], onFail: (order: OcOrder, reason: string) => void, action: OrderPlanView['action']): PreparedOrder[] {
  const out: PreparedOrder[] = [];
  for (const order of orders) {
    try {
      const plan = mapOrderToInvoice(order, state.ctx);
      const contact = mapOrderToContact(order, state.settings);
      const view: OrderPlanView = {
        orderId: order.orderId,
        action,
        outcome: 'pending',
        invoiceNumber: plan.invoice.InvoiceNumber,
        contact: contact.draft,
        invoice: plan.invoice,
        payment: null,
        expected: plan.expected,
        xeroTotals: plan.xeroTotals,
        difference: difference(plan),
        roundingAdjustment: plan.roundingAdjustment,
        warnings: plan.warnings,
      };
      out.push({ order, key: orderKey(order.orderId), plan, contact, hash: payloadHash(plan.invoice), view });
      // What the mapping had to work around (invalid email left off, unmapped total code, a line
      // whose product was deleted…) goes to the run log, so the merchant sees why.
      if (plan.warnings.length) {
        state.reporter.log({ level: 'warn', entityType: 'order', entityId: String(order.orderId), status: 'warning', message: `Order ${order.orderId}: ${plan.warnings.join('; ')}` });
      }
    } catch (e) {
      if (isSyncError(e) && (e.kind === 'config' || e.kind === 'needs-reconnect')) throw e;
      onFail(order, reasonOf(e));
    }
  }
  return out;
}
