import { randomUUID } from 'node:crypto';
import type { AccountingApi } from 'xero-node';
import {
  BatchElementResult,
  CreateInvoicesOptions,
  SyncError,
  XeroAccount,
  XeroContact,
  XeroContactDraft,
  XeroCreditNote,
  XeroCreditNoteDraft,
  XeroCurrency,
  XeroInvoice,
  XeroInvoiceDraft,
  XeroInvoiceUpdate,
  XeroItem,
  XeroItemDraft,
  XeroOrganisation,
  XeroPaymentDraft,
  XeroRefundPaymentDraft,
  XeroPayment,
  XeroPort,
  XeroStockDocument,
  XeroTaxRate,
  XeroTrackingCategory,
  XeroUsage,
  XeroExchange,
  isSyncError,
} from '@oc-xero/sync-core';
import { XeroAuthService } from './xero-auth.service';
import { withXeroHttp, XeroHttpResponseInfo } from './xero-http.context';
import { TenantRateLimiter } from './tenant-rate.limiter';
import { ClientClock, backoffDelayMs, systemClock } from './retry.policy';
import { XeroFailure, explainElementErrors, isRetryable, parseXeroNodeError, rateLimitProblemOf, retryAfterMsOf, toSyncError, validationMessages } from './xero-error.translator';
import { MAX_BATCH, XeroElementModel, chunk, chunkForXero, elementResults, whereClauses } from './xero-batch.util';
import {
  accountOf,
  contactOf,
  creditNoteOf,
  currencyOf,
  invoiceOf,
  itemOf,
  organisationOf,
  paymentOf,
  stockDocumentOf,
  taxRateOf,
  toXeroModel,
  trackingCategoryOf,
} from './xero-model.mapper';

/** Chunks of one batch call sent at once (see batch()). */
const CHUNKS_AT_ONCE = 2;
/** Page size of the purchase document reads. */
const PURCHASE_PAGE = 100;
/** Every invoice status, so a lookup by number also finds deleted and voided ones. */
const ALL_INVOICE_STATUSES = ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID', 'VOIDED', 'DELETED'];
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

export interface XeroGatewayOptions {
  /** Connection scope whose tokens to use. */
  scope: string;
  /** Organisation to act on (xero-tenant-id). */
  tenantId: string;
  /** Organisation name, for messages. */
  tenantName: string;
  clock?: ClientClock;
  /** Jitter source (tests make it deterministic). */
  random?: () => number;
}

interface CallOptions {
  /** Answer null instead of throwing on 404. */
  notFoundNull?: boolean;
}

/**
 * The Xero port for ONE organisation, over xero-node's AccountingApi. Every HTTP call goes
 * through `call`: the tenant's rate limiter, a fresh token, a deadline, retries of 5xx / network
 * errors / timeouts with backoff (writes keep their Idempotency-Key), a 429 that pauses the whole
 * tenant, and translation of anything else into a SyncError.
 */
export class XeroGateway implements XeroPort {
  private readonly api: AccountingApi;
  private readonly limiter: TenantRateLimiter;
  private readonly clock: ClientClock;
  private readonly random: () => number;
  private readonly counts: XeroUsage = { calls: 0, callsByEndpoint: {} };

  constructor(
    private readonly auth: XeroAuthService,
    private readonly options: XeroGatewayOptions,
  ) {
    this.api = auth.createXeroClient().accountingApi;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    const c = auth.config;
    this.limiter = TenantRateLimiter.forTenant(`${c.apiUrl}|${options.tenantId}`, { perMinute: c.perMinute, concurrent: c.concurrent, clock: this.clock });
  }

  /** A gateway for the organisation selected for scope. */
  static async forScope(auth: XeroAuthService, scope: string, extra: Pick<XeroGatewayOptions, 'clock' | 'random'> = {}): Promise<XeroGateway> {
    const tokens = await auth.getAccessToken(scope);
    if (!tokens.tenantId) throw new SyncError('config', 'Xero is connected but no organisation is selected yet; choose one in Settings.');
    return new XeroGateway(auth, { scope, tenantId: tokens.tenantId, tenantName: tokens.tenantName, ...extra });
  }

  private get tenantId(): string {
    return this.options.tenantId;
  }

  private get orgName(): string {
    return this.options.tenantName || 'your Xero organisation';
  }

  private readonly exchangeListeners = new Set<(exchange: XeroExchange) => void>();

  /** Every HTTP exchange of this gateway from now on, until the returned function is called (the Debug setting). */
  onExchange(listener: (exchange: XeroExchange) => void): () => void {
    this.exchangeListeners.add(listener);
    return () => {
      this.exchangeListeners.delete(listener);
    };
  }

