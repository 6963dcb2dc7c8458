// Adoption against the sandbox over real HTTP (validated against Xero's spec): a sync, then the
// connector database is lost (a reinstall, a restored backup, a second connector) and the next
// sync must create nothing and adopt everything; a pre-existing invoice with our number that is
// another order becomes a conflict naming both totals.
import type { RunningSandbox } from '@oc-xero/xero-sandbox';
import { SyncOrdersUseCase, type Settings, type SyncOrdersResult } from '@oc-xero/sync-core';
import { CollectingReporter, FakeConnectorStore, FixedClock, MemoryLogger, sampleStore, SCOPE, STATUS, testSettings } from '@oc-xero/sync-core/testing';
import type { XeroGateway } from '../src';
import { MemoryTokenStore, connect, countOf, describeWithSpec, startSpecSandbox } from './sandbox.harness';

jest.setTimeout(120_000);

describeWithSpec('adoption after a lost connector database (sandbox)', () => {
  let sandbox: RunningSandbox;
  let gateway: XeroGateway;

  beforeAll(async () => {
    sandbox = await startSpecSandbox({ rateLimits: { perMinute: 10_000, perDay: 1_000_000, concurrent: 5 } });
  });
  afterAll(() => sandbox?.close());
  beforeEach(async () => {
    sandbox.reset();
    ({ gateway } = await connect(sandbox, new MemoryTokenStore(), 'store-1', { perMinute: 10_000 }));
    sandbox.resetViolations();
  });
  afterEach(() => expect(sandbox.violations()).toEqual([]));

  const settings = (): Settings => testSettings();
  const sync = (oc: ReturnType<typeof sampleStore>, store: FakeConnectorStore, runId: string, reporter = new CollectingReporter()): Promise<SyncOrdersResult> =>
    new SyncOrdersUseCase({ reader: oc, xero: gateway, store, logger: new MemoryLogger(), clock: new FixedClock() }).execute({ runId, scope: SCOPE, settings: settings(), reporter });
  const documents = () => ({
    invoices: countOf(sandbox, 'PUT', /\/Invoices$/),
    contacts: countOf(sandbox, 'POST', /\/Contacts$/),
    payments: countOf(sandbox, 'PUT', /\/Payments$/),
    creditNotes: countOf(sandbox, 'PUT', /\/CreditNotes$/),
  });

  /** What the organisations' books hold (the sandbox's state without its clock). */
  const books = (): string => JSON.stringify({ ...(sandbox.state() as Record<string, unknown>), now: undefined });

  it('sync, wipe the connector database, sync again: zero new documents, all adopted, counts say so', async () => {
    const oc = sampleStore(30);
    const first = await sync(oc, new FakeConnectorStore(), 'r1');
    expect(first.counts.failures).toEqual([]);
    expect(first.counts).toMatchObject({ invoicesCreated: 30, paymentsCreated: 30 });
    for (const id of [4, 10]) oc.setOrderStatus(id, STATUS.refunded, `2024-05-01 11:${String(id).padStart(2, '0')}:00`);
    const refunds = await sync(oc, new FakeConnectorStore(), 'r1b');
    // A fresh store again: the refunds adopt their invoice and its payment, then credit it.
    expect(refunds.counts.failures).toEqual([]);
    // Both orders were paid: each credit note is paid back out by a refund payment (no allocation).
    expect(refunds.counts).toMatchObject({ creditNotesCreated: 2, refundsCreated: 2, allocations: 0, invoicesCreated: 0 });
    const store = new FakeConnectorStore();
    const before = documents();
    const stateBefore = books();
    const again = await sync(oc, store, 'r2');
    expect(again.status).toBe('completed');
    expect(again.counts.failures).toEqual([]);
    expect(again.counts).toMatchObject({ invoicesCreated: 0, contactsCreated: 0, paymentsCreated: 0, creditNotesCreated: 0 });
    expect(again.counts.invoicesAdopted).toBe(30);
    expect(again.counts.contactsAdopted).toBeGreaterThan(0);
    expect(again.counts.paymentsAdopted).toBe(30); // refunds never delete the original payment
    expect(again.counts.creditNotesAdopted).toBe(2);
    // Nothing new in Xero: the one invoice batch sent was refused element by element ("Invoice #
    // must be unique"), then looked up and adopted; no contact, payment or credit note call.
    expect(books()).toEqual(stateBefore);
    expect(documents()).toEqual({ ...before, invoices: before.invoices + 1 });
  });

  it('a pre-existing invoice with our number that is another order: a conflict with both totals, nothing created for it', async () => {
    const foreign = sampleStore(3);
    foreign.data.orders = foreign.data.orders.filter((o) => o.orderId === 2);
    foreign.data.orders[0]!.lines[0]!.quantity += 3;
    foreign.data.orders[0]!.total = '1234.5000';
    const planted = await sync(foreign, new FakeConnectorStore(), 'old-extension');
    expect(planted.counts.invoicesCreated).toBe(1);
    const reporter = new CollectingReporter();
    const result = await sync(sampleStore(3), new FakeConnectorStore(), 'r1', reporter);
    expect(result.counts).toMatchObject({ invoicesCreated: 2, conflicts: 1 });
    const reason = result.counts.failures.find((f) => f.entityId === '2')?.reason ?? '';
    expect(reason).toMatch(/Xero already holds invoice OC-2 but it is not this order \(Xero's total is [\d.]+ [A-Z]{3}, the order's [\d.]+ [A-Z]{3}/);
    expect(reporter.statusOf(2)).toContain('conflict');
  });
});
