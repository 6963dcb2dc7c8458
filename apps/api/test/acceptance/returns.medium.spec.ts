/**
 * Partial refunds from OpenCart returns on the REAL 3.0.5.0 and 4.1.0.3 databases, through the CLI's
 * composition into the spec-checked sandbox. The returns the dumps hold (made with OpenCart's admin
 * Returns form) are moved on as a merchant does in the admin: order 1's 10 of 100 units become
 * Refunded / Complete (a paid COD order: credit note paid back from the bank, invoice still paid),
 * the multi-line GBP order's 2 of 3 units (Credit Issued) become Complete (an unpaid cheque order:
 * the credit note is allocated). Each credit note holds exactly the returned lines, Eco Tax on its own
 * line, and lands on OpenCart's amount to the cent; a rerun posts nothing.
 */
import Decimal from 'decimal.js';
import type { RunningSandbox } from '@oc-xero/xero-sandbox';
import { runSync } from '../../src/cli/sync.command';
import {
  acceptanceSettings,
  cliEnv,
  dropDatabases,
  invoicesByNumber,
  openContext,
  orgState,
  paymentsOf,
  requireShared,
  scratchName,
  snapshot,
  sql,
  startCheckedSandbox,
} from './support/acceptance.harness';
import { loadDumpStore } from './support/dump.fixture';

jest.setTimeout(180_000);

type Json = Record<string, unknown>;
const available = requireShared('fixtures');
const describeIf = available ? describe : describe.skip;

