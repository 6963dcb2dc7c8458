/**
 * The Xero port: what sync-core needs from one connected Xero organisation.
 * Implemented by packages/xero-client (over xero-node), bound to one tenant.
 * Drafts use Xero's own JSON field names, so a preview shows exactly what is sent.
 * Every method throws SyncError (see errors.ts) for whole-call failures; batch methods return
 * per-element results in input order instead of throwing for element-level failures.
 */
import type { SyncErrorKind } from '../errors';

/** Result for one element of a batch, in the order the elements were given. */
export type BatchElementResult<T> =
  | { ok: true; value: T; warnings: string[] }
  | { ok: false; kind: SyncErrorKind; errors: string[] };

/** Xero address (POBOX = postal/billing, STREET = delivery). */
export interface XeroAddressDraft {
  AddressType: 'POBOX' | 'STREET';
  AddressLine1?: string;
  AddressLine2?: string;
  City?: string;
  Region?: string;
  PostalCode?: string;
  Country?: string;
  AttentionTo?: string;
}

/** A contact to create or update (Xero Contact element). */
export interface XeroContactDraft {
  /** Set to update an existing contact. */
  ContactID?: string;
  /** Our key for the OpenCart customer (≤50). */
  ContactNumber?: string;
  /** Unique among active contacts (≤255). */
  Name: string;
  FirstName?: string;
  LastName?: string;
  EmailAddress?: string;
  Addresses?: XeroAddressDraft[];
  Phones?: Array<{ PhoneType: 'DEFAULT' | 'MOBILE'; PhoneNumber: string }>;
  IsCustomer?: boolean;
}

/** A contact as Xero holds it. */
export interface XeroContact {
  ContactID: string;
  ContactNumber?: string;
  Name: string;
  EmailAddress?: string;
  ContactStatus?: string;
}

/** An item to create or update (Xero Item element). */
export interface XeroItemDraft {
  /** ≤30, unique. */
  Code: string;
  /** ≤50. */
  Name: string;
  /** ≤4000. */
  Description?: string;
  IsSold?: boolean;
  IsPurchased?: boolean;
  SalesDetails?: { UnitPrice?: number; AccountCode?: string; TaxType?: string };
  PurchaseDetails?: { UnitPrice?: number; AccountCode?: string; COGSAccountCode?: string; TaxType?: string };
  /** Set (with PurchaseDetails.COGSAccountCode) to make the item tracked. */
  InventoryAssetAccountCode?: string;
}

/** An item as Xero holds it. */
export interface XeroItem {
  ItemID: string;
  Code: string;
  Name?: string;
  IsTrackedAsInventory?: boolean;
  /** Only for tracked items. */
  QuantityOnHand?: number;
}

/** An invoice line (Xero LineItem). */
export interface XeroLineItemDraft {
  Description: string;
  Quantity: number;
  /** Up to 4 dp (we always send unitdp=4). */
  UnitAmount: number;
  AccountCode?: string;
  ItemCode?: string;
  TaxType?: string;
  /** Set only to force a line's tax; normally Xero computes it. */
  TaxAmount?: number;
  DiscountRate?: number;
  Tracking?: Array<{ Name: string; Option: string }>;
}

/** An ACCREC invoice (or, for opening stock, an ACCPAY bill) to create (Xero Invoice element). */
export interface XeroInvoiceDraft {
  Type: 'ACCREC' | 'ACCPAY';
  Contact: { ContactID?: string; ContactNumber?: string; Name?: string };
  InvoiceNumber: string;
  Reference?: string;
  /** YYYY-MM-DD. */
  Date: string;
  /** YYYY-MM-DD. */
  DueDate: string;
  Status: 'DRAFT' | 'SUBMITTED' | 'AUTHORISED';
  LineAmountTypes: 'Exclusive' | 'Inclusive' | 'NoTax';
  CurrencyCode?: string;
  /** Units of CurrencyCode per one unit of the organisation's base currency. */
  CurrencyRate?: number;
  LineItems: XeroLineItemDraft[];
}

/**
 * The new content of an invoice Xero already holds (POST /Invoices with its InvoiceID): lines,
 * totals, dates and status replace what it holds. Xero allows it for DRAFT, SUBMITTED and
 * AUTHORISED invoices without payments or credit notes; a status only moves forward
 * (DRAFT → SUBMITTED → AUTHORISED).
 */
export type XeroInvoiceUpdate = XeroInvoiceDraft & { InvoiceID: string };

/** An invoice as Xero holds it, with the totals Xero computed. */
export interface XeroInvoice {
  InvoiceID: string;
  InvoiceNumber: string;
  Status: string;
  CurrencyCode?: string;
  SubTotal: number;
  TotalTax: number;
  Total: number;
  AmountDue: number;
  AmountPaid: number;
  /** Credit notes (and prepayments/overpayments) applied, when Xero returned it. */
  AmountCredited?: number;
  /** The invoice's contact, when Xero returned it (adoption compares it). */
  Contact?: { ContactID: string; Name?: string };
  /** Payments applied, when Xero returned them. */
  Payments?: Array<{ PaymentID: string; Amount: number }>;
  /** Credit notes allocated, when Xero returned them. */
  CreditNotes?: Array<{ CreditNoteID: string; CreditNoteNumber?: string; Total?: number; AppliedAmount?: number }>;
}

