/**
 * Acceptance on the REAL OpenCart 4.1 dump: orders that change after export (issue 11 §1). An order
 * edited in MariaDB the way OpenCart's admin edit leaves it gets its Xero invoice updated to the
 * new total to the cent (and a second run posts nothing); a paid one becomes a conflict saying
 * what to do, listed as needing attention; an invoice exported as DRAFT is authorised through the
 * same update once the settings ask for it, then paid. All through the CLI's composition into a
 * sandbox checking every request and answer against Xero's spec.
 */
import { PreviewOrdersUseCase, systemClock, type Settings, type SyncLogger } from '@oc-xero/sync-core';
import type { RunningSandbox } from '@oc-xero/xero-sandbox';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../src/config/app-config';
import { runSync } from '../../src/cli/sync.command';
import { OrderStateRepository } from '../../src/orders/order-state.repository';
import {
  acceptanceSettings,
  cents,
  cliEnv,
  dbUrl,
  dropDatabases,
  invoicesByNumber,
  openContext,
  orgState,
  paymentsOf,
  requireShared,
  scratchName,
  startCheckedSandbox,
} from './support/acceptance.harness';
import { loadDumpStore } from './support/dump.fixture';
import { editQuantity } from './support/order-edit.fixture';
import { setStatus, type SampleStore } from './support/sample-store.fixture';

jest.setTimeout(240_000);

const available = requireShared('fixtures');
const describeIf = available ? describe : describe.skip;

type Json = Record<string, unknown>;
const SCOPE = 'acceptance';
const silentLogger: SyncLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
/** Order 3: 1 × Canon EOS 5D (product 30) by cheque, exported unpaid. Order 14: 1 × iMac (41) by cash on delivery, paid; 130.00. */
const UNPAID = { orderId: 3, productId: 30 };
const PAID = { orderId: 14, productId: 41 };
/** Order 38: 2 × iMac by cheque, Processing (paid once Complete: cheque mapped in these runs). */
const LATER_PAID = 38;

const writesOf = (byEndpoint: Record<string, number>): string[] =>
  Object.keys(byEndpoint).filter((k) => /^(PUT|POST|DELETE) /.test(k));
const callsTo = (byEndpoint: Record<string, number>, pattern: RegExp): number =>
  Object.entries(byEndpoint).reduce((n, [k, v]) => (pattern.test(k) ? n + v : n), 0);

