/**
 * Returns step (partial refunds): an OpenCart return (oc_return) in a booked status whose action
 * means money back (Refunded) or store credit (Credit Issued) becomes a credit note for exactly the
 * returned lines (the order line's product, the returned quantity, its unit price and its tax, a
 * fixed-amount tax such as Eco Tax on its own line as on the invoice), settled like any refund
 * (refund-settlement.ts): allocated for what the invoice still owes, the rest paid back, from the
 * order's payment account for a refund, into the store-credit liability for store credit.
 * Written once through the ledger under 'return:7' (credit-note, allocation, refund rows).
 */
import Decimal from 'decimal.js';
import { isSyncError } from '../../errors';
import { orderKey } from '../../ledger/ledger-keys';
import type { LedgerOutcome } from '../../ledger/ledger.port';
import { wantsRetry } from '../../ledger/ledger.rules';
import type { OnceItem } from '../../ledger/write-once.protocol';
import { mapOrderToContact } from '../../mapping/customer-to-contact.mapper';
import { paymentAccountFor } from '../../mapping/order-to-credit-note.mapper';
import { mapOrderToInvoice } from '../../mapping/order-to-invoice.mapper';
import { computeXeroTotals } from '../../mapping/money.util';
import { truncate } from '../../mapping/text.util';
import type { OcOrder, OcReturn } from '../../ports/opencart.port';
import type { XeroCreditNote, XeroCreditNoteDraft, XeroLineItemDraft } from '../../ports/xero.port';
import { chunk, payloadHash, reasonOf } from '../sync-run.model';
import { failOrder } from './order-outcomes';
import { settleCredits, type CreditToSettle } from './refund-settlement';
import type { OrderPlanView, OrderRun } from './sync-orders.model';

/** Ledger key of a return. */
export const returnKey = (returnId: number): string => `return:${returnId}`;
/** CreditNoteNumber of a return: stable, so a rerun finds it again. */
export const returnCreditNoteNumber = (invoiceNumber: string, returnId: number): string => truncate(`${invoiceNumber}-R${returnId}`, 255);

const PAGE = 500;
const lower = (xs: string[]): Set<string> => new Set(xs.map((x) => x.trim().toLowerCase()));

interface Booked {
  ret: OcReturn;
  key: string;
  kind: 'refund' | 'store-credit';
}

/** Books the returns ready for it; `onlyOrders`: just the returns of these orders (a run for order ids). */
export async function bookReturns(state: OrderRun, onlyOrders?: Set<number>): Promise<void> {
  const s = state.settings;
  const refundActions = lower(s.returnRefundActions);
  const creditActions = lower(s.returnStoreCreditActions);
  const statuses = lower(s.returnBookedStatuses);
  if (!statuses.size || (!refundActions.size && !creditActions.size)) return;
  const wanted: Booked[] = [];
  let afterId: number | undefined;
  for (;;) {
    const page = await state.deps.reader.listReturns({ afterId, limit: PAGE });
    for (const ret of page.items) {
      if (onlyOrders && !onlyOrders.has(ret.orderId)) continue;
      if (!statuses.has(ret.status.trim().toLowerCase())) continue;
      const action = ret.action.trim().toLowerCase();
      const kind = refundActions.has(action) ? 'refund' : creditActions.has(action) ? 'store-credit' : null;
      if (kind) wanted.push({ ret, key: returnKey(ret.returnId), kind });
    }
    if (page.next === null || !page.items.length) break;
    afterId = page.next;
  }
  for (const batch of chunk(wanted, 100)) await bookBatch(state, batch);
}

