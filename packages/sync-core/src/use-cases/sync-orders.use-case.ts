/**
 * Orders → Xero, exactly once (DESIGN.md §2 and §7).
 *
 * The ledger is the source of truth for "did we already do this": a row is reserved `pending`
 * before Xero is called and recorded after. A row still `pending` at the start of a later run means
 * the earlier run died (or lost Xero's answer) somewhere in between, so its outcome is unknown:
 * we look the object up in Xero by its stable number and adopt it instead of creating it again.
 * The checkpoint moves only after a page's writes are recorded; whatever a run could not finish
 * stays pending/failed in the ledger and is retried first by the next run.
 */
import Decimal from 'decimal.js';
import { SyncError, isSyncError } from '../errors';
import { mapOrderToContact, type ContactPlan } from '../mapping/customer-to-contact.mapper';
import type { OrderMappingContext } from '../mapping/mapping-context';
import { mapOrderToCreditNote } from '../mapping/order-to-credit-note.mapper';
import { invoiceNumberFor, mapOrderToInvoice, type InvoicePlan } from '../mapping/order-to-invoice.mapper';
import type { ConnectorStore, LedgerEntityType, LedgerEntry, LedgerStatus } from '../ports/connector-store.port';
import type { OcOrder, OpenCartReader, OrderCursor } from '../ports/opencart.port';
import type { XeroContactDraft, XeroCreditNote, XeroCreditNoteDraft, XeroInvoice, XeroInvoiceDraft, XeroPaymentDraft, XeroPort } from '../ports/xero.port';
import { statusIdsByNames, type Settings } from '../settings/settings.schema';
import { loadMappingContext, loadProductFacts, orderIdOfKey, orderKey } from './mapping-context.loader';
import type { Clock, SyncLogger } from './sync-logger.port';
import {
  chunk,
  emptyCounts,
  endResult,
  nullReporter,
  payloadHash,
  reasonOf,
  resolveSettings,
  throwIfAborted,
  toDbTime,
  type RunReporter,
  type SyncCounts,
  type UseCaseResult,
  type UseCaseRun,
} from './sync-run.model';

/** The checkpoint name of the order keyset (value: JSON OrderCursor). */
export const ORDERS_CHECKPOINT = 'orders';
/** Default page size: two batched calls of 50 per kind of object, at most. */
export const DEFAULT_ORDER_PAGE_SIZE = 100;

export interface SyncOrdersDeps {
  reader: OpenCartReader;
  xero: XeroPort;
  store: ConnectorStore;
  logger: SyncLogger;
  clock: Clock;
  /**
   * Formats the clock's time in the store database's clock for the `until` bound. Default: UTC
   * 'YYYY-MM-DD HH:MM:SS'. A store whose MySQL runs in another time zone passes its own, else
   * orders changed in the last hours wait for a later run (never lost: the checkpoint does not pass them).
   */
  formatDbTime?: (date: Date) => string;
  /**
   * A failed row is retried automatically by the next runs up to this many attempts (default 10);
   * after that it waits for the order to change (or a run for its id) instead of spending Xero
   * calls every few minutes on something Xero keeps refusing. Pending rows are always retried.
   */
  maxAutoRetries?: number;
}

export interface SyncOrdersRun extends UseCaseRun {
  /** Only orders added on or after this date (YYYY-MM-DD). A ranged run leaves the checkpoint alone. */
  from?: string;
  /** Only orders added on or before this date (YYYY-MM-DD). */
  to?: string;
  /** Only these orders (any of the configured statuses). Leaves the checkpoint alone. */
  orderIds?: number[];
  /** Orders per page (default 100). */
  pageSize?: number;
  /** Return the plan of every order handled (always on in a dry run). */
  collectPlans?: boolean;
  /** Preview only: orders in a status outside the configured lists are planned as exports. */
  anyStatus?: boolean;
}

/** What was (or, in a dry run, would be) sent for one order. */
export interface OrderPlanView {
  orderId: number;
  /** What the order's status asks for. */
  action: 'export' | 'remove' | 'refund' | 'skip';
  /** What happened: exported, unchanged, paid, would-export, failed, removed, conflict, refunded, skipped… */
  outcome: string;
  /** Why, for failures, skips and conflicts. */
  reason?: string;
  invoiceNumber?: string;
  contact?: XeroContactDraft;
  invoice?: XeroInvoiceDraft;
  payment?: XeroPaymentDraft | null;
  creditNote?: XeroCreditNoteDraft;
  /** OpenCart's figures in the order currency. */
  expected?: InvoicePlan['expected'];
  /** What Xero will compute for the invoice. */
  xeroTotals?: InvoicePlan['xeroTotals'];
  /** Xero total − OpenCart total (order currency, 2 dp). */
  difference?: string;
  roundingAdjustment?: string;
  warnings?: string[];
}

export interface SyncOrdersResult extends UseCaseResult {
  /** Plans of the orders handled (dry run or collectPlans). */
  plans: OrderPlanView[];
}

interface RunState {
  run: SyncOrdersRun;
  scope: string;
  dry: boolean;
  settings: Settings;
  ctx: OrderMappingContext;
  exportIds: Set<number>;
  removeIds: Set<number>;
  refundIds: Set<number>;
  counts: SyncCounts;
  plans: OrderPlanView[] | null;
  reporter: RunReporter;
  /** Orders already handled in this run (the retry phase and the pages may meet the same order). */
  handled: Set<number>;
}

interface Prepared {
  order: OcOrder;
  key: string;
  plan: InvoicePlan;
  contact: ContactPlan;
  hash: string;
  view: OrderPlanView;
}

