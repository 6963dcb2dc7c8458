import Decimal from 'decimal.js';
import { SyncError, SyncErrorKind } from '../errors';
import type {
  BatchElementResult,
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
  XeroPayment,
  XeroPaymentDraft,
  XeroPort,
  XeroRefundPaymentDraft,
  XeroTaxRate,
  XeroTrackingCategory,
  XeroUsage,
  CreateInvoicesOptions,
  XeroStockDocument,
} from '../ports/xero.port';
import { computeXeroTotals } from './xero-arithmetic';

/** The calls a fault can be injected into. */
export type FakeXeroMethod =
  | 'saveContacts'
  | 'findContactsByNumbers'
  | 'saveItems'
  | 'listItems'
  | 'createInvoices'
  | 'listPurchaseDocuments'
  | 'updateInvoices'
  | 'findInvoicesByNumbers'
  | 'getInvoice'
  | 'setInvoiceStatus'
  | 'createPayments'
  | 'deletePayment'
  | 'createRefundPayments'
  | 'createCreditNotes'
  | 'findCreditNotesByNumbers'
  | 'allocateCreditNote';

const WRITES: ReadonlySet<FakeXeroMethod> = new Set([
  'saveContacts',
  'saveItems',
  'createInvoices',
  'updateInvoices',
  'setInvoiceStatus',
  'createPayments',
  'deletePayment',
  'createRefundPayments',
  'createCreditNotes',
  'allocateCreditNote',
]);

/**
 * A whole-call fault. `before`: the call fails and nothing is applied (a refused connection).
 * `after`: Xero applies the call, then the answer is lost (a timeout after the write) — the case
 * that makes duplicates when a client simply retries.
 */
export interface FakeXeroFault {
  method: FakeXeroMethod;
  mode: 'before' | 'after';
  kind?: SyncErrorKind;
  /** How many calls it hits (default 1). */
  times?: number;
}

/** Decides an element-level refusal: return a Xero-like message to refuse, null to accept. */
export type ElementRejector = (method: 'saveContacts' | 'saveItems' | 'createInvoices' | 'updateInvoices' | 'createPayments' | 'createRefundPayments' | 'createCreditNotes', element: unknown) => string | null;

interface StoredContact extends XeroContact {
  draft: XeroContactDraft;
}
interface StoredInvoice {
  InvoiceID: string;
  draft: XeroInvoiceDraft;
  Status: string;
  SubTotal: number;
  TotalTax: number;
  Total: number;
  AmountPaid: number;
  AmountCredited: number;
  paymentIds: string[];
  creditNoteIds: string[];
}
interface StoredPayment extends XeroPayment {
  InvoiceID: string;
  AccountCode: string;
  Date: string;
  Status: 'AUTHORISED' | 'DELETED';
}
interface StoredCreditNote extends XeroCreditNote {
  draft: XeroCreditNoteDraft;
}
/** A refund payment: money out of an account against a credit note. */
interface StoredRefund extends XeroPayment {
  CreditNoteID: string;
  AccountCode: string;
  Date: string;
}

/** A deterministic PRNG (mulberry32), so a "20% faults" test is reproducible. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BATCH = 50;
const money = (n: Decimal.Value): number => new Decimal(n).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();

/**
 * An in-memory Xero organisation that keeps state between calls, computes totals with Xero's
 * per-line rounding, enforces the rules the use cases depend on (unique numbers and names,
 * payments only on AUTHORISED invoices up to the amount due, void only without payments) and can
 * inject element refusals, whole-call failures and "applied but the answer was lost" faults.
 */
export class FakeXeroPort implements XeroPort {
  organisation: XeroOrganisation;
  accounts: XeroAccount[];
  taxRates: XeroTaxRate[];
  currencies: XeroCurrency[];
  readonly contacts = new Map<string, StoredContact>();
  readonly items = new Map<string, XeroItem & { draft: XeroItemDraft }>();
  readonly invoices = new Map<string, StoredInvoice>();
  readonly payments = new Map<string, StoredPayment>();
  readonly creditNotes = new Map<string, StoredCreditNote>();
  /** Refund payments against credit notes, by PaymentID. */
  readonly refunds = new Map<string, StoredRefund>();
  /** Every call as "method" in order, for assertions on batching. */
  readonly callLog: Array<{ method: FakeXeroMethod | string; size: number }> = [];

  private seq = 0;
  private calls = 0;
  private readonly byEndpoint: Record<string, number> = {};
  private queuedFaults: FakeXeroFault[] = [];
  private random: { rate: number; next: () => number; methods: Set<FakeXeroMethod> | null } | null = null;
  private rejector: ElementRejector | null = null;

