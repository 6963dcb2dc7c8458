/**
 * Preview (dry run) of one order or a range: the exact Xero payloads, the totals Xero will compute
 * and the difference to OpenCart's total. It runs the order sync in dry-run mode, so what is shown
 * is what a real run would send; nothing is written anywhere.
 */
import Decimal from 'decimal.js';
import { SyncError } from '../errors';
import type { Settings } from '../settings/settings.schema';
import { SyncOrdersUseCase, type OrderPlanView, type SyncOrdersDeps } from './sync-orders';

export interface PreviewOrdersQuery {
  /** Connection scope. */
  scope: string;
  /** One order. */
  orderId?: number;
  /** Chosen orders. */
  orderIds?: number[];
  /** A range of order ids (inclusive), at most maxOrders long. */
  fromOrderId?: number;
  toOrderId?: number;
  /** A range of dates added (YYYY-MM-DD, inclusive). */
  from?: string;
  to?: string;
  /** Settings to preview with (e.g. unsaved changes in the admin page); default the saved ones. */
  settings?: Settings;
}

export interface PreviewOrdersResult {
  orders: OrderPlanView[];
  /** Orders previewed. */
  count: number;
  /** Largest |Xero total − OpenCart total| among them (order currency), '0.00' when none. */
  worstDifference: string;
  /** Orders that could not be mapped, with why. */
  failures: Array<{ orderId: number; reason: string }>;
}

export const MAX_PREVIEW_ORDERS = 500;

export class PreviewOrdersUseCase {
  private readonly sync: SyncOrdersUseCase;

  constructor(deps: SyncOrdersDeps) {
    this.sync = new SyncOrdersUseCase(deps);
  }

  async execute(query: PreviewOrdersQuery): Promise<PreviewOrdersResult> {
    let orderIds: number[] | undefined;
    if (query.orderId !== undefined) orderIds = [query.orderId];
    else if (query.orderIds) orderIds = query.orderIds;
    else if (query.fromOrderId !== undefined || query.toOrderId !== undefined) {
      const from = query.fromOrderId ?? query.toOrderId!;
      const to = query.toOrderId ?? query.fromOrderId!;
      if (!Number.isInteger(from) || !Number.isInteger(to) || to < from) throw new SyncError('validation', `order id range ${from}–${to} is not valid`);
      if (to - from + 1 > MAX_PREVIEW_ORDERS) throw new SyncError('validation', `preview at most ${MAX_PREVIEW_ORDERS} orders at a time (asked ${to - from + 1})`);
      orderIds = Array.from({ length: to - from + 1 }, (_, i) => from + i);
    } else if (!query.from && !query.to) {
      throw new SyncError('validation', 'choose an order, a range of order ids or a range of dates to preview');
    }
    if (orderIds && orderIds.length > MAX_PREVIEW_ORDERS) throw new SyncError('validation', `preview at most ${MAX_PREVIEW_ORDERS} orders at a time (asked ${orderIds.length})`);

    const result = await this.sync.execute({
      runId: 'preview',
      scope: query.scope,
      dryRun: true,
      anyStatus: true,
      settings: query.settings,
      orderIds,
      from: query.from,
      to: query.to,
    });
    if (result.status === 'failed') throw new SyncError(result.errorKind ?? 'unexpected', result.error ?? 'the preview could not run');
    const orders = [...result.plans].sort((a, b) => a.orderId - b.orderId).slice(0, MAX_PREVIEW_ORDERS);
    const worst = orders.reduce((w, p) => (p.difference !== undefined ? Decimal.max(w, new Decimal(p.difference).abs()) : w), new Decimal(0));
    return {
      orders,
      count: orders.length,
      worstDifference: worst.toFixed(2),
      failures: orders.filter((p) => p.outcome === 'failed').map((p) => ({ orderId: p.orderId, reason: p.reason ?? '' })),
    };
  }
}