describeIf.each([
  { version: '3' as const, prefix: 'shop3_' },
  { version: '4' as const, prefix: 'oc_' },
])('returns on the real OpenCart $version dump', ({ version, prefix }) => {
  const store = scratchName(`ret${version}`);
  const connector = scratchName(`retc${version}`);
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    await loadDumpStore(store, version, prefix);
    sandbox = await startCheckedSandbox();
  });
  afterAll(async () => {
    await sandbox?.close();
    await dropDatabases([store, connector]);
  });

  /** What OpenCart refunds for `qty` units of an order's product line, in the order currency, to the cent. */
  async function openCart(orderId: number, productId: number, qty: number): Promise<{ total: number; tax: number; currency: string }> {
    const conn = await sql(store);
    try {
      const [rows] = (await conn.query(
        `SELECT op.price, op.tax, o.currency_value, o.currency_code FROM \`${prefix}order_product\` op JOIN \`${prefix}order\` o ON o.order_id = op.order_id WHERE op.order_id = ? AND op.product_id = ?`,
        [orderId, productId],
      )) as unknown as [Array<{ price: string; tax: string; currency_value: string; currency_code: string }>];
      const r = rows[0]!;
      const cv = new Decimal(r.currency_value);
      const round = (d: Decimal) => d.times(qty).times(cv).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
      return { total: round(new Decimal(r.price).plus(r.tax)), tax: round(new Decimal(r.tax)), currency: r.currency_code };
    } finally {
      await conn.end();
    }
  }

  /** As the admin Returns form saves an edit: action, status (by name), date_modified now. */
  async function moveReturn(returnId: number, action: string | null, status: string): Promise<{ orderId: number; productId: number; quantity: number }> {
    const conn = await sql(store);
    try {
      const id = async (table: string, name: string) => {
        const [rows] = (await conn.query(`SELECT ${table}_id AS id FROM \`${prefix}${table}\` WHERE name = ? LIMIT 1`, [name])) as unknown as [Array<{ id: number }>];
        if (!rows[0]) throw new Error(`no ${table} ${name}`);
        return rows[0].id;
      };
      if (action) await conn.query(`UPDATE \`${prefix}return\` SET return_action_id = ? WHERE return_id = ?`, [await id('return_action', action), returnId]);
      await conn.query(`UPDATE \`${prefix}return\` SET return_status_id = ?, date_modified = NOW() WHERE return_id = ?`, [await id('return_status', status), returnId]);
      const [rows] = (await conn.query(`SELECT order_id, product_id, quantity FROM \`${prefix}return\` WHERE return_id = ?`, [returnId])) as unknown as [Array<{ order_id: number; product_id: number; quantity: number }>];
      return { orderId: rows[0]!.order_id, productId: rows[0]!.product_id, quantity: rows[0]!.quantity };
    } finally {
      await conn.end();
    }
  }

  it('a Refunded return of a paid order and a store-credit return of an unpaid one: credit notes of exactly those lines to the cent, paid back or allocated; a rerun posts nothing', async () => {
    const settings = acceptanceSettings();
    const ctx = await openContext(cliEnv({ store, connector, prefix, sandboxUrl: sandbox.url }));
    try {
      const first = await runSync(ctx, { all: true, settings });
      expect(first.summary.status).toBe('completed');
      expect(first.summary.failures).toEqual([]);
      // The dumps' own returns: only a return of an order that never reached Xero is booked-ready
      // (3.x return 1 of the Refunded order); it waits, nothing is posted for it.
      expect(orgState(sandbox).CreditNotes.filter((c) => /-R\d+$/.test(String(c.CreditNoteNumber)))).toEqual([]);

      const refunded = await moveReturn(3, 'Refunded', 'Complete');
      const credited = await moveReturn(2, null, 'Complete');
      const before = orgState(sandbox);
      const invoices = invoicesByNumber(before);
      const paidInvoice = invoices.get(`OC-${refunded.orderId}`)!;
      const unpaidInvoice = invoices.get(`OC-${credited.orderId}`)!;
      expect(paidInvoice.Status).toBe('PAID');
      expect(unpaidInvoice.Status).toBe('AUTHORISED');
      const paidPayments = paymentsOf(before, String(paidInvoice.InvoiceID));
      expect(paidPayments).toHaveLength(1);

      const run = await runSync(ctx, { orders: true, settings });
      expect(run.summary.status).toBe('completed');
      expect(run.summary.failures).toEqual([]);
      expect(run.summary.created.creditNotes).toBe(2);
      expect(run.summary.created.refunds).toBe(1);

      const state = orgState(sandbox);
      const noteOf = (n: string): Json => {
        const found = state.CreditNotes.filter((c) => c.CreditNoteNumber === n);
        expect(found).toHaveLength(1);
        return found[0]!;
      };
      const lines = (note: Json) => (note.LineItems as Json[]).map((l) => ({ d: String(l.Description), q: Number(l.Quantity), amount: Number(l.LineAmount), tax: Number(l.TaxAmount ?? 0) }));
      const eco = (l: { d: string }) => /eco/i.test(l.d);

      // 1. Paid order: 10 of 100 units refunded.
      const refundNote = noteOf(`OC-${refunded.orderId}-R3`);
      const expected1 = await openCart(refunded.orderId, refunded.productId, refunded.quantity);
      const l1 = lines(refundNote);
      console.log(`OpenCart ${version} return 3: ${JSON.stringify(l1)} total ${String(refundNote.Total)} (OpenCart ${expected1.total}), tax ${String(refundNote.TotalTax)}`);
      expect(l1.filter((l) => !eco(l) && l.d !== 'Rounding').map((l) => l.q)).toEqual([refunded.quantity]);
      expect(l1.filter(eco).map((l) => l.q)).toEqual([refunded.quantity]);
      expect(refundNote).toMatchObject({ Type: 'ACCRECCREDIT', Status: 'PAID', RemainingCredit: 0, Total: expected1.total, CurrencyCode: expected1.currency });
      // Tax to the cent: the percentage tax Xero computed plus the Eco Tax line is OpenCart's tax.
      expect(new Decimal(String(refundNote.TotalTax)).plus(l1.filter(eco).reduce((s, l) => s + l.amount, 0)).toNumber()).toBe(expected1.tax);
      const refundPayments = state.Payments.filter((p) => (p.CreditNote as Json | undefined)?.CreditNoteID === refundNote.CreditNoteID);
      expect(refundPayments).toHaveLength(1);
      expect(refundPayments[0]).toMatchObject({ Amount: expected1.total, PaymentType: 'ARCREDITPAYMENT', Account: { Code: (paidPayments[0]!.Account as Json).Code } });
      expect(invoicesByNumber(state).get(`OC-${refunded.orderId}`)).toMatchObject({ Status: 'PAID', AmountPaid: paidInvoice.Total });
      expect(paymentsOf(state, String(paidInvoice.InvoiceID)).map((p) => p.PaymentID)).toEqual(paidPayments.map((p) => p.PaymentID));

      // 2. Unpaid GBP order: 2 of 3 units as store credit, allocated to what the invoice owes.
      const creditNote = noteOf(`OC-${credited.orderId}-R2`);
      const expected2 = await openCart(credited.orderId, credited.productId, credited.quantity);
      const l2 = lines(creditNote);
      console.log(`OpenCart ${version} return 2: ${JSON.stringify(l2)} total ${String(creditNote.Total)} (OpenCart ${expected2.total} ${expected2.currency})`);
      expect(l2.filter((l) => !eco(l) && l.d !== 'Rounding').map((l) => l.q)).toEqual([credited.quantity]);
      expect(creditNote).toMatchObject({ Status: 'PAID', RemainingCredit: 0, Total: expected2.total, CurrencyCode: expected2.currency });
      expect(new Decimal(String(creditNote.TotalTax)).plus(l2.filter(eco).reduce((s, l) => s + l.amount, 0)).toNumber()).toBe(expected2.tax);
      const after2 = invoicesByNumber(state).get(`OC-${credited.orderId}`)!;
      expect(after2.AmountDue).toBe(new Decimal(String(unpaidInvoice.AmountDue)).minus(expected2.total).toNumber());
      expect(state.Payments.filter((p) => (p.CreditNote as Json | undefined)?.CreditNoteID === creditNote.CreditNoteID)).toEqual([]);
      expect(state.Payments.filter((p) => p.Status === 'DELETED')).toEqual([]);

      const picture = snapshot(state);
      const again = await runSync(ctx, { orders: true, settings });
      expect(again.summary.failures).toEqual([]);
      expect(again.summary.created).toMatchObject({ creditNotes: 0, refunds: 0, invoices: 0, payments: 0 });
      expect(snapshot(orgState(sandbox))).toEqual(picture);
      expect(orgState(sandbox).Payments).toHaveLength(state.Payments.length);
      expect(sandbox.violations()).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});
