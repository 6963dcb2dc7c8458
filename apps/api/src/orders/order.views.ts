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
/** The engine's preview: OpenCart vs Xero, per order (drafts are Xero's own payload shapes). */
export const orderPreviewView = z.object({
  count: z.number().int(),
  worstDifference: money,
  failures: z.array(z.object({ orderId: z.number().int(), reason: z.string() })),
  orders: z.array(
    z
      .object({
        orderId: z.number().int(),
        action: z.enum(['export', 'remove', 'refund', 'skip']),
        outcome: z.string(),
        reason: z.string().optional(),
        invoiceNumber: z.string().optional(),
        contact: z.record(z.string(), z.unknown()).optional(),
        invoice: z.record(z.string(), z.unknown()).optional().describe('the invoice draft sent to Xero, with its LineItems'),
        payment: z.record(z.string(), z.unknown()).nullable().optional(),
        creditNote: z.record(z.string(), z.unknown()).optional(),
        expected: z.record(z.string(), z.unknown()).optional().describe("OpenCart's figures in the order currency"),
        xeroTotals: z.record(z.string(), z.unknown()).optional().describe('what Xero will compute'),
        difference: money.optional().describe('Xero total − OpenCart total'),
        roundingAdjustment: z.string().optional(),
        warnings: z.array(z.string()).optional(),
      })
      .catchall(z.unknown()),
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
