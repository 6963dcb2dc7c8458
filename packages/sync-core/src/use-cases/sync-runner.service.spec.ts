import { SyncRunner, type SyncRunRequest } from './sync-runner.service';
import type { SyncProgress } from './sync-run.model';
import { harness, SCOPE, testSettings, type Harness } from '../testing/use-case-harness';

const runner = (h: Harness) => new SyncRunner({ reader: h.oc, writer: h.oc, xero: h.xero, store: h.store, logger: h.logger, clock: h.clock });
const request = (extra: Partial<SyncRunRequest> = {}): SyncRunRequest => ({ scope: SCOPE, kind: 'all', trigger: 'cli', settings: testSettings(), ...extra });

describe('SyncRunner', () => {
  it('runs the enabled parts with a run record, log lines, progress and a summary of what was created', async () => {
    const h = harness(25);
    h.oc.data.orders[4]!.lines[0]!.quantity = 0;
    const progress: SyncProgress[] = [];
    const summary = await runner(h).run(request({ onProgress: (p) => progress.push(p), pageSize: 10 }));
    expect(summary).toMatchObject({
      status: 'completed',
      error: null,
      kind: 'all',
      ordersExported: 24,
      invoicesCreated: 24,
      paymentsCreated: 24,
      contactsCreated: 5 + 8, // customers exported first, then the 8 guests of the orders
      creditNotesCreated: 0,
      removals: 0,
      failures: [{ entityType: 'order', entityId: '5', reason: expect.stringContaining('quantity 0') }],
    });
    expect(summary.parts).toEqual([
      { part: 'customers', status: 'completed', error: null },
      { part: 'items', status: 'skipped', error: null },
      { part: 'orders', status: 'completed', error: null },
      { part: 'stock', status: 'skipped', error: null },
    ]);
    expect(summary.xeroCalls).toBe(h.xero.usage().calls);
    expect(summary.xeroCallsPerOrder).toBeCloseTo(summary.xeroCalls / 25, 4);
    // The run record and its log.
    const run = (await h.store.getRun(summary.runId))!;
    expect(run).toMatchObject({ status: 'completed', kind: 'all', trigger: 'cli', dryRun: false, error: null });
    expect(run.summary).toMatchObject({ ordersExported: 24 });
    const log = await h.store.listLog({ runId: summary.runId, limit: 1000 });
    expect(log.filter((l) => l.status === 'exported' && l.entityType === 'order')).toHaveLength(24);
    expect(log.find((l) => l.entityId === '5' && l.entityType === 'order')).toMatchObject({ level: 'error', status: 'failed' });
    expect(log.every((l) => l.runId === summary.runId)).toBe(true);
    // Progress: customers then three order pages.
    expect(progress.filter((p) => p.phase === 'orders').map((p) => p.processed)).toEqual([10, 20, 25]);
    expect(progress.every((p) => p.runId === summary.runId)).toBe(true);
  });

  it('a run that cannot continue is recorded as failed with the reason; a rerun completes it', async () => {
    const h = harness(5);
    h.xero.injectFault({ method: 'createInvoices', mode: 'after' });
    const failed = await runner(h).run(request({ kind: 'orders' }));
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/next run continues/);
    expect((await h.store.getRun(failed.runId))!).toMatchObject({ status: 'failed', error: failed.error });
    const ok = await runner(h).run(request({ kind: 'orders' }));
    expect(ok).toMatchObject({ status: 'completed', invoicesAdopted: 5, invoicesCreated: 0 });
    expect(h.xero.snapshot().invoices).toHaveLength(5);
  });

  it('is cancelled through its AbortSignal', async () => {
    const h = harness(30);
    const controller = new AbortController();
    const summary = await runner(h).run(
      request({ kind: 'orders', pageSize: 10, signal: controller.signal, onProgress: (p) => p.phase === 'orders' && controller.abort() }),
    );
    expect(summary.status).toBe('cancelled');
    expect((await h.store.getRun(summary.runId))!.status).toBe('cancelled');
    expect(summary.invoicesCreated).toBe(10);
  });

  it('invalid saved settings stop the run with the field errors', async () => {
    const h = harness(1);
    await h.store.saveSettings(SCOPE, { invoiceStatus: 'PAID' });
    const summary = await runner(h).run({ scope: SCOPE, kind: 'all', trigger: 'cron' });
    expect(summary.status).toBe('failed');
    expect(summary.error).toMatch(/saved settings are invalid: invoiceStatus/);
    expect(h.xero.usage().calls).toBe(0);
  });

  it('a part asked for by name runs even when switched off for "all"; a dry run writes nothing to Xero', async () => {
    const h = harness(3);
    const settings = testSettings({ exportCustomers: false });
    const summary = await runner(h).run(request({ kind: 'customers', settings, dryRun: true }));
    expect(summary.parts).toEqual([{ part: 'customers', status: 'completed', error: null }]);
    expect(summary.dryRun).toBe(true);
    expect(h.xero.snapshot().contacts).toEqual([]);
    expect(h.store.ledger.size).toBe(0);
  });

  it('a dry run of all parts counts what the real run then does: its orders see the contacts its customers part would create', async () => {
    const h = harness(25);
    const dry = await runner(h).run(request({ dryRun: true, pageSize: 10 }));
    expect(h.xero.snapshot()).toMatchObject({ contacts: [], invoices: [], payments: [] });
    expect(h.store.ledger.size).toBe(0);
    const real = await runner(h).run(request({ pageSize: 10 }));
    const counts = (s: typeof dry) => ({ o: s.ordersExported, i: s.invoicesCreated, p: s.paymentsCreated, c: s.contactsCreated, a: s.contactsAdopted, f: s.failures });
    expect(counts(dry)).toEqual(counts(real));
    expect(dry.contactsCreated).toBe(5 + 8);
    // The plan: each contact once (customers part), each invoice and payment once (orders part).
    const kinds = (dry.planned ?? []).map((w) => `${w.entityType} ${w.action}`);
    expect(kinds.filter((k) => k === 'contact create')).toHaveLength(13);
    expect(kinds.filter((k) => k === 'invoice create')).toHaveLength(25);
    expect(kinds.filter((k) => k === 'payment create')).toHaveLength(25);
    expect(real.planned).toBeUndefined();
    // The run record keeps the plan with the dry run's summary.
    const stored = [...h.store.runs.values()].find((r) => r.id === dry.runId)!;
    expect((stored.summary as { planned?: unknown[] }).planned).toHaveLength(63);
  });
});
