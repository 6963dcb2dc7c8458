import { ExportItemsUseCase } from './export-items.use-case';
import { SyncRunner } from './sync-runner.service';
import { SyncStockUseCase, type SyncStockRun } from './sync-stock.use-case';
import { openingStockBill, openingStockNumber, optionOpeningStockNumber, productTarget } from './opening-stock.step';
import { SyncOrdersUseCase } from './sync-orders';
import { sampleProduct } from '../testing/sample-data.fixture';
import type { XeroInvoiceDraft } from '../ports/xero.port';
import { CollectingReporter, harness, SCOPE, testSettings, type Harness } from '../testing/use-case-harness';

const settings = testSettings({ exportItems: true, syncItemsWithXeroInventory: true, syncItemStocks: true });
const stock = (h: Harness, extra: Partial<SyncStockRun> = {}, reporter = new CollectingReporter()) =>
  new SyncStockUseCase({ reader: h.oc, writer: h.oc, xero: h.xero, store: h.store, logger: h.logger, clock: h.clock }).execute({ runId: 's1', scope: SCOPE, settings, reporter, ...extra });

async function withTrackedItems(orders = 0): Promise<Harness> {
  const h = harness(orders);
  await new ExportItemsUseCase({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger }).execute({ runId: 'i1', scope: SCOPE, settings });
  return h;
}

const quantities = (h: Harness): Record<number, number> => Object.fromEntries(h.oc.data.products.map((p) => [p.productId, p.quantity]));
const onHand = async (h: Harness): Promise<Record<string, number | undefined>> => Object.fromEntries((await h.xero.listItems()).map((i) => [i.Code, i.QuantityOnHand]));
/** A bill the merchant enters in Xero (bought stock), not the connector. */
const bill = (code: string, quantity: number): XeroInvoiceDraft => ({
  Type: 'ACCPAY',
  Contact: { Name: 'Supplier Ltd' },
  InvoiceNumber: `SUP-${code}-${quantity}`,
  Date: '2024-02-01',
  DueDate: '2024-03-01',
  Status: 'AUTHORISED',
  LineAmountTypes: 'NoTax',
  LineItems: [{ Description: 'Restock', Quantity: quantity, UnitAmount: 50, ItemCode: code }],
});
const bills = (h: Harness) => h.xero.listPurchaseDocuments();

