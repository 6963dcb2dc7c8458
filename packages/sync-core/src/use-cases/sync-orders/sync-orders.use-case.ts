/**
 * Orders → Xero, exactly once (DESIGN.md §2 and §7). This file pages and checkpoints; each thing a
 * page needs is a step (contacts, invoices, payments, removals, credit notes), and every Xero
 * write goes through the ledger's write-once protocol (src/ledger).
 *
 * A row still `pending` at the start of a later run means the earlier run died (or lost Xero's
 * answer) somewhere in between, so its outcome is unknown: the protocol looks it up by its stable
 * number and adopts it instead of creating it again. The checkpoint moves only after a page's writes
 * are recorded; whatever a run could not finish stays pending/failed and is retried first next run.
 */
import { SyncError } from '../../errors';
import { orderIdOfKey, orderKey } from '../../ledger/ledger-keys';
import type { LedgerEntityType } from '../../ledger/ledger.port';
import { isUnchanged, MAX_AUTO_RETRIES, wantsRetry } from '../../ledger/ledger.rules';
import { LedgerSession } from '../../ledger/write-once.protocol';
import type { OcOrder, OrderCursor } from '../../ports/opencart.port';
import { statusIdsByNames } from '../../settings/settings.schema';
import { loadMappingContext, loadProductFacts } from '../mapping-context.loader';
import { chunk, emptyCounts, endResult, nullReporter, payloadHash, resolveSettings, throwIfAborted } from '../sync-run.model';
import { shiftDbTime, storeTime } from './store-clock.util';
import { refundOrders } from './credit-notes.step';
import { exportOrders } from './invoices.step';
import { skipOrder } from './order-outcomes';
import { removeOrders } from './removals.step';
import { bookReturns } from './returns.step';
import { DEFAULT_ORDER_PAGE_SIZE, ORDERS_CHECKPOINT, type OrderPlanView, type OrderRun, type SyncOrdersDeps, type SyncOrdersResult, type SyncOrdersRun } from './sync-orders.model';

/** See SyncOrdersDeps.overlapSeconds. */
export const DEFAULT_OVERLAP_SECONDS = 7200;

/** The version of an order: the hash of all it holds (date_modified, status, lines, totals…). */
const orderVersion = (order: OcOrder): string => payloadHash(order);

const afterCursor = (a: OrderCursor, b: OrderCursor): boolean => a.dateModified > b.dateModified || (a.dateModified === b.dateModified && a.orderId > b.orderId);

export class SyncOrdersUseCase {
  constructor(private readonly deps: SyncOrdersDeps) {}

