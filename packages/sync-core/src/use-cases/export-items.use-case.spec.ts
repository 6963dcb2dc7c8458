import { ExportItemsUseCase } from './export-items.use-case';
import { SyncOrdersUseCase } from './sync-orders';
import { harness, SCOPE, testSettings, type Harness } from '../testing/use-case-harness';
import type { Settings } from '../settings/settings.schema';

const exportItems = (h: Harness, settings: Settings = testSettings({ exportItems: true }), dryRun = false) =>
  new ExportItemsUseCase({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger }).execute({ runId: 'i1', scope: SCOPE, settings, dryRun });

describe('ExportItemsUseCase', () => {
  it('saves every product as an item by code; a second run saves nothing', async () => {
    const h = harness(0);
    const result = await exportItems(h);
    expect(result).toMatchObject({ status: 'completed', error: null });
    expect(result.counts).toMatchObject({ productsSeen: 5, itemsSaved: 5 });
    expect(h.xero.snapshot().items.map((i) => i.code)).toEqual(['MODEL-40', 'MODEL-41', 'MODEL-42', 'MODEL-43', 'MODEL-50']);
    expect(h.xero.snapshot().items.every((i) => i.tracked === false)).toBe(true);
    const again = await exportItems(h);
    expect(again.counts.itemsSaved).toBe(0);
    expect(h.xero.callLog.filter((c) => c.method === 'saveItems')).toHaveLength(1);
  });

  it('uses per-product account overrides and makes items tracked when inventory sync is on', async () => {
    const h = harness(0);
    await h.store.setProductOverride(SCOPE, { productId: 41, salesAccountCode: '260', purchaseAccountCode: null });
    const result = await exportItems(h, testSettings({ exportItems: true, syncItemsWithXeroInventory: true }));
    expect(result.counts.itemsSaved).toBe(5);
    const item41 = h.xero.items.get('MODEL-41')!;
    expect(item41.draft.SalesDetails?.AccountCode).toBe('260');
    expect(h.xero.items.get('MODEL-40')!.draft.SalesDetails?.AccountCode).toBe('200');
    expect(item41.IsTrackedAsInventory).toBe(true);
    expect(item41.draft).toMatchObject({ InventoryAssetAccountCode: '630', PurchaseDetails: { COGSAccountCode: '310' } });
  });

  it('keeps a code once used in Xero even when the product model changes', async () => {
    const h = harness(0);
    await exportItems(h);
    h.oc.data.products[0]!.model = 'RENAMED';
    await exportItems(h);
    expect(h.xero.snapshot().items.map((i) => i.code)).not.toContain('RENAMED');
  });

  it('order lines reference the exported item codes', async () => {
    const h = harness(2);
    const settings = testSettings({ exportItems: true });
    await exportItems(h, settings);
    await new SyncOrdersUseCase({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger, clock: h.clock }).execute({ runId: 'o1', scope: SCOPE, settings });
    const invoice = [...h.xero.invoices.values()].find((i) => i.draft.InvoiceNumber === 'OC-1')!;
    expect(invoice.draft.LineItems[0]!.ItemCode).toBe('MODEL-41');
  });

  it('an item Xero refuses is reported and the others are saved; a dry run writes nothing', async () => {
    const h = harness(0);
    const dry = await exportItems(h, testSettings({ exportItems: true }), true);
    expect(dry.status).toBe('completed');
    expect(h.store.writes).toBe(0);
    expect(h.xero.callLog.some((c) => c.method === 'saveItems')).toBe(false);
    h.xero.setElementRejector((m, el) => (m === 'saveItems' && (el as { Code: string }).Code === 'MODEL-42' ? 'Item code MODEL-42 is used by a deleted item.' : null));
    const result = await exportItems(h);
    expect(result.counts.itemsSaved).toBe(4);
    expect(result.counts.failures).toEqual([{ entityType: 'product', entityId: '42', reason: expect.stringContaining('deleted item') }]);
  });
});
