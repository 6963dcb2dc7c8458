import Decimal from 'decimal.js';
import { sampleOrder, STATUS } from '../../testing/sample-data.fixture';
import { ORDERS_CHECKPOINT, SyncOrdersUseCase, type SyncOrdersRun } from '.';
import { CollectingReporter, harness, SCOPE, testSettings, type Harness } from '../../testing/use-case-harness';

const useCase = (h: Harness) => new SyncOrdersUseCase({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger, clock: h.clock });
const run = (h: Harness, extra: Partial<SyncOrdersRun> = {}) =>
  useCase(h).execute({ runId: 'r1', scope: SCOPE, settings: testSettings(), reporter: new CollectingReporter(), ...extra });

const WRITE_METHODS = ['saveContacts', 'saveItems', 'createInvoices', 'setInvoiceStatus', 'createPayments', 'deletePayment', 'createRefundPayments', 'createCreditNotes', 'allocateCreditNote'];
const writeCalls = (h: Harness) => h.xero.callLog.filter((c) => WRITE_METHODS.includes(c.method)).length;

describe('SyncOrdersUseCase: export', () => {
  it('exports every order once, with Xero totals equal to OpenCart to the cent, in batched calls', async () => {
    const h = harness(120);
    const result = await run(h);
    expect(result).toMatchObject({ status: 'completed', error: null });
    expect(result.counts.failures).toEqual([]);
    const snap = h.xero.snapshot();
    expect(snap.invoices).toHaveLength(120);
    expect(snap.payments).toHaveLength(120);
    expect(result.counts).toMatchObject({ ordersExported: 120, invoicesCreated: 120, paymentsCreated: 120 });
    // 5 registered customers + 40 guests.
    expect(snap.contacts).toHaveLength(45);
    expect(result.counts.contactsCreated).toBe(45);
    // Every invoice as Xero computed it matches the order total converted to its currency.
    for (const order of h.oc.data.orders) {
      const inv = snap.invoices.find((i) => i.number === `OC-${order.orderId}`)!;
      const expected = new Decimal(order.total).times(order.currencyValue).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
      expect({ order: order.orderId, total: inv.total }).toEqual({ order: order.orderId, total: expected });
      expect(inv.status).toBe('PAID');
    }
    // Pages of 100: per page one contacts call, ≤2 invoice calls, ≤2 payment calls.
    const byEndpoint = h.xero.usage().callsByEndpoint;
    expect(byEndpoint['PUT /Invoices']).toBe(3);
    expect(byEndpoint['PUT /Payments']).toBe(3);
    expect(byEndpoint['POST /Contacts']).toBe(2);
    expect(writeCalls(h) / 120).toBeLessThan(0.1);
    expect(h.xero.callLog.filter((c) => c.method === 'createInvoices').every((c) => c.size <= 50)).toBe(true);
    // The checkpoint sits on the last order.
    expect(JSON.parse((await h.store.getCheckpoint(SCOPE, ORDERS_CHECKPOINT))!)).toEqual({ dateModified: '2024-03-02 12:00:00', orderId: 120 });
  });

  it('a second run creates nothing new, and re-read unchanged orders cost no Xero call', async () => {
    const h = harness(30);
    await run(h);
    const before = h.xero.snapshot();
    const writesBefore = writeCalls(h);
    const second = await run(h, { runId: 'r2' });
    expect(second.status).toBe('completed');
    expect(second.counts).toMatchObject({ ordersSeen: 0, invoicesCreated: 0, contactsCreated: 0, paymentsCreated: 0 });
    // Lose the checkpoint: every order is read again but skipped on its payload hash.
    h.store.checkpoints.clear();
    const third = await run(h, { runId: 'r3' });
    expect(third.counts).toMatchObject({ ordersSeen: 30, ordersUnchanged: 30, invoicesCreated: 0, paymentsCreated: 0 });
    expect(writeCalls(h)).toBe(writesBefore);
    expect(h.xero.snapshot()).toEqual(before);
  });

  it('pages from the checkpoint: a new order is the only one read by the next run', async () => {
    const h = harness(10);
    await run(h);
    h.oc.data.orders.push(sampleOrder({ orderId: 11, customerId: 0, lastname: 'Late', dateAdded: '2024-03-03 09:00:00', dateModified: '2024-03-03 09:00:00' }));
    const second = await run(h, { runId: 'r2' });
    expect(second.counts).toMatchObject({ ordersSeen: 1, ordersExported: 1, invoicesCreated: 1 });
    expect(h.xero.snapshot().invoices.map((i) => i.number)).toContain('OC-11');
  });

  it('orders changed after the clock was read wait for the next run', async () => {
    const h = harness(3);
    h.clock.set(new Date('2024-03-02T10:01:30Z'));
    const first = await run(h);
    expect(first.counts.ordersSeen).toBe(1);
    h.clock.set(new Date('2024-06-01T00:00:00Z'));
    const second = await run(h, { runId: 'r2' });
    expect(second.counts.ordersSeen).toBe(2);
    expect(h.xero.snapshot().invoices).toHaveLength(3);
  });

  it('a broken order is reported with its reason and the others go through; it is retried first next run', async () => {
    const h = harness(5);
    h.oc.data.orders[2]!.lines[0]!.quantity = 0;
    const reporter = new CollectingReporter();
    const result = await run(h, { reporter });
    expect(result.status).toBe('completed');
    expect(result.counts.ordersExported).toBe(4);
    expect(result.counts.failures).toEqual([{ entityType: 'order', entityId: '3', reason: expect.stringContaining('quantity 0') }]);
    expect(reporter.statusOf(3)).toEqual(['failed']);
    expect(reporter.lines.find((l) => l.entityId === '3')!.level).toBe('error');
    expect(h.store.rows(SCOPE, 'invoice').get('order:3')).toMatchObject({ status: 'failed', lastError: expect.stringContaining('quantity 0') });
    // Fixed in the store: the retry picks it up although the checkpoint has passed it.
    h.oc.data.orders[2]!.lines[0]!.quantity = 1;
    const second = await run(h, { runId: 'r2' });
    expect(second.counts).toMatchObject({ ordersExported: 1, invoicesCreated: 1 });
    expect(h.xero.snapshot().invoices).toHaveLength(5);
  });

  it('an invoice Xero refuses fails alone, with Xero’s message, and goes through once Xero accepts it', async () => {
    const h = harness(6);
    h.xero.setElementRejector((method, el) => (method === 'createInvoices' && (el as { InvoiceNumber: string }).InvoiceNumber === 'OC-4' ? 'Account code 200 is archived.' : null));
    const result = await run(h);
    expect(result.counts.ordersExported).toBe(5);
    expect(result.counts.failures).toEqual([{ entityType: 'order', entityId: '4', reason: 'Xero refused the invoice: Account code 200 is archived.' }]);
    h.xero.setElementRejector(null);
    const second = await run(h, { runId: 'r2' });
    expect(second.counts.invoicesCreated).toBe(1);
    expect(h.xero.snapshot().invoices).toHaveLength(6);
  });

  it('stops retrying a row Xero keeps refusing after maxAutoRetries attempts, until the order changes', async () => {
    const h = harness(3);
    h.xero.setElementRejector((m, el) => (m === 'createInvoices' && (el as { InvoiceNumber: string }).InvoiceNumber === 'OC-2' ? 'Contact is archived.' : null));
    const uc = new SyncOrdersUseCase({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger, clock: h.clock, maxAutoRetries: 3 });
    for (let i = 0; i < 6; i++) await uc.execute({ runId: `r${i}`, scope: SCOPE, settings: testSettings() });
    expect(h.store.rows(SCOPE, 'invoice').get('order:2')).toMatchObject({ status: 'failed', attempts: 3 });
    expect(h.xero.callLog.filter((c) => c.method === 'createInvoices')).toHaveLength(3);
    h.xero.setElementRejector(null);
    h.oc.setOrderStatus(2, STATUS.shipped, '2024-05-01 10:00:00');
    const fixed = await uc.execute({ runId: 'r9', scope: SCOPE, settings: testSettings() });
    expect(fixed.counts.invoicesCreated).toBe(1);
  });

  it('skips marked orders, asking the store once per page', async () => {
    const h = harness(12);
    await h.store.markOrders(SCOPE, [2, 5]);
    const result = await run(h, { pageSize: 5 });
    expect(result.counts).toMatchObject({ ordersMarked: 2, ordersExported: 10 });
    expect(h.store.markedLookups).toBe(3);
    expect(h.xero.snapshot().invoices.map((i) => i.number)).not.toContain('OC-2');
  });

  it('does not pay DRAFT invoices nor orders whose payment method has no account', async () => {
    const h = harness(4);
    h.oc.data.orders[0]!.paymentMethod = { code: 'bank_transfer', name: 'Bank Transfer' };
    const result = await run(h, { settings: testSettings() });
    expect(result.counts.paymentsCreated).toBe(3);
    const h2 = harness(4);
    const drafts = await run(h2, { settings: testSettings({ invoiceStatus: 'DRAFT' }) });
    expect(drafts.counts).toMatchObject({ invoicesCreated: 4, paymentsCreated: 0 });
    expect(h2.xero.snapshot().invoices.every((i) => i.status === 'DRAFT')).toBe(true);
  });

  it('does nothing when Export Invoices is off', async () => {
    const h = harness(3);
    const result = await run(h, { settings: testSettings({ exportInvoices: false }) });
    expect(result.status).toBe('completed');
    expect(h.xero.usage().calls).toBe(0);
  });
});

