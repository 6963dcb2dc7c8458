/**
 * How a credit note of ours is settled, the way an accountant books a refund (DESIGN.md §3, §5.7):
 * what the invoice still owes takes the credit as an allocation; what the customer had already paid
 * is paid back out by a refund payment against the credit note, from the account the money came in
 * (Xero: "refund a credit note"). The invoice keeps its payment (a reconciled payment cannot be
 * deleted, and deleting one erases the cash trail). Allocations are per-object state changes
 * (reserved, recorded); refund payments go through the write-once protocol ('refund' rows), so a
 * crash or a retry never pays out twice.
 */
import Decimal from 'decimal.js';
import { isSyncError } from '../../errors';
import type { LedgerEntry } from '../../ledger/ledger.port';
import type { OnceItem } from '../../ledger/write-once.protocol';
import type { XeroCreditNote, XeroCreditNoteDraft, XeroPayment, XeroRefundPaymentDraft } from '../../ports/xero.port';
import { payloadHash, reasonOf } from '../sync-run.model';
import { conflictOrder, failOrder } from './order-outcomes';
import type { OrderPlanView, OrderRun } from './sync-orders.model';

/** One credit note of ours to settle against its invoice. */
export interface CreditToSettle {
  orderId: number;
  /** Ledger key of the credit note's allocation and refund rows ('order:42', 'return:7'). */
  key: string;
  view: OrderPlanView;
  invoiceId: string;
  invoiceNumber: string;
  draft: XeroCreditNoteDraft;
  note: XeroCreditNote;
  /**
   * The account a paid-out remainder leaves from (the order's payment account; the store-credit
   * liability for store credit), or null when none is mapped: then a paid invoice is a conflict.
   */
  payOutAccount: string | null;
  /** Says what to map when payOutAccount is null. */
  payOutHint: string;
  /** Past tense of what happened, for the run log ('refunded', 'credited to store credit'). */
  what: string;
}

type RefundItem = OnceItem<XeroRefundPaymentDraft> & { c: CreditToSettle };

const money = (n: Decimal.Value): number => new Decimal(n).toDecimalPlaces(2).toNumber();
/** The hash names the credit note and the account, not the amount: a retry after a lost answer is the same refund. */
const refundHash = (c: CreditToSettle): string => payloadHash({ refund: c.draft.CreditNoteNumber, account: c.payOutAccount });

/**
 * Settles each credit note: allocation for what the invoice owes, a refund payment for the rest.
 * `allocRows`/`refundRows`: the ledger rows of the credits' keys.
 */
