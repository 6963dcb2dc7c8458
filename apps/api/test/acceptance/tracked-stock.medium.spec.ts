/**
 * Acceptance (issue 11 §3): Export Items + Sync Items with Xero Inventory + Sync Items Stocks
 * switched on for a REAL OpenCart store with history, through the CLI's composition into the
 * sandbox (spec-validated). The store's quantities must survive: opening stock goes to Xero once
 * (a zero-total inventory adjustment bill per product), no invoice is refused for stock the store
 * already sold, and only what is bought or adjusted in Xero comes back. A sync that would zero many
 * products stops, and `oc-xero sync --confirm-stock` applies it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { RunningSandbox } from '@oc-xero/xero-sandbox';
import { productKey, type XeroInvoiceDraft } from '@oc-xero/sync-core';
import { runSync } from '../../src/cli/sync.command';
import type { CliSyncSummary } from '../../src/cli/sync-summary.formatter';
import {
  acceptanceSettings,
  cliEnv,
  dropDatabases,
  openContext,
  orgState,
  requireShared,
  scratchName,
  sql,
  startCheckedSandbox,
} from './support/acceptance.harness';
import { runCli } from './support/cli.process';
import { loadDumpStore } from './support/dump.fixture';

jest.setTimeout(300_000);

const available = requireShared('fixtures');
const describeIf = available ? describe : describe.skip;

type Json = Record<string, unknown>;
const ITEM_SETTINGS = { exportItems: true, syncItemsWithXeroInventory: true, syncItemStocks: true };

describeIf.each([
  { version: '3' as const, prefix: 'shop3_' },
  { version: '4' as const, prefix: 'oc_' },
])('tracked inventory on a real OpenCart $version store with history (prefix $prefix)', ({ version, prefix }) => {
  const store = scratchName(`stock${version}`);
  const connector = scratchName(`stockc${version}`);
  let sandbox: RunningSandbox;

  const quantities = async (): Promise<Map<number, number>> => {
    const conn = await sql(store);
    try {
      const [rows] = await conn.query(`SELECT product_id, quantity FROM ${prefix}product ORDER BY product_id`);
      return new Map((rows as Array<{ product_id: number; quantity: number }>).map((r) => [Number(r.product_id), Number(r.quantity)]));
    } finally {
      await conn.end();
    }
  };
  const sum = (m: Map<number, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
  const bills = (): Json[] => orgState(sandbox).Invoices.filter((i) => i.Type === 'ACCPAY');
  const itemsByCode = (): Map<string, Json> => new Map(orgState(sandbox).Items.map((i) => [String(i.Code), i]));

  beforeAll(async () => {
    await loadDumpStore(store, version, prefix);
    // Many runs against one organisation in a few seconds: the per-minute limit is not what this tests.
    sandbox = await startCheckedSandbox({ rateLimits: { perMinute: 10_000, perDay: 1_000_000, concurrent: 5 } });
  });
  afterAll(async () => {
    await sandbox?.close();
    await dropDatabases([store, connector]);
  });

  it('keeps the store quantities, posts opening stock once, brings back only a bill bought in Xero, and the zero guard stops until --confirm-stock', async () => {
    const env = cliEnv({ store, connector, prefix, sandboxUrl: sandbox.url });
    const settings = acceptanceSettings(ITEM_SETTINGS);
    const before = await quantities();
    const ctx = await openContext(env);
    let codes: Map<number, string>;
    try {
      // 1. The first run with the three item settings on a store with history.
      const first = await runSync(ctx, { all: true, settings });
      expect(first.summary.status).toBe('completed');
      // No invoice refused (for stock or anything else).
      expect(first.summary.failures).toEqual([]);
      expect(first.summary.orders.exported).toBeGreaterThan(20);
      const after = await quantities();
      expect(sum(after)).toBe(sum(before));
      expect(after).toEqual(before);

      // Each tracked item got its opening stock once: Xero now holds what the store holds.
      const rows = await ctx.store.getLedger(ctx.config.scope, 'item', [...before.keys()].map(productKey));
      codes = new Map(rows.filter((r) => r.status === 'done' && r.xeroNumber).map((r) => [Number(r.entityKey.split(':')[1]), r.xeroNumber!]));
      expect(codes.size).toBe(before.size);
      const items = itemsByCode();
      for (const [productId, code] of codes) {
        const item = items.get(code)!;
        expect(item.IsTrackedAsInventory).toBe(true);
        if (before.get(productId)! >= 0) expect({ productId, onHand: Number(item.QuantityOnHand) }).toEqual({ productId, onHand: before.get(productId) });
      }
      const opening = bills();
      expect(first.summary.openingStockPosted).toBe(opening.length);
      expect(opening.length).toBeGreaterThan(10);
      for (const b of opening) expect({ n: b.InvoiceNumber, total: b.Total, status: b.Status }).toEqual({ n: b.InvoiceNumber, total: 0, status: 'PAID' });
      console.log(
        `OpenCart ${version} store: ${before.size} products, quantity sum ${sum(before)} before and ${sum(after)} after; ${first.summary.orders.exported} invoices, ${opening.length} opening-stock bills, ${first.summary.failures.length} failures`,
      );

      // 2. A rerun posts nothing and changes nothing.
      const second = await runSync(ctx, { all: true, settings });
      expect(second.summary.status).toBe('completed');
      expect(second.summary.openingStockPosted).toBe(0);
      expect(second.summary.stockUpdated).toBe(0);
      expect(bills()).toHaveLength(opening.length);
      expect(await quantities()).toEqual(before);

      // 3. The merchant buys 7 of one product in Xero: only that product changes, by 7.
      const [boughtId, boughtCode] = [...codes.entries()][0]!;
      const purchase: XeroInvoiceDraft = {
        Type: 'ACCPAY',
        Contact: { Name: 'Supplier Ltd' },
        InvoiceNumber: 'SUP-1001',
        Date: '2026-11-20',
        DueDate: '2026-12-20',
        Status: 'AUTHORISED',
        LineAmountTypes: 'Exclusive',
        LineItems: [{ Description: 'Restock', Quantity: 7, UnitAmount: 5, ItemCode: boughtCode, TaxType: 'NONE' }],
      };
      const [bought] = await ctx.xero.createInvoices([purchase]);
      expect(bought!.ok).toBe(true);
      const third = await runSync(ctx, { all: true, settings });
      expect(third.summary.status).toBe('completed');
      expect(third.summary.stockUpdated).toBe(1);
      expect(await quantities()).toEqual(new Map([...before, [boughtId, before.get(boughtId)! + 7]]));
    } finally {
      await ctx.close();
    }

    // 4. Stock written off in Xero for a quarter of the products (adjustment bills taking their
    // whole quantity out): the guard stops the sync, --confirm-stock applies it.
    const now = await quantities();
    const victims = [...codes.entries()].filter(([id]) => now.get(id)! > 0).slice(0, Math.max(3, Math.ceil(codes.size * 0.25)));
    const adjust = await openContext(env);
    try {
      const writeOffs: XeroInvoiceDraft[] = victims.map(([id, code]) => ({
        Type: 'ACCPAY',
        Contact: { Name: 'Stock write-off' },
        InvoiceNumber: `WO-${id}`,
        Date: '2026-11-21',
        DueDate: '2026-11-21',
        Status: 'AUTHORISED',
        LineAmountTypes: 'NoTax',
        LineItems: [
          { Description: 'Write-off', Quantity: -now.get(id)!, UnitAmount: 1, ItemCode: code, TaxType: 'NONE' },
          { Description: 'Write-off adjustment', Quantity: 1, UnitAmount: now.get(id)!, AccountCode: '840', TaxType: 'NONE' },
        ],
      }));
      const results = await adjust.xero.createInvoices(writeOffs);
      expect(results.map((r) => r.ok)).toEqual(victims.map(() => true));
    } finally {
      await adjust.close();
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'ocx-stock-'));
    const settingsFile = path.join(dir, 'settings.json');
    writeFileSync(
      settingsFile,
      JSON.stringify({ status: true, invoiceStatus: 'AUTHORISED', exportCustomers: true, paymentAccountCodes: { cod: '090', bank_transfer: '090' }, ...ITEM_SETTINGS }),
    );
    const stopped = await runCli(['sync', '--stock', '--json', '--settings', settingsFile], env);
    expect(stopped.code).toBe(1);
    const stoppedSummary = JSON.parse(stopped.stdout.trim()) as CliSyncSummary;
    expect(stoppedSummary.status).toBe('failed');
    expect(stoppedSummary.error).toContain('--confirm-stock');
    expect(stopped.stderr).toContain(`would set ${victims.length} of ${codes.size} tracked products`);
    expect(await quantities()).toEqual(now);

    const confirmed = await runCli(['sync', '--stock', '--confirm-stock', '--json', '--settings', settingsFile], env);
    expect({ code: confirmed.code, stderr: confirmed.stderr }).toEqual({ code: 0, stderr: '' });
    const confirmedSummary = JSON.parse(confirmed.stdout.trim()) as CliSyncSummary;
    expect(confirmedSummary.stockUpdated).toBe(victims.length);
    const expected = new Map(now);
    for (const [id] of victims) expected.set(id, 0);
    expect(await quantities()).toEqual(expected);
    expect(sandbox.violations()).toEqual([]);
  });

  it('option values mapped to tracked Xero items (optionItemCodes) keep their quantities, get opening stock, and take back a purchase in Xero', async () => {
    const optionQuantities = async (): Promise<Map<number, number>> => {
      const conn = await sql(store);
      try {
        const [rows] = await conn.query(`SELECT product_option_value_id, quantity FROM ${prefix}product_option_value ORDER BY product_option_value_id`);
        return new Map((rows as Array<{ product_option_value_id: number; quantity: number }>).map((r) => [Number(r.product_option_value_id), Number(r.quantity)]));
      } finally {
        await conn.end();
      }
    };
    const optionsBefore = await optionQuantities();
    const productsBefore = await quantities();
    const [a, b] = [...optionsBefore.entries()].filter(([, q]) => q > 0).map(([id]) => id);
    expect(a && b).toBeTruthy();
    const env = cliEnv({ store, connector, prefix, sandboxUrl: sandbox.url });
    const ctx = await openContext(env);
    try {
      // The merchant made tracked items for two option values in Xero and mapped them.
      const made = await ctx.xero.saveItems(
        [`OPT-${a}`, `OPT-${b}`].map((code) => ({ Code: code, Name: code, InventoryAssetAccountCode: '630', PurchaseDetails: { COGSAccountCode: '310' }, SalesDetails: { AccountCode: '200' } })),
      );
      expect(made.map((m) => m.ok)).toEqual([true, true]);
      const settings = acceptanceSettings({ ...ITEM_SETTINGS, optionItemCodes: { [String(a)]: `OPT-${a}`, [String(b)]: `OPT-${b}` } });
      const first = await runSync(ctx, { stock: true, settings });
      expect(first.summary.status).toBe('completed');
      expect(first.summary.failures).toEqual([]);
      expect(first.summary.openingStockPosted).toBe(2);
      expect(await optionQuantities()).toEqual(optionsBefore);
      const items = itemsByCode();
      expect([Number(items.get(`OPT-${a}`)!.QuantityOnHand), Number(items.get(`OPT-${b}`)!.QuantityOnHand)]).toEqual([optionsBefore.get(a), optionsBefore.get(b)]);
      const [bought] = await ctx.xero.createInvoices([
        {
          Type: 'ACCPAY',
          Contact: { Name: 'Supplier Ltd' },
          InvoiceNumber: 'SUP-OPT-1',
          Date: '2026-11-22',
          DueDate: '2026-12-22',
          Status: 'AUTHORISED',
          LineAmountTypes: 'NoTax',
          LineItems: [{ Description: 'Restock option', Quantity: 4, UnitAmount: 2, ItemCode: `OPT-${b}`, TaxType: 'NONE' }],
        },
      ]);
      expect(bought!.ok).toBe(true);
      const second = await runSync(ctx, { stock: true, settings });
      expect(second.summary.status).toBe('completed');
      expect(second.summary.stockUpdated).toBe(1);
      expect(await optionQuantities()).toEqual(new Map([...optionsBefore, [b, optionsBefore.get(b)! + 4]]));
      expect(await quantities()).toEqual(productsBefore);
    } finally {
      await ctx.close();
    }
    expect(sandbox.violations()).toEqual([]);
  });
});
