import { assignItemCodes, mapProductToItem } from './product-to-item.mapper';
import { context } from '../../test/mapping/support/order.builder';
import type { OcProduct } from '../ports/opencart.port';

const product = (p: Partial<OcProduct> = {}): OcProduct => ({
  productId: 40,
  model: 'product 11',
  sku: '',
  price: '101.0000',
  taxClassId: 9,
  quantity: 970,
  status: true,
  dateModified: '2024-01-01 00:00:00',
  descriptions: [
    { languageId: 1, name: 'iPhone', description: '<p>iPhone is a <b>revolutionary</b> phone</p>' },
  ],
  ...p,
});

describe('assignItemCodes', () => {
  it('uses the model, ≤30 characters, unique and stable; collisions get the product id', () => {
    const long = 'A very long model name that goes past thirty characters';
    const codes = assignItemCodes([
      { productId: 3, model: 'SAM1', sku: '' },
      { productId: 1, model: 'sam1', sku: '' },
      { productId: 2, model: '', sku: 'SKU-2' },
      { productId: 4, model: '', sku: '' },
      { productId: 5, model: long, sku: '' },
      { productId: 6, model: long, sku: '' },
    ]);
    expect(codes.get(1)).toBe('sam1');
    expect(codes.get(3)).toBe('SAM1-3');
    expect(codes.get(2)).toBe('SKU-2');
    expect(codes.get(4)).toBe('P4');
    expect(codes.get(5)).toBe('A very long model name that go');
    expect(codes.get(6)).toBe('A very long model name that-6');
    const all = [...codes.values()];
    for (const c of all) expect(c.length).toBeLessThanOrEqual(30);
    expect(new Set(all.map((c) => c.toUpperCase())).size).toBe(all.length);
    // stable: same input in another order gives the same codes
    const again = assignItemCodes(
      [...[6, 5, 4, 3, 2, 1]].map((id) => ({
        productId: id,
        model: ({ 1: 'sam1', 2: '', 3: 'SAM1', 4: '', 5: long, 6: long } as Record<number, string>)[id]!,
        sku: id === 2 ? 'SKU-2' : '',
      })),
    );
    expect([...again.entries()].sort()).toEqual([...codes.entries()].sort());
  });
});

describe('mapProductToItem', () => {
  it('maps name ≤50, plain-text description, sales price in the base currency, account and tax type', () => {
    const ctx = context({ organisation: { Name: 'UK', BaseCurrency: 'GBP' } });
    const item = mapProductToItem(
      product({ descriptions: [{ languageId: 1, name: 'N'.repeat(226), description: '' }] }),
      'product 11',
      ctx,
    );
    expect(item.Code).toBe('product 11');
    expect(item.Name.length).toBe(50);
    expect(item.Description).toBe('N'.repeat(226));
    expect(item.SalesDetails).toEqual({ UnitPrice: 61.8625, AccountCode: '200', TaxType: 'OUTPUT2' });
    expect(item.InventoryAssetAccountCode).toBeUndefined();
    expect(item.PurchaseDetails).toEqual({ AccountCode: '310' });
    expect(mapProductToItem(product(), 'X', ctx).Description).toBe('iPhone is a revolutionary phone');
  });

  it('is tracked with the inventory and COGS accounts when inventory sync is on, and honours overrides', () => {
    const ctx = context({ settings: { exportItems: true, syncItemsWithXeroInventory: true } });
    const item = mapProductToItem(product({ productId: 99, taxClassId: 0 }), 'X', ctx);
    expect(item.InventoryAssetAccountCode).toBe('630');
    expect(item.PurchaseDetails).toEqual({ COGSAccountCode: '310' });
    expect(item.SalesDetails).toMatchObject({ AccountCode: '260', TaxType: 'NONE', UnitPrice: 101 });
  });
});