export async function settleCredits(state: OrderRun, credits: CreditToSettle[], allocRows: Map<string, LedgerEntry>, refundRows: Map<string, LedgerEntry>): Promise<void> {
  if (!credits.length || state.dry) return;
  const { xero } = state.deps;
  const payOuts: Array<{ c: CreditToSettle; amount: number }> = [];
  // Outcome unknown only for rows an earlier run left pending (not the ones reserved below).
  const unknown = new Set(credits.filter((c) => refundRows.get(c.key)?.status === 'pending').map((c) => c.key));
  const settled: CreditToSettle[] = [];
  await state.ledger.reserve(
    'allocation',
    credits.filter((c) => allocRows.get(c.key)?.status !== 'done').map((c) => ({ entityKey: c.key, payloadHash: payloadHash({ allocate: c.draft.CreditNoteNumber }), xeroNumber: c.draft.CreditNoteNumber })),
  );
  for (const c of credits) {
    const inv = await xero.getInvoice(c.invoiceId);
    if (!inv || inv.Status === 'DELETED' || inv.Status === 'VOIDED') {
      await conflictOrder(state, c.orderId, c.key, c.invoiceId, `invoice ${c.invoiceNumber} is ${inv?.Status ?? 'gone'} in Xero, so credit note ${c.draft.CreditNoteNumber} cannot be settled against it; handle the credit note in Xero`, c.view, 'allocation');
      continue;
    }
    let remaining = new Decimal(c.note.RemainingCredit ?? c.note.Total);
    const onInvoice = inv.CreditNotes?.some((n) => n.CreditNoteID === c.note.CreditNoteID) ?? false;
    if (!onInvoice && remaining.gt(0) && new Decimal(inv.AmountDue).gt(0)) {
      if (inv.Status !== 'AUTHORISED') {
        const reason = `invoice ${c.invoiceNumber} is ${inv.Status} in Xero; a credit note is allocated only to an approved (AUTHORISED) invoice. Approve it in Xero and the next sync settles ${c.draft.CreditNoteNumber}.`;
        failOrder(state, c.orderId, reason, c.view);
        await state.ledger.record('allocation', [{ entityKey: c.key, status: 'failed', lastError: reason }]);
        continue;
      }
      const amount = Decimal.min(remaining, inv.AmountDue);
      try {
        await xero.allocateCreditNote(c.note.CreditNoteID, c.invoiceId, amount.toNumber(), c.draft.Date);
      } catch (e) {
        if (isSyncError(e) && e.kind === 'validation') {
          const reason = `Xero refused to allocate credit note ${c.draft.CreditNoteNumber}: ${reasonOf(e)}`;
          failOrder(state, c.orderId, reason, c.view);
          await state.ledger.record('allocation', [{ entityKey: c.key, status: 'failed', lastError: reason }]);
          continue;
        }
        throw e;
      }
      state.counts.allocations += 1;
      remaining = remaining.minus(amount);
    }
    const refundRow = refundRows.get(c.key);
    // The pay-out is reserved before the allocation is recorded done, so a crash in between leaves
    // a pending refund (retried, looked up) rather than a credit note that looks settled.
    if (remaining.gt(0) && c.payOutAccount && refundRow?.status !== 'pending') {
      await state.ledger.reserve('refund', [{ entityKey: c.key, payloadHash: refundHash(c), xeroNumber: c.draft.CreditNoteNumber }]);
      refundRows.set(c.key, { ...(refundRow ?? { scope: state.scope, entityType: 'refund', entityKey: c.key, xeroId: null, xeroNumber: c.draft.CreditNoteNumber, payloadHash: null, attempts: 0, lastError: null, updatedAt: '' }), status: 'pending' });
    }
    // Nothing (more) is owed on the invoice: the allocation part is settled either way.
    if (allocRows.get(c.key)?.status !== 'done') await state.ledger.record('allocation', [{ entityKey: c.key, status: 'done', xeroId: c.note.CreditNoteID, xeroNumber: c.draft.CreditNoteNumber }]);
    if (remaining.gt(0)) {
      if (!c.payOutAccount) {
        await conflictOrder(state, c.orderId, c.key, c.invoiceId, `invoice ${c.invoiceNumber} is already paid, so the ${remaining.toFixed(2)} left on credit note ${c.draft.CreditNoteNumber} must be paid back out of the account the money came in; ${c.payOutHint}, or record the refund against the credit note in Xero`, c.view, 'refund');
        continue;
      }
      payOuts.push({ c, amount: money(remaining) });
    } else {
      // Nothing left on the credit note: a refund whose answer was lost is on it already.
      // (A lost connector database finds it the same way.)
      const paid = c.note.Payments?.[0];
      if (paid && refundRow?.status !== 'done') {
        await state.ledger.record('refund', [{ entityKey: c.key, status: 'done', xeroId: paid.PaymentID }]);
        state.counts.refundsAdopted += 1;
      } else if (refundRow?.status === 'pending') await state.ledger.record('refund', [{ entityKey: c.key, status: 'removed', lastError: 'nothing was left to pay back' }]);
      settled.push(c);
    }
  }

  if (payOuts.length) {
    const items: RefundItem[] = payOuts.map(({ c, amount }) => {
      const draft: XeroRefundPaymentDraft = {
        CreditNote: { CreditNoteID: c.note.CreditNoteID },
        Account: { Code: c.payOutAccount ?? '' },
        Date: c.draft.Date,
        Amount: amount,
        Reference: `Refund ${c.draft.CreditNoteNumber}`.slice(0, 255),
      };
      if (c.draft.CurrencyRate !== undefined) draft.CurrencyRate = c.draft.CurrencyRate;
      return { key: c.key, hash: refundHash(c), draft, number: c.draft.CreditNoteNumber, row: refundRows.get(c.key), c };
    });
    const result = await state.ledger.writeOnce<RefundItem, XeroPayment>({
      entityType: 'refund',
      items,
      lookup: {
        // A refund whose answer was lost is on its credit note: adopt it instead of paying twice.
        candidates: (i) => unknown.has(i.key),
        find: async (found) => {
          const notes = new Map((await xero.findCreditNotesByNumbers(found.map((i) => i.c.draft.CreditNoteNumber))).map((n) => [n.CreditNoteNumber, n]));
          const out = new Map<string, { xeroId: string }>();
          for (const i of found) {
            const paid = notes.get(i.c.draft.CreditNoteNumber)?.Payments?.[0];
            if (paid) out.set(i.key, { xeroId: paid.PaymentID });
          }
          return out;
        },
      },
      send: (toSend) => xero.createRefundPayments(toSend.map((i) => i.draft)),
      identify: (v) => ({ xeroId: v.PaymentID }),
      refused: (i, errors) => ({ lastError: `Xero refused the refund payment of credit note ${i.c.draft.CreditNoteNumber} from account ${i.draft.Account.Code ?? ''}: ${errors.join('; ')}` }),
    });
    state.counts.refundsCreated += result.created.length;
    state.counts.refundsAdopted += result.adopted.length;
    for (const r of result.refused) failOrder(state, r.item.c.orderId, r.reason, r.item.c.view);
    for (const x of [...result.created.map((c) => c.item), ...result.adopted.map((a) => a.item)]) {
      x.c.view.outcome = 'refunded';
      settled.push(x.c);
      state.reporter.log({
        level: 'info',
        entityType: 'order',
        entityId: String(x.c.orderId),
        status: 'refunded',
        message: `Order ${x.c.orderId}: credit note ${x.c.draft.CreditNoteNumber} (${x.c.note.Total}) ${x.c.what}: ${x.draft.Amount.toFixed(2)} paid back from account ${x.draft.Account.Code ?? ''}; invoice ${x.c.invoiceNumber} keeps its payment.`,
      });
    }
  }
  for (const c of settled) {
    if (c.view.outcome !== 'refunded') {
      c.view.outcome = 'refunded';
      state.reporter.log({ level: 'info', entityType: 'order', entityId: String(c.orderId), status: 'refunded', message: `Order ${c.orderId}: credit note ${c.draft.CreditNoteNumber} (${c.note.Total}) ${c.what}, allocated to invoice ${c.invoiceNumber}.` });
    }
    state.counts.ordersRefunded += 1;
  }
}
