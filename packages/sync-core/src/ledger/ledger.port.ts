/**
 * The outbound ledger (DESIGN.md §7): one row per OpenCart thing we put in Xero, the source of truth
 * for "did we already do this". Implemented by packages/opencart-db (ledger.repository.ts). Only the
 * write-once protocol (write-once.protocol.ts) and the ledger session write it.
 */

/**
 * What a ledger row stands for in Xero. 'order-seen' is not a Xero object: it is the version of an
 * order (hash of its content, date_modified included) a run last handled, so a re-read of the
 * overlap window behind the checkpoint skips what was already seen. 'invoice-update' is the update of
 * an order's existing invoice after the order changed ('order:42', payloadHash = the new invoice
 * payload's hash): done with that hash means Xero already holds that version. 'refund' is the payment
 * that pays a credit note of ours back out (Xero: a payment against the credit note), keyed like its
 * credit note.
 */
export type LedgerEntityType =
  | 'contact'
  | 'item'
  | 'invoice'
  /** An update of an order's invoice Xero already holds ('order:3'; the hash is the new version's). */
  | 'invoice-update'
  | 'payment'
  | 'credit-note'
  | 'allocation'
  | 'removal'
  | 'refund'
  | 'order-seen'
  /** The opening-stock bill of a product whose item became tracked ('product:28'). */
  | 'opening-stock'
  /**
   * Not a Xero object: the stock a product's item had from purchases in Xero when stock was last
   * synced (payloadHash holds it as JSON), so a sync brings back only what changed since.
   */
  | 'stock-level';

/**
 * Life of a ledger row: pending (reserved, call not yet answered or outcome unknown), done
 * (Xero confirmed; xeroId set), failed (Xero or our mapping refused it; lastError says why),
 * removed (voided/deleted in Xero), conflict (needs a person; lastError says why).
 */
export type LedgerStatus = 'pending' | 'done' | 'failed' | 'removed' | 'conflict';

/** One row of the outbound ledger: OpenCart entity ↔ Xero object. */
export interface LedgerEntry {
  /** Connection scope (store + organisation). */
  scope: string;
  /** Kind of Xero object. */
  entityType: LedgerEntityType;
  /** Our key for it, e.g. 'order:42', 'customer:7', 'guest:a@b.c', 'product:28'. */
  entityKey: string;
  /** Current state. */
  status: LedgerStatus;
  /** Xero's id once known. */
  xeroId: string | null;
  /** Xero's human number once known (InvoiceNumber, ContactNumber, Code, CreditNoteNumber). */
  xeroNumber: string | null;
  /** Hash of the payload last sent, to skip unchanged records. */
  payloadHash: string | null;
  /** How many times we tried. */
  attempts: number;
  /** Last error, merchant-readable, when failed/conflict. */
  lastError: string | null;
  /** When the row last changed (ISO). */
  updatedAt: string;
}

/** A row to reserve as pending before Xero is called. */
export interface LedgerReservation {
  /** Our key (see ledger-keys.ts). */
  entityKey: string;
  /** Hash of the payload about to be sent. */
  payloadHash: string;
  /** The number Xero will know it by, so a lost answer can be looked up. */
  xeroNumber?: string;
  /**
   * A new version of something Xero already holds (an update): a done row with another payload
   * hash goes back to pending too, so a lost answer is looked up next run. Default false: a done
   * row is never reserved again (its object exists; creating it again would duplicate it).
   */
  newVersion?: boolean;
}

/** An outcome to record after the call. Fields left undefined keep their stored value; null clears them. */
export interface LedgerOutcome {
  /** Our key. */
  entityKey: string;
  /** New state. */
  status: LedgerStatus;
  /** Xero's id. */
  xeroId?: string | null;
  /** Xero's number. */
  xeroNumber?: string | null;
  /** Hash of what Xero now holds (as far as we know). */
  payloadHash?: string | null;
  /** Merchant-readable reason (failed/conflict). */
  lastError?: string | null;
  /**
   * Start the attempt count again (attempts = 1 after this outcome) instead of adding one: a new
   * payload (the record changed) or a retry the merchant asked for. Default false.
   */
  resetAttempts?: boolean;
}

/** The ledger rows of the connector database. */
export interface LedgerPort {
  /** Ledger rows for these keys (missing keys are left out). */
  getLedger(scope: string, entityType: LedgerEntityType, entityKeys: string[]): Promise<LedgerEntry[]>;
  /** Rows in a status (e.g. failed, to retry first; pending, to reconcile), oldest first. */
  listLedger(scope: string, query: { entityType?: LedgerEntityType; status?: LedgerStatus; limit: number; afterKey?: string }): Promise<LedgerEntry[]>;
  /** Reserve rows as pending in ONE transaction before calling Xero; returns the rows as stored (existing done rows are returned unchanged, not reset). */
  reserve(scope: string, entityType: LedgerEntityType, items: LedgerReservation[]): Promise<LedgerEntry[]>;
  /** Record outcomes after the call, in one transaction. attempts is incremented for each. */
  record(scope: string, entityType: LedgerEntityType, results: LedgerOutcome[]): Promise<void>;
}
