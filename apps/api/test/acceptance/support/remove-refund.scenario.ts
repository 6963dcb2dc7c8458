/**
 * TEST HELPER: the after-sale scenario shared by the sample-store and real-dump suites. Exported
 * orders reach Canceled, Voided and Refunded in the store; the next run voids the approved invoices
 * (our payments removed first) and gives the refunded ones an allocated credit note, touching
 * nothing else; a further run does nothing.
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
  const before = invoicesByNumber(orgState(sandbox));
  const paidExported = store.truth.filter((o) => before.get(`OC-${o.orderId}`)?.Status === 'PAID');
  const unpaidExported = store.truth.filter((o) => before.get(`OC-${o.orderId}`)?.Status === 'AUTHORISED');
  expect(paidExported.length).toBeGreaterThan(4);
  expect(unpaidExported.length).toBeGreaterThan(1);
  const cancel = [paidExported[0]!.orderId, unpaidExported[0]!.orderId];
  const voided = [paidExported[1]!.orderId];
  const refund = [paidExported[2]!.orderId, paidExported[3]!.orderId, unpaidExported[1]!.orderId];
  await setStatus(store, cancel, 'Canceled');
  await setStatus(store, voided, 'Voided');
  await setStatus(store, refund, 'Refunded');

  const ctx = await openContext(env);
  try {
    const run = await runSync(ctx, { orders: true, settings });
    expect(run.summary.status).toBe('completed');
    expect(run.summary.failures).toEqual([]);
    expect(run.summary.orders.removed).toBe(3);
    expect(run.summary.created.creditNotes).toBe(3);
    expect(run.summary.orders.refunded).toBe(3);

    const state = orgState(sandbox);
    const after = invoicesByNumber(state);
    for (const id of [...cancel, ...voided]) {
      const inv = after.get(`OC-${id}`)!;
      expect({ id, status: inv.Status }).toEqual({ id, status: 'VOIDED' });
      expect(paymentsOf(state, String(inv.InvoiceID))).toEqual([]);
    }
    for (const id of refund) {
      const inv = after.get(`OC-${id}`)!;
      const notes = state.CreditNotes.filter((c) =>
        ((c.Allocations as Json[] | undefined) ?? []).some(
          (a) => (a.Invoice as Json).InvoiceID === inv.InvoiceID,
        ),
      );
      expect(notes).toHaveLength(1);
      const note = notes[0]!;
      expect(note.Type).toBe('ACCRECCREDIT');
      expect(note.CurrencyCode).toBe(inv.CurrencyCode);
      expect(note.Total).toBe(inv.Total);
      expect(note.RemainingCredit).toBe(0);
      // The refund replaces our payment: the invoice is settled by the credit note alone.
      expect(paymentsOf(state, String(inv.InvoiceID))).toEqual([]);
      expect(inv.AmountDue).toBe(0);
    }
    // Nothing else moved.
    const touched = new Set([...cancel, ...voided, ...refund].map((id) => `OC-${id}`));
    for (const [n, inv] of before)
      if (!touched.has(n)) expect({ n, s: after.get(n)!.Status }).toEqual({ n, s: inv.Status });

    const again = await runSync(ctx, { orders: true, settings });
    expect(
      again.summary.orders.removed +
        again.summary.created.creditNotes +
        again.summary.created.invoices +
        again.summary.created.payments,
    ).toBe(0);
    expect(sandbox.violations()).toEqual([]);
  } finally {
    await ctx.close();
  }
}