  async execute(run: SyncOrdersRun): Promise<SyncOrdersResult> {
    const counts = emptyCounts();
    const plans: OrderPlanView[] = [];
    const reporter = run.reporter ?? nullReporter;
    const { logger } = this.deps;
    const dry = Boolean(run.dryRun);
    // A run for chosen orders is the merchant's retry: it starts their attempt counts again.
    const ledger = run.ledger ?? new LedgerSession(this.deps.store, run.scope, dry, Boolean(run.orderIds));
    // Every return below carries the plans and, in a dry run, the writes it would make.
    const ended = (e?: unknown): SyncOrdersResult => ({ ...endResult(counts, e), plans, ...(dry ? { planned: ledger.planned } : {}) });
    try {
      const settings = await resolveSettings(this.deps.store, run);
      if (!settings.exportInvoices) {
        reporter.log({ level: 'info', entityType: '', entityId: '', status: 'skipped', message: 'Export Invoices is switched off: no order was exported.' });
        return ended();
      }
      reporter.progress({ runId: run.runId, phase: 'prepare', processed: 0, total: 1, message: 'reading the Xero organisation and the store settings' });
      const { context, statuses } = await loadMappingContext(this.deps, settings);
      const state: OrderRun = {
        deps: this.deps,
        run,
        scope: run.scope,
        dry,
        ledger,
        settings,
        ctx: context,
        exportIds: new Set(statusIdsByNames(settings.exportStatuses, statuses)),
        removeIds: new Set(statusIdsByNames(settings.removeStatuses, statuses)),
        refundIds: new Set(statusIdsByNames(settings.refundStatuses, statuses)),
        counts,
        plans: run.dryRun || run.collectPlans ? plans : null,
        reporter,
        handled: new Set(),
      };
      const statusIds = run.anyStatus
        ? [...new Set(statuses.map((s) => s.orderStatusId))]
        : [...new Set([...state.exportIds, ...state.removeIds, ...state.refundIds])];
      if (!statusIds.length) {
        throw new SyncError('config', `None of the configured order statuses (${[...settings.exportStatuses, ...settings.removeStatuses, ...settings.refundStatuses].join(', ')}) exists in the store: check "Order Status to Export".`);
      }
      // One reading of the clock bounds the whole run, so orders changing while we page are left
      // for the next run instead of shifting the keyset under us. It is read on the store's clock
      // (its time zone), one second back: dates are stored to the second and the bound is
      // inclusive, so an order changed later in the current second is left wholly to the next run.
      const now = this.deps.clock.now();
      const until = this.deps.formatDbTime ? this.deps.formatDbTime(now) : storeTime(new Date(now.getTime() - 1000), await this.deps.reader.storeTimeZone());
      const pageSize = run.pageSize ?? DEFAULT_ORDER_PAGE_SIZE;
      logger.info('order sync started', { runId: run.runId, scope: run.scope, dryRun: state.dry, until });

      if (run.orderIds) {
        const wanted = [...new Set(run.orderIds)].sort((a, b) => a - b);
        let processed = 0;
        for (const ids of chunk(wanted, pageSize)) {
          throwIfAborted(run.signal);
          const orders = await this.deps.reader.getOrders(ids);
          for (const missing of ids.filter((id) => !orders.some((o) => o.orderId === id))) {
            reporter.log({ level: 'warn', entityType: 'order', entityId: String(missing), status: 'skipped', message: `Order ${missing} does not exist in the store.` });
          }
          await this.processPage(state, orders);
          processed += orders.length;
          reporter.progress({ runId: run.runId, phase: 'orders', processed, total: wanted.length });
        }
        await bookReturns(state, new Set(wanted));
        return ended();
      }

      const ranged = Boolean(run.from || run.to);
      if (!ranged) await this.retryUnfinished(state, pageSize);

      const addedFrom = [settings.exportFromDate, run.from].filter((d): d is string => Boolean(d)).sort().pop();
      const checkpoint = ranged ? undefined : await this.readCheckpoint(state);
      // Never let the keyset alone decide what was seen: re-read a window behind the checkpoint
      // (a DST fall-back writes earlier wall times after later ones; a skewed clock or an edit in
      // the checkpoint's own second lands behind it) and skip the order versions already handled.
      const overlap = this.deps.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS;
      let cursor: OrderCursor | undefined = checkpoint && overlap > 0 ? { dateModified: shiftDbTime(checkpoint.dateModified, -overlap), orderId: 0 } : checkpoint;
      let high = checkpoint;
      const total = await this.deps.reader.countChangedOrders({ statusIds, after: cursor, until, addedFrom, addedTo: run.to });
      let processed = 0;
      let pageNo = 0;
      for (;;) {
        throwIfAborted(run.signal);
        const page = await this.deps.reader.listChangedOrders({ statusIds, after: cursor, until, addedFrom, addedTo: run.to, limit: pageSize });
        if (!page.items.length) break;
        await this.processPage(state, checkpoint ? await this.unseen(state, page.items, checkpoint) : page.items);
        const last = page.items[page.items.length - 1]!;
        cursor = { dateModified: last.dateModified, orderId: last.orderId };
        // Only now that every write of the page is recorded may the checkpoint pass it; it never
        // moves back (the overlap re-read starts behind it anyway).
        if (!high || afterCursor(cursor, high)) high = cursor;
        if (!state.dry && !ranged) await this.deps.store.setCheckpoint(run.scope, ORDERS_CHECKPOINT, JSON.stringify(high));
        processed += page.items.length;
        pageNo += 1;
        reporter.progress({ runId: run.runId, phase: 'orders', processed, total: Math.max(total, processed), message: `page ${pageNo}` });
        if (!page.next) break;
      }
      // Returns change on their own (an order's date_modified does not move): each run books those
      // ready for it that the ledger has not settled.
      if (!ranged) await bookReturns(state);
      logger.info('order sync finished', { runId: run.runId, exported: counts.ordersExported, failed: counts.failures.length });
      return ended();
    } catch (e) {
      const result = ended(e);
      if (result.status === 'failed') logger.error('order sync stopped', { runId: run.runId, reason: result.error });
      return result;
    }
  }

  private async readCheckpoint(state: OrderRun): Promise<OrderCursor | undefined> {
    const raw = await this.deps.store.getCheckpoint(state.scope, ORDERS_CHECKPOINT);
    if (!raw) return undefined;
    try {
      const c = JSON.parse(raw) as OrderCursor;
      if (typeof c.dateModified === 'string' && typeof c.orderId === 'number') return c;
    } catch {
      // fall through: a damaged checkpoint only costs a full re-read; the ledger skips what is done
    }
    this.deps.logger.warn('order checkpoint unreadable, reading all orders again', { runId: state.run.runId, checkpoint: raw });
    return undefined;
  }

