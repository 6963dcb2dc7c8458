import { Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { statusIdsByNames, type ConnectorStore, type OpenCartReader, type OpenCartWriter } from '@oc-xero/sync-core';
import { createHmac } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import { constantTimeEquals } from '../common/crypto.util';
import { APP_CONFIG, CONNECTOR_STORE, OPENCART_READER, OPENCART_WRITER } from '../ports/tokens';
import { SettingsService } from '../settings/settings.service';
import { XeroConnectionService } from '../xero/xero-connection.service';

interface XeroWebhookEvent {
  resourceId?: string;
  eventCategory?: string;
  eventType?: string;
  tenantId?: string;
}

/** Trigger of the run record a webhook delivery gets (its log lines need a run; the scheduler ignores these). */
export const WEBHOOK_TRIGGER = 'webhook';
const LEDGER_PAGE = 500;

/**
 * Xero webhooks: the signature is base64(HMAC-SHA256(raw body, webhook key)); a bad one is a 401
 * (Xero's intent-to-receive check sends bad ones on purpose). We answer at once and work after,
 * because Xero wants the answer within 5 seconds.
 */
@Injectable()
export class XeroWebhookService {
  private readonly logger = new Logger(XeroWebhookService.name);
  /** The work behind the last accepted delivery (tests and shutdown wait on it). */
  pending: Promise<void> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONNECTOR_STORE) private readonly store: ConnectorStore,
    @Inject(OPENCART_READER) private readonly reader: OpenCartReader,
    @Inject(OPENCART_WRITER) private readonly writer: OpenCartWriter,
    private readonly settings: SettingsService,
    private readonly xero: XeroConnectionService,
  ) {}

  verify(rawBody: Buffer | undefined, signature: unknown): void {
    const key = this.config.xero.webhookKey;
    if (!key) {
      this.logger.warn('A Xero webhook arrived but XERO_WEBHOOK_KEY is not set: refused.');
      throw new UnauthorizedException('Webhooks are not configured.');
    }
    const expected = createHmac('sha256', key).update(rawBody ?? Buffer.alloc(0)).digest('base64');
    if (typeof signature !== 'string' || !constantTimeEquals(signature, expected)) throw new UnauthorizedException('Bad signature.');
  }

  receive(rawBody: Buffer | undefined, signature: unknown): void {
    this.verify(rawBody, signature);
    let events: XeroWebhookEvent[] = [];
    try {
      const body = JSON.parse((rawBody ?? Buffer.alloc(0)).toString('utf8')) as { events?: XeroWebhookEvent[] };
      events = Array.isArray(body.events) ? body.events : [];
    } catch {
      this.logger.warn('A signed Xero webhook had a body that is not JSON: ignored.');
    }
    if (events.length === 0) return; // intent to receive
    const previous = this.pending;
    this.pending = previous.then(() => this.process(events)).catch((e: Error) => this.logger.error(`Webhook processing failed: ${e.message}`));
  }

  /** "Invoice paid in Xero" → an OpenCart order history entry with the configured status. */
  private async process(events: XeroWebhookEvent[]): Promise<void> {
    const { markPaidStatus, enabled } = await this.settings.runtime();
    if (!markPaidStatus) return;
    if (!enabled) {
      // Xero still gets its 200 (it would otherwise retry and then drop the subscription); nothing changes in OpenCart.
      this.logger.warn('A Xero webhook arrived while the connector is switched off (setting "Status"): no order was changed.');
      return;
    }
    const tenantId = await this.xero.tenantId();
    const invoiceIds = [...new Set(events.filter((e) => e.eventCategory === 'INVOICE' && e.tenantId === tenantId && e.resourceId).map((e) => e.resourceId!))];
    if (invoiceIds.length === 0) return;
    const run = await this.store.startRun({ scope: this.config.scope, kind: 'orders', trigger: WEBHOOK_TRIGGER, dryRun: false });
    const counts = { invoices: invoiceIds.length, ordersUpdated: 0, failed: 0 };
    try {
      await this.applyPaid(run.id, invoiceIds, markPaidStatus, counts);
      await this.store.finishRun(run.id, 'completed', counts);
    } catch (e) {
      await this.store.finishRun(run.id, 'failed', counts, (e as Error).message);
      throw e;
    }
  }

  private async applyPaid(runId: string, invoiceIds: string[], markPaidStatus: string, counts: { ordersUpdated: number; failed: number }): Promise<void> {
    const log = (level: 'info' | 'warn' | 'error', entityId: string, status: string, message: string) =>
      this.store.appendLog([{ runId, level, entityType: entityId ? 'order' : '', entityId, status, message }]);
    const [statusId] = statusIdsByNames([markPaidStatus], await this.reader.listOrderStatuses());
    if (statusId === undefined) {
      await log('warn', '', 'failed', `The status "${markPaidStatus}" (settings markPaidStatus) does not exist in OpenCart: no order was changed.`);
      return;
    }
    const xero = await this.xero.gateway();
    for (const invoiceId of invoiceIds) {
      // One bad invoice never stops the others.
      try {
        const invoice = await xero.getInvoice(invoiceId);
        if (!invoice || invoice.Status !== 'PAID') continue;
        const orderId = await this.orderOfInvoice(invoiceId);
        if (orderId === null) continue; // not one of ours
        const order = await this.reader.getOrder(orderId);
        if (!order || order.orderStatusId === statusId) continue; // already there: deliveries repeat
        await this.writer.addOrderHistory({ orderId, orderStatusId: statusId, comment: `Paid in Xero (invoice ${invoice.InvoiceNumber}).`, notify: false });
        counts.ordersUpdated++;
        await log('info', String(orderId), 'paid', `Invoice ${invoice.InvoiceNumber} was paid in Xero: order set to "${markPaidStatus}".`);
      } catch (e) {
        counts.failed++;
        await log('error', '', 'failed', `Could not apply the Xero payment of invoice ${invoiceId}: ${(e as Error).message}`);
      }
    }
  }

  private async orderOfInvoice(invoiceId: string): Promise<number | null> {
    let afterKey: string | undefined;
    for (;;) {
      const rows = await this.store.listLedger(this.config.scope, { entityType: 'invoice', status: 'done', limit: LEDGER_PAGE, afterKey });
      const hit = rows.find((r) => r.xeroId === invoiceId);
      if (hit) {
        const m = /^order:(\d+)$/.exec(hit.entityKey);
        return m ? Number(m[1]) : null;
      }
      if (rows.length < LEDGER_PAGE) return null;
      afterKey = rows[rows.length - 1].entityKey;
    }
  }
}
