/**
 * What a run prints: one JSON object for scripts (`--json`) and a short text for people. Both
 * come from the runner's SyncSummary; the JSON shape is an interface scripts rely on, so fields are
 * only ever added.
 */
import type { SyncSummary } from '@oc-xero/sync-core';

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
  updated: { contacts: number };
  stockUpdated: number;
  /** Every record that failed, with why. orderId is set for orders. */
  failures: Array<{ orderId: number | null; entityType: string; entityId: string; reason: string }>;
  /** Records that went through with something worked around (e.g. an invalid email left off), with what. */
  warnings: Array<{ orderId: number | null; entityType: string; entityId: string; message: string }>;
  xero: { calls: number; callsPerOrder: number; callsByEndpoint: Record<string, number> };
  parts: SyncSummary['parts'];
  durationMs: number;
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
    updated: { contacts: s.contactsUpdated },
    stockUpdated: s.stockUpdated,
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
  };
}

/** The human summary; `extra` lines (the demo's cent check) go after the counts. */
export function formatSummaryText(s: CliSyncSummary, extra: string[] = [], maxFailures = 20): string {
  const lines: string[] = [];
  const head = s.dryRun ? 'Dry run (nothing written)' : 'Sync';
  lines.push(
    `${head} ${s.status}${s.error ? `: ${s.error}` : ''} in ${(s.durationMs / 1000).toFixed(1)} s (run ${s.runId})`,
  );
  lines.push(
    `  orders:       ${s.orders.seen} seen, ${s.orders.exported} exported, ${s.orders.unchanged} unchanged, ${s.orders.skipped} skipped, ${s.orders.removed} removed, ${s.orders.refunded} refunded`,
  );
  lines.push(
    `  invoices:     ${s.created.invoices} created${s.adopted.invoices ? `, ${s.adopted.invoices} adopted` : ''}`,
  );
  lines.push(
    `  payments:     ${s.created.payments} created${s.adopted.payments ? `, ${s.adopted.payments} adopted` : ''}`,
  );
  lines.push(
    `  contacts:     ${s.created.contacts} created${s.updated.contacts ? `, ${s.updated.contacts} updated` : ''}${s.adopted.contacts ? `, ${s.adopted.contacts} adopted` : ''}`,
  );
  lines.push(`  items:        ${s.created.items} saved`);
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