async function bookBatch(state: OrderRun, wanted: Booked[]): Promise<void> {
  const { xero } = state.deps;
  const keys = wanted.map((w) => w.key);
  const noteRows = await state.ledger.rows('credit-note', keys);
  const allocRows = await state.ledger.rows('allocation', keys);
  const refundRows = await state.ledger.rows('refund', keys);
  const max = state.deps.maxAutoRetries ?? 10;
  const open = wanted.filter((w) => {
    const refund = refundRows.get(w.key)?.status;
    if (allocRows.get(w.key)?.status === 'done' && (refund === undefined || refund === 'done' || refund === 'removed')) return false;
    // One Xero keeps refusing (or that needs the merchant in Xero) stops costing calls every run.
    const rows = [noteRows.get(w.key), allocRows.get(w.key)].filter((r) => r !== undefined);
    return !rows.some((r) => r.status === 'conflict' || (r.status === 'failed' && !wantsRetry(r, max)));
  });
  if (!open.length) return;
  const orderIds = [...new Set(open.map((w) => w.ret.orderId))];
  const orders = new Map((await state.deps.reader.getOrders(orderIds)).map((o) => [o.orderId, o]));
  const invoiceRows = await state.ledger.rows('invoice', orderIds.map(orderKey));

  type Note = { w: Booked; order: OcOrder; draft: XeroCreditNoteDraft; invoiceId: string; invoiceNumber: string; view: OrderPlanView };
  const notes: Note[] = [];
  const failures: LedgerOutcome[] = [];
  const contactKeys = new Map<number, string>();
  for (const o of orders.values()) contactKeys.set(o.orderId, mapOrderToContact(o, state.settings).key);
  const contactRows = await state.ledger.rows('contact', [...new Set(contactKeys.values())]);
  for (const w of open) {
    const id = w.ret.orderId;
    const what = `return ${w.ret.returnId} (${w.ret.quantity} × ${w.ret.product || w.ret.model})`;
    const order = orders.get(id);
    const inv = invoiceRows.get(orderKey(id));
    if (!order || inv?.status !== 'done' || !inv.xeroId) {
      // Not an error: the order is not (yet) in Xero; the return is booked once its invoice is.
      state.plans?.push({ orderId: id, action: 'refund', outcome: 'skipped', reason: `${what} waits: the order's invoice is not in Xero` });
      continue;
    }
    const view: OrderPlanView = { orderId: id, action: 'refund', outcome: 'pending', invoiceNumber: inv.xeroNumber ?? undefined };
    state.plans?.push(view);
    const fail = (reason: string) => {
      failOrder(state, id, `${what}: ${reason}`, view);
      failures.push({ entityKey: w.key, status: 'failed', lastError: `${what}: ${reason}` });
    };
    const contact = contactRows.get(contactKeys.get(id)!);
    if (contact?.status !== 'done' || !contact.xeroId) {
      fail('the contact of its invoice is not known to the connector; the credit note cannot be addressed');
      continue;
    }
    try {
      const draft = mapReturnToCreditNote(state, order, w, inv.xeroNumber ?? '', contact.xeroId);
      view.creditNote = draft;
      notes.push({ w, order, draft, invoiceId: inv.xeroId, invoiceNumber: inv.xeroNumber ?? draft.CreditNoteNumber, view });
    } catch (e) {
      if (isSyncError(e) && (e.kind === 'config' || e.kind === 'needs-reconnect')) throw e;
      fail(reasonOf(e));
    }
  }
  await state.ledger.record('credit-note', failures);
  if (state.dry) {
    notes.forEach((n) => {
      const done = noteRows.get(n.w.key)?.status === 'done';
      n.view.outcome = done ? 'would-allocate' : 'would-refund';
      // The same count as the real run for the credit notes it would create, and the plan names them.
      if (!done) state.counts.creditNotesCreated += 1;
      state.ledger.plan({ action: done ? 'allocate' : 'refund', entityType: done ? 'allocation' : 'credit-note', key: n.w.key, number: n.draft.CreditNoteNumber, orderId: n.order.orderId, detail: `return of invoice ${n.invoiceNumber}` });
    });
    return;
  }
  if (!notes.length) return;

  // Credit notes, exactly once: every one not yet settled is looked up by number first.
  const byNumber = new Map<string, XeroCreditNote>();
  for (const cn of await xero.findCreditNotesByNumbers(notes.map((n) => n.draft.CreditNoteNumber))) byNumber.set(cn.CreditNoteNumber, cn);
  const toCreate = notes.filter((n) => noteRows.get(n.w.key)?.status !== 'done');
  if (toCreate.length) {
    const result = await state.ledger.writeOnce<OnceItem<XeroCreditNoteDraft> & { n: Note }, XeroCreditNote>({
      entityType: 'credit-note',
      items: toCreate.map((n) => ({ key: n.w.key, hash: payloadHash(n.draft), draft: n.draft, number: n.draft.CreditNoteNumber, row: noteRows.get(n.w.key), n })),
      lookup: {
        candidates: () => true,
        find: async (items) => {
          const out = new Map<string, { xeroId: string; xeroNumber: string }>();
          for (const i of items) {
            const cn = byNumber.get(i.draft.CreditNoteNumber);
            if (cn) out.set(i.key, { xeroId: cn.CreditNoteID, xeroNumber: cn.CreditNoteNumber });
          }
          return out;
        },
      },
      send: (items) => xero.createCreditNotes(items.map((i) => i.draft)),
      identify: (v) => ({ xeroId: v.CreditNoteID, xeroNumber: v.CreditNoteNumber }),
      refused: (i, errors) => ({ lastError: `Xero refused the credit note of return ${i.n.w.ret.returnId}: ${errors.join('; ')}` }),
    });
    for (const c of result.created) byNumber.set(c.value.CreditNoteNumber, c.value);
    for (const r of result.refused) failOrder(state, r.item.n.order.orderId, r.reason, r.item.n.view);
    state.counts.creditNotesAdopted += result.adopted.length;
    state.counts.creditNotesCreated += result.created.length;
  }

  const settle: CreditToSettle[] = [];
  for (const n of notes) {
    const note = byNumber.get(n.draft.CreditNoteNumber);
    if (!note || n.view.outcome === 'failed') continue;
    const storeCredit = n.w.kind === 'store-credit';
    settle.push({
      orderId: n.order.orderId,
      key: n.w.key,
      view: n.view,
      invoiceId: n.invoiceId,
      invoiceNumber: n.invoiceNumber,
      draft: n.draft,
      note,
      payOutAccount: storeCredit ? state.ctx.accounts.storeCredit || null : paymentAccountFor(n.order, state.ctx),
      payOutHint: storeCredit
        ? 'set the store credit liability account (Store Credit Account Code) and turn on "Enable payments to this account" for it in Xero'
        : `map payment method "${n.order.paymentMethod?.code || 'none'}" to a payment account in the connector's settings`,
      what: storeCredit ? `credits return ${n.w.ret.returnId} to store credit` : `refunds return ${n.w.ret.returnId}`,
    });
  }
  await settleCredits(state, settle, allocRows, refundRows);
}

