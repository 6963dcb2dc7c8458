/**
 * Invoice updates step: an order whose invoice Xero already holds, but whose invoice payload
 * changed since (the order was edited in OpenCart: lines, quantities, totals, addresses; or the
 * settings now ask for something else, e.g. Invoice Status DRAFT → AUTHORISED), gets its invoice
 * updated while Xero allows it: DRAFT, SUBMITTED or AUTHORISED without payments or credit notes.
 *
 * Written once through the ledger ('order:42' as invoice-update, payloadHash = the new payload's
 * hash): a row done with that hash means Xero holds this version, so a retry never posts it again;
 * a row left pending (answer lost) is looked up and adopted when Xero already holds the new total
 * and status. The invoice row takes the new hash only once Xero holds the update.
 *
 * When Xero no longer allows the update (paid, part paid, credited, voided), nothing is written:
 * the order is a conflict that says what Xero holds, what OpenCart says now and what to do.
 */
import Decimal from 'decimal.js';
import type { LedgerEntry, LedgerOutcome } from '../../ledger/ledger.port';
import { isUnchanged } from '../../ledger/ledger.rules';
import type { FoundInXero, OnceItem } from '../../ledger/write-once.protocol';
import type { XeroInvoice, XeroInvoiceUpdate } from '../../ports/xero.port';
import { conflictOrder, failOrder } from './order-outcomes';
import type { OrderRun, PreparedOrder } from './sync-orders.model';

/** An order whose invoice Xero holds (invoice row done) and whose payload hash changed. */
export interface ChangedInvoice {
  p: PreparedOrder;
  /** The order's invoice row (done, with the Xero id). */
  row: LedgerEntry & { xeroId: string };
}

type UpdateItem = OnceItem<XeroInvoiceUpdate> & { p: PreparedOrder; held: XeroInvoice };

const STATUS_ORDER = ['DRAFT', 'SUBMITTED', 'AUTHORISED'] as const;
type EditableStatus = (typeof STATUS_ORDER)[number];

const money = (n: number | string): string => new Decimal(n).toFixed(2);

/** Xero will not edit it: paid (wholly or in part), or a credit note allocated. */
const hasMoneyApplied = (inv: XeroInvoice): boolean =>
  inv.Status === 'PAID' || new Decimal(inv.AmountPaid ?? 0).gt(0) || new Decimal(inv.AmountCredited ?? 0).gt(0) || Boolean(inv.Payments?.length) || Boolean(inv.CreditNotes?.length);

/**
 * The status to send: the settings' status, but never backwards (Xero moves an invoice only
 * DRAFT → SUBMITTED → AUTHORISED; an invoice approved in Xero stays approved).
 */
function statusToSend(wanted: EditableStatus, held: string): EditableStatus {
  const h = STATUS_ORDER.indexOf(held as EditableStatus);
  return h > STATUS_ORDER.indexOf(wanted) ? STATUS_ORDER[h]! : wanted;
}

/** What Xero allows for this invoice, or the merchant-readable conflict. */
export function updateConflict(p: PreparedOrder, inv: XeroInvoice): string | null {
  const number = inv.InvoiceNumber;
  const currency = inv.CurrencyCode ?? p.plan.expected.currency;
  const held = `${money(inv.Total)} ${currency}`;
  const now = `${p.plan.xeroTotals.total} ${p.plan.expected.currency}`;
  if (inv.Status === 'VOIDED' || inv.Status === 'DELETED') {
    return `order ${p.order.orderId} changed after export but its invoice ${number} is ${inv.Status} in Xero (it held ${held}; OpenCart now says ${now}); a ${inv.Status.toLowerCase()} invoice cannot be edited and its number cannot be reused: raise a new invoice for the order in Xero by hand, or revert the order in OpenCart`;
  }
  if (hasMoneyApplied(inv)) {
    const paid = new Decimal(inv.AmountPaid ?? 0).gt(0) ? `paid ${money(inv.AmountPaid)}` : 'credited';
    return `order ${p.order.orderId} changed after its invoice ${number} was ${paid} in Xero: Xero holds ${held}, OpenCart now says ${now} (difference ${new Decimal(p.plan.xeroTotals.total).minus(inv.Total).toFixed(2)}); Xero does not allow editing an invoice with a payment or credit note: credit note the old invoice and re-invoice the order, or revert the order in OpenCart`;
  }
  return null;
}

/**
 * Updates the invoices of changed orders. Answers the ids of the orders whose invoice Xero now
 * holds as planned (updated, found updated, or nothing to change); the others failed or are
 * conflicts (told, and their payments must wait).
 */
