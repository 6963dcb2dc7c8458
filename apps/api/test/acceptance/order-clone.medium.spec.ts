/**
 * The benchmark's order cloner on a real MariaDB: the store grows to the wanted count with new ids,
 * every child row follows its order, and the reader sees the clones as orders of the same shape.
 */
import { connectOpenCart } from '@oc-xero/opencart-db';
import { cloneOrdersUpTo } from '@oc-xero/sample-store';
import { dbUrl, dropDatabases, scratchName, sql } from './support/acceptance.harness';
import { buildStore } from './support/sample-store.fixture';

jest.setTimeout(120_000);

describe('cloneOrdersUpTo', () => {
  const db = scratchName('clone');
  afterAll(() => dropDatabases([db]));

  it('clones orders with their lines, options, totals and history up to the count, same shapes', async () => {
    await buildStore(db, { version: '4', prefix: 'st_', orders: 30, seed: 3 });
    const conn = await sql(db);
    const count = async (table: string): Promise<number> => {
      const [[r]] = (await conn.query(`SELECT COUNT(*) AS n FROM \`st_${table}\``)) as unknown as [
        [{ n: number }],
      ];
      return Number(r.n);
    };
    try {
      const before = {
        lines: await count('order_product'),
        options: await count('order_option'),
        totals: await count('order_total'),
      };
      const result = await cloneOrdersUpTo(conn, db, 'st_', 75);
      expect(result).toEqual({ before: 30, after: 75 });
      expect(await count('order')).toBe(75);
      // Two whole copies plus part of a third: more child rows, in proportion.
      expect(await count('order_product')).toBeGreaterThan(before.lines * 2);
      expect(await count('order_total')).toBeGreaterThan(before.totals * 2);
      const [orphans] = await conn.query(
        'SELECT COUNT(*) AS n FROM `st_order_option` o LEFT JOIN `st_order_product` p ON p.order_product_id = o.order_product_id AND p.order_id = o.order_id WHERE p.order_product_id IS NULL',
      );
      expect(Number((orphans as Array<{ n: number }>)[0]!.n)).toBe(0);
      if (before.options > 0) expect(await count('order_option')).toBeGreaterThan(before.options);
      expect(await cloneOrdersUpTo(conn, db, 'st_', 50)).toEqual({ before: 75, after: 75 });
    } finally {
      await conn.end();
    }
    const store = await connectOpenCart({ url: dbUrl(db), prefix: 'st_' });
    try {
      const [original, clone] = await store.reader.getOrders([5, 35]);
      expect(clone!.orderId).toBe(35);
      const shape = (o: NonNullable<typeof original>) => ({
        total: o.total,
        currency: o.currencyCode,
        status: o.orderStatusId,
        lines: o.lines.map((l) => [l.productId, l.quantity, l.price, l.options.length]),
        totals: o.totals.map((t) => [t.code, t.value]),
      });
      expect(shape(clone!)).toEqual(shape(original!));
    } finally {
      await store.close();
    }
  });
});