  /** Orders whose ledger rows are failed or pending (outcome unknown) are retried before new pages. */
  private async retryUnfinished(state: OrderRun, pageSize: number): Promise<void> {
    const ids = new Set<number>();
    const types: LedgerEntityType[] = ['invoice', 'invoice-update', 'payment', 'credit-note', 'allocation', 'refund', 'removal'];
    for (const entityType of types) {
      for (const status of ['pending', 'failed'] as const) {
        let afterKey: string | undefined;
        for (;;) {
          const rows = await this.deps.store.listLedger(state.scope, { entityType, status, limit: 500, afterKey });
          for (const r of rows) {
            const id = orderIdOfKey(r.entityKey);
            if (id !== null && wantsRetry(r, this.deps.maxAutoRetries ?? MAX_AUTO_RETRIES)) ids.add(id);
          }
          if (rows.length < 500) break;
          afterKey = rows[rows.length - 1]!.entityKey;
        }
      }
    }
    if (!ids.size) return;
    this.deps.logger.info('retrying unfinished orders first', { runId: state.run.runId, orders: ids.size });
    let processed = 0;
    for (const batch of chunk([...ids].sort((a, b) => a - b), pageSize)) {
      throwIfAborted(state.run.signal);
      const orders = await this.deps.reader.getOrders(batch);
      for (const gone of batch.filter((id) => !orders.some((o) => o.orderId === id))) {
        state.reporter.log({ level: 'warn', entityType: 'order', entityId: String(gone), status: 'skipped', message: `Order ${gone} has an unfinished Xero entry but no longer exists in the store; check it in Xero.` });
      }
      await this.processPage(state, orders);
      processed += orders.length;
      state.reporter.progress({ runId: state.run.runId, phase: 'retry', processed, total: ids.size });
    }
  }

  /**
   * The orders of a page minus those of the overlap window (at or behind the checkpoint) whose
   * version (content hash, date_modified included) a run already handled. Orders past the
   * checkpoint are new to the keyset and always handled.
   */
  private async unseen(state: OrderRun, orders: OcOrder[], checkpoint: OrderCursor): Promise<OcOrder[]> {
    const behind = orders.filter((o) => !afterCursor(o, checkpoint));
    if (!behind.length) return orders;
    const seen = await state.ledger.rows('order-seen', behind.map((o) => orderKey(o.orderId)));
    return orders.filter((o) => afterCursor(o, checkpoint) || !isUnchanged(seen.get(orderKey(o.orderId)), orderVersion(o)));
  }

  private async processPage(state: OrderRun, page: OcOrder[]): Promise<void> {
    const orders = page.filter((o) => !state.handled.has(o.orderId));
    if (!orders.length) return;
    orders.forEach((o) => state.handled.add(o.orderId));
    state.counts.ordersSeen += orders.length;
    const marked = new Set(await this.deps.store.getMarkedOrders(state.scope, orders.map((o) => o.orderId)));
    await loadProductFacts(this.deps.store, state.scope, state.ctx, orders.flatMap((o) => o.lines.map((l) => l.productId)));
    const toExport: OcOrder[] = [];
    const toRemove: OcOrder[] = [];
    const toRefund: OcOrder[] = [];
    for (const order of orders) {
      if (marked.has(order.orderId)) {
        state.counts.ordersMarked += 1;
        skipOrder(state, order, 'marked "do not sync" in the connector');
      } else if (state.refundIds.has(order.orderStatusId)) toRefund.push(order);
      else if (state.removeIds.has(order.orderStatusId)) toRemove.push(order);
      else if (state.exportIds.has(order.orderStatusId) || (state.run.anyStatus && state.dry)) toExport.push(order);
      else skipOrder(state, order, `its status "${state.ctx.statusNames.get(order.orderStatusId) ?? order.orderStatusId}" is not an export, remove or refund status`);
    }
    if (toExport.length) await exportOrders(state, toExport);
    if (toRemove.length) await removeOrders(state, toRemove);
    if (toRefund.length) await refundOrders(state, toRefund);
    // Every step of these orders is recorded: this version of each is handled.
    await state.ledger.record('order-seen', orders.map((o) => ({ entityKey: orderKey(o.orderId), status: 'done', payloadHash: orderVersion(o) })));
  }
}