  private emitExchange(exchange: XeroExchange): void {
    for (const l of this.exchangeListeners) {
      try {
        l(exchange);
      } catch {
        /* a listener's failure is not the call's */
      }
    }
  }

  usage(): XeroUsage {
    return { ...this.counts, callsByEndpoint: { ...this.counts.callsByEndpoint } };
  }

  private record(info: XeroHttpResponseInfo): void {
    const apiBase = `${this.auth.config.apiUrl}/api.xro/2.0`;
    if (!info.url.startsWith(apiBase)) return;
    const path = info.url.slice(apiBase.length).replace(GUID, '{id}') || '/';
    const key = `${info.method} ${path}`;
    this.counts.calls++;
    this.counts.callsByEndpoint[key] = (this.counts.callsByEndpoint[key] ?? 0) + 1;
    this.limiter.observe(info.headers);
    if (this.limiter.minuteRemaining !== undefined) this.counts.minuteRemaining = this.limiter.minuteRemaining;
    if (this.limiter.dayRemaining !== undefined) this.counts.dayRemaining = this.limiter.dayRemaining;
  }

  /** One logical call, with everything the SDK does not do. */
  private async call<T>(what: string, fn: (api: AccountingApi) => Promise<{ body: T }>, opts: CallOptions = {}): Promise<T | null> {
    const c = this.auth.config;
    let attempt = 0;
    let rateLimitWaits = 0;
    let reauthorised = false;
    for (;;) {
      attempt++;
      let tokenUsed: string | undefined;
      try {
        return await this.limiter.schedule(async () => {
          const tokens = await this.auth.getAccessToken(this.options.scope);
          tokenUsed = tokens.accessToken;
          const ctx = { identityUrl: c.identityUrl, apiUrl: c.apiUrl, timeoutMs: c.timeoutMs, accessToken: tokenUsed, onResponse: (i: XeroHttpResponseInfo) => this.record(i), onExchange: this.exchangeListeners.size ? (x: XeroExchange) => this.emitExchange(x) : undefined };
          const result = await withXeroHttp(ctx, () => fn(this.api));
          return result.body;
        });
      } catch (e) {
        if (isSyncError(e)) throw e;
        const f = parseXeroNodeError(e);
        if (f.status === 401 && !reauthorised && tokenUsed) {
          // Expired or revoked between our check and Xero's: refresh once (unless already done).
          reauthorised = true;
          attempt--;
          await this.auth.getAccessToken(this.options.scope, tokenUsed);
          continue;
        }
        if (f.status === 429) {
          const retryAfterMs = retryAfterMsOf(f) ?? 60_000;
          const problem = rateLimitProblemOf(f);
          this.limiter.pause(retryAfterMs, problem);
          if (problem !== 'day' && retryAfterMs <= c.maxRetryAfterWaitMs && rateLimitWaits < c.maxRateLimitRetries) {
            rateLimitWaits++;
            attempt--;
            continue; // the limiter holds the call until Retry-After has passed
          }
          throw toSyncError(e, { orgName: this.orgName, what });
        }
        if (f.status === 404 && opts.notFoundNull) return null;
        if (isRetryable(f) && attempt < c.maxAttempts) {
          await this.clock.sleep(backoffDelayMs(attempt, c.backoffBaseMs, c.backoffMaxMs, this.random));
          continue;
        }
        throw toSyncError(e, { orgName: this.orgName, what });
      }
    }
  }

  private async mustCall<T>(what: string, fn: (api: AccountingApi) => Promise<{ body: T }>): Promise<T> {
    const body = await this.call(what, fn);
    if (body === null) throw new SyncError('unexpected', `Xero answered nothing while ${what}.`);
    return body;
  }

