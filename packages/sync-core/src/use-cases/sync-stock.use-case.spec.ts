import { ExportItemsUseCase } from './export-items.use-case';
import { SyncStockUseCase } from './sync-stock.use-case';
import { CollectingReporter, harness, SCOPE, testSettings, type Harness } from '../testing/use-case-harness';

const settings = testSettings({ exportItems: true, syncItemsWithXeroInventory: true, syncItemStocks: true });
const stock = (h: Harness, dryRun = false, reporter = new CollectingReporter()) =>
  new SyncStockUseCase({ reader: h.oc, writer: h.oc, xero: h.xero, store: h.store, logger: h.logger }).execute({ runId: 's1', scope: SCOPE, settings, dryRun, reporter });

async function withTrackedItems(): Promise<Harness> {
  const h = harness(0);
  await new ExportItemsUseCase({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger }).execute({ runId: 'i1', scope: SCOPE, settings });
  return h;
}

describe('SyncStockUseCase', () => {
  it('writes Xero quantities on hand to the products with the same code, only where they differ', async () => {
    const h = await withTrackedItems();
    h.xero.setQuantityOnHand('MODEL-40', 7);
    h.xero.setQuantityOnHand('MODEL-41', 10); // equal to OpenCart's 10: no write
    h.xero.setQuantityOnHand('MODEL-42', 3.5);
    const reporter = new CollectingReporter();
    const result = await stock(h, false, reporter);
    expect(result.status).toBe('completed');
    // MODEL-43 and MODEL-50 are tracked with 0 in Xero.
    expect(result.changes.map((c) => [c.productId, c.to]).sort()).toEqual([
      [40, 7],
      [42, 3],
      [43, 0],
      [50, 0],
    ]);
    expect(h.oc.writes).toHaveLength(4);
    expect(h.oc.data.products.find((p) => p.productId === 40)!.quantity).toBe(7);
    expect(reporter.lines.find((l) => l.status === 'rounded')!.message).toContain('3.5');
    const again = await stock(h);
    expect(again.changes).toEqual([]);
    expect(h.oc.writes).toHaveLength(4);
  });

  it('a dry run lists the changes and writes nothing', async () => {
    const h = await withTrackedItems();
    h.xero.setQuantityOnHand('MODEL-40', 1);
    const result = await stock(h, true);
    expect(result.changes.find((c) => c.productId === 40)).toEqual({ productId: 40, code: 'MODEL-40', from: 10, to: 1 });
    expect(h.oc.writes).toEqual([]);
  });

  it('untracked items are left alone', async () => {
    const h = harness(0);
    await new ExportItemsUseCase({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger }).execute({ runId: 'i1', scope: SCOPE, settings: testSettings({ exportItems: true }) });
    const result = await stock(h);
    expect(result.changes).toEqual([]);
  });
});