/**
 * The credit note of one return: the returned quantity of the order line at the line's own unit
 * price (converted to the order currency, 4 dp) with the invoice line's account, tax type and item;
 * the per-unit fixed-amount tax (OpenCart's tax per unit beyond the percentage rate) on its own line
 * as the invoice books it.
 */
export function mapReturnToCreditNote(state: OrderRun, order: OcOrder, w: Booked, invoiceNumber: string, contactId: string): XeroCreditNoteDraft {
  const plan = mapOrderToInvoice(order, state.ctx);
  const ret = w.ret;
  const candidates = order.lines.map((l, i) => ({ l, i })).filter(({ l }) => l.productId === ret.productId);
  if (!candidates.length) throw new Error(`order ${order.orderId} has no line of product ${ret.productId} (${ret.product}); correct the return in OpenCart`);
  const { l: line, i } = candidates.find(({ l }) => l.quantity >= ret.quantity) ?? candidates[0]!;
  if (!(ret.quantity > 0) || ret.quantity > line.quantity) throw new Error(`it returns ${ret.quantity} but the order line has ${line.quantity}; correct the return's quantity in OpenCart`);
  const invLine = plan.invoice.LineItems[i];
  if (!invLine) throw new Error(`the invoice of order ${order.orderId} has no line for "${line.name}"`);
  const cv = new Decimal(order.currencyValue);
  const unit = new Decimal(line.price).times(cv).toDecimalPlaces(4);
  const lines: XeroLineItemDraft[] = [{ ...invLine, Quantity: ret.quantity, UnitAmount: unit.toNumber() }];
  delete lines[0]!.TaxAmount;
  // The percentage part of the line's tax is Xero's to compute from the tax type; what OpenCart
  // charged beyond it per unit is a fixed-amount tax, booked on its own line as on the invoice.
  const pct = [...state.ctx.taxTypes.byId.values()].find((r) => r.taxType && r.taxType === invLine.TaxType);
  const pctPerUnit = pct ? new Decimal(line.price).times(pct.xeroRatePercent ?? pct.rate).dividedBy(100) : new Decimal(0);
  const fixedPerUnit = new Decimal(line.taxPerUnit).minus(pctPerUnit);
  if (fixedPerUnit.abs().gte('0.005')) {
    const fixedRates = [...state.ctx.taxTypes.byId.values()].filter((r) => r.type === 'F');
    const own = fixedRates.map((r) => ({ r, li: plan.invoice.LineItems.find((x) => x.Description === r.name) })).find((x) => x.li);
    lines.push({
      Description: own?.r.name ?? 'Tax',
      Quantity: ret.quantity,
      UnitAmount: fixedPerUnit.times(cv).toDecimalPlaces(4).toNumber(),
      AccountCode: own?.li?.AccountCode ?? own?.r.accountCode ?? state.ctx.accounts.sales,
      TaxType: own?.li?.TaxType ?? state.ctx.taxTypes.noTaxType,
    });
  }
  landOnOpenCart(state, lines, new Decimal(line.price).plus(line.taxPerUnit).times(ret.quantity).times(cv).toDecimalPlaces(2, Decimal.ROUND_HALF_UP));
  const changed = (ret.dateModified || ret.dateAdded || order.dateModified).slice(0, 10);
  const note: XeroCreditNoteDraft = {
    Type: 'ACCRECCREDIT',
    Contact: { ContactID: contactId },
    CreditNoteNumber: returnCreditNoteNumber(invoiceNumber || plan.invoice.InvoiceNumber, ret.returnId),
    Reference: truncate(`Return ${ret.returnId} of ${invoiceNumber || plan.invoice.InvoiceNumber}: ${ret.quantity} × ${ret.product || ret.model} (${ret.action})`, 255),
    Date: changed < plan.invoice.Date ? plan.invoice.Date : changed,
    Status: 'AUTHORISED',
    LineAmountTypes: plan.invoice.LineAmountTypes,
    LineItems: lines,
  };
  if (plan.invoice.CurrencyCode) note.CurrencyCode = plan.invoice.CurrencyCode;
  if (plan.invoice.CurrencyRate !== undefined) note.CurrencyRate = plan.invoice.CurrencyRate;
  return note;
}

