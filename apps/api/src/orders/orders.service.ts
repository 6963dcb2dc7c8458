import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { runRefusal, type ConnectorStore, type LedgerEntry, type OpenCartReader } from '@oc-xero/sync-core';
import he from 'he';
import type { AppConfig } from '../config/app-config';
import type { SyncEngine } from '../ports/sync-engine.port';
import { APP_CONFIG, CONNECTOR_STORE, OPENCART_READER, SYNC_ENGINE } from '../ports/tokens';
import { runConflict } from '../runs/run-refusal';
import { RunService } from '../runs/run.service';
import { SettingsService } from '../settings/settings.service';
import { XeroConnectionService } from '../xero/xero-connection.service';
import { OpenCartOrderSearchRepository } from './opencart-order-search.repository';
import { OrderStateRepository, multiplyDecimal, orderState, type OrderState } from './order-state.repository';
import { OrderSyncQueueService } from './order-sync-queue.service';

/** The web address of an invoice in Xero (template from XERO_INVOICE_URL, `{id}` = InvoiceID). */
export const xeroInvoiceUrl = (invoiceId: string, template = 'https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID={id}'): string =>
  template.replace('{id}', encodeURIComponent(invoiceId));

const decode = (s: string): string => he.decode(s);

/** A list filter narrowed to the orders that need attention (or to the others). */
function withAttention(filter: { onlyIds?: number[]; exceptIds?: number[] }, attention: number[], wanted: boolean): { onlyIds?: number[]; exceptIds?: number[] } {
  if (!wanted) return { ...filter, exceptIds: [...new Set([...(filter.exceptIds ?? []), ...attention])] };
  const except = new Set(filter.exceptIds ?? []);
  const only = filter.onlyIds ? new Set(filter.onlyIds) : null;
  return { onlyIds: attention.filter((id) => !except.has(id) && (!only || only.has(id))) };
}

@Injectable()
export class OrdersService {
  constructor(
    @Inject(OPENCART_READER) private readonly reader: OpenCartReader,
    @Inject(CONNECTOR_STORE) private readonly store: ConnectorStore,
    @Inject(SYNC_ENGINE) private readonly engine: SyncEngine,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: SettingsService,
    private readonly xero: XeroConnectionService,
    private readonly runs: RunService,
    private readonly search: OpenCartOrderSearchRepository,
    private readonly states: OrderStateRepository,
    private readonly queue: OrderSyncQueueService,
  ) {}

  private syncView(l: LedgerEntry | undefined) {
    return l
      ? { status: l.status as string, invoiceNumber: l.xeroNumber, xeroId: l.xeroId, xeroUrl: l.xeroId ? xeroInvoiceUrl(l.xeroId, this.config.xeroInvoiceUrl) : null, error: l.lastError, updatedAt: l.updatedAt }
      : { status: 'not synced', invoiceNumber: null, xeroId: null, xeroUrl: null, error: null, updatedAt: null };
  }

  /** Sync state of these orders: the ledger row of each invoice and its mark. */
  private async syncStates(ids: number[]) {
    const [ledger, marked, attention] = await Promise.all([
      ids.length ? this.store.getLedger(this.config.scope, 'invoice', ids.map((id) => `order:${id}`)) : Promise.resolve([]),
      ids.length ? this.store.getMarkedOrders(this.config.scope, ids) : Promise.resolve([]),
      this.states.attention(ids),
    ]);
    const byKey = new Map(ledger.map((l) => [l.entityKey, l]));
    const markedSet = new Set(marked);
    return (orderId: number) => {
      const l = byKey.get(`order:${orderId}`);
      const isMarked = markedSet.has(orderId);
      const why = attention.get(orderId);
      return { orderId, state: orderState(l?.status, isMarked), marked: isMarked, needsAttention: why !== undefined, attention: why ?? null, sync: this.syncView(l) };
    };
  }

  /** The admin's order list: filters, newest first, a page with the total, amounts in the order's own currency. */
  async list(q: { state?: OrderState; needsAttention?: boolean; from?: string; to?: string; storeId?: number; q?: string; page: number; limit: number }) {
    const [statuses, stateFilter] = await Promise.all([this.reader.listOrderStatuses(), q.state ? this.states.filter(q.state) : Promise.resolve({})]);
    const filter = q.needsAttention === undefined ? stateFilter : withAttention(stateFilter, [...(await this.states.attention()).keys()], q.needsAttention);
    const names = new Map<number, string>();
    for (const s of statuses) if (!names.has(s.orderStatusId)) names.set(s.orderStatusId, s.name);
    const { rows, total } = await this.search.search({ ...filter, storeId: q.storeId, from: q.from, to: q.to, search: q.q, limit: q.limit, offset: (q.page - 1) * q.limit });
    const stateOf = await this.syncStates(rows.map((r) => r.orderId));
    return {
      items: rows.map((o) => ({
        ...stateOf(o.orderId),
        storeId: o.storeId,
        storeName: decode(o.storeName),
        customer: decode(`${o.firstname} ${o.lastname}`.trim()),
        email: o.email,
        currencyCode: o.currencyCode,
        currencyValue: o.currencyValue,
        // OpenCart keeps amounts in the store's default currency; the customer paid total × rate.
        total: multiplyDecimal(o.total, o.currencyValue || '1'),
        storeTotal: o.total,
        orderStatusId: o.orderStatusId,
        orderStatus: names.get(o.orderStatusId) ?? '',
        dateAdded: o.dateAdded,
        dateModified: o.dateModified,
      })),
      total,
      page: q.page,
      limit: q.limit,
    };
  }