describe('SyncStockUseCase', () => {
  it('gives each newly tracked item the store quantity as opening stock, once, and leaves the store unchanged', async () => {
    const h = await withTrackedItems();
    const before = quantities(h);
    const reporter = new CollectingReporter();
    const result = await stock(h, {}, reporter);
    expect(result.status).toBe('completed');
    expect(result.counts.openingStockPosted).toBe(h.oc.data.products.length);
    expect(result.changes).toEqual([]);
    expect(quantities(h)).toEqual(before);
    expect(h.oc.writes).toEqual([]);
    const xero = await onHand(h);
    for (const p of h.oc.data.products) expect(xero[p.model]).toBe(p.quantity);
    const docs = await bills(h);
    expect(docs.map((d) => d.number).sort()).toEqual(h.oc.data.products.map((p) => openingStockNumber(p.productId)).sort());
    expect(docs.every((d) => d.type === 'ACCPAY' && d.status === 'AUTHORISED')).toBe(true);
    const again = await stock(h);
    expect(again.counts.openingStockPosted).toBe(0);
    expect(await bills(h)).toHaveLength(docs.length);
    expect(quantities(h)).toEqual(before);
  });

  it('the bill totals zero: item line at cost, offset line to the adjustment account, on the Opening Stock Date', async () => {
    const h = await withTrackedItems();
    await stock(h, { settings: { ...settings, openingStockCostPercent: 60, openingStockDate: '2023-12-31' } });
    const invoice = (await h.xero.findInvoicesByNumbers([openingStockNumber(40)]))[0]!;
    expect([...h.xero.invoices.values()].every((i) => i.draft.Date === '2023-12-31')).toBe(true);
    expect(invoice.Total).toBe(0);
    expect(invoice.SubTotal).toBe(0);
  });

  it('on a store with history, our exported invoices (backorders allowed) do not come back: the opening stock tops Xero up to the store', async () => {
    const h = await withTrackedItems(12);
    const runner = new SyncRunner({ reader: h.oc, writer: h.oc, xero: h.xero, store: h.store, logger: h.logger, clock: h.clock });
    const before = quantities(h);
    const summary = await runner.run({ scope: SCOPE, kind: 'all', trigger: 'cli', settings });
    expect(summary.status).toBe('completed');
    expect(summary.failures).toEqual([]);
    expect(summary.ordersExported).toBe(12);
    expect(h.xero.backorderFlags.length).toBeGreaterThan(0);
    expect(quantities(h)).toEqual(before);
    const xero = await onHand(h);
    for (const p of h.oc.data.products) expect(xero[p.model]).toBe(p.quantity);
    // A second run: nothing new posted, nothing changed.
    const rerun = await runner.run({ scope: SCOPE, kind: 'all', trigger: 'cli', settings });
    expect(rerun.openingStockPosted).toBe(0);
    expect(rerun.stockUpdated).toBe(0);
    expect(quantities(h)).toEqual(before);
  });

  it('allowBackorders off: Xero refuses invoices that take stock below zero, and says so', async () => {
    const h = await withTrackedItems(3);
    const runner = new SyncRunner({ reader: h.oc, writer: h.oc, xero: h.xero, store: h.store, logger: h.logger, clock: h.clock });
    const summary = await runner.run({ scope: SCOPE, kind: 'orders', trigger: 'cli', settings: { ...settings, allowBackorders: false } });
    expect(h.xero.backorderFlags.every((f) => f === false)).toBe(true);
    expect(summary.failures.some((f) => /allowBackorders/.test(f.reason))).toBe(true);
  });

  it('brings back only what was bought in Xero, by that amount, once', async () => {
    const h = await withTrackedItems();
    await stock(h); // opening stock + baselines
    const before = quantities(h);
    await h.xero.createInvoices([bill('MODEL-41', 5)]);
    const result = await stock(h);
    expect(result.changes).toEqual([{ productId: 41, code: 'MODEL-41', from: 10, to: 15 }]);
    expect(quantities(h)).toEqual({ ...before, 41: 15 });
    const again = await stock(h);
    expect(again.changes).toEqual([]);
    expect(quantities(h)).toEqual({ ...before, 41: 15 });
  });

  it('our own sales in Xero never overwrite the store', async () => {
    const h = await withTrackedItems();
    await stock(h);
    const before = quantities(h);
    // The store's sales reach Xero as invoices (Xero's level drops); the store already counted them.
    h.xero.setQuantityOnHand('MODEL-40', 0);
    h.xero.setQuantityOnHand('MODEL-42', -3);
    const result = await stock(h);
    expect(result.changes).toEqual([]);
    expect(quantities(h)).toEqual(before);
  });

  it('the zero guard stops a sync that would zero many products; confirmStock applies it', async () => {
    const h = await withTrackedItems();
    await stock(h);
    const before = quantities(h);
    await h.xero.createInvoices([bill('MODEL-40', -10), bill('MODEL-41', -10), bill('MODEL-42', -10)]);
    const stopped = await stock(h);
    expect(stopped.status).toBe('failed');
    expect(stopped.error).toContain('--confirm-stock');
    expect(stopped.guard).toEqual({ zeroed: 3, tracked: h.oc.data.products.length, percent: expect.any(Number) });
    expect(quantities(h)).toEqual(before);
    const dry = await stock(h, { dryRun: true, confirmStock: true });
    expect(dry.changes).toHaveLength(3);
    expect(quantities(h)).toEqual(before);
    const confirmed = await stock(h, { confirmStock: true });
    expect(confirmed.status).toBe('completed');
    expect(confirmed.counts.stockUpdated).toBe(3);
    expect(quantities(h)).toEqual({ ...before, 40: 0, 41: 0, 42: 0 });
    expect((await stock(h)).changes).toEqual([]);
  });

  it('a dry run posts no opening stock and writes nothing', async () => {
    const h = await withTrackedItems();
    const reporter = new CollectingReporter();
    const result = await stock(h, { dryRun: true }, reporter);
    expect(result.status).toBe('completed');
    expect(await bills(h)).toEqual([]);
    expect(reporter.lines.filter((l) => l.status === 'planned').length).toBe(h.oc.data.products.length);
    expect(h.oc.writes).toEqual([]);
  });

  it('the opening bill: item line at price × cost %, offset line to the adjustment account, total zero', () => {
    const product = { ...sampleProduct(7), price: '12.3456', quantity: 3 };
    const draft = openingStockBill(productTarget(product, { ItemID: 'i', Code: 'MODEL-7', IsTrackedAsInventory: true, QuantityOnHand: 0 }), 3, { ...settings, openingStockCostPercent: 50 }, '840', '2026-12-03');
    expect(draft).toMatchObject({ Type: 'ACCPAY', Status: 'AUTHORISED', LineAmountTypes: 'NoTax', InvoiceNumber: 'OC-OPENING-7', Date: '2026-12-03', Contact: { Name: 'Opening Stock' } });
    expect(draft.LineItems).toEqual([
      { Description: 'Opening stock: Product 7', Quantity: 3, UnitAmount: 6.1728, ItemCode: 'MODEL-7', TaxType: 'NONE' },
      // 3 × 6.1728 = 18.5184 → Xero's line amount 18.52; the offset makes the bill total zero.
      { Description: 'Opening stock adjustment: Product 7', Quantity: 1, UnitAmount: -18.52, AccountCode: '840', TaxType: 'NONE' },
    ]);
  });

  it('an opening bill whose answer was lost is found by its number and adopted, not posted twice', async () => {
    const h = await withTrackedItems();
    h.xero.injectFault({ method: 'createInvoices', mode: 'after' });
    const lost = await stock(h);
    expect(lost.status).toBe('failed');
    const posted = (await bills(h)).length;
    expect(posted).toBe(h.oc.data.products.length);
    const retry = await stock(h);
    expect(retry.status).toBe('completed');
    expect(retry.counts.openingStockPosted).toBe(0);
    expect(await bills(h)).toHaveLength(posted);
    const xero = await onHand(h);
    for (const p of h.oc.data.products) expect(xero[p.model]).toBe(p.quantity);
  });

  it('an adjustment account that is not in the chart stops with the setting to fix', async () => {
    const h = await withTrackedItems();
    const result = await stock(h, { settings: { ...settings, openingStockAccountCode: '999' } });
    expect(result.status).toBe('failed');
    expect(result.error).toContain('Opening Stock Account Code 999');
    expect(await bills(h)).toEqual([]);
  });

  it('turning Export Items off keeps the item codes of items Xero holds on later invoices', async () => {
    const h = await withTrackedItems(4);
    const orders = new SyncOrdersUseCase({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger, clock: h.clock });
    await orders.execute({ runId: 'o1', scope: SCOPE, settings: testSettings({ exportItems: false }) });
    const lines = [...h.xero.invoices.values()].flatMap((i) => i.draft.LineItems).filter((l) => /Product 4\d/.test(l.Description));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => /^MODEL-4\d$/.test(l.ItemCode ?? ''))).toBe(true);
  });

  it('option values mapped to tracked Xero items (optionItemCodes) get opening stock and bring back what Xero bought', async () => {
    const h = await withTrackedItems();
    h.oc.optionValues.push({ productOptionValueId: 112, productId: 40, quantity: 6, price: '-20.0000' }, { productOptionValueId: 113, productId: 40, quantity: 4, price: '5.0000' });
    // The merchant made tracked items for the two sizes in Xero.
    for (const code of ['IPHONE-S', 'IPHONE-L']) await h.xero.saveItems([{ Code: code, Name: code, InventoryAssetAccountCode: '630', PurchaseDetails: { COGSAccountCode: '310' } }]);
    const mapped = { ...settings, optionItemCodes: { '112': 'IPHONE-S', '113': 'IPHONE-L', '999': 'IPHONE-S' } };
    const first = await stock(h, { settings: mapped });
    expect(first.status).toBe('completed');
    // The unknown option value is a failure that says what to fix; the others go on.
    expect(first.counts.failures).toEqual([{ entityType: 'option-value', entityId: '999', reason: expect.stringContaining('option value 999 is not in the store') }]);
    const xero = await onHand(h);
    expect([xero['IPHONE-S'], xero['IPHONE-L']]).toEqual([6, 4]);
    const small = (await h.xero.findInvoicesByNumbers([optionOpeningStockNumber(112)]))[0]!;
    expect(small).toBeDefined();
    await h.xero.createInvoices([bill('IPHONE-L', 3)]);
    const second = await stock(h, { settings: mapped });
    expect(second.changes).toEqual([{ productId: 40, productOptionValueId: 113, code: 'IPHONE-L', from: 4, to: 7 }]);
    expect(h.oc.optionValues.map((v) => v.quantity)).toEqual([6, 7]);
    expect(h.oc.writes.filter((w) => w.kind === 'quantity')).toEqual([]);
  });

  it('untracked items are left alone', async () => {
    const h = harness(0);
    await new ExportItemsUseCase({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger }).execute({ runId: 'i1', scope: SCOPE, settings: testSettings({ exportItems: true }) });
    const result = await stock(h);
    expect(result.changes).toEqual([]);
    expect(await bills(h)).toEqual([]);
  });
});