/**
 * Makes Xero's arithmetic (line amounts and their tax rounded per line) land on what OpenCart
 * refunds to the cent (DESIGN.md §5): the product line's 4-dp unit price moves within its rounding
 * when that is enough, else one Rounding line (no tax) takes the difference.
 */
function landOnOpenCart(state: OrderRun, lines: XeroLineItemDraft[], expected: Decimal): void {
  const rateByType = new Map(state.ctx.xeroTaxRates.map((r) => [r.TaxType.toUpperCase(), new Decimal(r.EffectiveRate)]));
  const rateOf = (t: string | undefined) => (t ? (rateByType.get(t.toUpperCase()) ?? new Decimal(0)) : new Decimal(0));
  const totalOf = () => computeXeroTotals('Exclusive', lines, rateOf).total;
  if (totalOf().eq(expected)) return;
  const product = lines[0]!;
  const qty = new Decimal(product.Quantity);
  const original = product.UnitAmount;
  const net = qty.times(original).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  for (const k of [-1, 1, -2, 2]) {
    const unit = net.plus(new Decimal(k).times('0.01')).dividedBy(qty).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
    product.UnitAmount = unit.toNumber();
    if (totalOf().eq(expected)) return;
  }
  product.UnitAmount = original;
  const rest = expected.minus(totalOf());
  lines.push({ Description: 'Rounding', Quantity: 1, UnitAmount: rest.toNumber(), AccountCode: state.ctx.accounts.rounding, TaxType: state.ctx.taxTypes.noTaxType });
}
