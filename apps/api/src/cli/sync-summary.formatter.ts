/**
 * What a run prints: one JSON object for scripts (`--json`) and a short text for people. Both
 * come from the runner's SyncSummary; the JSON shape is an interface scripts rely on, so fields are
 * only ever added.
 */
import type { PlannedWrite, SyncSummary } from '@oc-xero/sync-core';

export interface CliSyncSummary {
  /** completed (even with per-order failures), failed, cancelled. */
  status: SyncSummary['status'];
  /** Why the run stopped as a whole, when it did. */
  error: string | null;
  runId: string;
  kind: SyncSummary['kind'];
  dryRun: boolean;
  orders: {
    seen: number;
    exported: number;
    unchanged: number;
    skipped: number;
    marked: number;
    removed: number;
    refunded: number;
    conflicts: number;
  };
  created: { invoices: number; payments: number; contacts: number; items: number; creditNotes: number; refunds: number };
  /** Found already in Xero after an interrupted run and adopted instead of created again. */
  adopted: { invoices: number; payments: number; contacts: number; creditNotes: number };
  /** Already in Xero and written again with the store's newer data (contacts of Export Customers). */
  updated: { contacts: number; invoices: number };
  stockUpdated: number;
  /** Opening-stock bills given to Xero (items newly tracked). */
  openingStockPosted: number;
  /** Every record that failed, with why. orderId is set for orders. */
  failures: Array<{ orderId: number | null; entityType: string; entityId: string; reason: string }>;
  /** Records that went through with something worked around (e.g. an invalid email left off), with what. */
  warnings: Array<{ orderId: number | null; entityType: string; entityId: string; message: string }>;
  xero: { calls: number; callsPerOrder: number; callsByEndpoint: Record<string, number> };
  parts: SyncSummary['parts'];
  durationMs: number;
  /**
   * Dry run only: every write the real run would make on this store (action, entity, key, number,
   * order, Xero's total and currency), in run order; the counts above are the same run's.
   */
  planned?: PlannedWrite[];
  /** Dry run only: the planned writes counted as "<entityType> <action>" → n (e.g. "invoice create": 181). */
  plannedCounts?: Record<string, number>;
}

/** A warn line of the run log, as the runner's onLog hands it over. */
export interface WarningLine {
  entityType: string;
  entityId: string;
  message: string;
}

const orderIdOf = (entityType: string, entityId: string): number | null =>
  entityType === 'order' && /^\d+$/.test(entityId) ? Number(entityId) : null;

export function toCliSummary(s: SyncSummary, warnings: WarningLine[] = []): CliSyncSummary {
  return {
    status: s.status,
    error: s.error,
    runId: s.runId,
    kind: s.kind,
    dryRun: s.dryRun,
    orders: {
      seen: s.ordersSeen,
      exported: s.ordersExported,
      unchanged: s.ordersUnchanged,
      skipped: s.ordersSkipped,
      marked: s.ordersMarked,
      removed: s.removals,
      // Orders (and returns) whose credit note was settled: allocated and/or paid back.
      refunded: s.ordersRefunded ?? s.allocations,
      conflicts: s.conflicts,
    },
    created: {
      invoices: s.invoicesCreated,
      payments: s.paymentsCreated,
      contacts: s.contactsCreated,
      items: s.itemsSaved,
      creditNotes: s.creditNotesCreated,
      refunds: s.refundsCreated ?? 0,
    },
    adopted: {
      invoices: s.invoicesAdopted,
      payments: s.paymentsAdopted,
      contacts: s.contactsAdopted,
      creditNotes: s.creditNotesAdopted,
    },
    updated: { contacts: s.contactsUpdated, invoices: s.invoicesUpdated ?? 0 },
    stockUpdated: s.stockUpdated,
    openingStockPosted: s.openingStockPosted ?? 0,
    failures: s.failures.map((f) => ({
      orderId: orderIdOf(f.entityType, f.entityId),
      entityType: f.entityType,
      entityId: f.entityId,
      reason: f.reason,
    })),
    warnings: warnings.map((w) => ({
      orderId: orderIdOf(w.entityType, w.entityId),
      entityType: w.entityType,
      entityId: w.entityId,
      message: w.message,
    })),
    xero: { calls: s.xeroCalls, callsPerOrder: s.xeroCallsPerOrder, callsByEndpoint: s.xeroCallsByEndpoint },
    parts: s.parts,
    durationMs: s.durationMs,
    ...(s.dryRun ? { planned: s.planned ?? [], plannedCounts: countPlanned(s.planned ?? []) } : {}),
  };
}