export async function updateInvoices(state: OrderRun, changed: ChangedInvoice[]): Promise<Set<number>> {
  const ok = new Set<number>();
  if (!changed.length) return ok;
  const { xero } = state.deps;
  const updateRows = await state.ledger.rows('invoice-update', changed.map((c) => c.p.key));

  // An earlier run got the update into Xero but stopped before the invoice row took the new hash.
  const toCheck: ChangedInvoice[] = [];
  const settled: LedgerOutcome[] = [];
  for (const c of changed) {
    if (isUnchanged(updateRows.get(c.p.key), c.p.hash)) {
      settled.push({ entityKey: c.p.key, status: 'done', payloadHash: c.p.hash });
      ok.add(c.p.order.orderId);
    } else toCheck.push(c);
  }
  await state.ledger.record('invoice', settled);
  if (!toCheck.length) return ok;

  // What Xero holds now (one call per 50 numbers), matched by InvoiceID.
  const numbers = toCheck.map((c) => c.row.xeroNumber ?? c.p.plan.invoice.InvoiceNumber);
  const found = await xero.findInvoicesByNumbers(numbers);
  const byId = new Map(found.map((i) => [i.InvoiceID, i]));

  const items: UpdateItem[] = [];
  for (const c of toCheck) {
    const { p, row } = c;
    const id = p.order.orderId;
    const held = byId.get(row.xeroId);
    if (!held) {
      const reason = `its invoice ${row.xeroNumber ?? p.plan.invoice.InvoiceNumber} (InvoiceID ${row.xeroId}) is no longer in Xero, so the order's changes cannot be applied to it; check the invoice in Xero`;
      failOrder(state, id, reason, p.view);
      await state.ledger.record('invoice-update', [{ entityKey: p.key, status: 'failed', xeroId: row.xeroId, lastError: reason, ...(updateRows.get(p.key)?.payloadHash !== p.hash ? { resetAttempts: true } : {}), payloadHash: p.hash }]);
      continue;
    }
    p.view.xeroHeld = { invoiceId: held.InvoiceID, status: held.Status, total: money(held.Total) };
    // The preview's difference is the real one: what Xero holds against what OpenCart says now.
    p.view.difference = new Decimal(held.Total).minus(p.plan.expected.total).toFixed(2);
    if (hasMoneyApplied(held) && new Decimal(held.Total).eq(p.plan.xeroTotals.total)) {
      // Paid, and its total is still the order's: nothing of the books differs; Xero's version stays.
      p.view.warnings = [...(p.view.warnings ?? []), `changed after export; invoice ${held.InvoiceNumber} is paid in Xero with the same total (${money(held.Total)}), so it was left as it is`];
      if (!state.dry) await state.ledger.record('invoice', [{ entityKey: p.key, status: 'done', payloadHash: p.hash }]);
      ok.add(id);
      continue;
    }
    const conflict = updateConflict(p, held);
    if (conflict) {
      await conflictOrder(state, id, p.key, held.InvoiceID, conflict, p.view, 'invoice-update');
      continue;
    }
    const status = statusToSend(p.plan.invoice.Status, held.Status);
    const update: XeroInvoiceUpdate = { ...p.plan.invoice, InvoiceID: held.InvoiceID, InvoiceNumber: held.InvoiceNumber, Status: status, ...(held.Contact ? { Contact: { ContactID: held.Contact.ContactID } } : {}) };
    if (status !== p.plan.invoice.Status) {
      p.view.warnings = [...(p.view.warnings ?? []), `invoice ${held.InvoiceNumber} is ${held.Status} in Xero and stays so (Xero cannot move it back to ${p.plan.invoice.Status})`];
    }
    const what = describeUpdate(held, update, p);
    if (state.dry) {
      p.view.outcome = 'would-update';
      p.view.reason = `would update ${what}`;
      p.view.invoice = update;
      // The same count as the real run, and the plan names the update with Xero's new total.
      state.counts.invoicesUpdated += 1;
      state.ledger.plan({ action: 'update', entityType: 'invoice-update', key: p.key, number: held.InvoiceNumber, orderId: id, total: p.plan.xeroTotals.total, currency: p.plan.expected.currency, detail: what });
      ok.add(id);
      continue;
    }
    items.push({ key: p.key, hash: p.hash, draft: update, number: held.InvoiceNumber, row: updateRows.get(p.key), p, held });
  }
  if (!items.length) return ok;

  const result = await state.ledger.writeOnce<UpdateItem, XeroInvoice>({
    entityType: 'invoice-update',
    newVersions: true,
    items,
    lookup: {
      // Only a reservation whose answer was lost (the row was pending before this run): does Xero
      // already hold the new version?
      candidates: (i) => i.row?.status === 'pending',
      find: async (pending) => {
        const out = new Map<string, FoundInXero>();
        for (const i of pending) {
          if (new Decimal(i.held.Total).eq(i.p.plan.xeroTotals.total) && i.held.Status === i.draft.Status) out.set(i.key, { xeroId: i.held.InvoiceID, xeroNumber: i.held.InvoiceNumber });
        }
        return out;
      },
    },
    send: (list) => xero.updateInvoices(list.map((i) => i.draft)),
    identify: (v) => ({ xeroId: v.InvoiceID, xeroNumber: v.InvoiceNumber }),
    refused: (i, errors) => ({ lastError: `Xero refused the update of invoice ${i.held.InvoiceNumber} (order changed after export: ${describeUpdate(i.held, i.draft, i.p)}): ${errors.join('; ')}`, payloadHash: i.hash, xeroId: i.held.InvoiceID }),
  });
  const applied = [...result.created.map((c) => ({ item: c.item, total: money(c.value.Total), status: c.value.Status })), ...result.adopted.map((a) => ({ item: a.item, total: money(a.item.held.Total), status: a.item.held.Status }))];
  await state.ledger.record(
    'invoice',
    applied.map((a) => ({ entityKey: a.item.key, status: 'done' as const, payloadHash: a.item.hash })),
  );
  for (const a of applied) {
    const { p, held } = a.item;
    const id = p.order.orderId;
    ok.add(id);
    p.view.outcome = 'updated';
    p.view.invoice = a.item.draft;
    p.view.difference = new Decimal(a.total).minus(p.plan.expected.total).toFixed(2);
    p.view.xeroHeld = { invoiceId: held.InvoiceID, status: a.status, total: a.total };
    state.reporter.log({
      level: 'info',
      entityType: 'order',
      entityId: String(id),
      status: 'updated',
      message: `Order ${id} changed after export: invoice ${held.InvoiceNumber} updated in Xero (${money(held.Total)} → ${a.total} ${p.plan.expected.currency}${held.Status !== a.status ? `, ${held.Status} → ${a.status}` : ''}).`,
      details: { invoiceNumber: held.InvoiceNumber, invoiceId: held.InvoiceID, before: money(held.Total), total: a.total, status: a.status },
    });
  }
  state.counts.invoicesUpdated += result.created.length + result.adopted.length;
  for (const r of result.refused) failOrder(state, r.item.p.order.orderId, r.reason, r.item.p.view);
  return ok;
}