  /**
   * A batch write in chunks of ≤50 elements and ≤3 MB. Each chunk gets its own Idempotency-Key, reused on its retries.
   * A chunk refused as a whole for validation marks its elements and the next chunks go on; any
   * other whole-chunk failure throws when nothing was written yet, and otherwise marks this and
   * the remaining elements with it (so the results of earlier chunks are not lost).
   */
  private async batch<D, M extends XeroElementModel, T>(
    drafts: readonly D[],
    what: string,
    modelType: string,
    send: (api: AccountingApi, models: M[], idempotencyKey: string) => Promise<{ body: unknown }>,
    extract: (body: unknown) => M[] | undefined,
    toValue: (m: M) => T,
  ): Promise<BatchElementResult<T>[]> {
    const results: BatchElementResult<T>[] = [];
    let stop: SyncError | null = null;
    const parts = chunkForXero(drafts);
    // Chunks go in waves of CHUNKS_AT_ONCE (a page of 100 orders = one wave of two calls of 50), so
    // the wait for Xero's answer is paid once per wave; the client's limiter keeps Xero's 5
    // concurrent and 60/min. A chunk refused as a whole stops the waves after it.
    for (let w = 0; w < parts.length; w += CHUNKS_AT_ONCE) {
      const wave = parts.slice(w, w + CHUNKS_AT_ONCE);
      if (stop) {
        for (const part of wave) results.push(...part.map(() => ({ ok: false as const, kind: stop!.kind, errors: [stop!.message] })));
        continue;
      }
      const answers = await Promise.all(
        wave.map(async (part) => {
          const models = part.map((d) => toXeroModel<M>(d, modelType));
          const idempotencyKey = randomUUID();
          try {
            const body = await this.mustCall(what, (api) => send(api, models, idempotencyKey));
            return { part, ok: elementResults(extract(body), part.length, toValue, this.orgName) };
          } catch (e) {
            const err = toSyncError(e, { orgName: this.orgName, what });
            return { part, ok: this.elementsOfRefusedBatch<T>(err, part.length), err };
          }
        }),
      );
      // Nothing of the first wave answered: the call throws (every element stays pending and is
      // looked up next run).
      if (w === 0 && answers.every((a) => !a.ok)) throw answers[0]!.err!;
      for (const a of answers) {
        if (a.ok) {
          results.push(...a.ok);
          continue;
        }
        stop ??= a.err!;
        results.push(...a.part.map(() => ({ ok: false as const, kind: a.err!.kind, errors: [a.err!.message] })));
      }
    }
    return results;
  }

  /** A 400 for the whole chunk: per element when Xero said which, else all refused alike. */
  private elementsOfRefusedBatch<T>(err: SyncError, count: number): BatchElementResult<T>[] | null {
    if (err.kind !== 'validation' && err.kind !== 'config') return null;
    const body = (err.details.cause as XeroFailure | undefined)?.body;
    const elements = body && typeof body === 'object' ? (body as { Elements?: unknown[] }).Elements : undefined;
    if (Array.isArray(elements) && elements.length === count) {
      return elements.map((el) => {
        const messages = validationMessages({ Elements: [el] });
        if (messages.length === 0) return { ok: false as const, kind: 'transient' as const, errors: ['Not saved: Xero refused the whole batch because of other records; it will be sent again.'] };
        const explained = explainElementErrors(messages, this.orgName);
        return { ok: false as const, kind: explained.kind, errors: explained.errors };
      });
    }
    return Array.from({ length: count }, () => ({ ok: false as const, kind: err.kind, errors: [err.message] }));
  }

  /** GET lookups with ≤50 ids per URL. */
  private async lookup<T>(what: string, clauses: string[], fetch: (api: AccountingApi, clause: string) => Promise<{ body: unknown }>, extract: (body: unknown) => unknown[] | undefined, toValue: (m: unknown) => T): Promise<T[]> {
    const out: T[] = [];
    for (const clause of clauses) {
      const body = await this.mustCall(what, (api) => fetch(api, clause));
      for (const m of extract(body) ?? []) out.push(toValue(m));
    }
    return out;
  }

  // ---- organisation settings ----

  async getOrganisation(): Promise<XeroOrganisation> {
    const body = await this.mustCall('reading the organisation', (api) => api.getOrganisations(this.tenantId));
    const org = body.organisations?.[0];
    if (!org) throw new SyncError('unexpected', 'Xero returned no organisation for this connection.');
    return organisationOf(org);
  }

  async listAccounts(): Promise<XeroAccount[]> {
    const body = await this.mustCall('reading the chart of accounts', (api) => api.getAccounts(this.tenantId));
    return (body.accounts ?? []).map(accountOf);
  }

  async listTaxRates(): Promise<XeroTaxRate[]> {
    const body = await this.mustCall('reading tax rates', (api) => api.getTaxRates(this.tenantId));
    return (body.taxRates ?? []).map(taxRateOf);
  }

  async listCurrencies(): Promise<XeroCurrency[]> {
    const body = await this.mustCall('reading currencies', (api) => api.getCurrencies(this.tenantId));
    return (body.currencies ?? []).map(currencyOf);
  }

  async listTrackingCategories(): Promise<XeroTrackingCategory[]> {
    const body = await this.mustCall('reading tracking categories', (api) => api.getTrackingCategories(this.tenantId));
    return (body.trackingCategories ?? []).map(trackingCategoryOf);
  }

  // ---- contacts ----

