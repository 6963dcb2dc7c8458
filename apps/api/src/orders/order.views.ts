import { z } from 'zod';
import { ORDER_STATES } from './order-state.repository';

const sync = z.object({
  status: z.string().describe('ledger status of the invoice: done, failed, pending, removed, conflict, or "not synced"'),
  invoiceNumber: z.string().nullable(),
  xeroId: z.string().nullable(),
  xeroUrl: z.string().nullable().describe('the invoice in Xero (deep link by InvoiceID)'),
  error: z.string().nullable(),
  updatedAt: z.string().nullable(),
});

export const orderStatusItem = z.object({
  orderId: z.number().int(),
  state: z.enum(ORDER_STATES),
  marked: z.boolean(),
  needsAttention: z.boolean().describe('a conflict, or a failure that stopped retrying on its own: the merchant must act (then sync the order again)'),
  attention: z.string().nullable().describe('what needs the merchant and what to do, when needsAttention'),
  sync,
});

export const orderListItem = orderStatusItem.extend({
  storeId: z.number().int(),
  storeName: z.string(),
  customer: z.string(),
  email: z.string(),
  currencyCode: z.string().describe('the currency the customer paid in'),
  currencyValue: z.string().describe('rate from the store currency at order time'),
  total: z.string().describe('order total in the ORDER currency (2 dp)'),
  storeTotal: z.string().describe('order total in the store default currency, as OpenCart stores it (4 dp)'),
  orderStatusId: z.number().int(),
  orderStatus: z.string(),
  dateAdded: z.string().describe('store local time'),
  dateModified: z.string().describe('store local time'),
});

export const orderListView = z.object({
  items: z.array(orderListItem),
  total: z.number().int().describe('orders matching the filters'),
  page: z.number().int(),
  limit: z.number().int(),
});
export const orderStatusView = z.object({ items: z.array(orderStatusItem).describe('one per requested id that is an order of the store') });
export const syncStartedView = z.object({ runId: z.string() });
export const syncQueuedView = z.object({
  queued: z.array(z.number().int()),
  waiting: z.array(z.number().int()).describe('every order waiting for the next queued run'),
  startsAt: z.string().describe('when the queued run starts (ISO); later calls before it join it'),
});
export const markedView = z.object({ marked: z.array(z.number().int()) });
export const unmarkedView = z.object({ unmarked: z.array(z.number().int()) });
const money = z.string().describe('order currency, 2 dp');
// The engine's Xero payloads (sync-core ports/xero.port.ts), as Xero's own element shapes.
const xeroLineItem = z.object({
  Description: z.string(),
  Quantity: z.number(),
  UnitAmount: z.number().describe('up to 4 dp'),
  AccountCode: z.string().optional(),
  ItemCode: z.string().optional(),
  TaxType: z.string().optional(),
  TaxAmount: z.number().optional(),
  DiscountRate: z.number().optional(),
  Tracking: z.array(z.object({ Name: z.string(), Option: z.string() })).optional(),
});
const xeroContactDraft = z.object({
  ContactID: z.string().optional(),
  ContactNumber: z.string().optional(),
  Name: z.string(),
  FirstName: z.string().optional(),
  LastName: z.string().optional(),
  EmailAddress: z.string().optional(),
  Addresses: z
    .array(
      z.object({
        AddressType: z.enum(['POBOX', 'STREET']),
        AddressLine1: z.string().optional(),
        AddressLine2: z.string().optional(),
        City: z.string().optional(),
        Region: z.string().optional(),
        PostalCode: z.string().optional(),
        Country: z.string().optional(),
        AttentionTo: z.string().optional(),
      }),
    )
    .optional(),
  Phones: z.array(z.object({ PhoneType: z.enum(['DEFAULT', 'MOBILE']), PhoneNumber: z.string() })).optional(),
  IsCustomer: z.boolean().optional(),
});
const lineAmountTypes = z.enum(['Exclusive', 'Inclusive', 'NoTax']);
const documentStatus = z.enum(['DRAFT', 'SUBMITTED', 'AUTHORISED']);
const xeroInvoiceDraft = z.object({
  Type: z.literal('ACCREC'),
  Contact: z.object({ ContactID: z.string().optional(), ContactNumber: z.string().optional(), Name: z.string().optional() }),
  InvoiceNumber: z.string(),
  Reference: z.string().optional(),
  Date: z.string().describe('YYYY-MM-DD'),
  DueDate: z.string().describe('YYYY-MM-DD'),
  Status: documentStatus,
  LineAmountTypes: lineAmountTypes,
  CurrencyCode: z.string().optional(),
  CurrencyRate: z.number().optional().describe("units of CurrencyCode per unit of the organisation's base currency"),
  LineItems: z.array(xeroLineItem),
});
const xeroPaymentDraft = z.object({
  Invoice: z.object({ InvoiceID: z.string() }),
  Account: z.object({ Code: z.string().optional(), AccountID: z.string().optional() }),
  Date: z.string().describe('YYYY-MM-DD'),
  Amount: z.number().describe('in the invoice currency'),
  CurrencyRate: z.number().optional(),
  Reference: z.string().optional(),
});
const xeroCreditNoteDraft = z.object({
  Type: z.literal('ACCRECCREDIT'),
  Contact: z.object({ ContactID: z.string() }),
  CreditNoteNumber: z.string(),
  Reference: z.string().optional(),
  Date: z.string().describe('YYYY-MM-DD'),
  Status: documentStatus,
  LineAmountTypes: lineAmountTypes,
  CurrencyCode: z.string().optional(),
  CurrencyRate: z.number().optional(),
  LineItems: z.array(xeroLineItem),
});
/** The engine's preview: OpenCart vs Xero, per order (drafts are Xero's own payload shapes). */
export const orderPreviewView = z.object({
  count: z.number().int(),
  worstDifference: money,
  failures: z.array(z.object({ orderId: z.number().int(), reason: z.string() })),
  orders: z.array(
    z.object({
      orderId: z.number().int(),
      action: z.enum(['export', 'remove', 'refund', 'skip']),
      outcome: z.string().describe('exported, unchanged, paid, would-export, failed, removed, conflict, refunded, skipped…'),
      reason: z.string().optional(),
      invoiceNumber: z.string().optional(),
      contact: xeroContactDraft.optional(),
      invoice: xeroInvoiceDraft.optional().describe('the invoice draft sent to Xero, with its LineItems'),
      payment: xeroPaymentDraft.nullable().optional(),
      creditNote: xeroCreditNoteDraft.optional(),
      expected: z.object({ total: money, tax: money, currency: z.string() }).optional().describe("OpenCart's figures in the order currency"),
      xeroTotals: z.object({ subTotal: money, tax: money, total: money }).optional().describe('what Xero will compute'),
      difference: money.optional().describe('Xero total − OpenCart total'),
      roundingAdjustment: z.string().optional(),
      warnings: z.array(z.string()).optional(),
    }),
  ),
});
export const markedCountView = z.object({ marked: z.number().int().describe('orders newly marked') });
const ledgerDoc = z
  .object({ status: z.string(), number: z.string().nullable(), xeroId: z.string().nullable(), error: z.string().nullable(), updatedAt: z.string().nullable() })
  .nullable();