/** Options of createInvoices. */
export interface CreateInvoicesOptions {
  /** Send Xero's allowBackorders=true. */
  allowBackorders?: boolean;
}

/** A purchase document that moves stock, reduced to what stock needs. */
export interface XeroStockDocument {
  /** InvoiceID or CreditNoteID. */
  id: string;
  /** InvoiceNumber / CreditNoteNumber ('' when none). */
  number: string;
  /** ACCPAY (adds stock) or ACCPAYCREDIT (takes it away). */
  type: 'ACCPAY' | 'ACCPAYCREDIT';
  status: string;
  /** Lines with an item code. */
  lines: Array<{ itemCode: string; quantity: number }>;
}

/** A payment to apply to an invoice (Xero Payment element). */
export interface XeroPaymentDraft {
  Invoice: { InvoiceID: string };
  Account: { Code?: string; AccountID?: string };
  /** YYYY-MM-DD. */
  Date: string;
  /** In the invoice currency. */
  Amount: number;
  CurrencyRate?: number;
  Reference?: string;
}

/**
 * A refund (Xero: "refund a credit note"): money paid back out of a bank account against a credit
 * note (Xero Payment element with CreditNote instead of Invoice). The credit note becomes PAID;
 * the invoice keeps its own payment.
 */
export interface XeroRefundPaymentDraft {
  CreditNote: { CreditNoteID: string };
  /** The account the money goes out of: where the order's payment came in. */
  Account: { Code?: string; AccountID?: string };
  /** YYYY-MM-DD. */
  Date: string;
  /** In the credit note's currency; at most its remaining credit. */
  Amount: number;
  CurrencyRate?: number;
  Reference?: string;
}

/** A payment as Xero holds it. */
export interface XeroPayment {
  PaymentID: string;
  Amount: number;
  Status?: string;
  InvoiceID?: string;
  /** Set for a refund payment (against a credit note). */
  CreditNoteID?: string;
  /** Matched to a bank statement line: Xero will not delete it. */
  IsReconciled?: boolean;
}

/** An ACCRECCREDIT credit note to create. */
export interface XeroCreditNoteDraft {
  Type: 'ACCRECCREDIT';
  Contact: { ContactID: string };
  CreditNoteNumber: string;
  Reference?: string;
  Date: string;
  Status: 'DRAFT' | 'SUBMITTED' | 'AUTHORISED';
  LineAmountTypes: 'Exclusive' | 'Inclusive' | 'NoTax';
  CurrencyCode?: string;
  CurrencyRate?: number;
  LineItems: XeroLineItemDraft[];
}

/** A credit note as Xero holds it. */
export interface XeroCreditNote {
  CreditNoteID: string;
  CreditNoteNumber: string;
  Status: string;
  Total: number;
  RemainingCredit?: number;
  /** Refund payments made against it, when Xero returned them. */
  Payments?: Array<{ PaymentID: string; Amount: number }>;
}

/** The organisation's facts the mapping depends on. */
export interface XeroOrganisation {
  OrganisationID?: string;
  Name: string;
  BaseCurrency: string;
  CountryCode?: string;
  /** e.g. 'UK', 'NZ', 'AU'. */
  Version?: string;
}

/** An account of the chart of accounts. */
export interface XeroAccount {
  AccountID: string;
  Code?: string;
  Name: string;
  /** BANK, REVENUE, SALES, OTHERINCOME, EXPENSE, DIRECTCOSTS, CURRLIAB, CURRENT, INVENTORY, … */
  Type: string;
  Status?: string;
  TaxType?: string;
  EnablePaymentsToAccount?: boolean;
  CurrencyCode?: string;
}

/** A tax rate of the organisation. */
export interface XeroTaxRate {
  Name: string;
  TaxType: string;
  /** Effective rate in percent. */
  EffectiveRate: number;
  Status?: string;
  CanApplyToRevenue?: boolean;
}

/** A currency enabled in the organisation. */
export interface XeroCurrency {
  Code: string;
  Description?: string;
}

/** A tracking category with its options. */
export interface XeroTrackingCategory {
  TrackingCategoryID: string;
  Name: string;
  Status?: string;
  Options: Array<{ TrackingOptionID: string; Name: string; Status?: string }>;
}

/** API usage seen by this client so far (for summaries and the dashboard). */
export interface XeroUsage {
  /** HTTP calls made to the accounting API, retries included. */
  calls: number;
  /** Calls by "METHOD /Endpoint". */
  callsByEndpoint: Record<string, number>;
  /** X-MinLimit-Remaining of the last response, when known. */
  minuteRemaining?: number;
  /** X-DayLimit-Remaining of the last response, when known. */
  dayRemaining?: number;
}