  saveContacts(contacts: XeroContactDraft[]): Promise<BatchElementResult<XeroContact>[]> {
    return this.batch(
      contacts,
      'saving contacts',
      'Contact',
      (api, models, key) => api.updateOrCreateContacts(this.tenantId, { contacts: models }, false, key),
      (body) => (body as { contacts?: XeroElementModel[] }).contacts,
      contactOf,
    );
  }

  private findContacts(field: string, values: string[], what: string): Promise<XeroContact[]> {
    return this.lookup(
      what,
      whereClauses(field, values),
      (api, where) => api.getContacts(this.tenantId, undefined, where),
      (body) => (body as { contacts?: unknown[] }).contacts,
      contactOf,
    );
  }

  findContactsByNumbers(numbers: string[]): Promise<XeroContact[]> {
    return this.findContacts('ContactNumber', numbers, 'looking up contacts by number');
  }

  async findContactsByNames(names: string[]): Promise<XeroContact[]> {
    const found = await this.findContacts('Name', names, 'looking up contacts by name');
    return found.filter((c) => !c.ContactStatus || c.ContactStatus === 'ACTIVE');
  }

  async findContactsByEmails(emails: string[]): Promise<XeroContact[]> {
    const found = await this.findContacts('EmailAddress', emails, 'looking up contacts by email');
    return found.filter((c) => !c.ContactStatus || c.ContactStatus === 'ACTIVE');
  }

  // ---- items ----

  saveItems(items: XeroItemDraft[]): Promise<BatchElementResult<XeroItem>[]> {
    return this.batch(
      items,
      'saving items',
      'Item',
      (api, models, key) => api.updateOrCreateItems(this.tenantId, { items: models as never[] }, false, 4, key),
      (body) => (body as { items?: XeroElementModel[] }).items,
      itemOf,
    );
  }

  async listItems(): Promise<XeroItem[]> {
    const body = await this.mustCall('reading items', (api) => api.getItems(this.tenantId, undefined, undefined, undefined, 4));
    return (body.items ?? []).map(itemOf);
  }

  // ---- invoices ----

  createInvoices(invoices: XeroInvoiceDraft[], options: CreateInvoicesOptions = {}): Promise<BatchElementResult<XeroInvoice>[]> {
    // allowBackorders is sent only when asked for (Xero's default is to refuse going below zero).
    const allowBackorders = options.allowBackorders ? true : undefined;
    return this.batch(
      invoices,
      'saving invoices',
      'Invoice',
      (api, models, key) => api.createInvoices(this.tenantId, { invoices: models }, false, 4, key, allowBackorders),
      (body) => (body as { invoices?: XeroElementModel[] }).invoices,
      invoiceOf,
    );
  }

  async listPurchaseDocuments(): Promise<XeroStockDocument[]> {
    const out: XeroStockDocument[] = [];
    // Paged (with pages Xero includes the line items); 100 per page, Xero's default page size.
    for (let page = 1; ; page++) {
      const body = await this.mustCall('reading bills', (api) =>
        api.getInvoices(this.tenantId, undefined, 'Type=="ACCPAY"', undefined, undefined, undefined, undefined, ['AUTHORISED', 'PAID'], page, undefined, undefined, 4, undefined, PURCHASE_PAGE),
      );
      const invoices = body.invoices ?? [];
      out.push(...invoices.map((m) => stockDocumentOf(m, 'Invoice')));
      if (invoices.length < PURCHASE_PAGE) break;
    }
    for (let page = 1; ; page++) {
      const body = await this.mustCall('reading supplier credit notes', (api) =>
        api.getCreditNotes(this.tenantId, undefined, 'Type=="ACCPAYCREDIT" AND (Status=="AUTHORISED" OR Status=="PAID")', undefined, page, 4, PURCHASE_PAGE),
      );
      const notes = body.creditNotes ?? [];
      out.push(...notes.map((m) => stockDocumentOf(m, 'CreditNote')));
      if (notes.length < PURCHASE_PAGE) break;
    }
    return out;
  }

  updateInvoices(invoices: XeroInvoiceUpdate[]): Promise<BatchElementResult<XeroInvoice>[]> {
    return this.batch(
      invoices,
      'updating invoices',
      'Invoice',
      (api, models, key) => api.updateOrCreateInvoices(this.tenantId, { invoices: models }, false, 4, key),
      (body) => (body as { invoices?: XeroElementModel[] }).invoices,
      invoiceOf,
    );
  }