/** GET /api/orders/:id: the order page's Xero panel. Totals of Xero vs OpenCart come from the preview. */
export const orderDetailView = orderListItem.extend({
  payment: ledgerDoc.describe('the payment booked for the order, null when none'),
  creditNote: ledgerDoc.describe('the refund credit note, null when none'),
  removal: ledgerDoc.describe('the void/delete of the invoice, null when none'),
  log: z.array(z.object({ runId: z.string(), level: z.enum(['debug', 'info', 'warn', 'error']), status: z.string(), message: z.string(), createdAt: z.string().nullable() })).describe('latest 20 log lines of the order'),
});

const amount = z.string().describe('invoice currency, 2 dp');
/** GET /api/orders/:id/xero: what Xero holds for the order (the ledger's records + one Xero read). */
export const orderXeroView = z.object({
  orderId: z.number().int(),
  currencyCode: z.string(),
  opencartTotal: money.describe("the order's OpenCart total in the order currency"),
  ledger: z.object({ invoice: ledgerDoc, payment: ledgerDoc, creditNote: ledgerDoc }).describe('what the connector recorded'),
  invoice: z
    .object({
      invoiceId: z.string(),
      number: z.string(),
      status: z.string().describe("Xero's status: DRAFT, SUBMITTED, AUTHORISED, PAID, VOIDED, DELETED"),
      currencyCode: z.string(),
      total: amount.describe('the total Xero posted'),
      amountPaid: amount,
      amountDue: amount,
      difference: amount.describe('Xero total − OpenCart total'),
      url: z.string(),
    })
    .nullable()
    .describe('null when the order has no invoice in the ledger, or Xero could not be read (see xeroError)'),
  payments: z.array(z.object({ paymentId: z.string(), amount, url: z.string().describe("the invoice's page, where Xero shows its payments") })),
  creditNotes: z.array(z.object({ creditNoteId: z.string(), number: z.string().nullable(), total: amount.nullable(), applied: amount.nullable().describe('allocated to this invoice'), url: z.string() })),
  xeroError: z.string().nullable().describe('why Xero could not be read; the ledger part still answers'),
});