/**
 * One HTTP exchange with Xero, as the adapter saw it (for the Debug setting). Adapters leave out
 * the Authorization header; the run log redacts again (redactXeroExchange) before writing.
 */
export interface XeroExchange {
  /** GET, PUT, POST… */
  method: string;
  /** URL without the query string. */
  url: string;
  /** Query string parameters. */
  query?: Record<string, string>;
  /** Request headers (never Authorization). */
  requestHeaders?: Record<string, string>;
  /** Request body as sent (JSON text), when there was one. */
  requestBody?: string;
  /** HTTP status; 0 when no answer came (network error, timeout). */
  status: number;
  /** Response headers. */
  responseHeaders?: Record<string, string>;
  /** Response body as received (text), when there was one. */
  responseBody?: string;
  /** Time from request to answer. */
  durationMs: number;
  /** Error code when no answer came (ECONNRESET, ECONNABORTED…). */
  errorCode?: string;
}

/** One connected Xero organisation. */
export interface XeroPort {
  /**
   * Optional: tell `listener` about every HTTP exchange from now on (the Debug setting logs them).
   * Returns the function that stops it.
   */
  onExchange?(listener: (exchange: XeroExchange) => void): () => void;

  getOrganisation(): Promise<XeroOrganisation>;
  listAccounts(): Promise<XeroAccount[]>;
  listTaxRates(): Promise<XeroTaxRate[]>;
  listCurrencies(): Promise<XeroCurrency[]>;
  listTrackingCategories(): Promise<XeroTrackingCategory[]>;

  /** Create or update contacts in batches of ≤50 (summarizeErrors=false). */
  saveContacts(contacts: XeroContactDraft[]): Promise<BatchElementResult<XeroContact>[]>;
  /** Look contacts up by ContactNumber (missing ones are left out). */
  findContactsByNumbers(numbers: string[]): Promise<XeroContact[]>;
  /** Look active contacts up by exact Name (missing ones are left out). */
  findContactsByNames(names: string[]): Promise<XeroContact[]>;
  /** Look active contacts up by email address. */
  findContactsByEmails(emails: string[]): Promise<XeroContact[]>;

  /** Create or update items by Code in batches of ≤50. */
  saveItems(items: XeroItemDraft[]): Promise<BatchElementResult<XeroItem>[]>;
  /** Every item (GET /Items has no paging). */
  listItems(): Promise<XeroItem[]>;

  /**
   * Create invoices in batches of ≤50 with unitdp=4 and summarizeErrors=false. allowBackorders
   * (Xero's query parameter) lets tracked lines take the quantity on hand below zero.
   */
  createInvoices(invoices: XeroInvoiceDraft[], options?: CreateInvoicesOptions): Promise<BatchElementResult<XeroInvoice>[]>;
  /**
   * Every AUTHORISED/PAID purchase document (ACCPAY bills, ACCPAYCREDIT credit notes) with its
   * tracked-item lines: what was bought or adjusted in Xero (stock sync brings only that back).
   */
  listPurchaseDocuments(): Promise<XeroStockDocument[]>;
  /**
   * Update invoices Xero holds (POST /Invoices, each with its InvoiceID) in batches of ≤50 with
   * unitdp=4 and summarizeErrors=false; per-element answers as createInvoices.
   */
  updateInvoices(invoices: XeroInvoiceUpdate[]): Promise<BatchElementResult<XeroInvoice>[]>;
  /** Look invoices up by InvoiceNumber, any status (missing ones are left out). */
  findInvoicesByNumbers(numbers: string[]): Promise<XeroInvoice[]>;
  /** One invoice with its payments and credit notes, null when absent. */
  getInvoice(invoiceId: string): Promise<XeroInvoice | null>;
  /** DRAFT/SUBMITTED → DELETED, AUTHORISED (no payments) → VOIDED. */
  setInvoiceStatus(invoiceId: string, status: 'DELETED' | 'VOIDED'): Promise<XeroInvoice>;

  /** Create payments in batches of ≤50. */
  createPayments(payments: XeroPaymentDraft[]): Promise<BatchElementResult<XeroPayment>[]>;
  /** Pay credit notes out (refund payments against credit notes) in batches of ≤50. */
  createRefundPayments(refunds: XeroRefundPaymentDraft[]): Promise<BatchElementResult<XeroPayment>[]>;
  /** Delete (Status DELETED) one payment. */
  deletePayment(paymentId: string): Promise<void>;

  /** Create credit notes in batches of ≤50. */
  createCreditNotes(notes: XeroCreditNoteDraft[]): Promise<BatchElementResult<XeroCreditNote>[]>;
  /** Look credit notes up by number. */
  findCreditNotesByNumbers(numbers: string[]): Promise<XeroCreditNote[]>;
  /** Allocate a credit note to an invoice. */
  allocateCreditNote(creditNoteId: string, invoiceId: string, amount: number, date: string): Promise<void>;

  /** Calls made and quota seen so far. */
  usage(): XeroUsage;
}