describe('SyncOrdersUseCase: exactly once under failures', () => {
  it('a crash after Xero applied the invoices but before the ledger recorded them: the rerun adopts, no duplicate, no order lost', async () => {
    const h = harness(60);
    let crashes = 0;
    h.store.beforeRecord = (type, rows) => {
      if (type === 'invoice' && rows.some((r) => r.status === 'done') && crashes === 0) {
        crashes += 1;
        throw new Error('process killed');
      }
    };
    const first = await run(h);
    expect(first.status).toBe('failed');
    expect(first.error).toContain('process killed');
    expect(h.xero.snapshot().invoices).toHaveLength(60); // Xero has the first page, the ledger does not
    expect([...h.store.rows(SCOPE, 'invoice').values()].every((r) => r.status === 'pending')).toBe(true);
    expect(await h.store.getCheckpoint(SCOPE, ORDERS_CHECKPOINT)).toBeNull();
    h.store.beforeRecord = null;
    const second = await run(h, { runId: 'r2' });
    expect(second.status).toBe('completed');
    expect(second.counts).toMatchObject({ invoicesAdopted: 60, invoicesCreated: 0, paymentsCreated: 60 });
    const snap = h.xero.snapshot();
    expect(snap.invoices).toHaveLength(60);
    expect(new Set(snap.invoices.map((i) => i.number)).size).toBe(60);
    expect(snap.payments).toHaveLength(60);
    expect(snap.invoices.every((i) => i.status === 'PAID')).toBe(true);
  });

  it('a crash after the payments were applied: the rerun finds them on the invoices and pays nothing twice', async () => {
    const h = harness(20);
    h.store.beforeRecord = (type) => {
      if (type === 'payment') throw new Error('process killed');
    };
    expect((await run(h)).status).toBe('failed');
    h.store.beforeRecord = null;
    const second = await run(h, { runId: 'r2' });
    expect(second.counts).toMatchObject({ paymentsAdopted: 20, paymentsCreated: 0 });
    expect(h.xero.snapshot().payments).toHaveLength(20);
  });

  it('a crash after the contacts were saved: the rerun finds them by ContactNumber', async () => {
    const h = harness(20);
    h.store.beforeRecord = (type) => {
      if (type === 'contact') throw new Error('process killed');
    };
    expect((await run(h)).status).toBe('failed');
    h.store.beforeRecord = null;
    const second = await run(h, { runId: 'r2' });
    expect(second.counts.contactsCreated).toBe(0);
    expect(second.counts.contactsAdopted).toBeGreaterThan(0);
    expect(h.xero.snapshot().contacts).toHaveLength(new Set(h.xero.snapshot().contacts.map((c) => c.number)).size);
    expect(h.xero.snapshot().invoices).toHaveLength(20);
  });

  it('an order that breaks while its invoice outcome is unknown keeps the pending row, and is adopted once fixed', async () => {
    const h = harness(4);
    h.xero.injectFault({ method: 'createInvoices', mode: 'after' });
    expect((await run(h)).status).toBe('failed');
    h.oc.data.orders[1]!.lines[0]!.quantity = 0;
    const second = await run(h, { runId: 'r2' });
    expect(second.counts.failures.map((f) => f.entityId)).toEqual(['2']);
    expect(h.store.rows(SCOPE, 'invoice').get('order:2')!.status).toBe('pending');
    h.oc.data.orders[1]!.lines[0]!.quantity = 1;
    const third = await run(h, { runId: 'r3' });
    expect(third.counts).toMatchObject({ invoicesAdopted: 1, invoicesCreated: 0 });
    expect(h.xero.snapshot().invoices).toHaveLength(4);
  });

  it('Xero applies a batch but the answer is lost (timeout after write): the run stops, the rerun adopts', async () => {
    const h = harness(30);
    h.xero.injectFault({ method: 'createInvoices', mode: 'after' });
    const first = await run(h);
    expect(first.status).toBe('failed');
    expect(first.error).toMatch(/temporary error.*next run continues/);
    expect(await h.store.getCheckpoint(SCOPE, ORDERS_CHECKPOINT)).toBeNull();
    const second = await run(h, { runId: 'r2' });
    expect(second.counts).toMatchObject({ invoicesAdopted: 30, invoicesCreated: 0 });
    expect(h.xero.snapshot().invoices).toHaveLength(30);
  });

  it('a transient failure of a whole batch leaves rows pending, does not move the checkpoint, and the next run finishes', async () => {
    const h = harness(30);
    h.xero.injectFault({ method: 'createPayments', mode: 'before' });
    const first = await run(h, { pageSize: 10 });
    expect(first.status).toBe('failed');
    expect(h.store.checkpoints.size).toBe(0);
    expect([...h.store.rows(SCOPE, 'payment').values()].every((r) => r.status === 'pending')).toBe(true);
    const second = await run(h, { runId: 'r2', pageSize: 10 });
    expect(second.status).toBe('completed');
    const snap = h.xero.snapshot();
    expect(snap.invoices).toHaveLength(30);
    expect(snap.payments).toHaveLength(30);
  });

  it('with 20% injected faults (before and after the write, element refusals) the end state equals the fault-free run', async () => {
    const clean = harness(150);
    expect((await run(clean)).status).toBe('completed');
    const expected = clean.xero.snapshot();

    const h = harness(150);
    h.xero.setRandomFaults({ rate: 0.2, seed: 42 });
    let refusals = 0;
    const rnd = (() => {
      let s = 7;
      return () => ((s = (s * 16807) % 2147483647) / 2147483647);
    })();
    h.xero.setElementRejector(() => (rnd() < 0.2 ? (refusals++, 'The request could not be processed right now.') : null));
    const runs = await (async () => {
      for (let i = 1; i <= 100; i++) {
        const r = await run(h, { runId: `f${i}`, pageSize: 50 });
        if (r.status === 'completed' && r.counts.failures.length === 0) return i;
        if (i === 30) {
          // Element refusals are permanent answers; once Xero accepts again the retries finish.
          h.xero.setElementRejector(null);
        }
      }
      throw new Error('never converged');
    })();
    expect(runs).toBeGreaterThan(1);
    expect(refusals).toBeGreaterThan(0);
    expect(h.xero.snapshot()).toEqual(expected);
  });

  it('with 20% faults on every call, exports then removals and refunds end exactly as without faults', async () => {
    const scenario = async (faults: boolean) => {
      const h = harness(60);
      if (faults) h.xero.setRandomFaults({ rate: 0.2, seed: 2024 });
      const settle = async (label: string) => {
        for (let i = 1; i <= 60; i++) {
          const r = await run(h, { runId: `${label}${i}`, pageSize: 20 });
          if (r.status === 'completed' && r.counts.failures.length === 0) return i;
        }
        throw new Error(`${label}: never converged`);
      };
      const exportRuns = await settle('e');
      for (const id of [3, 9, 15, 21]) h.oc.setOrderStatus(id, STATUS.canceled, `2024-05-01 10:${String(id).padStart(2, '0')}:00`);
      for (const id of [4, 10, 16]) h.oc.setOrderStatus(id, STATUS.refunded, `2024-05-01 11:${String(id).padStart(2, '0')}:00`);
      const changeRuns = await settle('c');
      return { snap: h.xero.snapshot(), runs: exportRuns + changeRuns, changeRuns };
    };
    const clean = await scenario(false);
    const faulty = await scenario(true);
    expect(clean.runs).toBe(2);
    expect(faulty.runs).toBeGreaterThan(2);
    expect(faulty.changeRuns).toBeGreaterThan(1); // the faults hit the removals/refunds too
    // Paid orders: cancelled and refunded ones each get a credit note paid back; nothing is voided or deleted.
    expect(clean.snap.invoices.filter((i) => i.status === 'VOIDED')).toHaveLength(0);
    expect(clean.snap.creditNotes).toHaveLength(7);
    expect(clean.snap.refunds).toHaveLength(7);
    expect(clean.snap.payments.every((p) => p.status === 'AUTHORISED')).toBe(true);
    expect(faulty.snap).toEqual(clean.snap);
  });

  it('needs-reconnect stops the run with a clear error and moves no checkpoint', async () => {
    const h = harness(5);
    h.xero.injectFault({ method: 'saveContacts', mode: 'before', kind: 'needs-reconnect' });
    const result = await run(h);
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/reconnect to Xero/);
    expect(h.store.checkpoints.size).toBe(0);
  });

  it('a setting that does not fit the organisation stops the run before any order', async () => {
    const h = harness(5);
    const result = await run(h, { settings: testSettings({ salesAccountCode: '999' }) });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/salesAccountCode: account code 999/);
    expect(h.oc.reads.listChangedOrders).toBeUndefined();
  });
});