describeIf('orders changed after export (real OpenCart 4 dump)', () => {
  const store = scratchName('edit4');
  const connector = scratchName('editconn4');
  const connector2 = scratchName('editconn4b');
  let sandbox: RunningSandbox;
  let dump!: SampleStore;
  let db: DataSource;
  let states: OrderStateRepository;

  beforeAll(async () => {
    dump = await loadDumpStore(store, '4', 'oc_');
    sandbox = await startCheckedSandbox();
  });
  afterAll(async () => {
    if (db?.isInitialized) await db.destroy();
    await sandbox?.close();
    await dropDatabases([store, connector, connector2]);
  });

  const invoice = (n: number, sb: RunningSandbox = sandbox): Json =>
    invoicesByNumber(orgState(sb)).get(`OC-${n}`)!;

  async function sync(env: NodeJS.ProcessEnv, settings: Settings) {
    const ctx = await openContext(env);
    try {
      const { summary } = await runSync(ctx, { all: true, settings });
      expect(summary.status).toBe('completed');
      return { summary, failures: summary.failures, calls: summary.xero.callsByEndpoint };
    } finally {
      await ctx.close();
    }
  }

  it('an edited unpaid order updates its invoice to the new OpenCart total to the cent; the next run posts nothing', async () => {
    const env = cliEnv({ store, connector, sandboxUrl: sandbox.url, scope: SCOPE });
    const settings = acceptanceSettings();
    const first = await sync(env, settings);
    expect(first.failures).toEqual([]);
    expect(invoice(UNPAID.orderId)).toMatchObject({ Status: 'AUTHORISED', Total: 145, AmountPaid: 0 });
    expect(invoice(PAID.orderId)).toMatchObject({ Status: 'PAID', Total: 130 });
    const countBefore = orgState(sandbox).Invoices.length;

    const edit = await editQuantity(dump, UNPAID.orderId, UNPAID.productId, 2);
    expect(edit).toEqual({ before: '145.00', after: '282.00' });
    // The preview (same code as the run, nothing written) shows the real difference first.
    const pctx = await openContext(env);
    try {
      const preview = await new PreviewOrdersUseCase({
        reader: pctx.openCart.reader,
        xero: pctx.xero,
        store: pctx.store,
        logger: silentLogger,
        clock: systemClock,
      }).execute({ scope: SCOPE, orderIds: [UNPAID.orderId], settings });
      expect(preview.orders.find((o) => o.orderId === UNPAID.orderId)).toMatchObject({
        outcome: 'would-update',
        reason: 'would update invoice OC-3: 145.00 → 282.00 USD',
        difference: '-137.00',
        xeroHeld: { status: 'AUTHORISED', total: '145.00' },
        xeroTotals: { total: '282.00' },
      });
      expect(preview.worstDifference).toBe('137.00');
    } finally {
      await pctx.close();
    }
    expect(cents(invoice(UNPAID.orderId).Total)).toBe(14500);

    const second = await sync(env, settings);
    expect(second.failures).toEqual([]);
    expect(second.summary.updated).toEqual({ contacts: 0, invoices: 1 });
    expect(second.summary.created).toMatchObject({ invoices: 0, payments: 0 });
    const inv = invoice(UNPAID.orderId);
    expect(cents(inv.Total)).toBe(cents(edit.after));
    expect(inv).toMatchObject({ Status: 'AUTHORISED', AmountDue: 282 });
    expect((inv.LineItems as Json[]).find((l) => String(l.Description).includes('Canon'))).toMatchObject({
      Quantity: 2,
    });
    expect(orgState(sandbox).Invoices).toHaveLength(countBefore);
    expect(callsTo(second.calls, /^POST \/Invoices/)).toBe(1);
    expect(writesOf(second.calls).filter((k) => !/^POST \/Invoices/.test(k))).toEqual([]);

    const third = await sync(env, settings);
    expect(third.failures).toEqual([]);
    expect(writesOf(third.calls)).toEqual([]);
    expect(cents(invoice(UNPAID.orderId).Total)).toBe(28200);
    expect(sandbox.violations()).toEqual([]);
  });

  it('an edited paid order is a conflict with the amounts and what to do, listed as needing attention; nothing is written', async () => {
    const env = cliEnv({ store, connector, sandboxUrl: sandbox.url, scope: SCOPE });
    const settings = acceptanceSettings();
    const edit = await editQuantity(dump, PAID.orderId, PAID.productId, 2);
    expect(edit).toEqual({ before: '130.00', after: '252.00' });
    const run = await sync(env, settings);
    expect(writesOf(run.calls)).toEqual([]);
    expect(run.summary.orders.conflicts).toBe(1);
    expect(run.failures).toEqual([
      {
        orderId: PAID.orderId,
        entityType: 'order',
        entityId: String(PAID.orderId),
        reason: `order 14 changed after its invoice OC-14 was paid 130.00 in Xero: Xero holds 130.00 USD, OpenCart now says 252.00 USD (difference 122.00); Xero does not allow editing an invoice with a payment or credit note: credit note the old invoice and re-invoice the order, or revert the order in OpenCart`,
      },
    ]);
    expect(invoice(PAID.orderId)).toMatchObject({ Status: 'PAID', Total: 130 });

    // The orders API's needs-attention filter reads the same ledger.
    db = new DataSource({ type: 'mysql', url: dbUrl(connector) });
    await db.initialize();
    states = new OrderStateRepository(db, { scope: SCOPE } as AppConfig);
    const attention = await states.attention();
    expect([...attention.keys()]).toEqual([PAID.orderId]);
    expect(attention.get(PAID.orderId)).toContain(
      'credit note the old invoice and re-invoice the order, or revert the order in OpenCart',
    );

    // Told once: the next run does not read it again or post anything.
    const again = await sync(env, settings);
    expect(again.failures).toEqual([]);
    expect(writesOf(again.calls)).toEqual([]);
    expect(sandbox.violations()).toEqual([]);
  });

  it('Invoice Status DRAFT → AUTHORISED: the draft of an order paid later is authorised through the update, then paid', async () => {
    // A connector database and an organisation of their own.
    const sb = await startCheckedSandbox();
    try {
      const env = cliEnv({ store, connector: connector2, sandboxUrl: sb.url, scope: SCOPE });
      const withCheque = { paymentAccountCodes: { cod: '090', bank_transfer: '090', cheque: '090' } };
      const draft = acceptanceSettings({ ...withCheque, invoiceStatus: 'DRAFT', paidStatuses: ['Complete'] });
      const first = await sync(env, draft);
      expect(first.failures).toEqual([]);
      expect(invoice(LATER_PAID, sb)).toMatchObject({ Status: 'DRAFT', Total: 252, AmountPaid: 0 });

      // The merchant switches to approved invoices; the order is paid later (its status moves on).
      const authorised = acceptanceSettings({
        ...withCheque,
        invoiceStatus: 'AUTHORISED',
        paidStatuses: ['Complete'],
      });
      await setStatus(dump, [LATER_PAID], 'Complete');
      const second = await sync(env, authorised);
      expect(second.failures).toEqual([]);
      expect(second.summary.updated.invoices).toBe(1);
      expect(second.summary.created.payments).toBe(1);
      const inv = invoice(LATER_PAID, sb);
      expect(inv).toMatchObject({ Status: 'PAID', Total: 252, AmountDue: 0 });
      expect(paymentsOf(orgState(sb), String(inv.InvoiceID)).map((p) => p.Amount)).toEqual([252]);

      const third = await sync(env, authorised);
      expect(third.failures).toEqual([]);
      expect(writesOf(third.calls)).toEqual([]);
      expect(sb.violations()).toEqual([]);
    } finally {
      await sb.close();
    }
  });
});