type RecordRow = { entityKey: string; status: LedgerStatus; xeroId?: string | null; xeroNumber?: string | null; payloadHash?: string | null; lastError?: string | null };

/**
 * Rows a local failure must not overwrite: done (the object exists in Xero; failing it would let
 * a later run create it twice) and pending (outcome unknown; the next run must still look it up).
 */
const holdsOutcome = (row: LedgerEntry | undefined): boolean => row?.status === 'done' || row?.status === 'pending';
const byKey = (rows: LedgerEntry[]): Map<string, LedgerEntry> => new Map(rows.map((r) => [r.entityKey, r]));
const difference = (plan: InvoicePlan): string => new Decimal(plan.xeroTotals.total).minus(plan.expected.total).toFixed(2);

export class SyncOrdersUseCase {
  private readonly formatDbTime: (date: Date) => string;

  constructor(private readonly deps: SyncOrdersDeps) {
    this.formatDbTime = deps.formatDbTime ?? toDbTime;
  }

  async execute(run: SyncOrdersRun): Promise<SyncOrdersResult> {
    const counts = emptyCounts();
    const plans: OrderPlanView[] = [];
    const reporter = run.reporter ?? nullReporter;
    const { logger } = this.deps;
    try {
      const settings = await resolveSettings(this.deps.store, run);
      if (!settings.exportInvoices) {
        reporter.log({ level: 'info', entityType: '', entityId: '', status: 'skipped', message: 'Export Invoices is switched off: no order was exported.' });
        return { ...endResult(counts), plans };
      }
      reporter.progress({ runId: run.runId, phase: 'prepare', processed: 0, message: 'reading the Xero organisation and the store settings' });
      const { context, statuses } = await loadMappingContext(this.deps, settings);
      const state: RunState = {
        run,
        scope: run.scope,
        dry: Boolean(run.dryRun),
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
      // for the next run instead of shifting the keyset under us.
      const until = this.formatDbTime(this.deps.clock.now());
      const pageSize = run.pageSize ?? DEFAULT_ORDER_PAGE_SIZE;
      logger.info('order sync started', { runId: run.runId, scope: run.scope, dryRun: state.dry, until });

      if (run.orderIds) {
        let processed = 0;
        for (const ids of chunk([...new Set(run.orderIds)].sort((a, b) => a - b), pageSize)) {
          throwIfAborted(run.signal);
          const orders = await this.deps.reader.getOrders(ids);
          for (const missing of ids.filter((id) => !orders.some((o) => o.orderId === id))) {
            reporter.log({ level: 'warn', entityType: 'order', entityId: String(missing), status: 'skipped', message: `Order ${missing} does not exist in the store.` });
          }
          await this.processPage(state, orders);
          processed += orders.length;
          reporter.progress({ runId: run.runId, phase: 'orders', processed });
        }
        return { ...endResult(counts), plans };
      }

      const ranged = Boolean(run.from || run.to);
      if (!ranged) await this.retryUnfinished(state, pageSize);

      const addedFrom = [settings.exportFromDate, run.from].filter((d): d is string => Boolean(d)).sort().pop();
      let cursor = ranged ? undefined : await this.readCheckpoint(state);
      let processed = 0;
      let pageNo = 0;
      for (;;) {
        throwIfAborted(run.signal);
        const page = await this.deps.reader.listChangedOrders({ statusIds, after: cursor, until, addedFrom, addedTo: run.to, limit: pageSize });
        if (!page.items.length) break;
        await this.processPage(state, page.items);
        const last = page.items[page.items.length - 1]!;
        cursor = { dateModified: last.dateModified, orderId: last.orderId };
        // Only now that every write of the page is recorded may the checkpoint pass it.
        if (!state.dry && !ranged) await this.deps.store.setCheckpoint(run.scope, ORDERS_CHECKPOINT, JSON.stringify(cursor));
        processed += page.items.length;
        pageNo += 1;
        reporter.progress({ runId: run.runId, phase: 'orders', processed, message: `page ${pageNo}` });
        if (!page.next) break;
      }
      logger.info('order sync finished', { runId: run.runId, exported: counts.ordersExported, failed: counts.failures.length });
      return { ...endResult(counts), plans };
    } catch (e) {
      const result = endResult(counts, e);
      if (result.status === 'failed') logger.error('order sync stopped', { runId: run.runId, reason: result.error });
      return { ...result, plans };
    }
  }

  private async readCheckpoint(state: RunState): Promise<OrderCursor | undefined> {
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
  private async retryUnfinished(state: RunState, pageSize: number): Promise<void> {
    const ids = new Set<number>();
    const types: LedgerEntityType[] = ['invoice', 'payment', 'credit-note', 'allocation', 'removal'];
    for (const entityType of types) {
      for (const status of ['pending', 'failed'] as const) {
        let afterKey: string | undefined;
        for (;;) {
          const rows = await this.deps.store.listLedger(state.scope, { entityType, status, limit: 500, afterKey });
          for (const r of rows) {
            const id = orderIdOfKey(r.entityKey);
            if (id !== null && (status === 'pending' || r.attempts < (this.deps.maxAutoRetries ?? 10))) ids.add(id);
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
      state.reporter.progress({ runId: state.run.runId, phase: 'retry', processed });
    }
  }

  private async processPage(state: RunState, page: OcOrder[]): Promise<void> {
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
        this.skip(state, order, 'marked "do not sync" in the connector');
      } else if (state.refundIds.has(order.orderStatusId)) toRefund.push(order);
      else if (state.removeIds.has(order.orderStatusId)) toRemove.push(order);
      else if (state.exportIds.has(order.orderStatusId) || (state.run.anyStatus && state.dry)) toExport.push(order);
      else this.skip(state, order, `its status "${state.ctx.statusNames.get(order.orderStatusId) ?? order.orderStatusId}" is not an export, remove or refund status`);
    }
    if (toExport.length) await this.exportOrders(state, toExport);
    if (toRemove.length) await this.removeOrders(state, toRemove);
    if (toRefund.length) await this.refundOrders(state, toRefund);
  }

  // ---- outcome helpers ---------------------------------------------------------------------

  private skip(state: RunState, order: OcOrder, reason: string, action: OrderPlanView['action'] = 'skip'): void {
    state.counts.ordersSkipped += 1;
    state.reporter.log({ level: 'info', entityType: 'order', entityId: String(order.orderId), status: 'skipped', message: `Order ${order.orderId} skipped: ${reason}.` });
    state.plans?.push({ orderId: order.orderId, action, outcome: 'skipped', reason });
  }

  private fail(state: RunState, orderId: number, reason: string, view?: OrderPlanView): void {
    state.counts.failures.push({ entityType: 'order', entityId: String(orderId), reason });
    state.reporter.log({ level: 'error', entityType: 'order', entityId: String(orderId), status: 'failed', message: `Order ${orderId} failed: ${reason}` });
    this.deps.logger.warn('order failed', { runId: state.run.runId, orderId, reason });
    if (view) {
      view.outcome = 'failed';
      view.reason = reason;
    }
  }

  private async record(state: RunState, entityType: LedgerEntityType, rows: RecordRow[]): Promise<void> {
    if (state.dry || !rows.length) return;
    await this.deps.store.record(state.scope, entityType, rows);
  }

  /** Maps orders; a mapping failure fails that order alone (unless it is a config problem). */
  private mapAll(state: RunState, orders: OcOrder[], onFail: (order: OcOrder, reason: string) => void, action: OrderPlanView['action']): Prepared[] {
    const out: Prepared[] = [];
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

  // ---- export ------------------------------------------------------------------------------

  private async exportOrders(state: RunState, orders: OcOrder[]): Promise<void> {
    const { store, xero } = this.deps;
    const keys = orders.map((o) => orderKey(o.orderId));
    const invoiceRows = byKey(await store.getLedger(state.scope, 'invoice', keys));
    const paymentRows = byKey(await store.getLedger(state.scope, 'payment', keys));

    const mappingFailures: RecordRow[] = [];
    const prepared: Prepared[] = [];
    const zeroSkipped = orders.filter((o) => !state.settings.exportZeroTotalOrders && new Decimal(o.total).isZero());
    zeroSkipped.forEach((o) => this.skip(state, o, 'zero-total orders are not exported (setting)', 'export'));
    const mappable = orders.filter((o) => !zeroSkipped.includes(o));
    for (const p of this.mapAll(
      state,
      mappable,
      (order, reason) => {
        this.fail(state, order.orderId, reason);
        state.plans?.push({ orderId: order.orderId, action: 'export', outcome: 'failed', reason });
        if (!holdsOutcome(invoiceRows.get(orderKey(order.orderId)))) mappingFailures.push({ entityKey: orderKey(order.orderId), status: 'failed', lastError: reason });
      },
      'export',
    ))
      prepared.push(p);
    await this.record(state, 'invoice', mappingFailures);

    const toCreate: Prepared[] = [];
    const invoiceIds = new Map<number, string>();
    const createdNow = new Set<number>();
    for (const p of prepared) {
      const row = invoiceRows.get(p.key);
      if (row?.status === 'done' && row.xeroId) {
        invoiceIds.set(p.order.orderId, row.xeroId);
        if (row.payloadHash !== p.hash) {
          p.view.warnings = [...(p.view.warnings ?? []), 'changed after export'];
          state.reporter.log({
            level: 'warn',
            entityType: 'order',
            entityId: String(p.order.orderId),
            status: 'changed',
            message: `Order ${p.order.orderId} changed after its invoice ${row.xeroNumber ?? ''} was exported; the Xero invoice was left as it is. Edit it in Xero if the change matters to the books.`,
          });
        }
      } else if (row?.status === 'removed') {
        this.fail(state, p.order.orderId, `its invoice ${row.xeroNumber ?? p.plan.invoice.InvoiceNumber} was voided or deleted in Xero earlier and a voided number cannot be reused; create the invoice by hand if the order is live again`, p.view);
        state.plans?.push(p.view);
      } else toCreate.push(p);
    }

    // Contacts for the invoices to create.
    const contactIds = await this.ensureContacts(state, toCreate.map((p) => p.contact));

    const ready: Array<Prepared & { draft: XeroInvoiceDraft }> = [];
    const invoiceFailures: RecordRow[] = [];
    for (const p of toCreate) {
      const c = contactIds.get(p.contact.key);
      if (c?.error) {
        const reason = `its contact "${p.contact.draft.Name}" could not be saved in Xero: ${c.error}`;
        this.fail(state, p.order.orderId, reason, p.view);
        if (!holdsOutcome(invoiceRows.get(p.key))) invoiceFailures.push({ entityKey: p.key, status: 'failed', lastError: reason });
        continue;
      }
      const draft: XeroInvoiceDraft = { ...p.plan.invoice, Contact: c?.contactId ? { ContactID: c.contactId } : p.plan.invoice.Contact };
      p.view.invoice = draft;
      ready.push({ ...p, draft });
    }
    await this.record(state, 'invoice', invoiceFailures);

    if (ready.length && !state.dry) {
      await store.reserve(
        state.scope,
        'invoice',
        ready.map((p) => ({ entityKey: p.key, payloadHash: p.hash, xeroNumber: p.draft.InvoiceNumber })),
      );
      const results: RecordRow[] = [];
      // Outcome unknown (an earlier run reserved but never recorded): Xero may have it already.
      const unknown = ready.filter((p) => invoiceRows.get(p.key)?.status === 'pending');
      const adopted = new Set<number>();
      if (unknown.length) {
        const found = new Map((await xero.findInvoicesByNumbers(unknown.map((p) => p.draft.InvoiceNumber))).map((i) => [i.InvoiceNumber, i]));
        for (const p of unknown) {
          const inv = found.get(p.draft.InvoiceNumber);
          // A DELETED invoice is gone from the books (and its number free again): create anew.
          if (!inv || inv.Status === 'DELETED') continue;
          adopted.add(p.order.orderId);
          invoiceIds.set(p.order.orderId, inv.InvoiceID);
          createdNow.add(p.order.orderId);
          state.counts.invoicesAdopted += 1;
          results.push({ entityKey: p.key, status: 'done', xeroId: inv.InvoiceID, xeroNumber: inv.InvoiceNumber, payloadHash: p.hash });
        }
      }
      const toSend = ready.filter((p) => !adopted.has(p.order.orderId));
      if (toSend.length) {
        let answers;
        try {
          answers = await xero.createInvoices(toSend.map((p) => p.draft));
        } catch (e) {
          // Whatever Xero managed to apply is found by number next run; record the adoptions we have.
          await this.record(state, 'invoice', results);
          throw e;
        }
        answers.forEach((a, i) => {
          const p = toSend[i]!;
          if (a.ok) {
            invoiceIds.set(p.order.orderId, a.value.InvoiceID);
            createdNow.add(p.order.orderId);
            state.counts.invoicesCreated += 1;
            results.push({ entityKey: p.key, status: 'done', xeroId: a.value.InvoiceID, xeroNumber: a.value.InvoiceNumber, payloadHash: p.hash });
          } else {
            const reason = `Xero refused the invoice: ${a.errors.join('; ')}`;
            this.fail(state, p.order.orderId, reason, p.view);
            results.push({ entityKey: p.key, status: 'failed', lastError: reason, payloadHash: p.hash });
          }
        });
      }
      await this.record(state, 'invoice', results);
    }

    // Payments for AUTHORISED invoices of paid orders with a mapped method.
    await this.applyPayments(state, prepared, invoiceIds, paymentRows);

    for (const p of prepared) {
      const id = p.order.orderId;
      if (p.view.outcome === 'failed' && !createdNow.has(id)) {
        state.plans?.push(p.view);
        continue;
      }
      if (state.dry) {
        p.view.outcome = invoiceIds.has(id) ? (p.view.payment ? 'would-pay' : 'unchanged') : 'would-export';
      } else if (createdNow.has(id)) {
        if (p.view.outcome !== 'failed') p.view.outcome = 'exported';
        state.counts.ordersExported += 1;
        state.reporter.log({
          level: 'info',
          entityType: 'order',
          entityId: String(id),
          status: 'exported',
          message: `Order ${id} exported as invoice ${p.plan.invoice.InvoiceNumber} (${p.plan.xeroTotals.total} ${p.plan.expected.currency})${p.view.payment ? ', payment applied' : ''}.`,
          details: { invoiceNumber: p.plan.invoice.InvoiceNumber, invoiceId: invoiceIds.get(id), total: p.plan.xeroTotals.total, difference: p.view.difference },
        });
      } else if (p.view.outcome === 'paid') {
        state.reporter.log({ level: 'info', entityType: 'order', entityId: String(id), status: 'paid', message: `Order ${id}: payment applied to invoice ${p.plan.invoice.InvoiceNumber}.` });
      } else if (invoiceIds.has(id)) {
        p.view.outcome = 'unchanged';
        state.counts.ordersUnchanged += 1;
        state.reporter.log({ level: 'info', entityType: 'order', entityId: String(id), status: 'skipped', message: `Order ${id} skipped: already exported as invoice ${p.plan.invoice.InvoiceNumber}.` });
      }
      state.plans?.push(p.view);
    }
  }

  /** Contacts by ledger key → ContactID (undefined in a dry run for new ones) or the reason Xero refused. */
  private async ensureContacts(state: RunState, plans: ContactPlan[]): Promise<Map<string, { contactId?: string; error?: string }>> {
    const { store, xero } = this.deps;
    const out = new Map<string, { contactId?: string; error?: string }>();
    const distinct = [...new Map(plans.map((p) => [p.key, p])).values()];
    if (!distinct.length) return out;
    const rows = byKey(await store.getLedger(state.scope, 'contact', distinct.map((p) => p.key)));
    const missing: ContactPlan[] = [];
    for (const p of distinct) {
      const row = rows.get(p.key);
      if (row?.status === 'done' && row.xeroId) out.set(p.key, { contactId: row.xeroId });
      else missing.push(p);
    }
    if (!missing.length || state.dry) {
      missing.forEach((p) => out.set(p.key, {}));
      return out;
    }
    await store.reserve(state.scope, 'contact', missing.map((p) => ({ entityKey: p.key, payloadHash: payloadHash(p.draft), xeroNumber: p.draft.ContactNumber })));
    const results: RecordRow[] = [];
    const unknown = missing.filter((p) => rows.get(p.key)?.status === 'pending' && p.draft.ContactNumber);
    const adopted = new Set<string>();
    if (unknown.length) {
      const found = await xero.findContactsByNumbers(unknown.map((p) => p.draft.ContactNumber!));
      for (const p of unknown) {
        const c = found.find((f) => f.ContactNumber === p.draft.ContactNumber);
        if (!c) continue;
        adopted.add(p.key);
        out.set(p.key, { contactId: c.ContactID });
        state.counts.contactsAdopted += 1;
        results.push({ entityKey: p.key, status: 'done', xeroId: c.ContactID, xeroNumber: c.ContactNumber ?? null, payloadHash: payloadHash(p.draft) });
      }
    }
    const toSave = missing.filter((p) => !adopted.has(p.key));
    if (toSave.length) {
      let answers;
      try {
        answers = await xero.saveContacts(toSave.map((p) => p.draft));
      } catch (e) {
        await this.record(state, 'contact', results);
        throw e;
      }
      answers.forEach((a, i) => {
        const p = toSave[i]!;
        if (a.ok) {
          out.set(p.key, { contactId: a.value.ContactID });
          state.counts.contactsCreated += 1;
          results.push({ entityKey: p.key, status: 'done', xeroId: a.value.ContactID, xeroNumber: a.value.ContactNumber ?? p.draft.ContactNumber ?? null, payloadHash: payloadHash(p.draft) });
        } else {
          const reason = a.errors.join('; ');
          out.set(p.key, { error: reason });
          results.push({ entityKey: p.key, status: 'failed', lastError: reason });
        }
      });
    }
    await this.record(state, 'contact', results);
    return out;
  }

  private async applyPayments(state: RunState, prepared: Prepared[], invoiceIds: Map<number, string>, paymentRows: Map<string, LedgerEntry>): Promise<void> {
    const { store, xero } = this.deps;
    const due: Array<Prepared & { draft: XeroPaymentDraft; hash: string }> = [];
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
      if (!invoiceId) continue; // dry run of a new invoice, or the invoice failed
      due.push({ ...p, draft, hash: payloadHash({ ...draft, Invoice: p.plan.invoice.InvoiceNumber }) });
    }
    if (!due.length || state.dry) return;
    await store.reserve(state.scope, 'payment', due.map((d) => ({ entityKey: d.key, payloadHash: d.hash })));
    const results: RecordRow[] = [];
    const unknown = due.filter((d) => paymentRows.get(d.key)?.status === 'pending');
    const adopted = new Set<string>();
    if (unknown.length) {
      // Before paying again, see whether the lost payment is on the invoice already.
      const invoices = new Map((await xero.findInvoicesByNumbers(unknown.map((d) => d.plan.invoice.InvoiceNumber))).map((i) => [i.InvoiceNumber, i]));
      for (const d of unknown) {
        let inv: XeroInvoice | null | undefined = invoices.get(d.plan.invoice.InvoiceNumber);
        if (inv && inv.Payments === undefined && inv.AmountPaid > 0) inv = await xero.getInvoice(inv.InvoiceID);
        const match = inv?.Payments?.find((pm) => new Decimal(pm.Amount).eq(d.draft.Amount));
        if (!match) continue;
        adopted.add(d.key);
        state.counts.paymentsAdopted += 1;
        results.push({ entityKey: d.key, status: 'done', xeroId: match.PaymentID, payloadHash: d.hash });
      }
    }
    const toSend = due.filter((d) => !adopted.has(d.key));
    if (toSend.length) {
      let answers;
      try {
        answers = await xero.createPayments(toSend.map((d) => d.draft));
      } catch (e) {
        await this.record(state, 'payment', results);
        throw e;
      }
      answers.forEach((a, i) => {
        const d = toSend[i]!;
        if (a.ok) {
          state.counts.paymentsCreated += 1;
          results.push({ entityKey: d.key, status: 'done', xeroId: a.value.PaymentID, payloadHash: d.hash });
          if (d.view.outcome === 'pending') d.view.outcome = 'paid';
        } else {
          const reason = `Xero refused the payment to invoice ${d.plan.invoice.InvoiceNumber}: ${a.errors.join('; ')}`;
          this.fail(state, d.order.orderId, reason, d.view);
          results.push({ entityKey: d.key, status: 'failed', lastError: reason, payloadHash: d.hash });
        }
      });
    }
    await this.record(state, 'payment', results);
  }

  // ---- remove ------------------------------------------------------------------------------

  private async removeOrders(state: RunState, orders: OcOrder[]): Promise<void> {
    const { store, xero } = this.deps;
    const keys = orders.map((o) => orderKey(o.orderId));
    const invoiceRows = byKey(await store.getLedger(state.scope, 'invoice', keys));
    const removalRows = byKey(await store.getLedger(state.scope, 'removal', keys));
    const paymentRows = byKey(await store.getLedger(state.scope, 'payment', keys));
    const noteRows = byKey(await store.getLedger(state.scope, 'credit-note', keys));

    const numberOf = (o: OcOrder): string => invoiceRows.get(orderKey(o.orderId))?.xeroNumber ?? invoiceNumberFor(o, state.settings);
    const unknown = orders.filter((o) => invoiceRows.get(orderKey(o.orderId))?.status === 'pending');
    const found = unknown.length ? new Map((await xero.findInvoicesByNumbers(unknown.map(numberOf))).map((i) => [i.InvoiceNumber, i])) : new Map<string, XeroInvoice>();

    const settled: RecordRow[] = [];
    const targets: Array<{ order: OcOrder; key: string; invoiceId: string; invoiceNumber: string; ours: string[]; ourNote: string | null }> = [];
    for (const order of orders) {
      const key = orderKey(order.orderId);
      const row = invoiceRows.get(key);
      const removal = removalRows.get(key);
      if (removal?.status === 'done' || row?.status === 'removed') {
        state.counts.ordersUnchanged += 1;
        state.plans?.push({ orderId: order.orderId, action: 'remove', outcome: 'unchanged', reason: 'already removed in Xero', invoiceNumber: numberOf(order) });
        continue;
      }
      let invoiceId = row?.status === 'done' ? row.xeroId : null;
      if (row?.status === 'pending') invoiceId = found.get(numberOf(order))?.InvoiceID ?? null;
      if (!invoiceId) {
        this.skip(state, order, 'it reached a remove status but was never exported to Xero', 'remove');
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
    await this.record(state, 'invoice', settled);
    if (!targets.length) return;
    if (!state.dry) await store.reserve(state.scope, 'removal', targets.map((t) => ({ entityKey: t.key, payloadHash: payloadHash({ remove: t.invoiceId }), xeroNumber: t.invoiceNumber })));

    for (const t of targets) {
      const view: OrderPlanView = { orderId: t.order.orderId, action: 'remove', outcome: 'pending', invoiceNumber: t.invoiceNumber };
      state.plans?.push(view);
      const inv = await xero.getInvoice(t.invoiceId);
      if (!inv || inv.Status === 'DELETED' || inv.Status === 'VOIDED') {
        view.outcome = 'removed';
        view.reason = inv ? `already ${inv.Status} in Xero` : 'no longer in Xero';
        if (!state.dry) {
          await this.record(state, 'invoice', [{ entityKey: t.key, status: 'removed' }]);
          await this.record(state, 'removal', [{ entityKey: t.key, status: 'done', xeroId: t.invoiceId, xeroNumber: t.invoiceNumber }]);
          state.counts.removals += 1;
          this.logRemoved(state, t.order.orderId, t.invoiceNumber, view.reason);
        }
        continue;
      }
      const foreign = (inv.Payments ?? []).filter((p) => !t.ours.includes(p.PaymentID));
      const oursOnInvoice = (inv.Payments ?? []).filter((p) => t.ours.includes(p.PaymentID));
      const paidByUs = oursOnInvoice.reduce((s, p) => s.plus(p.Amount), new Decimal(0));
      const foreignNotes = (inv.CreditNotes ?? []).filter((c) => c.CreditNoteID !== t.ourNote);
      if (!foreign.length && !foreignNotes.length && inv.CreditNotes?.length) {
        // Refunded first, cancelled after: our own credit note already settled the invoice, and
        // Xero would not void it with an allocation on it. Nothing is left to remove.
        view.outcome = 'unchanged';
        view.reason = 'already settled by its refund credit note';
        if (!state.dry) {
          await this.record(state, 'removal', [{ entityKey: t.key, status: 'done', xeroId: t.invoiceId, xeroNumber: t.invoiceNumber }]);
          state.reporter.log({ level: 'info', entityType: 'order', entityId: String(t.order.orderId), status: 'skipped', message: `Order ${t.order.orderId} skipped: invoice ${t.invoiceNumber} is already settled by its refund credit note.` });
        }
        continue;
      }
      let conflict: string | null = null;
      if (foreign.length || new Decimal(inv.AmountPaid).gt(paidByUs)) {
        conflict = `invoice ${t.invoiceNumber} has a payment the connector did not make (status ${inv.Status}); remove that payment in Xero (or void the invoice yourself), then change the order again so the next sync removes it`;
      } else if (inv.CreditNotes?.length) {
        conflict = `invoice ${t.invoiceNumber} has a credit note allocated; remove the allocation in Xero, or leave the invoice as it is if the refund already settled it`;
      } else if (!['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID'].includes(inv.Status)) {
        conflict = `invoice ${t.invoiceNumber} is ${inv.Status} in Xero and cannot be removed by the connector; handle it in Xero`;
      }
      const newStatus: 'DELETED' | 'VOIDED' = inv.Status === 'DRAFT' || inv.Status === 'SUBMITTED' ? 'DELETED' : 'VOIDED';
      view.outcome = state.dry ? (conflict ? 'conflict' : `would-${newStatus.toLowerCase()}`) : view.outcome;
      if (conflict) {
        await this.conflict(state, t.order.orderId, t.key, t.invoiceId, conflict, view);
        continue;
      }
      if (state.dry) continue;
      // Our own payments go first: Xero voids an invoice only when nothing is paid on it.
      for (const p of oursOnInvoice) {
        await xero.deletePayment(p.PaymentID);
        state.counts.paymentsDeleted += 1;
        await this.record(state, 'payment', [{ entityKey: t.key, status: 'removed', xeroId: p.PaymentID }]);
      }
      try {
        await xero.setInvoiceStatus(t.invoiceId, newStatus);
      } catch (e) {
        if (isSyncError(e) && e.kind === 'validation') {
          const deleted = oursOnInvoice.length ? ` The connector's payment was already deleted; re-enter it in Xero if the invoice stays.` : '';
          await this.conflict(state, t.order.orderId, t.key, t.invoiceId, `Xero refused to ${newStatus === 'DELETED' ? 'delete' : 'void'} invoice ${t.invoiceNumber}: ${reasonOf(e)}.${deleted}`, view);
          continue;
        }
        throw e;
      }
      await this.record(state, 'invoice', [{ entityKey: t.key, status: 'removed' }]);
      await this.record(state, 'removal', [{ entityKey: t.key, status: 'done', xeroId: t.invoiceId, xeroNumber: t.invoiceNumber }]);
      state.counts.removals += 1;
      view.outcome = 'removed';
      view.reason = newStatus;
      this.logRemoved(state, t.order.orderId, t.invoiceNumber, newStatus === 'DELETED' ? 'deleted' : 'voided');
    }
  }

  private logRemoved(state: RunState, orderId: number, invoiceNumber: string, how: string): void {
    state.reporter.log({ level: 'info', entityType: 'order', entityId: String(orderId), status: 'removed', message: `Order ${orderId}: invoice ${invoiceNumber} ${how}.` });
  }

  /** A removal/refund Xero no longer allows: a conflict row and an error line saying what to do. Nothing else is touched. */
  private async conflict(state: RunState, orderId: number, key: string, invoiceId: string, reason: string, view: OrderPlanView, entityType: LedgerEntityType = 'removal'): Promise<void> {
    view.outcome = 'conflict';
    view.reason = reason;
    if (state.dry) return;
    state.counts.conflicts += 1;
    state.counts.failures.push({ entityType: 'order', entityId: String(orderId), reason });
    await this.record(state, entityType, [{ entityKey: key, status: 'conflict', xeroId: invoiceId, lastError: reason }]);
    state.reporter.log({ level: 'error', entityType: 'order', entityId: String(orderId), status: 'conflict', message: `Order ${orderId} needs attention: ${reason}` });
    this.deps.logger.warn('order conflict', { runId: state.run.runId, orderId, reason });
  }

  // ---- refund ------------------------------------------------------------------------------

  private async refundOrders(state: RunState, orders: OcOrder[]): Promise<void> {
    const { store, xero } = this.deps;
    const keys = orders.map((o) => orderKey(o.orderId));
    const invoiceRows = byKey(await store.getLedger(state.scope, 'invoice', keys));
    const noteRows = byKey(await store.getLedger(state.scope, 'credit-note', keys));
    const allocRows = byKey(await store.getLedger(state.scope, 'allocation', keys));
    const paymentRows = byKey(await store.getLedger(state.scope, 'payment', keys));

    const candidates: OcOrder[] = [];
    for (const order of orders) {
      const key = orderKey(order.orderId);
      const inv = invoiceRows.get(key);
      if (allocRows.get(key)?.status === 'done') {
        state.counts.ordersUnchanged += 1;
        state.plans?.push({ orderId: order.orderId, action: 'refund', outcome: 'unchanged', reason: 'credit note already allocated' });
      } else if (inv?.status !== 'done' || !inv.xeroId) {
        this.skip(state, order, 'it reached a refund status but its invoice is not in Xero (never exported), so there is nothing to credit', 'refund');
      } else candidates.push(order);
    }
    const mappingFailures: RecordRow[] = [];
    const prepared = this.mapAll(
      state,
      candidates,
      (order, reason) => {
        this.fail(state, order.orderId, reason);
        mappingFailures.push({ entityKey: orderKey(order.orderId), status: 'failed', lastError: reason });
      },
      'refund',
    );
    await this.record(state, 'credit-note', mappingFailures);
    if (!prepared.length) return;

    const contactRows = byKey(await store.getLedger(state.scope, 'contact', [...new Set(prepared.map((p) => p.contact.key))]));
    const notes: Array<Prepared & { draft: XeroCreditNoteDraft; invoiceId: string }> = [];
    const failures: RecordRow[] = [];
    for (const p of prepared) {
      const contact = contactRows.get(p.contact.key);
      p.view.invoice = undefined;
      state.plans?.push(p.view);
      if (contact?.status !== 'done' || !contact.xeroId) {
        const reason = `the contact of invoice ${p.plan.invoice.InvoiceNumber} is not known to the connector; the credit note cannot be addressed`;
        this.fail(state, p.order.orderId, reason, p.view);
        failures.push({ entityKey: p.key, status: 'failed', lastError: reason });
        continue;
      }
      const draft = mapOrderToCreditNote(p.order, p.plan, contact.xeroId);
      p.view.creditNote = draft;
      notes.push({ ...p, draft, invoiceId: invoiceRows.get(p.key)!.xeroId! });
    }
    await this.record(state, 'credit-note', failures);
    if (state.dry) {
      notes.forEach((n) => (n.view.outcome = noteRows.get(n.key)?.status === 'done' ? 'would-allocate' : 'would-refund'));
      return;
    }
    if (!notes.length) return;

    // 1. Credit notes (exactly once: reserve, look up unknown outcomes by number, create the rest).
    const noteIds = new Map<string, XeroCreditNote>();
    const toCreate = notes.filter((n) => noteRows.get(n.key)?.status !== 'done');
    const known = notes.filter((n) => noteRows.get(n.key)?.status === 'done');
    const lookup = [...known, ...toCreate.filter((n) => noteRows.get(n.key)?.status === 'pending')];
    if (lookup.length) {
      for (const cn of await xero.findCreditNotesByNumbers(lookup.map((n) => n.draft.CreditNoteNumber))) noteIds.set(cn.CreditNoteNumber, cn);
    }
    if (toCreate.length) {
      await store.reserve(state.scope, 'credit-note', toCreate.map((n) => ({ entityKey: n.key, payloadHash: payloadHash(n.draft), xeroNumber: n.draft.CreditNoteNumber })));
      const results: RecordRow[] = [];
      const send: typeof toCreate = [];
      for (const n of toCreate) {
        const existing = noteRows.get(n.key)?.status === 'pending' ? noteIds.get(n.draft.CreditNoteNumber) : undefined;
        if (existing) {
          state.counts.creditNotesAdopted += 1;
          results.push({ entityKey: n.key, status: 'done', xeroId: existing.CreditNoteID, xeroNumber: existing.CreditNoteNumber, payloadHash: payloadHash(n.draft) });
        } else send.push(n);
      }
      if (send.length) {
        let answers;
        try {
          answers = await xero.createCreditNotes(send.map((n) => n.draft));
        } catch (e) {
          await this.record(state, 'credit-note', results);
          throw e;
        }
        answers.forEach((a, i) => {
          const n = send[i]!;
          if (a.ok) {
            noteIds.set(a.value.CreditNoteNumber, a.value);
            state.counts.creditNotesCreated += 1;
            results.push({ entityKey: n.key, status: 'done', xeroId: a.value.CreditNoteID, xeroNumber: a.value.CreditNoteNumber, payloadHash: payloadHash(n.draft) });
          } else {
            const reason = `Xero refused the credit note: ${a.errors.join('; ')}`;
            this.fail(state, n.order.orderId, reason, n.view);
            results.push({ entityKey: n.key, status: 'failed', lastError: reason });
          }
        });
      }
      await this.record(state, 'credit-note', results);
    }

    // 2. Allocation of each credit note to its invoice.
    const allocatable = notes.filter((n) => noteIds.has(n.draft.CreditNoteNumber) && n.view.outcome !== 'failed');
    if (!allocatable.length) return;
    await store.reserve(state.scope, 'allocation', allocatable.map((n) => ({ entityKey: n.key, payloadHash: payloadHash({ allocate: n.draft.CreditNoteNumber }), xeroNumber: n.draft.CreditNoteNumber })));
    for (const n of allocatable) {
      const note = noteIds.get(n.draft.CreditNoteNumber)!;
      const pay = paymentRows.get(n.key);
      await this.allocate(state, n, note, pay?.status === 'done' && pay.xeroId ? [pay.xeroId] : []);
    }
  }

  private async allocate(state: RunState, n: Prepared & { draft: XeroCreditNoteDraft; invoiceId: string }, note: XeroCreditNote, ours: string[]): Promise<void> {
    const { xero } = this.deps;
    const id = n.order.orderId;
    let inv = await xero.getInvoice(n.invoiceId);
    if (inv?.CreditNotes?.some((c) => c.CreditNoteID === note.CreditNoteID)) {
      await this.record(state, 'allocation', [{ entityKey: n.key, status: 'done', xeroId: note.CreditNoteID, xeroNumber: note.CreditNoteNumber }]);
      n.view.outcome = 'refunded';
      return;
    }
    if (!inv || inv.Status === 'DELETED' || inv.Status === 'VOIDED') {
      await this.conflict(state, id, n.key, n.invoiceId, `invoice ${n.plan.invoice.InvoiceNumber} is ${inv?.Status ?? 'gone'} in Xero, so credit note ${note.CreditNoteNumber} cannot be allocated to it; handle the credit note in Xero`, n.view, 'allocation');
      return;
    }
    const amount = new Decimal(note.RemainingCredit ?? note.Total);
    if (new Decimal(inv.AmountDue).lt(amount)) {
      // A paid invoice has nothing left to credit: take our own payment off first (the refund
      // replaces it); someone else's payment is theirs to undo.
      const foreign = (inv.Payments ?? []).filter((p) => !ours.includes(p.PaymentID));
      if (foreign.length || (inv.Payments === undefined && inv.AmountPaid > 0)) {
        await this.conflict(state, id, n.key, n.invoiceId, `invoice ${n.plan.invoice.InvoiceNumber} has a payment the connector did not make, so the refund's credit note ${note.CreditNoteNumber} cannot be allocated; record the refund against that payment in Xero`, n.view, 'allocation');
        return;
      }
      for (const p of inv.Payments ?? []) {
        await xero.deletePayment(p.PaymentID);
        state.counts.paymentsDeleted += 1;
        await this.record(state, 'payment', [{ entityKey: n.key, status: 'removed', xeroId: p.PaymentID }]);
      }
      inv = await xero.getInvoice(n.invoiceId);
    }
    if (!inv || inv.Status !== 'AUTHORISED') {
      const reason = `invoice ${n.plan.invoice.InvoiceNumber} is ${inv?.Status ?? 'gone'} in Xero; a credit note is allocated only to an approved (AUTHORISED) invoice. Approve it in Xero and the next sync allocates ${note.CreditNoteNumber}.`;
      this.fail(state, id, reason, n.view);
      await this.record(state, 'allocation', [{ entityKey: n.key, status: 'failed', lastError: reason }]);
      return;
    }
    const allocation = Decimal.min(amount, inv.AmountDue).toNumber();
    try {
      await xero.allocateCreditNote(note.CreditNoteID, n.invoiceId, allocation, n.draft.Date);
    } catch (e) {
      if (isSyncError(e) && e.kind === 'validation') {
        const reason = `Xero refused to allocate credit note ${note.CreditNoteNumber}: ${reasonOf(e)}`;
        this.fail(state, id, reason, n.view);
        await this.record(state, 'allocation', [{ entityKey: n.key, status: 'failed', lastError: reason }]);
        return;
      }
      throw e;
    }
    await this.record(state, 'allocation', [{ entityKey: n.key, status: 'done', xeroId: note.CreditNoteID, xeroNumber: note.CreditNoteNumber }]);
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
}