  /** Statuses of a page of orders in one call (the OpenCart order list's Xero column); unknown ids are left out. */
  async status(orderIds: number[]) {
    const orders = orderIds.length ? await this.reader.getOrders(orderIds) : [];
    const stateOf = await this.syncStates(orders.map((o) => o.orderId));
    return { items: orders.map((o) => stateOf(o.orderId)) };
  }

  /**
   * One order as the OpenCart order page's Xero panel shows it: its invoice, payment, credit note
   * and removal as the ledger knows them (all keyed by the order), and its latest log lines.
   */
  async detail(orderId: number) {
    const order = await this.reader.getOrder(orderId);
    if (!order) throw new NotFoundException(`No order ${orderId} in the store.`);
    const key = `order:${orderId}`;
    const [stateOf, payment, creditNote, removal, log, statuses] = await Promise.all([
      this.syncStates([orderId]),
      this.store.getLedger(this.config.scope, 'payment', [key]),
      this.store.getLedger(this.config.scope, 'credit-note', [key]),
      this.store.getLedger(this.config.scope, 'removal', [key]),
      this.store.listLog({ scope: this.config.scope, entityType: 'order', entityId: String(orderId), limit: 20 }),
      this.reader.listOrderStatuses(),
    ]);
    const doc = (l: LedgerEntry | undefined) => (l ? { status: l.status as string, number: l.xeroNumber, xeroId: l.xeroId, error: l.lastError, updatedAt: l.updatedAt } : null);
    return {
      ...stateOf(orderId),
      storeId: order.storeId,
      storeName: decode(order.storeName),
      customer: decode(`${order.firstname} ${order.lastname}`.trim()),
      email: order.email,
      currencyCode: order.currencyCode,
      currencyValue: order.currencyValue,
      total: multiplyDecimal(order.total, order.currencyValue || '1'),
      storeTotal: order.total,
      orderStatusId: order.orderStatusId,
      orderStatus: statuses.find((st) => st.orderStatusId === order.orderStatusId)?.name ?? '',
      dateAdded: order.dateAdded,
      dateModified: order.dateModified,
      payment: doc(payment[0]),
      creditNote: doc(creditNote[0]),
      removal: doc(removal[0]),
      log: log.map((l) => ({ runId: l.runId, level: l.level, status: l.status, message: l.message, createdAt: l.createdAt ?? null })),
    };
  }

  /** What the order would become in Xero; nothing is written. */
  async preview(orderId: number) {
    const order = await this.reader.getOrder(orderId);
    if (!order) throw new NotFoundException(`No order ${orderId} in the store.`);
    const xero = await this.xero.gateway();
    return this.engine.previewOrders({ scope: this.config.scope, settings: await this.settings.current(), orderIds: [orderId], xero });
  }

  /** "Sync now": a run limited to these orders, started before answering. */
  async syncNow(orderIds: number[]) {
    const outcome = await this.runs.start({ kind: 'orders', dryRun: false, orderIds }, 'manual');
    if (!outcome.started) throw runConflict(outcome);
    return { runId: outcome.run.id };
  }

  /** "Sync soon": queued, answered at once, bursts coalesced into one run. */
  async syncSoon(orderIds: number[]) {
    // Refused at once when Status is off, rather than queued to be refused later without a word.
    const refusal = runRefusal(await this.settings.current(), { dryRun: false });
    if (refusal) throw runConflict({ started: false, reason: refusal.message, runningRunId: null, code: refusal.code, setting: refusal.setting });
    return this.queue.enqueue(orderIds);
  }

  async mark(orderIds: number[]) {
    await this.store.markOrders(this.config.scope, orderIds);
    return { marked: orderIds };
  }

  async unmark(orderIds: number[]) {
    await this.store.unmarkOrders(this.config.scope, orderIds);
    return { unmarked: orderIds };
  }

  /** Marks every not-exported order added before the day, a thousand at a time. */
  async markBefore(b: { before: string; storeId?: number }) {
    const until = new Date(`${b.before}T00:00:00Z`);
    until.setUTCDate(until.getUTCDate() - 1);
    const to = until.toISOString().slice(0, 10);
    let marked = 0;
    for (;;) {
      const filter = await this.states.filter('not-exported');
      const { rows } = await this.search.search({ ...filter, storeId: b.storeId, to, limit: 1000, offset: 0 });
      if (rows.length === 0) return { marked };
      await this.store.markOrders(this.config.scope, rows.map((r) => r.orderId));
      marked += rows.length;
    }
  }
}