  constructor(init: { organisation: XeroOrganisation; accounts: XeroAccount[]; taxRates: XeroTaxRate[]; currencies?: XeroCurrency[] }) {
    this.organisation = init.organisation;
    this.accounts = init.accounts;
    this.taxRates = init.taxRates;
    this.currencies = init.currencies ?? [{ Code: init.organisation.BaseCurrency }];
  }

  // ---- fault control -------------------------------------------------------------------------

  /** Queue a fault for the next matching call(s). */
  injectFault(fault: FakeXeroFault): void {
    this.queuedFaults.push({ ...fault, times: fault.times ?? 1 });
  }

  /** Fail a share of calls at random (seeded): writes half before, half after applying; reads before. */
  setRandomFaults(options: { rate: number; seed: number; methods?: FakeXeroMethod[] } | null): void {
    this.random = options ? { rate: options.rate, next: seededRandom(options.seed), methods: options.methods ? new Set(options.methods) : null } : null;
  }

  /** Refuse elements of batch calls (null to stop). */
  setElementRejector(rejector: ElementRejector | null): void {
    this.rejector = rejector;
  }

  private decideFault(method: FakeXeroMethod): FakeXeroFault | null {
    const i = this.queuedFaults.findIndex((f) => f.method === method);
    if (i >= 0) {
      const fault = this.queuedFaults[i];
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) this.queuedFaults.splice(i, 1);
      return fault;
    }
    if (this.random && (!this.random.methods || this.random.methods.has(method))) {
      if (this.random.next() < this.random.rate) {
        const mode = WRITES.has(method) && this.random.next() < 0.5 ? 'after' : 'before';
        return { method, mode, kind: 'transient' };
      }
    }
    return null;
  }

  private faultError(fault: FakeXeroFault): SyncError {
    const kind = fault.kind ?? 'transient';
    const what = fault.mode === 'after' ? 'the request timed out after it was sent' : 'Xero could not be reached';
    return new SyncError(kind, `${fault.method}: ${what} (injected)`);
  }

  /** Runs one HTTP-call-equivalent: counts it, applies faults around the action. */
  private call<T>(method: FakeXeroMethod, endpoint: string, size: number, action: () => T): T {
    this.calls += 1;
    this.byEndpoint[endpoint] = (this.byEndpoint[endpoint] ?? 0) + 1;
    this.callLog.push({ method, size });
    const fault = this.decideFault(method);
    if (fault && fault.mode === 'before') throw this.faultError(fault);
    const result = action();
    if (fault && fault.mode === 'after') throw this.faultError(fault);
    return result;
  }

  /** Splits a batch into calls of ≤50 like the real port; a fault stops the remaining chunks. */
  private batched<I, O>(method: FakeXeroMethod, endpoint: string, elements: I[], apply: (element: I) => O): O[] {
    const out: O[] = [];
    for (let i = 0; i < elements.length; i += BATCH) {
      const chunk = elements.slice(i, i + BATCH);
      out.push(...this.call(method, endpoint, chunk.length, () => chunk.map(apply)));
    }
    return out;
  }

  private id(prefix: string): string {
    this.seq += 1;
    return `${prefix}-${String(this.seq).padStart(8, '0')}-0000-0000-0000-000000000000`;
  }

  private reject<T>(method: Parameters<ElementRejector>[0], element: unknown): BatchElementResult<T> | null {
    const message = this.rejector?.(method, element) ?? null;
    return message ? { ok: false, kind: 'validation', errors: [message] } : null;
  }

  // ---- reads of the organisation -----------------------------------------------------------

  async getOrganisation(): Promise<XeroOrganisation> {
    return this.settingsRead('GET /Organisation', () => ({ ...this.organisation }));
  }
  async listAccounts(): Promise<XeroAccount[]> {
    return this.settingsRead('GET /Accounts', () => this.accounts.map((a) => ({ ...a })));
  }
  async listTaxRates(): Promise<XeroTaxRate[]> {
    return this.settingsRead('GET /TaxRates', () => this.taxRates.map((t) => ({ ...t })));
  }
  async listCurrencies(): Promise<XeroCurrency[]> {
    return this.settingsRead('GET /Currencies', () => this.currencies.map((c) => ({ ...c })));
  }
  async listTrackingCategories(): Promise<XeroTrackingCategory[]> {
    return this.settingsRead('GET /TrackingCategories', () => []);
  }

  /** Reads of the organisation's settings: counted, never faulted (a run reads them once). */
  private settingsRead<T>(endpoint: string, read: () => T): T {
    this.calls += 1;
    this.byEndpoint[endpoint] = (this.byEndpoint[endpoint] ?? 0) + 1;
    this.callLog.push({ method: endpoint, size: 0 });
    return read();
  }

  // ---- contacts ----------------------------------------------------------------------------

  async saveContacts(contacts: XeroContactDraft[]): Promise<BatchElementResult<XeroContact>[]> {
    return this.batched('saveContacts', 'POST /Contacts', contacts, (draft) => this.saveContact(draft));
  }

  private saveContact(draft: XeroContactDraft): BatchElementResult<XeroContact> {
    const refused = this.reject<XeroContact>('saveContacts', draft);
    if (refused) return refused;
    const errors: string[] = [];
    if (!draft.Name || draft.Name.length > 255) errors.push('Contact Name must be 1 to 255 characters.');
    if (draft.ContactNumber && draft.ContactNumber.length > 50) errors.push('ContactNumber must not exceed 50 characters.');
    const clash = [...this.contacts.values()].find(
      (c) => c.ContactStatus === 'ACTIVE' && c.Name.toLowerCase() === draft.Name?.toLowerCase() && c.ContactID !== draft.ContactID,
    );
    if (clash) errors.push('The contact name ' + draft.Name + ' is already assigned to another contact. The contact name must be unique across all active contacts.');
    if (draft.ContactID && !this.contacts.has(draft.ContactID)) errors.push('Contact not found.');
    if (errors.length) return { ok: false, kind: 'validation', errors };
    const ContactID = draft.ContactID ?? this.id('contact');
    const stored: StoredContact = {
      ContactID,
      ContactNumber: draft.ContactNumber,
      Name: draft.Name,
      EmailAddress: draft.EmailAddress,
      ContactStatus: 'ACTIVE',
      draft: { ...draft, ContactID },
    };
    this.contacts.set(ContactID, stored);
    return { ok: true, value: this.publicContact(stored), warnings: [] };
  }

  private publicContact(c: StoredContact): XeroContact {
    return { ContactID: c.ContactID, ContactNumber: c.ContactNumber, Name: c.Name, EmailAddress: c.EmailAddress, ContactStatus: c.ContactStatus };
  }

  async findContactsByNumbers(numbers: string[]): Promise<XeroContact[]> {
    const wanted = new Set(numbers);
    const chunks = Math.max(1, Math.ceil(numbers.length / BATCH));
    let out: XeroContact[] = [];
    for (let i = 0; i < chunks; i++) {
      out = this.call('findContactsByNumbers', 'GET /Contacts', 0, () =>
        [...this.contacts.values()].filter((c) => c.ContactNumber && wanted.has(c.ContactNumber)).map((c) => this.publicContact(c)),
      );
    }
    return out;
  }

  async findContactsByNames(names: string[]): Promise<XeroContact[]> {
    const wanted = new Set(names.map((n) => n.toLowerCase()));
    return this.call('findContactsByNumbers', 'GET /Contacts', 0, () =>
      [...this.contacts.values()].filter((c) => c.ContactStatus === 'ACTIVE' && wanted.has(c.Name.toLowerCase())).map((c) => this.publicContact(c)),
    );
  }

  async findContactsByEmails(emails: string[]): Promise<XeroContact[]> {
    const wanted = new Set(emails.map((n) => n.toLowerCase()));
    return this.call('findContactsByNumbers', 'GET /Contacts', 0, () =>
      [...this.contacts.values()]
        .filter((c) => c.ContactStatus === 'ACTIVE' && c.EmailAddress && wanted.has(c.EmailAddress.toLowerCase()))
        .map((c) => this.publicContact(c)),
    );
  }

  // ---- items -------------------------------------------------------------------------------

  async saveItems(items: XeroItemDraft[]): Promise<BatchElementResult<XeroItem>[]> {
    return this.batched('saveItems', 'POST /Items', items, (draft) => this.saveItem(draft));
  }

  private saveItem(draft: XeroItemDraft): BatchElementResult<XeroItem> {
    const refused = this.reject<XeroItem>('saveItems', draft);
    if (refused) return refused;
    const errors: string[] = [];
    if (!draft.Code || draft.Code.length > 30) errors.push('Item Code must be 1 to 30 characters.');
    if (!draft.Name || draft.Name.length > 50) errors.push('Item Name must be 1 to 50 characters.');
    if (errors.length) return { ok: false, kind: 'validation', errors };
    const existing = this.items.get(draft.Code);
    const tracked = Boolean(draft.InventoryAssetAccountCode && draft.PurchaseDetails?.COGSAccountCode);
    const item = {
      ItemID: existing?.ItemID ?? this.id('item'),
      Code: draft.Code,
      Name: draft.Name,
      IsTrackedAsInventory: tracked,
      QuantityOnHand: tracked ? (existing?.QuantityOnHand ?? 0) : undefined,
      draft,
    };
    this.items.set(draft.Code, item);
    const { draft: _d, ...value } = item;
    return { ok: true, value, warnings: [] };
  }

  async listItems(): Promise<XeroItem[]> {
    return this.call('listItems', 'GET /Items', 0, () => [...this.items.values()].map(({ draft: _d, ...item }) => ({ ...item })));
  }

  /** Test helper: set a tracked item's quantity on hand (in Xero it moves through transactions). */
  setQuantityOnHand(code: string, quantity: number): void {
    const item = this.items.get(code);
    if (!item) throw new Error(`no item ${code}`);
    item.QuantityOnHand = quantity;
  }

  // ---- invoices ----------------------------------------------------------------------------

  /** The allowBackorders flag of each createInvoices call, in call order. */
  readonly backorderFlags: boolean[] = [];

  async createInvoices(invoices: XeroInvoiceDraft[], options: CreateInvoicesOptions = {}): Promise<BatchElementResult<XeroInvoice>[]> {
    this.backorderFlags.push(Boolean(options.allowBackorders));
    return this.batched('createInvoices', 'PUT /Invoices', invoices, (draft) => this.createInvoice(draft, Boolean(options.allowBackorders)));
  }

  /** Tracked-item quantities an authorised document moves (ACCREC takes stock away, ACCPAY adds it). */
  private stockDelta(draft: XeroInvoiceDraft): Map<string, number> {
    const delta = new Map<string, number>();
    if (draft.Status !== 'AUTHORISED') return delta;
    const sign = draft.Type === 'ACCPAY' ? 1 : -1;
    for (const line of draft.LineItems) {
      const item = line.ItemCode ? this.items.get(line.ItemCode) : undefined;
      if (!item?.IsTrackedAsInventory) continue;
      delta.set(item.Code, (delta.get(item.Code) ?? 0) + sign * line.Quantity);
    }
    return delta;
  }

  async listPurchaseDocuments(): Promise<XeroStockDocument[]> {
    return this.call('listPurchaseDocuments', 'GET /Invoices', 0, () =>
      [...this.invoices.values()]
        .filter((i) => i.draft.Type === 'ACCPAY' && (i.Status === 'AUTHORISED' || i.Status === 'PAID'))
        .map((i) => ({
          id: i.InvoiceID,
          number: i.draft.InvoiceNumber,
          type: 'ACCPAY' as const,
          status: i.Status,
          lines: i.draft.LineItems.filter((l) => l.ItemCode).map((l) => ({ itemCode: l.ItemCode!, quantity: l.Quantity })),
        })),
    );
  }

  private resolveContact(contact: { ContactID?: string; ContactNumber?: string; Name?: string }): StoredContact | undefined {
    if (contact.ContactID) return this.contacts.get(contact.ContactID);
    return [...this.contacts.values()].find((c) => (contact.ContactNumber && c.ContactNumber === contact.ContactNumber) || (contact.Name && c.Name === contact.Name));
  }

  private checkLines(lines: XeroInvoiceDraft['LineItems'], errors: string[]): void {
    if (!lines.length) errors.push('At least one line item is required.');
    for (const line of lines) {
      if (line.AccountCode && !this.accounts.some((a) => a.Code === line.AccountCode)) errors.push(`Account code '${line.AccountCode}' is not a valid code for this document.`);
      if (line.TaxType && !this.taxRates.some((t) => t.TaxType === line.TaxType)) errors.push(`The TaxType code '${line.TaxType}' does not exist or cannot be used.`);
      if (line.Description.length > 4000) errors.push('Description must not exceed 4000 characters.');
    }
  }

  private createInvoice(draft: XeroInvoiceDraft, allowBackorders = false): BatchElementResult<XeroInvoice> {
    const refused = this.reject<XeroInvoice>('createInvoices', draft);
    if (refused) return refused;
    const errors: string[] = [];
    // Xero creates the contact named on a bill; sales invoices here must name a known one.
    if (!this.resolveContact(draft.Contact) && draft.Type === 'ACCPAY' && draft.Contact.Name) {
      const id = this.id('contact');
      this.contacts.set(id, { ContactID: id, Name: draft.Contact.Name, ContactStatus: 'ACTIVE', draft: { Name: draft.Contact.Name } } as StoredContact);
    }
    if (!this.resolveContact(draft.Contact)) errors.push('The contact could not be found.');
    if (draft.Type !== 'ACCPAY' && [...this.invoices.values()].some((i) => i.draft.InvoiceNumber === draft.InvoiceNumber && i.Status !== 'DELETED')) errors.push('Invoice # must be unique.');
    this.checkLines(draft.LineItems, errors);
    const delta = this.stockDelta(draft);
    if (!allowBackorders) {
      for (const [code, d] of delta) {
        const onHand = this.items.get(code)?.QuantityOnHand ?? 0;
        if (d < 0 && onHand + d < 0) errors.push(`The quantity on hand for item '${code}' would fall below zero. Send allowBackorders=true to allow it.`);
      }
    }
    if (errors.length) return { ok: false, kind: 'validation', errors };
    for (const [code, d] of delta) {
      const item = this.items.get(code)!;
      item.QuantityOnHand = (item.QuantityOnHand ?? 0) + d;
    }
    const totals = computeXeroTotals(draft, this.taxRates);
    const stored: StoredInvoice = {
      InvoiceID: this.id('invoice'),
      draft: JSON.parse(JSON.stringify(draft)) as XeroInvoiceDraft,
      Status: draft.Status,
      SubTotal: totals.SubTotal,
      TotalTax: totals.TotalTax,
      Total: totals.Total,
      AmountPaid: 0,
      AmountCredited: 0,
      paymentIds: [],
      creditNoteIds: [],
    };
    this.invoices.set(stored.InvoiceID, stored);
    return { ok: true, value: this.publicInvoice(stored), warnings: [] };
  }

  async updateInvoices(invoices: XeroInvoiceUpdate[]): Promise<BatchElementResult<XeroInvoice>[]> {
    return this.batched('updateInvoices', 'POST /Invoices', invoices, (draft) => this.updateInvoice(draft));
  }

  /** Xero's rules for POST /Invoices with an InvoiceID (as the sandbox holds them). */
  private updateInvoice(update: XeroInvoiceUpdate): BatchElementResult<XeroInvoice> {
    const refused = this.reject<XeroInvoice>('updateInvoices', update);
    if (refused) return refused;
    const i = this.invoices.get(update.InvoiceID);
    if (!i) return { ok: false, kind: 'validation', errors: ['The document with the supplied id was not found for this endpoint.'] };
    if (i.Status === 'VOIDED' || i.Status === 'DELETED') return { ok: false, kind: 'validation', errors: ['Invoice not of valid status for modification'] };
    if (i.Status === 'PAID' || i.AmountPaid > 0 || i.AmountCredited > 0)
      return { ok: false, kind: 'validation', errors: ['This document cannot be edited as it has a payment or credit note allocated to it.'] };
    const order = ['DRAFT', 'SUBMITTED', 'AUTHORISED'];
    if (order.indexOf(update.Status) < order.indexOf(i.Status))
      return { ok: false, kind: 'validation', errors: [`An invoice with status ${i.Status} cannot be changed to status ${update.Status}.`] };
    const errors: string[] = [];
    if (!this.resolveContact(update.Contact)) errors.push('The contact could not be found.');
    if ([...this.invoices.values()].some((o) => o.InvoiceID !== i.InvoiceID && o.draft.InvoiceNumber === update.InvoiceNumber && o.Status !== 'DELETED')) errors.push('Invoice # must be unique.');
    this.checkLines(update.LineItems, errors);
    if (errors.length) return { ok: false, kind: 'validation', errors };
    const { InvoiceID: _id, ...draft } = update;
    const totals = computeXeroTotals(draft, this.taxRates);
    i.draft = JSON.parse(JSON.stringify(draft)) as XeroInvoiceDraft;
    i.Status = draft.Status;
    i.SubTotal = totals.SubTotal;
    i.TotalTax = totals.TotalTax;
    i.Total = totals.Total;
    this.settle(i);
    return { ok: true, value: this.publicInvoice(i), warnings: [] };
  }

  private publicInvoice(i: StoredInvoice): XeroInvoice {
    const payments = i.paymentIds.map((id) => this.payments.get(id)!).filter((p) => p.Status !== 'DELETED');
    return {
      InvoiceID: i.InvoiceID,
      InvoiceNumber: i.draft.InvoiceNumber,
      Status: i.Status,
      CurrencyCode: i.draft.CurrencyCode ?? this.organisation.BaseCurrency,
      SubTotal: i.SubTotal,
      TotalTax: i.TotalTax,
      Total: i.Total,
      AmountDue: money(new Decimal(i.Total).minus(i.AmountPaid).minus(i.AmountCredited)),
      AmountPaid: i.AmountPaid,
      AmountCredited: i.AmountCredited,
      ...(this.resolveContact(i.draft.Contact) ? { Contact: { ContactID: this.resolveContact(i.draft.Contact)!.ContactID, Name: this.resolveContact(i.draft.Contact)!.Name } } : {}),
      Payments: payments.map((p) => ({ PaymentID: p.PaymentID, Amount: p.Amount })),
      CreditNotes: i.creditNoteIds.map((id) => ({ CreditNoteID: id, Total: this.creditNotes.get(id)?.Total })),
    };
  }

  private amountDue(i: StoredInvoice): Decimal {
    return new Decimal(i.Total).minus(i.AmountPaid).minus(i.AmountCredited);
  }

  private settle(i: StoredInvoice): void {
    if (i.Status === 'AUTHORISED' || i.Status === 'PAID') i.Status = this.amountDue(i).lte(0) ? 'PAID' : 'AUTHORISED';
  }

  async findInvoicesByNumbers(numbers: string[]): Promise<XeroInvoice[]> {
    const wanted = new Set(numbers);
    const chunks = Math.max(1, Math.ceil(numbers.length / BATCH));
    let out: XeroInvoice[] = [];
    for (let c = 0; c < chunks; c++) {
      out = this.call('findInvoicesByNumbers', 'GET /Invoices', 0, () =>
        [...this.invoices.values()].filter((i) => wanted.has(i.draft.InvoiceNumber)).map((i) => this.publicInvoice(i)),
      );
    }
    return out;
  }

  async getInvoice(invoiceId: string): Promise<XeroInvoice | null> {
    return this.call('getInvoice', 'GET /Invoices/{id}', 0, () => {
      const i = this.invoices.get(invoiceId);
      return i ? this.publicInvoice(i) : null;
    });
  }

  async setInvoiceStatus(invoiceId: string, status: 'DELETED' | 'VOIDED'): Promise<XeroInvoice> {
    return this.call('setInvoiceStatus', 'POST /Invoices/{id}', 1, () => {
      const i = this.invoices.get(invoiceId);
      if (!i) throw new SyncError('validation', 'Invoice not found.');
      if (status === 'DELETED' && !['DRAFT', 'SUBMITTED'].includes(i.Status))
        throw new SyncError('validation', `Invoice ${i.draft.InvoiceNumber} is ${i.Status}; only DRAFT or SUBMITTED invoices can be deleted.`);
      if (status === 'VOIDED') {
        if (i.Status !== 'AUTHORISED') throw new SyncError('validation', `Invoice ${i.draft.InvoiceNumber} is ${i.Status}; only AUTHORISED invoices can be voided.`);
        if (i.AmountPaid > 0 || i.AmountCredited > 0)
          throw new SyncError('validation', 'Invoice not of valid status for modification: it has payments or credit notes allocated.');
      }
      if (status === 'VOIDED') {
        for (const [code, d] of this.stockDelta(i.draft)) {
          const item = this.items.get(code);
          if (item) item.QuantityOnHand = (item.QuantityOnHand ?? 0) - d;
        }
      }
      i.Status = status;
      return this.publicInvoice(i);
    });
  }

  // ---- payments ----------------------------------------------------------------------------

  async createPayments(payments: XeroPaymentDraft[]): Promise<BatchElementResult<XeroPayment>[]> {
    return this.batched('createPayments', 'PUT /Payments', payments, (draft) => this.createPayment(draft));
  }

  private createPayment(draft: XeroPaymentDraft): BatchElementResult<XeroPayment> {
    const refused = this.reject<XeroPayment>('createPayments', draft);
    if (refused) return refused;
    const invoice = this.invoices.get(draft.Invoice.InvoiceID);
    const account = this.accounts.find((a) => (draft.Account.Code && a.Code === draft.Account.Code) || (draft.Account.AccountID && a.AccountID === draft.Account.AccountID));
    const errors: string[] = [];
    if (!invoice) errors.push('Invoice could not be found.');
    else if (invoice.Status !== 'AUTHORISED') errors.push(`Payment can only be applied to AUTHORISED invoices (invoice is ${invoice.Status}).`);
    else if (new Decimal(draft.Amount).gt(this.amountDue(invoice))) errors.push('Payment amount exceeds the amount outstanding on this document.');
    if (!account) errors.push('Account could not be found.');
    else if (account.Type !== 'BANK' && !account.EnablePaymentsToAccount) errors.push(`Account ${account.Code} does not accept payments.`);
    if (!(draft.Amount > 0)) errors.push('Payment amount must be greater than zero.');
    if (errors.length || !invoice || !account) return { ok: false, kind: 'validation', errors };
    const payment: StoredPayment = {
      PaymentID: this.id('payment'),
      Amount: draft.Amount,
      Status: 'AUTHORISED',
      InvoiceID: invoice.InvoiceID,
      AccountCode: account.Code ?? '',
      Date: draft.Date,
    };
    this.payments.set(payment.PaymentID, payment);
    invoice.paymentIds.push(payment.PaymentID);
    invoice.AmountPaid = money(new Decimal(invoice.AmountPaid).plus(draft.Amount));
    this.settle(invoice);
    return { ok: true, value: { PaymentID: payment.PaymentID, Amount: payment.Amount, Status: payment.Status, InvoiceID: payment.InvoiceID }, warnings: [] };
  }

  async createRefundPayments(refunds: XeroRefundPaymentDraft[]): Promise<BatchElementResult<XeroPayment>[]> {
    return this.batched('createRefundPayments', 'PUT /Payments', refunds, (draft) => this.createRefund(draft));
  }

  private createRefund(draft: XeroRefundPaymentDraft): BatchElementResult<XeroPayment> {
    const refused = this.reject<XeroPayment>('createRefundPayments', draft);
    if (refused) return refused;
    const note = this.creditNotes.get(draft.CreditNote.CreditNoteID);
    const account = this.accounts.find((a) => (draft.Account.Code && a.Code === draft.Account.Code) || (draft.Account.AccountID && a.AccountID === draft.Account.AccountID));
    const errors: string[] = [];
    if (!note) errors.push('Credit note could not be found.');
    else if (note.Status !== 'AUTHORISED') errors.push(`Payments can only be made against Authorised documents; this credit note is ${note.Status}.`);
    else if (new Decimal(draft.Amount).gt(note.RemainingCredit ?? 0)) errors.push('Payment amount exceeds the amount outstanding on this document.');
    if (!account) errors.push('Account could not be found.');
    else if (account.Type !== 'BANK' && !account.EnablePaymentsToAccount) errors.push(`Account ${account.Code} does not accept payments.`);
    if (!(draft.Amount > 0)) errors.push('Payment amount must be greater than zero.');
    if (errors.length || !note || !account) return { ok: false, kind: 'validation', errors };
    const refund: StoredRefund = { PaymentID: this.id('refund'), Amount: draft.Amount, Status: 'AUTHORISED', CreditNoteID: note.CreditNoteID, AccountCode: account.Code ?? '', Date: draft.Date };
    this.refunds.set(refund.PaymentID, refund);
    note.RemainingCredit = money(new Decimal(note.RemainingCredit ?? 0).minus(draft.Amount));
    note.Payments = [...(note.Payments ?? []), { PaymentID: refund.PaymentID, Amount: refund.Amount }];
    if (note.RemainingCredit === 0) note.Status = 'PAID';
    return { ok: true, value: { PaymentID: refund.PaymentID, Amount: refund.Amount, Status: refund.Status, CreditNoteID: refund.CreditNoteID }, warnings: [] };
  }

  /** Test helper: the bookkeeper matches a payment to a bank statement line; Xero will not delete it after. */
  reconcilePayment(paymentId: string): void {
    const payment = this.payments.get(paymentId);
    if (!payment) throw new Error(`no payment ${paymentId}`);
    payment.IsReconciled = true;
  }

  async deletePayment(paymentId: string): Promise<void> {
    return this.call('deletePayment', 'POST /Payments/{id}', 1, () => {
      const payment = this.payments.get(paymentId);
      if (!payment || payment.Status === 'DELETED') throw new SyncError('validation', 'Payment not found or already deleted.');
      if (payment.IsReconciled) throw new SyncError('validation', 'This payment has been reconciled and cannot be deleted; unreconcile it in Xero first.');
      const invoice = this.invoices.get(payment.InvoiceID)!;
      payment.Status = 'DELETED';
      invoice.AmountPaid = money(new Decimal(invoice.AmountPaid).minus(payment.Amount));
      if (invoice.Status === 'PAID') invoice.Status = 'AUTHORISED';
      this.settle(invoice);
    });
  }

  /** Test helper: someone records a payment in Xero by hand (not through the connector). */
  addExternalPayment(invoiceNumber: string, amount: number, accountCode: string): string {
    const invoice = [...this.invoices.values()].find((i) => i.draft.InvoiceNumber === invoiceNumber);
    if (!invoice) throw new Error(`no invoice ${invoiceNumber}`);
    const result = this.createPayment({ Invoice: { InvoiceID: invoice.InvoiceID }, Account: { Code: accountCode }, Date: '2024-01-01', Amount: amount });
    if (!result.ok) throw new Error(result.errors.join('; '));
    return result.value.PaymentID;
  }

  // ---- credit notes ------------------------------------------------------------------------

  async createCreditNotes(notes: XeroCreditNoteDraft[]): Promise<BatchElementResult<XeroCreditNote>[]> {
    return this.batched('createCreditNotes', 'PUT /CreditNotes', notes, (draft) => this.createCreditNote(draft));
  }

  private createCreditNote(draft: XeroCreditNoteDraft): BatchElementResult<XeroCreditNote> {
    const refused = this.reject<XeroCreditNote>('createCreditNotes', draft);
    if (refused) return refused;
    const errors: string[] = [];
    if (!this.contacts.has(draft.Contact.ContactID)) errors.push('The contact could not be found.');
    if ([...this.creditNotes.values()].some((c) => c.CreditNoteNumber === draft.CreditNoteNumber && c.Status !== 'DELETED')) errors.push('Credit Note # must be unique.');
    this.checkLines(draft.LineItems, errors);
    if (errors.length) return { ok: false, kind: 'validation', errors };
    const totals = computeXeroTotals(draft, this.taxRates);
    const note: StoredCreditNote = {
      CreditNoteID: this.id('credit'),
      CreditNoteNumber: draft.CreditNoteNumber,
      Status: draft.Status,
      Total: totals.Total,
      RemainingCredit: totals.Total,
      draft: JSON.parse(JSON.stringify(draft)) as XeroCreditNoteDraft,
    };
    this.creditNotes.set(note.CreditNoteID, note);
    const { draft: _d, ...value } = note;
    return { ok: true, value, warnings: [] };
  }

  async findCreditNotesByNumbers(numbers: string[]): Promise<XeroCreditNote[]> {
    const wanted = new Set(numbers);
    return this.call('findCreditNotesByNumbers', 'GET /CreditNotes', 0, () =>
      [...this.creditNotes.values()].filter((c) => wanted.has(c.CreditNoteNumber)).map(({ draft: _d, ...c }) => ({ ...c })),
    );
  }

  async allocateCreditNote(creditNoteId: string, invoiceId: string, amount: number, _date: string): Promise<void> {
    return this.call('allocateCreditNote', 'PUT /CreditNotes/{id}/Allocations', 1, () => {
      const note = this.creditNotes.get(creditNoteId);
      const invoice = this.invoices.get(invoiceId);
      if (!note || !invoice) throw new SyncError('validation', 'Credit note or invoice not found.');
      if (note.Status !== 'AUTHORISED') throw new SyncError('validation', `Credit note ${note.CreditNoteNumber} is ${note.Status}; only AUTHORISED credit notes can be allocated.`);
      if (invoice.Status !== 'AUTHORISED') throw new SyncError('validation', `Invoice ${invoice.draft.InvoiceNumber} is ${invoice.Status}; a credit note can only be allocated to an AUTHORISED invoice.`);
      if (new Decimal(amount).gt(note.RemainingCredit ?? 0) || new Decimal(amount).gt(this.amountDue(invoice)))
        throw new SyncError('validation', 'The amount allocated exceeds the remaining credit or the amount due.');
      note.RemainingCredit = money(new Decimal(note.RemainingCredit ?? 0).minus(amount));
      if (note.RemainingCredit === 0) note.Status = 'PAID';
      invoice.AmountCredited = money(new Decimal(invoice.AmountCredited).plus(amount));
      invoice.creditNoteIds.push(creditNoteId);
      this.settle(invoice);
    });
  }

  // ---- usage and inspection ----------------------------------------------------------------

  usage(): XeroUsage {
    return { calls: this.calls, callsByEndpoint: { ...this.byEndpoint } };
  }

  /** The organisation's books without generated ids, to compare two runs' end states. */
  snapshot(): {
    contacts: Array<{ number?: string; name: string; status?: string }>;
    invoices: Array<{ number: string; status: string; total: number; tax: number; paid: number; credited: number; contact?: string }>;
    payments: Array<{ invoice: string; amount: number; account: string; status: string }>;
    creditNotes: Array<{ number: string; status: string; total: number; remaining?: number }>;
    refunds: Array<{ creditNote: string; amount: number; account: string }>;
    items: Array<{ code: string; name?: string; tracked?: boolean }>;
  } {
    const numberOf = (invoiceId: string) => this.invoices.get(invoiceId)?.draft.InvoiceNumber ?? '?';
    const by = <T>(key: (t: T) => string) => (a: T, b: T) => key(a).localeCompare(key(b));
    return {
      contacts: [...this.contacts.values()].map((c) => ({ number: c.ContactNumber, name: c.Name, status: c.ContactStatus })).sort(by((c) => `${c.number}|${c.name}`)),
      invoices: [...this.invoices.values()]
        .map((i) => ({
          number: i.draft.InvoiceNumber,
          status: i.Status,
          total: i.Total,
          tax: i.TotalTax,
          paid: i.AmountPaid,
          credited: i.AmountCredited,
          contact: this.contacts.get(i.draft.Contact.ContactID ?? '')?.ContactNumber,
        }))
        .sort(by((i) => i.number)),
      payments: [...this.payments.values()]
        .map((p) => ({ invoice: numberOf(p.InvoiceID), amount: p.Amount, account: p.AccountCode, status: p.Status }))
        .sort(by((p) => `${p.invoice}|${p.status}|${p.amount}`)),
      creditNotes: [...this.creditNotes.values()]
        .map((c) => ({ number: c.CreditNoteNumber, status: c.Status, total: c.Total, remaining: c.RemainingCredit }))
        .sort(by((c) => c.number)),
      refunds: [...this.refunds.values()]
        .map((r) => ({ creditNote: this.creditNotes.get(r.CreditNoteID)?.CreditNoteNumber ?? '?', amount: r.Amount, account: r.AccountCode }))
        .sort(by((r) => `${r.creditNote}|${r.amount}`)),
      items: [...this.items.values()].map((i) => ({ code: i.Code, name: i.Name, tracked: i.IsTrackedAsInventory })).sort(by((i) => i.code)),
    };
  }
}
