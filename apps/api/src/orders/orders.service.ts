import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { ConnectorStore, OpenCartReader, OrderCursor } from '@oc-xero/sync-core';
import type { AppConfig } from '../config/app-config';
import type { SyncEngine } from '../ports/sync-engine.port';
import { APP_CONFIG, CONNECTOR_STORE, OPENCART_READER, SYNC_ENGINE } from '../ports/tokens';
import { RunService } from '../runs/run.service';
import { SettingsService } from '../settings/settings.service';
import { XeroConnectionService } from '../xero/xero-connection.service';

export const xeroInvoiceUrl = (invoiceId: string): string =>
  `https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=${encodeURIComponent(invoiceId)}`;

const encodeCursor = (c: OrderCursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(s: string): OrderCursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as OrderCursor;
    if (typeof c.dateModified === 'string' && Number.isInteger(c.orderId)) return c;
  } catch {
    // fall through: answered below
  }
  throw new BadRequestException({ statusCode: 400, message: 'Bad cursor.', errors: [{ path: 'cursor', message: 'use the nextCursor of the previous page' }] });
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
  ) {}

  /** Orders (every confirmed status) with their sync state, by (date_modified, order_id). */
  async list(q: { limit: number; cursor?: string }) {
    const statuses = await this.reader.listOrderStatuses();
    const names = new Map<number, string>();
    for (const s of statuses) if (!names.has(s.orderStatusId)) names.set(s.orderStatusId, s.name);
    const page = await this.reader.listChangedOrders({
      statusIds: [...names.keys()],
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit: q.limit,
    });
    const ids = page.items.map((o) => o.orderId);
    const [ledger, marked] = await Promise.all([
      this.store.getLedger(this.config.scope, 'invoice', ids.map((id) => `order:${id}`)),
      this.store.getMarkedOrders(this.config.scope, ids),
    ]);
    const byKey = new Map(ledger.map((l) => [l.entityKey, l]));
    const markedSet = new Set(marked);
    return {
      items: page.items.map((o) => {
        const l = byKey.get(`order:${o.orderId}`);
        return {
          orderId: o.orderId,
          storeId: o.storeId,
          customer: `${o.firstname} ${o.lastname}`.trim(),
          email: o.email,
          total: o.total,
          currencyCode: o.currencyCode,
          orderStatusId: o.orderStatusId,
          orderStatus: names.get(o.orderStatusId) ?? '',
          dateAdded: o.dateAdded,
          dateModified: o.dateModified,
          marked: markedSet.has(o.orderId),
          sync: l
            ? { status: l.status, invoiceNumber: l.xeroNumber, xeroId: l.xeroId, xeroUrl: l.xeroId ? xeroInvoiceUrl(l.xeroId) : null, error: l.lastError, updatedAt: l.updatedAt }
            : { status: 'not synced', invoiceNumber: null, xeroId: null, xeroUrl: null, error: null, updatedAt: null },
        };
      }),
      nextCursor: page.next ? encodeCursor(page.next) : null,
    };
  }

  /** What the order would become in Xero; nothing is written. */
  async preview(orderId: number) {
    const order = await this.reader.getOrder(orderId);
    if (!order) throw new NotFoundException(`No order ${orderId} in the store.`);
    const xero = await this.xero.gateway();
    return this.engine.previewOrders({ scope: this.config.scope, settings: await this.settings.current(), orderIds: [orderId], xero });
  }

  /** "Sync now": a run limited to these orders. */
  async syncNow(orderIds: number[]) {
    const outcome = await this.runs.start({ kind: 'orders', dryRun: false, orderIds }, 'manual');
    if (!outcome.started) throw new ConflictException({ statusCode: 409, message: outcome.reason, runningRunId: outcome.runningRunId });
    return { runId: outcome.run.id };
  }

  async mark(orderIds: number[]) {
    await this.store.markOrders(this.config.scope, orderIds);
    return { marked: orderIds };
  }

  async unmark(orderIds: number[]) {
    await this.store.unmarkOrders(this.config.scope, orderIds);
    return { unmarked: orderIds };
  }
}
