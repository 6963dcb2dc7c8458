/**
 * Invoices step: orders in an export status become ACCREC invoices (contacts first, payments
 * after), each written once through the ledger ('order:42' as invoice). An order whose invoice
 * Xero holds but whose invoice payload changed goes to the invoice updates step.
 */
import Decimal from 'decimal.js';
import { orderKey } from '../../ledger/ledger-keys';
import type { LedgerOutcome } from '../../ledger/ledger.port';
import { holdsOutcome, isDone } from '../../ledger/ledger.rules';
import { dryId, type FoundInXero, type OnceItem } from '../../ledger/write-once.protocol';
import { statusIn } from '../../mapping/mapping-context';
import type { OcOrder } from '../../ports/opencart.port';
import type { XeroInvoice, XeroInvoiceDraft } from '../../ports/xero.port';
import { ensureContacts } from './contacts.step';
import { failOrder, mapOrders, skipOrder } from './order-outcomes';
import { settleUnchanged, updateInvoices, type ChangedInvoice } from './invoice-updates.step';
import { applyPayments } from './payments.step';
import type { OrderRun, PreparedOrder } from './sync-orders.model';

type InvoiceItem = OnceItem<XeroInvoiceDraft> & { p: PreparedOrder };

export async function exportOrders(state: OrderRun, orders: OcOrder[]): Promise<void> {
  const { xero } = state.deps;
  const keys = orders.map((o) => orderKey(o.orderId));
  const invoiceRows = await state.ledger.rows('invoice', keys);
  const paymentRows = await state.ledger.rows('payment', keys);

  const mappingFailures: LedgerOutcome[] = [];
  const prepared: PreparedOrder[] = [];
  const zeroSkipped = orders.filter((o) => !state.settings.exportZeroTotalOrders && new Decimal(o.total).isZero());
  zeroSkipped.forEach((o) => skipOrder(state, o, 'zero-total orders are not exported (setting)', 'export'));
  const mappable = orders.filter((o) => !zeroSkipped.includes(o));
  for (const p of mapOrders(
    state,
    mappable,
    (order, reason) => {
      failOrder(state, order.orderId, reason);
      state.plans?.push({ orderId: order.orderId, action: 'export', outcome: 'failed', reason });
      if (!holdsOutcome(invoiceRows.get(orderKey(order.orderId)))) mappingFailures.push({ entityKey: orderKey(order.orderId), status: 'failed', lastError: reason });
    },
    'export',
  ))
    prepared.push(p);
  await state.ledger.record('invoice', mappingFailures);

  const toCreate: PreparedOrder[] = [];
  const invoiceIds = new Map<number, string>();
  const createdNow = new Set<number>();
  const changed: ChangedInvoice[] = [];
  const unchanged: ChangedInvoice[] = [];
  for (const p of prepared) {
    const row = invoiceRows.get(p.key);
    if (isDone(row)) {
      invoiceIds.set(p.order.orderId, row.xeroId);
      // Changed since it was exported (the order, or what the settings ask for): update it in Xero.
      if (row.payloadHash !== p.hash) changed.push({ p, row });
      else unchanged.push({ p, row });
    } else if (row?.status === 'removed') {
      failOrder(state, p.order.orderId, `its invoice ${row.xeroNumber ?? p.plan.invoice.InvoiceNumber} was voided or deleted in Xero earlier and a voided number cannot be reused; create the invoice by hand if the order is live again`, p.view);
      state.plans?.push(p.view);
    } else toCreate.push(p);
  }

  const contactIds = await ensureContacts(state, toCreate.map((p) => p.contact));

  const ready: Array<PreparedOrder & { draft: XeroInvoiceDraft }> = [];
  const invoiceFailures: LedgerOutcome[] = [];
  for (const p of toCreate) {
    const c = contactIds.get(p.contact.key);
    if (c?.error) {
      const reason = `its contact "${p.contact.draft.Name}" could not be saved in Xero: ${c.error}`;
      failOrder(state, p.order.orderId, reason, p.view);
      if (!holdsOutcome(invoiceRows.get(p.key))) invoiceFailures.push({ entityKey: p.key, status: 'failed', lastError: reason });
      continue;
    }
    const draft: XeroInvoiceDraft = { ...p.plan.invoice, Contact: c?.contactId ? { ContactID: c.contactId } : p.plan.invoice.Contact };
    p.view.invoice = draft;
    ready.push({ ...p, draft });
  }
  await state.ledger.record('invoice', invoiceFailures);

  let adoptedNow = new Set<number>();
  if (ready.length) {
    const result = await state.ledger.writeOnce<InvoiceItem, { InvoiceID: string; InvoiceNumber: string }>({
      entityType: 'invoice',
      items: ready.map((p) => ({ key: p.key, hash: p.hash, draft: p.draft, number: p.draft.InvoiceNumber, row: invoiceRows.get(p.key), p })),
      lookup: {
        // Those whose outcome is unknown are looked up first. The others are sent; Xero keeps
        // InvoiceNumber unique, so one it may hold from a lost connector database, a reinstall, the
        // old extension or a second connector is refused "Invoice # must be unique" and then looked
        // up and adopted (a lookup per batch only when something clashes).
        afterRefusal: (errors) => errors.some((e) => /# must be unique/i.test(e)),
        find: async (items) => {
          const found = new Map((await xero.findInvoicesByNumbers(items.map((i) => i.draft.InvoiceNumber))).map((i) => [i.InvoiceNumber, i]));
          const out = new Map<string, FoundInXero>();
          for (const i of items) {
            const inv = found.get(i.draft.InvoiceNumber);
            // A DELETED invoice is gone from the books (and its number free again): create anew.
            if (!inv || inv.Status === 'DELETED') continue;
            // Our own reservation whose answer was lost: the invoice is ours whatever it holds now.
            const verdict = i.row?.status === 'pending' ? null : sameOrder(i.p, i.draft, inv);
            out.set(i.key, verdict ? { xeroId: inv.InvoiceID, conflict: verdict } : { xeroId: inv.InvoiceID, xeroNumber: inv.InvoiceNumber });
          }
          return out;
        },
      },
      // Tracked items: the store already sold this stock, so Xero must not refuse the invoice for it.
      send: (items) => xero.createInvoices(items.map((i) => i.draft), { allowBackorders: state.settings.allowBackorders }),
      identify: (v) => ({ xeroId: v.InvoiceID, xeroNumber: v.InvoiceNumber }),
      refused: (i, errors) => ({ lastError: `Xero refused the invoice: ${errors.join('; ')}`, payloadHash: i.hash }),
      dryValue: (i) => ({ InvoiceID: dryId(i.key), InvoiceNumber: i.draft.InvoiceNumber }),
      describe: (i) => ({ orderId: i.p.order.orderId, total: i.p.plan.xeroTotals.total, currency: i.p.plan.expected.currency }),
    });
    for (const a of result.adopted) {
      invoiceIds.set(a.item.p.order.orderId, a.found.xeroId);
      createdNow.add(a.item.p.order.orderId);
    }
    for (const c of result.created) {
      invoiceIds.set(c.item.p.order.orderId, c.value.InvoiceID);
      createdNow.add(c.item.p.order.orderId);
    }
    for (const r of result.refused) failOrder(state, r.item.p.order.orderId, r.reason, r.item.p.view);
    for (const c of result.conflicts) {
      const id = c.item.p.order.orderId;
      c.item.p.view.outcome = 'conflict';
      c.item.p.view.reason = c.reason;
      state.counts.conflicts += 1;
      state.counts.failures.push({ entityType: 'order', entityId: String(id), reason: c.reason });
      state.reporter.log({ level: 'error', entityType: 'order', entityId: String(id), status: 'conflict', message: `Order ${id} needs attention: ${c.reason}` });
    }
    for (const a of result.adopted) {
      const id = a.item.p.order.orderId;
      state.reporter.log({ level: 'info', entityType: 'order', entityId: String(id), status: 'adopted', message: `Order ${id}: invoice ${a.item.draft.InvoiceNumber} was already in Xero; the connector ${state.dry ? 'would adopt' : 'adopted'} it instead of creating it again.` });
    }
    state.counts.invoicesAdopted += result.adopted.length;
    adoptedNow = new Set(result.adopted.map((a) => a.item.p.order.orderId));
    state.counts.invoicesCreated += result.created.length;
  }

  // Changed invoices are brought to what the order and the settings say before any payment: a
  // payment needs the invoice AUTHORISED and must not exceed its new total.
  changed.push(...(await settleUnchanged(state, unchanged)));
  const updated = await updateInvoices(state, changed);
  for (const c of changed) if (!updated.has(c.p.order.orderId)) invoiceIds.delete(c.p.order.orderId);

  await applyPayments(state, prepared, invoiceIds, paymentRows, adoptedNow);

  for (const p of prepared) {
    const id = p.order.orderId;
    if (p.plan.invoice.Status !== 'AUTHORISED' && new Decimal(p.plan.expected.total).gt(0) && statusIn(state.settings.paidStatuses, p.order.orderStatusId, state.ctx) && p.view.outcome !== 'failed' && p.view.outcome !== 'conflict') {
      // Said once per version of the order: Xero takes payments only on approved invoices.
      const why = `the order is paid but its invoice is ${p.plan.invoice.Status} (setting "Invoice Status"), and Xero takes payments only on AUTHORISED invoices, so no payment is booked; set Invoice Status to AUTHORISED and sync the order again: its invoice is approved and paid`;
      p.view.warnings = [...(p.view.warnings ?? []), why];
      state.reporter.log({ level: 'warn', entityType: 'order', entityId: String(id), status: 'warning', message: `Order ${id}: ${why}.` });
    }
    if ((p.view.outcome === 'failed' || p.view.outcome === 'conflict') && !createdNow.has(id)) {
      state.plans?.push(p.view);
      continue;
    }
    // A dry run goes the same way (the protocol planned instead of writing): same counts, "would" words.
    if (p.view.outcome === 'updated' || p.view.outcome === 'would-update') {
      // told by the invoice updates step
    } else if (createdNow.has(id)) {
      if (p.view.outcome !== 'failed') p.view.outcome = state.dry ? 'would-export' : 'exported';
      state.counts.ordersExported += 1;
      state.reporter.log({
        level: 'info',
        entityType: 'order',
        entityId: String(id),
        status: state.dry ? 'would-export' : 'exported',
        message: `Order ${id} ${state.dry ? 'would be exported' : 'exported'} as invoice ${p.plan.invoice.InvoiceNumber} (${p.plan.xeroTotals.total} ${p.plan.expected.currency})${p.view.payment ? `, payment ${state.dry ? 'to apply' : 'applied'}` : ''}.`,
        details: { invoiceNumber: p.plan.invoice.InvoiceNumber, invoiceId: invoiceIds.get(id), total: p.plan.xeroTotals.total, difference: p.view.difference },
      });
    } else if (p.view.outcome === 'paid' || p.view.outcome === 'would-pay') {
      state.reporter.log({ level: 'info', entityType: 'order', entityId: String(id), status: p.view.outcome, message: `Order ${id}: payment ${state.dry ? 'would be applied' : 'applied'} to invoice ${p.plan.invoice.InvoiceNumber}.` });
    } else if (invoiceIds.has(id)) {
      p.view.outcome = 'unchanged';
      state.counts.ordersUnchanged += 1;
      state.reporter.log({ level: 'info', entityType: 'order', entityId: String(id), status: 'skipped', message: `Order ${id} skipped: already exported as invoice ${p.plan.invoice.InvoiceNumber}.` });
    }
    state.plans?.push(p.view);
  }
}

/**
 * Is the invoice Xero holds under our number this order's? Same contact and same total (what the
 * mapping makes Xero compute). null when it is; else the merchant-readable conflict.
 */
function sameOrder(p: PreparedOrder, draft: XeroInvoiceDraft, inv: XeroInvoice): string | null {
  const number = draft.InvoiceNumber;
  const ours = `${p.plan.xeroTotals.total} ${p.plan.expected.currency}`;
  const theirs = `${new Decimal(inv.Total).toFixed(2)} ${inv.CurrencyCode ?? p.plan.expected.currency}`;
  const fix = `check invoice ${number} in Xero: if it is this order, correct it so its total and contact match and sync the order again; if it is not, change "Invoice number format" in the connector's settings so its numbers do not collide with the ones already in Xero`;
  if (inv.Status === 'VOIDED') return `Xero already holds invoice ${number} and it is VOIDED (Xero total ${theirs}, OpenCart order total ${ours}); a voided number cannot be reused: ${fix}.`;
  const wantContact = draft.Contact.ContactID;
  const contactOk = !inv.Contact || !wantContact || inv.Contact.ContactID === wantContact;
  const totalOk = new Decimal(inv.Total).eq(p.plan.xeroTotals.total) && (!inv.CurrencyCode || inv.CurrencyCode === p.plan.expected.currency);
  if (contactOk && totalOk) return null;
  const why = [!totalOk ? `Xero's total is ${theirs}, the order's ${ours}` : '', !contactOk ? `Xero's contact is "${inv.Contact?.Name ?? inv.Contact?.ContactID}", not the order's "${p.contact.draft.Name}"` : ''].filter(Boolean).join('; ');
  return `Xero already holds invoice ${number} but it is not this order (${why}): ${fix}.`;
}