/** Planned writes counted by "<entityType> <action>", in a stable order. */
export function countPlanned(planned: PlannedWrite[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const w of planned) out[`${w.entityType} ${w.action}`] = (out[`${w.entityType} ${w.action}`] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

const VERB: Record<PlannedWrite['action'], string> = {
  create: 'would create',
  update: 'would update',
  adopt: 'would adopt',
  remove: 'would remove',
  refund: 'would refund with',
  allocate: 'would allocate',
  conflict: 'needs attention:',
};

const NOUN: Record<string, string> = {
  invoice: 'invoice',
  payment: 'payment',
  contact: 'contact',
  item: 'item',
  'credit-note': 'credit note',
  allocation: 'credit note',
  removal: 'invoice',
};

/** One line of the preview, e.g. "order 42: would create invoice INV-0042 123.45 USD (Xero's total)". */
export function formatPlannedWrite(w: PlannedWrite): string {
  const who = w.orderId !== undefined ? `order ${w.orderId}` : w.key;
  const noun = NOUN[w.entityType] ?? w.entityType;
  const number = w.number ? ` ${w.number}` : '';
  const money = w.total !== undefined ? ` ${w.total}${w.currency ? ` ${w.currency}` : ''}` : '';
  const xeroTotal = money && (w.entityType === 'invoice' || w.entityType === 'credit-note') ? " (Xero's total)" : '';
  if (w.action === 'remove') return `${who}: would ${w.detail === 'DELETED' ? 'delete' : 'void'} invoice${number}${money}`;
  if (w.action === 'conflict') return `${who}: ${noun}${number} needs attention: ${w.detail ?? ''}`;
  if (w.action === 'adopt') return `${who}: would adopt ${noun}${number} already in Xero${money}`;
  return `${who}: ${VERB[w.action]} ${noun}${number}${money}${xeroTotal}`;
}

/** The dry run's preview: one line per write of an order (contacts and items are counted in the summary). */
export function formatPlanText(s: CliSyncSummary, maxLines = Infinity): string {
  const orders = (s.planned ?? []).filter((w) => w.orderId !== undefined);
  const lines = orders.slice(0, maxLines).map((w) => `  ${formatPlannedWrite(w)}`);
  if (orders.length > maxLines) lines.push(`  … and ${orders.length - maxLines} more (--json lists them all)`);
  const counts = Object.entries(s.plannedCounts ?? {}).map(([k, n]) => `${k} ${n}`);
  lines.push(`  planned:      ${counts.length ? counts.join(', ') : 'nothing to write'}`);
  return lines.join('\n');
}

/** The human summary; `extra` lines (the demo's cent check) go after the counts. */
export function formatSummaryText(s: CliSyncSummary, extra: string[] = [], maxFailures = 20): string {
  const lines: string[] = [];
  const head = s.dryRun ? 'Dry run (nothing written)' : 'Sync';
  if (s.dryRun && s.planned) lines.push(formatPlanText(s));
  lines.push(
    `${head} ${s.status}${s.error ? `: ${s.error}` : ''} in ${(s.durationMs / 1000).toFixed(1)} s (run ${s.runId})`,
  );
  if (s.dryRun) lines.push('  (the counts below are what the real run would do on this store)');
  lines.push(
    `  orders:       ${s.orders.seen} seen, ${s.orders.exported} exported, ${s.orders.unchanged} unchanged, ${s.orders.skipped} skipped, ${s.orders.removed} removed, ${s.orders.refunded} refunded`,
  );
  lines.push(
    `  invoices:     ${s.created.invoices} created${s.updated.invoices ? `, ${s.updated.invoices} updated` : ''}${s.adopted.invoices ? `, ${s.adopted.invoices} adopted` : ''}`,
  );
  lines.push(
    `  payments:     ${s.created.payments} created${s.adopted.payments ? `, ${s.adopted.payments} adopted` : ''}`,
  );
  lines.push(
    `  contacts:     ${s.created.contacts} created${s.updated.contacts ? `, ${s.updated.contacts} updated` : ''}${s.adopted.contacts ? `, ${s.adopted.contacts} adopted` : ''}`,
  );
  lines.push(`  items:        ${s.created.items} saved`);
  if (s.stockUpdated || s.openingStockPosted)
    lines.push(`  stock:        ${s.stockUpdated} products updated from Xero, ${s.openingStockPosted} opening-stock bills`);
  lines.push(`  credit notes: ${s.created.creditNotes} created${s.adopted.creditNotes ? `, ${s.adopted.creditNotes} adopted` : ''}${s.created.refunds ? `, ${s.created.refunds} paid back (refunds)` : ''}`);
  lines.push(`  Xero calls:   ${s.xero.calls} (${s.xero.callsPerOrder} per order)`);
  lines.push(...extra);
  lines.push(`  failures:     ${s.failures.length}`);
  for (const f of s.failures.slice(0, maxFailures))
    lines.push(`    - ${f.entityType} ${f.entityId}: ${f.reason}`);
  if (s.failures.length > maxFailures)
    lines.push(`    … and ${s.failures.length - maxFailures} more (see the run log, or --json)`);
  if (s.warnings.length) {
    lines.push(`  warnings:     ${s.warnings.length}`);
    for (const w of s.warnings.slice(0, maxFailures)) lines.push(`    - ${w.message}`);
    if (s.warnings.length > maxFailures)
      lines.push(`    … and ${s.warnings.length - maxFailures} more (see the run log, or --json)`);
  }
  return lines.join('\n');
}
