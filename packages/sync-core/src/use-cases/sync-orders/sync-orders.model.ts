/** The shapes of an order sync: its dependencies, how a run is asked for, what it answers, its state. */
import type { ContactPlan } from '../../mapping/customer-to-contact.mapper';
import type { OrderMappingContext } from '../../mapping/mapping-context';
import type { InvoicePlan } from '../../mapping/order-to-invoice.mapper';
import type { LedgerPort } from '../../ledger/ledger.port';
import type { LedgerSession } from '../../ledger/write-once.protocol';
import type { CheckpointPort } from '../../ports/checkpoint.port';
import type { OrderMarkPort } from '../../ports/order-mark.port';
import type { ProductOverridePort } from '../../ports/product-override.port';
import type { SettingsStorePort } from '../../ports/settings-store.port';
import type { OcOrder, OpenCartReader } from '../../ports/opencart.port';
import type { XeroContactDraft, XeroCreditNoteDraft, XeroInvoiceDraft, XeroPaymentDraft, XeroPort } from '../../ports/xero.port';
import type { Settings } from '../../settings/settings.schema';
import type { Clock, SyncLogger } from '../sync-logger.port';
import type { RunReporter, SyncCounts, UseCaseResult, UseCaseRun } from '../sync-run.model';

/** The checkpoint name of the order keyset (value: JSON OrderCursor). */
export const ORDERS_CHECKPOINT = 'orders';
/** Default page size: two batched calls of 50 per kind of object, at most. */
export const DEFAULT_ORDER_PAGE_SIZE = 100;

/** The connector-database ports an order sync uses. */
export type SyncOrdersStore = LedgerPort & CheckpointPort & SettingsStorePort & OrderMarkPort & ProductOverridePort;

export interface SyncOrdersDeps {
  reader: OpenCartReader;
  xero: XeroPort;
  store: SyncOrdersStore;
  logger: SyncLogger;
  clock: Clock;
  /**
   * Overrides how the clock's time becomes the run's `until` bound. Default: the clock's time one
   * second back, as wall time in the store's time zone (OcStoreInfo.timeZone), which is how
   * OpenCart writes date_modified. Tools and tests only.
   */
  formatDbTime?: (date: Date) => string;
  /**
   * Each keyset run re-reads this many seconds behind its checkpoint (default 7200: a DST shift
   * of an hour plus clock skew between hosts), skipping orders whose version was already handled.
   */
  overlapSeconds?: number;
  /**
   * A failed row is retried automatically by the next runs up to this many attempts (default
   * MAX_AUTO_RETRIES, 10; the same payload failing again counts, a new one starts again);
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
  /**
   * Xero total − OpenCart total (order currency, 2 dp). For an invoice Xero already holds whose
   * order changed: what Xero holds now against what OpenCart says now.
   */
  difference?: string;
  /** The invoice as Xero holds it, when the run read it (an order changed after export). */
  xeroHeld?: { invoiceId: string; status: string; total: string };
  roundingAdjustment?: string;
  warnings?: string[];
}

export interface SyncOrdersResult extends UseCaseResult {
  /** Plans of the orders handled (dry run or collectPlans). */
  plans: OrderPlanView[];
}

/** One run of the order sync, handed to every step. */
export interface OrderRun {
  deps: SyncOrdersDeps;
  run: SyncOrdersRun;
  scope: string;
  dry: boolean;
  /** Every ledger read and write of the run. */
  ledger: LedgerSession;
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

/** An order mapped for a step: its invoice plan, its contact, the hash of its invoice. */
export interface PreparedOrder {
  order: OcOrder;
  key: string;
  plan: InvoicePlan;
  contact: ContactPlan;
  hash: string;
  view: OrderPlanView;
}