/** "invoice OC-42: 130.00 → 252.00 USD, DRAFT → AUTHORISED". */
function describeUpdate(held: XeroInvoice, update: XeroInvoiceUpdate, p: PreparedOrder): string {
  const currency = p.plan.expected.currency;
  const total = money(held.Total) === p.plan.xeroTotals.total ? `total ${p.plan.xeroTotals.total} ${currency} unchanged` : `${money(held.Total)} → ${p.plan.xeroTotals.total} ${currency}`;
  return `invoice ${held.InvoiceNumber}: ${total}${held.Status !== update.Status ? `, ${held.Status} → ${update.Status}` : ''}`;
}

/**
 * Orders whose invoice payload is again what the invoice row says Xero holds. After a conflict or a
 * refused update (the order was reverted), the update row is settled, so the order no longer needs
 * the merchant. An update whose answer was lost (pending) may have reached Xero with the content
 * the order no longer has: those are answered, to be updated again to what the order says now.
 */
export async function settleUnchanged(state: OrderRun, unchanged: ChangedInvoice[]): Promise<ChangedInvoice[]> {
  if (!unchanged.length) return [];
  const rows = await state.ledger.rows('invoice-update', unchanged.map((c) => c.p.key));
  const settle: LedgerOutcome[] = [];
  const again: ChangedInvoice[] = [];
  for (const c of unchanged) {
    const row = rows.get(c.p.key);
    if (row?.status === 'pending') again.push(c);
    else if (row && (row.status === 'conflict' || row.status === 'failed')) settle.push({ entityKey: c.p.key, status: 'done', payloadHash: c.p.hash, lastError: null });
  }
  await state.ledger.record('invoice-update', settle);
  return again;
}
