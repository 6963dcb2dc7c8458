import { SyncOrdersUseCase, type SyncOrdersRun } from './sync-orders.use-case';
import { CollectingReporter, harness, SCOPE, testSettings, type Harness } from './test-harness';

const useCase = (h: Harness) => new SyncOrdersUseCase({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger, clock: h.clock });
const run = (h: Harness, extra: Partial<SyncOrdersRun> = {}) =>
  useCase(h).execute({ runId: 'r1', scope: SCOPE, settings: testSettings(), reporter: new CollectingReporter(), ...extra });

describe('SyncOrdersUseCase', () => {
  it('exports every order once with contacts, invoices and payments in batched calls', async () => {
    const h = harness(120);
    const result = await run(h);
    expect(result.error).toBeNull();
    expect(result.status).toBe('completed');
    const snap = h.xero.snapshot();
    expect(snap.invoices).toHaveLength(120);
    expect(snap.payments).toHaveLength(120);
    expect(result.counts.ordersExported).toBe(120);
    console.log(h.xero.usage(), result.counts.failures.slice(0, 3));
  });
});