  async findInvoicesByNumbers(numbers: string[]): Promise<XeroInvoice[]> {
    const unique = [...new Set(numbers.filter((n) => n !== ''))];
    const out: XeroInvoice[] = [];
    for (const part of chunk(unique, MAX_BATCH)) {
      const body = await this.mustCall('looking up invoices by number', (api) =>
        api.getInvoices(this.tenantId, undefined, undefined, undefined, undefined, part, undefined, ALL_INVOICE_STATUSES, undefined, undefined, undefined, 4),
      );
      out.push(...(body.invoices ?? []).map(invoiceOf));
    }
    return out;
  }

  async getInvoice(invoiceId: string): Promise<XeroInvoice | null> {
    const body = await this.call('reading an invoice', (api) => api.getInvoice(this.tenantId, invoiceId, 4), { notFoundNull: true });
    const invoice = body?.invoices?.[0];
    return invoice ? invoiceOf(invoice) : null;
  }

  async setInvoiceStatus(invoiceId: string, status: 'DELETED' | 'VOIDED'): Promise<XeroInvoice> {
    const models = toXeroModel<{ invoices: never[] }>({ Invoices: [{ InvoiceID: invoiceId, Status: status }] }, 'Invoices');
    const key = randomUUID();
    const body = await this.mustCall(status === 'VOIDED' ? 'voiding an invoice' : 'deleting an invoice', (api) => api.updateInvoice(this.tenantId, invoiceId, models, 4, key));
    const invoice = body.invoices?.[0];
    if (!invoice) throw new SyncError('unexpected', 'Xero answered the status change without the invoice.');
    const [result] = elementResults([invoice as XeroElementModel], 1, invoiceOf, this.orgName);
    if (!result.ok) throw new SyncError(result.kind, `Xero refused to set the invoice to ${status}: ${result.errors.join(' ')}`, { messages: result.errors });
    return result.value;
  }

  // ---- payments ----

  createPayments(payments: XeroPaymentDraft[]): Promise<BatchElementResult<XeroPayment>[]> {
    return this.batch(
      payments,
      'saving payments',
      'Payment',
      (api, models, key) => api.createPayments(this.tenantId, { payments: models }, false, key),
      (body) => (body as { payments?: XeroElementModel[] }).payments,
      paymentOf,
    );
  }

  /** Refunds are Payments too: the element names a CreditNote instead of an Invoice. */
  createRefundPayments(refunds: XeroRefundPaymentDraft[]): Promise<BatchElementResult<XeroPayment>[]> {
    return this.batch(
      refunds,
      'saving refund payments',
      'Payment',
      (api, models, key) => api.createPayments(this.tenantId, { payments: models }, false, key),
      (body) => (body as { payments?: XeroElementModel[] }).payments,
      paymentOf,
    );
  }

  async deletePayment(paymentId: string): Promise<void> {
    const key = randomUUID();
    await this.mustCall('deleting a payment', (api) => api.deletePayment(this.tenantId, paymentId, toXeroModel({ Status: 'DELETED' }, 'PaymentDelete'), key));
  }

  // ---- credit notes ----

  createCreditNotes(notes: XeroCreditNoteDraft[]): Promise<BatchElementResult<XeroCreditNote>[]> {
    return this.batch(
      notes,
      'saving credit notes',
      'CreditNote',
      (api, models, key) => api.createCreditNotes(this.tenantId, { creditNotes: models }, false, 4, key),
      (body) => (body as { creditNotes?: XeroElementModel[] }).creditNotes,
      creditNoteOf,
    );
  }

  findCreditNotesByNumbers(numbers: string[]): Promise<XeroCreditNote[]> {
    return this.lookup(
      'looking up credit notes by number',
      whereClauses('CreditNoteNumber', numbers),
      (api, where) => api.getCreditNotes(this.tenantId, undefined, where, undefined, undefined, 4),
      (body) => (body as { creditNotes?: unknown[] }).creditNotes,
      creditNoteOf,
    );
  }

  async allocateCreditNote(creditNoteId: string, invoiceId: string, amount: number, date: string): Promise<void> {
    const allocations = toXeroModel<{ allocations: XeroElementModel[] }>({ Allocations: [{ Invoice: { InvoiceID: invoiceId }, Amount: amount, Date: date }] }, 'Allocations');
    const key = randomUUID();
    const body = await this.mustCall('allocating a credit note', (api) => api.createCreditNoteAllocation(this.tenantId, creditNoteId, allocations as never, false, key));
    const [result] = elementResults((body as { allocations?: XeroElementModel[] }).allocations, 1, () => undefined, this.orgName);
    if (!result.ok) throw new SyncError(result.kind, `Xero refused the credit note allocation: ${result.errors.join(' ')}`, { messages: result.errors });
  }
}