describe('SyncOrdersUseCase: remove', () => {
  it('voids an unpaid AUTHORISED invoice; a rerun does nothing more', async () => {
    const h = harness(3);
    const settings = testSettings({ paymentAccountCodes: {} });
    await run(h, { settings });
    h.oc.setOrderStatus(2, STATUS.canceled, '2024-05-01 10:00:00');
    const reporter = new CollectingReporter();
    const result = await run(h, { runId: 'r2', reporter, settings });
    expect(result.counts).toMatchObject({ removals: 1, paymentsDeleted: 0, creditNotesCreated: 0 });
    expect(h.xero.snapshot().invoices.find((i) => i.number === 'OC-2')).toMatchObject({ status: 'VOIDED', paid: 0 });
    expect(reporter.statusOf(2)).toEqual(['removed']);
    expect(h.store.rows(SCOPE, 'invoice').get('order:2')!.status).toBe('removed');
    h.store.checkpoints.clear();
    const writesBefore = writeCalls(h);
    const again = await run(h, { runId: 'r3', settings });
    expect(again.counts.removals).toBe(0);
    expect(writeCalls(h)).toBe(writesBefore);
  });

  it('a paid order cancelled: a credit note paid back from the payment account; the invoice stays PAID with its (reconciled) payment; a rerun does nothing', async () => {
    const h = harness(3);
    await run(h);
    const inv = [...h.xero.invoices.values()].find((i) => i.draft.InvoiceNumber === 'OC-2')!;
    h.xero.reconcilePayment(inv.paymentIds[0]!);
    h.oc.setOrderStatus(2, STATUS.canceled, '2024-05-01 10:00:00');
    const reporter = new CollectingReporter();
    const result = await run(h, { runId: 'r2', reporter });
    expect(result.counts.failures).toEqual([]);
    expect(result.counts).toMatchObject({ removals: 1, paymentsDeleted: 0, creditNotesCreated: 1, refundsCreated: 1, allocations: 0 });
    const snap = h.xero.snapshot();
    expect(snap.invoices.find((i) => i.number === 'OC-2')).toMatchObject({ status: 'PAID', paid: inv.Total, credited: 0 });
    expect(snap.payments.filter((p) => p.invoice === 'OC-2')).toEqual([{ invoice: 'OC-2', amount: inv.Total, account: snap.payments.find((p) => p.invoice === 'OC-2')!.account, status: 'AUTHORISED' }]);
    expect(snap.creditNotes).toEqual([{ number: 'OC-2-CN', status: 'PAID', total: inv.Total, remaining: 0 }]);
    // Paid back out of the account the money came in.
    expect(snap.refunds).toEqual([{ creditNote: 'OC-2-CN', amount: inv.Total, account: snap.payments.find((p) => p.invoice === 'OC-2')!.account }]);
    expect([...h.xero.creditNotes.values()][0]!.draft.Reference).toBe('Cancellation of OC-2');
    expect(reporter.statusOf(2)).toEqual(['refunded']);
    expect(h.store.rows(SCOPE, 'removal').get('order:2')!.status).toBe('done');
    h.store.checkpoints.clear();
    const writesBefore = writeCalls(h);
    const again = await run(h, { runId: 'r3' });
    expect(again.counts).toMatchObject({ removals: 0, refundsCreated: 0, creditNotesCreated: 0 });
    expect(writeCalls(h)).toBe(writesBefore);
  });

  it('a paid order cancelled whose payment method has no account: a conflict saying what to do, nothing started', async () => {
    const h = harness(2);
    const unmapped = testSettings({ paymentAccountCodes: {} });
    await run(h, { settings: unmapped });
    h.xero.addExternalPayment('OC-1', 10, '091');
    h.oc.setOrderStatus(1, STATUS.canceled, '2024-05-01 10:00:00');
    const reporter = new CollectingReporter();
    const result = await run(h, { runId: 'r2', reporter, settings: unmapped });
    expect(result.status).toBe('completed');
    expect(result.counts.conflicts).toBe(1);
    const line = reporter.lines.find((l) => l.entityId === '1' && l.status === 'conflict')!;
    expect(line.level).toBe('error');
    expect(line.message).toMatch(/is paid \(10\.00\).*has no payment account.*map it in the connector's settings/);
    expect(h.store.rows(SCOPE, 'removal').get('order:1')).toMatchObject({ status: 'conflict', lastError: expect.stringContaining('OC-1') });
    const snap = h.xero.snapshot();
    expect(snap.invoices.find((i) => i.number === 'OC-1')).toMatchObject({ status: 'AUTHORISED', paid: 10 });
    expect(snap.creditNotes).toEqual([]);
    expect(h.xero.callLog.some((c) => c.method === 'deletePayment' || c.method === 'setInvoiceStatus')).toBe(false);
  });

  it('deletes a DRAFT invoice', async () => {
    const h = harness(2);
    const settings = testSettings({ invoiceStatus: 'DRAFT' });
    await run(h, { settings });
    h.oc.setOrderStatus(1, STATUS.voided, '2024-05-01 10:00:00');
    const result = await run(h, { runId: 'r2', settings });
    expect(result.counts.removals).toBe(1);
    expect(h.xero.snapshot().invoices.find((i) => i.number === 'OC-1')!.status).toBe('DELETED');
  });

  it('an order cancelled before it was ever exported is skipped without a Xero write', async () => {
    const h = harness(2);
    h.oc.setOrderStatus(1, STATUS.canceled, '2024-03-02 10:01:00');
    const result = await run(h);
    expect(result.counts.invoicesCreated).toBe(1);
    expect(h.xero.callLog.some((c) => c.method === 'setInvoiceStatus')).toBe(false);
  });

  it('a crash between voiding and recording: the rerun sees the VOIDED invoice and records it', async () => {
    const h = harness(2);
    const settings = testSettings({ paymentAccountCodes: {} });
    await run(h, { settings });
    h.oc.setOrderStatus(1, STATUS.canceled, '2024-05-01 10:00:00');
    h.store.beforeRecord = (type) => {
      if (type === 'invoice') throw new Error('process killed');
    };
    expect((await run(h, { runId: 'r2', settings })).status).toBe('failed');
    h.store.beforeRecord = null;
    const again = await run(h, { runId: 'r3', settings });
    expect(again.counts.removals).toBe(1);
    expect(h.store.rows(SCOPE, 'removal').get('order:1')!.status).toBe('done');
    expect(h.xero.callLog.filter((c) => c.method === 'setInvoiceStatus')).toHaveLength(1);
  });
});

describe('SyncOrdersUseCase: refunds', () => {
  it('a refunded order gets one credit note allocated to its invoice, exactly once', async () => {
    const h = harness(3);
    await run(h, { settings: testSettings({ paymentAccountCodes: {} }) });
    h.oc.setOrderStatus(3, STATUS.refunded, '2024-05-01 10:00:00');
    const result = await run(h, { runId: 'r2', settings: testSettings({ paymentAccountCodes: {} }) });
    expect(result.counts).toMatchObject({ creditNotesCreated: 1, allocations: 1 });
    const snap = h.xero.snapshot();
    const inv = snap.invoices.find((i) => i.number === 'OC-3')!;
    expect(snap.creditNotes).toEqual([{ number: 'OC-3-CN', status: 'PAID', total: inv.total, remaining: 0 }]);
    expect(inv).toMatchObject({ status: 'PAID', credited: inv.total });
    h.store.checkpoints.clear();
    const again = await run(h, { runId: 'r3', settings: testSettings({ paymentAccountCodes: {} }) });
    expect(again.counts).toMatchObject({ creditNotesCreated: 0, allocations: 0 });
    expect(h.xero.snapshot().creditNotes).toHaveLength(1);
  });

  it('a paid invoice keeps its payment: the credit note is paid back from the account the money came in', async () => {
    const h = harness(2);
    await run(h);
    h.oc.setOrderStatus(1, STATUS.refunded, '2024-05-01 10:00:00');
    const result = await run(h, { runId: 'r2' });
    expect(result.counts).toMatchObject({ creditNotesCreated: 1, allocations: 0, refundsCreated: 1, paymentsDeleted: 0, ordersRefunded: 1 });
    const snap = h.xero.snapshot();
    const inv = snap.invoices.find((i) => i.number === 'OC-1')!;
    expect(inv).toMatchObject({ status: 'PAID', paid: inv.total, credited: 0 });
    const payment = snap.payments.find((p) => p.invoice === 'OC-1')!;
    expect(payment.status).toBe('AUTHORISED');
    expect(snap.refunds).toEqual([{ creditNote: 'OC-1-CN', amount: inv.total, account: payment.account }]);
    expect(snap.creditNotes).toEqual([{ number: 'OC-1-CN', status: 'PAID', total: inv.total, remaining: 0 }]);
  });

  it('a partly paid invoice: the credit note takes what is owed as an allocation and pays back the rest', async () => {
    const h = harness(1);
    const unmapped = testSettings({ paymentAccountCodes: {}, defaultPaymentAccountCode: '090' });
    await run(h, { settings: testSettings({ paymentAccountCodes: {} }) });
    h.xero.addExternalPayment('OC-1', 10, '090');
    h.oc.setOrderStatus(1, STATUS.refunded, '2024-05-01 10:00:00');
    const result = await run(h, { runId: 'r2', settings: unmapped });
    expect(result.counts.failures).toEqual([]);
    expect(result.counts).toMatchObject({ allocations: 1, refundsCreated: 1 });
    const snap = h.xero.snapshot();
    const inv = snap.invoices[0]!;
    expect(inv).toMatchObject({ status: 'PAID', paid: 10, credited: new Decimal(inv.total).minus(10).toNumber() });
    expect(snap.refunds).toEqual([{ creditNote: 'OC-1-CN', amount: 10, account: '090' }]);
  });

  it('a refund payment whose answer was lost is found on the credit note, never paid twice', async () => {
    const h = harness(2);
    await run(h);
    h.oc.setOrderStatus(2, STATUS.refunded, '2024-05-01 10:00:00');
    h.xero.injectFault({ method: 'createRefundPayments', mode: 'after' });
    expect((await run(h, { runId: 'r2' })).status).toBe('failed');
    expect(h.store.rows(SCOPE, 'refund').get('order:2')!.status).toBe('pending');
    const again = await run(h, { runId: 'r3' });
    expect(again.counts.failures).toEqual([]);
    expect(again.counts).toMatchObject({ refundsCreated: 0, refundsAdopted: 1, creditNotesCreated: 0 });
    expect(h.xero.snapshot().refunds).toHaveLength(1);
    expect(h.store.rows(SCOPE, 'refund').get('order:2')!.status).toBe('done');
  });

  it('refunded, then cancelled: the credit note already settled the invoice, nothing more is done', async () => {
    const h = harness(1);
    await run(h);
    h.oc.setOrderStatus(1, STATUS.refunded, '2024-05-01 10:00:00');
    await run(h, { runId: 'r2' });
    h.oc.setOrderStatus(1, STATUS.canceled, '2024-05-02 10:00:00');
    const result = await run(h, { runId: 'r3' });
    expect(result.counts).toMatchObject({ removals: 0, conflicts: 0, creditNotesCreated: 0, refundsCreated: 0 });
    const inv = h.xero.snapshot().invoices[0]!;
    expect(inv).toMatchObject({ status: 'PAID', paid: inv.total });
    expect(h.xero.snapshot().refunds).toHaveLength(1);
  });

  it('a credit note someone else allocated makes a cancelled order a conflict', async () => {
    const h = harness(1);
    await run(h, { settings: testSettings({ paymentAccountCodes: {} }) });
    const inv = [...h.xero.invoices.values()][0]!;
    const contactId = inv.draft.Contact.ContactID!;
    const [note] = await h.xero.createCreditNotes([
      { Type: 'ACCRECCREDIT', Contact: { ContactID: contactId }, CreditNoteNumber: 'MANUAL-1', Date: '2024-05-01', Status: 'AUTHORISED', LineAmountTypes: 'NoTax', LineItems: [{ Description: 'goodwill', Quantity: 1, UnitAmount: 5, AccountCode: '200' }] },
    ]);
    await h.xero.allocateCreditNote(note!.ok ? note!.value.CreditNoteID : '', inv.InvoiceID, 5, '2024-05-01');
    h.oc.setOrderStatus(1, STATUS.canceled, '2024-05-02 10:00:00');
    const result = await run(h, { runId: 'r2', settings: testSettings({ paymentAccountCodes: {} }) });
    expect(result.counts.conflicts).toBe(1);
    expect(h.store.rows(SCOPE, 'removal').get('order:1')!.lastError).toMatch(/credit note allocated/);
    expect(h.xero.snapshot().invoices[0]!.status).toBe('AUTHORISED');
  });

  it('a credit note created but not recorded (answer lost) is found by number, not created twice', async () => {
    const h = harness(2);
    await run(h);
    h.oc.setOrderStatus(2, STATUS.refunded, '2024-05-01 10:00:00');
    h.xero.injectFault({ method: 'createCreditNotes', mode: 'after' });
    expect((await run(h, { runId: 'r2' })).status).toBe('failed');
    const again = await run(h, { runId: 'r3' });
    expect(again.counts).toMatchObject({ creditNotesAdopted: 1, creditNotesCreated: 0, refundsCreated: 1 });
    expect(h.xero.snapshot().creditNotes).toHaveLength(1);
  });
});

describe('SyncOrdersUseCase: dry run and ranges', () => {
  it('a dry run writes nothing anywhere and returns the same plans as the real run', async () => {
    const h = harness(8);
    h.oc.data.orders[1]!.lines[0]!.quantity = 0;
    const dry = await run(h, { dryRun: true });
    expect(dry.status).toBe('completed');
    expect(h.store.writes).toBe(0);
    expect(writeCalls(h)).toBe(0);
    expect(h.store.ledger.size).toBe(0);
    expect(dry.plans).toHaveLength(8);
    expect(dry.plans.filter((p) => p.outcome === 'would-export')).toHaveLength(7);
    expect(dry.plans.find((p) => p.orderId === 2)).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('quantity 0') });

    const real = await run(h, { runId: 'r2', collectPlans: true });
    const strip = (ps: typeof dry.plans) =>
      ps
        .filter((p) => p.invoice)
        .map((p) => ({ ...p.invoice, Contact: undefined, payment: p.payment ? { ...p.payment, Invoice: undefined } : null, totals: p.xeroTotals }))
        .sort((a, b) => a.InvoiceNumber!.localeCompare(b.InvoiceNumber!));
    expect(strip(dry.plans)).toEqual(strip(real.plans));
    expect(dry.plans.find((p) => p.orderId === 1)!.difference).toBe('0.00');
  });

  it('a dry run on a fresh ledger counts and plans exactly what the real run then creates', async () => {
    const h = harness(120);
    const dry = await run(h, { dryRun: true, pageSize: 50 });
    expect(dry.status).toBe('completed');
    expect(writeCalls(h)).toBe(0);
    expect(h.store.ledger.size).toBe(0);
    const real = await run(h, { runId: 'r2', pageSize: 50 });
    const { failures: _df, ...dryCounts } = dry.counts;
    const { failures: _rf, ...realCounts } = real.counts;
    expect(dryCounts).toEqual(realCounts);
    expect(dry.counts).toMatchObject({ ordersExported: 120, invoicesCreated: 120, paymentsCreated: 120, contactsCreated: 45 });
    const planned = dry.planned!;
    const of = (entityType: string, action: string) => planned.filter((w) => w.entityType === entityType && w.action === action);
    expect(of('invoice', 'create')).toHaveLength(120);
    expect(of('payment', 'create')).toHaveLength(120);
    // Each registered customer is planned once although several pages hold their orders.
    expect(of('contact', 'create')).toHaveLength(45);
    // The planned total is Xero's, the one the real run's invoice then has.
    const snap = h.xero.snapshot();
    for (const w of of('invoice', 'create')) expect({ n: w.number, total: Number(w.total) }).toEqual({ n: w.number, total: snap.invoices.find((i) => i.number === w.number)!.total });
  });

  it('a dry run after a real run plans nothing new, and adopts what Xero holds that the ledger lost', async () => {
    const h = harness(10);
    await run(h);
    const again = await run(h, { runId: 'r2', dryRun: true });
    expect(again.planned).toEqual([]);
    // A new connector database over the same organisation: the dry run finds the invoices in Xero.
    h.store.ledger.clear();
    h.store.checkpoints.clear();
    const lost = await run(h, { runId: 'r3', dryRun: true });
    expect(lost.planned!.filter((w) => w.entityType === 'invoice').map((w) => w.action)).toEqual(Array(10).fill('adopt'));
    expect(lost.counts).toMatchObject({ invoicesAdopted: 10, invoicesCreated: 0 });
    const real = await run(h, { runId: 'r4' });
    expect(real.counts).toMatchObject({ invoicesAdopted: 10, invoicesCreated: 0, paymentsCreated: lost.counts.paymentsCreated, paymentsAdopted: lost.counts.paymentsAdopted });
  });

  it('a run limited to chosen orders handles only those and leaves the checkpoint alone', async () => {
    const h = harness(10);
    const result = await run(h, { orderIds: [3, 4, 99] });
    expect(result.counts.invoicesCreated).toBe(2);
    expect(h.store.checkpoints.size).toBe(0);
  });

  it('stops between pages when cancelled', async () => {
    const h = harness(30);
    const controller = new AbortController();
    const reporter = new CollectingReporter();
    reporter.progress = (e) => {
      if (e.phase === 'orders') controller.abort();
    };
    const result = await run(h, { pageSize: 10, signal: controller.signal, reporter });
    expect(result.status).toBe('cancelled');
    expect(h.xero.snapshot().invoices).toHaveLength(10);
  });

  it('reports config errors from whole-call failures with the SyncError message', async () => {
    const h = harness(2);
    h.xero.injectFault({ method: 'createInvoices', mode: 'before', kind: 'config' });
    const result = await run(h);
    expect(result.status).toBe('failed');
    expect(result.error).toContain('createInvoices');
  });
});
