import { escapeHtml, generateSampleStore } from './sample-store.generator';

describe('generateSampleStore', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = generateSampleStore({ version: '4', orders: 40, seed: 3 });
    const b = generateSampleStore({ version: '4', orders: 40, seed: 3 });
    const c = generateSampleStore({ version: '4', orders: 40, seed: 4 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
  });

  it('makes the requested number of orders, each with a total row equal to its total', () => {
    const store = generateSampleStore({ version: '3', orders: 25, seed: 1 });
    expect(store.orders).toHaveLength(25);
    expect(store.tables.order).toHaveLength(25);
    for (const order of store.orders) expect(order.totals.find((t) => t.code === 'total')?.value).toBe(order.total);
  });

  it('stores 4-byte characters as ? in 3.x (SET NAMES utf8) and intact in 4.x', () => {
    const name = (version: '3' | '4') => generateSampleStore({ version, orders: 0, seed: 1 }).tables.customer.find((c) => c.customer_id === 5)?.firstname;
    expect(name('3')).toBe('Jess ?');
    expect(name('4')).toBe('Jess 🌸');
  });

  it('keeps 3.x-only tables and columns out of a 4.x store', () => {
    const v4 = generateSampleStore({ version: '4', orders: 60, seed: 2 });
    expect(v4.tables.voucher).toBeUndefined();
    expect(v4.tables.order_voucher).toBeUndefined();
    expect(v4.tables.order.every((o) => !('payment_code' in o) && JSON.parse(String(o.payment_method)).code.includes('.'))).toBe(true);
  });

  it('rejects a negative order count', () => {
    expect(() => generateSampleStore({ version: '3', orders: -1, seed: 1 })).toThrow(/orders/);
  });
});

describe('escapeHtml', () => {
  it('escapes like OpenCart request filtering (ENT_COMPAT): & " < > but not apostrophes', () => {
    expect(escapeHtml(`Smith & Sons 30" <b>O'Brien</b>`)).toBe(`Smith &amp; Sons 30&quot; &lt;b&gt;O'Brien&lt;/b&gt;`);
  });
});
