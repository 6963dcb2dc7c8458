/**
 * TEST HELPER: the after-sale scenario shared by the sample-store and real-dump suites, booked as an
 * accountant would (DESIGN.md §3 Payments/Refunds, §5.7). Exported orders reach Canceled, Voided and
 * Refunded in the store. The next run voids the unpaid approved invoice; every paid one (one of them
 * with its payment reconciled in Xero) keeps its payment and gets a credit note for the whole of it,
 * paid back out of the account the money came in; the unpaid refunded one takes its credit note as an
 * allocation. No payment is deleted, nothing else moves, and a further run does nothing.
 */
import type { Settings } from '@oc-xero/sync-core';
import type { RunningSandbox } from '@oc-xero/xero-sandbox';
import { runSync } from '../../../src/cli/sync.command';
import { invoicesByNumber, openContext, orgState, paymentsOf } from './acceptance.harness';
import { setStatus, type SampleStore } from './sample-store.fixture';

type Json = Record<string, unknown>;

export async function removeAndRefundScenario(
  store: SampleStore,
  sandbox: RunningSandbox,
  env: NodeJS.ProcessEnv,
  settings: Settings,
): Promise<void> {
  const beforeState = orgState(sandbox);
  const before = invoicesByNumber(beforeState);
  const paidExported = store.truth.filter((o) => before.get(`OC-${o.orderId}`)?.Status === 'PAID');
  const unpaidExported = store.truth.filter((o) => before.get(`OC-${o.orderId}`)?.Status === 'AUTHORISED');
  expect(paidExported.length).toBeGreaterThan(4);
  expect(unpaidExported.length).toBeGreaterThan(1);
  const cancel = [paidExported[0]!.orderId, unpaidExported[0]!.orderId];
  const voided = [paidExported[1]!.orderId];
  const refund = [paidExported[2]!.orderId, paidExported[3]!.orderId, unpaidExported[1]!.orderId];
  const paidOnes = [paidExported[0]!, paidExported[1]!, paidExported[2]!, paidExported[3]!].map((o) => o.orderId);
  // The bookkeeper has matched the cancelled order's payment to the bank statement: Xero will not delete it.
  const reconciled = paymentsOf(beforeState, String(before.get(`OC-${cancel[0]}`)!.InvoiceID));
  expect(reconciled).toHaveLength(1);
  expect(sandbox.reconcilePayment(String(reconciled[0]!.PaymentID))).toBe(true);
  const paymentsBefore = beforeState.Payments.length;
  await setStatus(store, cancel, 'Canceled');
  await setStatus(store, voided, 'Voided');
  await setStatus(store, refund, 'Refunded');

  const ctx = await openContext(env);
  try {
    const run = await runSync(ctx, { orders: true, settings });
    expect(run.summary.status).toBe('completed');
    expect(run.summary.failures).toEqual([]);
    expect(run.summary.orders.removed).toBe(3);
    expect(run.summary.created.creditNotes).toBe(5);
    expect(run.summary.created.refunds).toBe(4);
    expect(run.summary.orders.refunded).toBe(5);

    const state = orgState(sandbox);
    const after = invoicesByNumber(state);
    const noteOf = (id: number): Json => {
      const notes = state.CreditNotes.filter((c) => c.CreditNoteNumber === `OC-${id}-CN`);
      expect(notes).toHaveLength(1);
      return notes[0]!;
    };
    // The unpaid cancelled invoice is voided.
    const unpaidCancelled = after.get(`OC-${cancel[1]}`)!;
    expect(unpaidCancelled.Status).toBe('VOIDED');
    expect(paymentsOf(state, String(unpaidCancelled.InvoiceID))).toEqual([]);
    // Paid ones: invoice still PAID with its own payment; a credit note of the same total paid back
    // from the account the payment came in.
    for (const id of paidOnes) {
      const inv = after.get(`OC-${id}`)!;
      expect({ id, status: inv.Status, paid: inv.AmountPaid }).toEqual({ id, status: 'PAID', paid: inv.Total });
      const payments = paymentsOf(state, String(inv.InvoiceID));
      expect(payments).toHaveLength(1);
      const note = noteOf(id);
      expect(note).toMatchObject({ Type: 'ACCRECCREDIT', Status: 'PAID', RemainingCredit: 0, Total: inv.Total, CurrencyCode: inv.CurrencyCode });
      expect(note.Allocations ?? []).toEqual([]);
      const refunds = state.Payments.filter((p) => (p.CreditNote as Json | undefined)?.CreditNoteID === note.CreditNoteID);
      expect(refunds).toHaveLength(1);
      expect(refunds[0]).toMatchObject({
        PaymentType: 'ARCREDITPAYMENT',
        Amount: inv.Total,
        Status: 'AUTHORISED',
        Account: { Code: (payments[0]!.Account as Json).Code },
      });
    }
    expect(state.Payments.find((p) => p.PaymentID === reconciled[0]!.PaymentID)).toMatchObject({ Status: 'AUTHORISED', IsReconciled: true });
    // The unpaid refunded one: its credit note is allocated, nothing paid out.
    const unpaidRefunded = after.get(`OC-${refund[2]}`)!;
    const allocated = noteOf(refund[2]!);
    expect(((allocated.Allocations as Json[]) ?? []).map((a) => (a.Invoice as Json).InvoiceID)).toEqual([unpaidRefunded.InvoiceID]);
    expect(allocated).toMatchObject({ Total: unpaidRefunded.Total, RemainingCredit: 0 });
    expect(unpaidRefunded).toMatchObject({ Status: 'PAID', AmountDue: 0, AmountPaid: 0 });
    // No payment was deleted: the four refund payments are the only new ones.
    expect(state.Payments.filter((p) => p.Status === 'DELETED')).toEqual([]);
    expect(state.Payments).toHaveLength(paymentsBefore + 4);
    // Nothing else moved.
    const touched = new Set([...cancel, ...voided, ...refund].map((id) => `OC-${id}`));
    for (const [n, inv] of before)
      if (!touched.has(n)) expect({ n, s: after.get(n)!.Status }).toEqual({ n, s: inv.Status });

    const again = await runSync(ctx, { orders: true, settings });
    expect(again.summary.failures).toEqual([]);
    expect(
      again.summary.orders.removed +
        again.summary.created.creditNotes +
        again.summary.created.invoices +
        again.summary.created.payments +
        again.summary.created.refunds,
    ).toBe(0);
    expect(orgState(sandbox).Payments).toHaveLength(paymentsBefore + 4);
    expect(sandbox.violations()).toEqual([]);
  } finally {
    await ctx.close();
  }
}
