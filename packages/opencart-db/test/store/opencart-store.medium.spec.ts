// The store adapter against the REAL OpenCart 3.0.5.0 and 4.1.0.3 databases (../shared/opencart),
// each loaded fresh, once with OpenCart's default prefix and once with every table renamed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decode } from 'he';
import type { OcOrder, OrderCursor } from '@oc-xero/sync-core';
import { connectOpenCart, loadOpenCartDump, type OpenCartConnection } from '../../src/store';
import {
  databaseUrl,
  dropScratch,
  fixturesDir,
  fixturesPresent,
  scratchName,
  serverUrl,
  sqlIn,
  type GroundTruth,
} from './opencart-fixtures';

const present = fixturesPresent();
const suite = present ? describe : describe.skip;

type Truth = GroundTruth['orders'][number];

// The 'driver' variants prove the mysql2 fallback of the loader on the same data.
const variants = [
  { version: '3', prefix: 'oc_', client: 'cli' },
  { version: '3', prefix: 'shop7_', client: 'driver' },
  { version: '4', prefix: 'oc_', client: 'cli' },
  { version: '4', prefix: 'shop7_', client: 'driver' },
] as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

suite.each(variants)(
  'OpenCart $version.x, table prefix $prefix (dump loaded by $client)',
  ({ version, prefix, client }) => {
    const database = scratchName(`${version}_${prefix}`);
    let store: OpenCartConnection;
    let truth: Truth[];
    let statusName: Map<number, string>;
    let allStatusIds: number[];

    beforeAll(async () => {
      truth = (
        JSON.parse(readFileSync(path.join(fixturesDir, `orders-${version}.json`), 'utf8')) as GroundTruth
      ).orders;
      const loaded = await loadOpenCartDump({
        serverUrl,
        database,
        file: path.join(fixturesDir, `opencart-${version}.sql`),
        prefix,
        client,
      });
      expect(loaded.client).toBe(client);
      store = await connectOpenCart({ url: databaseUrl(database), prefix });
      const statuses = await store.reader.listOrderStatuses();
      statusName = new Map(
        statuses.filter((s) => s.languageId === store.info.languageId).map((s) => [s.orderStatusId, s.name]),
      );
      allStatusIds = [...statusName.keys()];
    }, 60_000);

    afterAll(async () => {
      await store?.close();
      await dropScratch(database);
    });

    /** Every order, walking the keyset pages. */
    async function walk(limit: number, extra: { until?: string; after?: OrderCursor } = {}) {
      const pages: OcOrder[][] = [];
      const queries: number[] = [];
      let after = extra.after;
      let last: OrderCursor | undefined = extra.after;
      for (;;) {
        const before = store.queryCount;
        const page = await store.reader.listChangedOrders({
          statusIds: allStatusIds,
          after,
          until: extra.until,
          limit,
        });
        queries.push(store.queryCount - before);
        pages.push(page.items);
        const tail = page.items[page.items.length - 1];
        if (tail) last = { dateModified: tail.dateModified, orderId: tail.orderId };
        if (!page.next) break;
        after = page.next;
      }
      return { pages, orders: pages.flat(), queries, last };
    }

    const expectedOf = (o: Truth) => {
      const method = (m: Truth['payment']) =>
        m ? { code: m.code, name: decode(m.method ?? m.name ?? '') } : null;
      return {
        orderId: o.order_id,
        storeId: o.store_id,
        customerId: o.customer_id,
        customerGroupId: o.customer_group_id,
        email: decode(o.email),
        currencyCode: o.currency_code,
        currencyValue: o.currency_value,
        status: o.order_status,
        statusPath: o.status_path,
        paymentMethod: method(o.payment),
        shippingMethod: method(o.shipping),
        total: o.total,
        totals: o.order_total.map((t) => ({ code: t.code, title: decode(t.title), value: t.value })),
        lines: o.lines.map((l) => ({
          productId: l.product_id,
          name: decode(l.name),
          quantity: l.quantity,
          price: l.price,
          total: l.total,
          taxPerUnit: l.tax_per_unit,
        })),
      };
    };

    const actualOf = (o: OcOrder) => ({
      orderId: o.orderId,
      storeId: o.storeId,
      customerId: o.customerId,
      customerGroupId: o.customerGroupId,
      email: o.email,
      currencyCode: o.currencyCode,
      currencyValue: o.currencyValue,
      status: statusName.get(o.orderStatusId),
      statusPath: o.history.map((h) => statusName.get(h.orderStatusId)),
      paymentMethod: o.paymentMethod,
      shippingMethod: o.shippingMethod,
      total: o.total,
      totals: o.totals.map((t) => ({ code: t.code, title: t.title, value: t.value })),
      lines: o.lines.map((l) => ({
        productId: l.productId,
        name: l.name,
        quantity: l.quantity,
        price: l.price,
        total: l.total,
        taxPerUnit: l.taxPerUnit,
      })),
    });

    test('detects the version and the defaults from the schema', async () => {
      expect(store.info).toEqual({ version, prefix, defaultCurrency: 'USD', languageId: 1 });
      expect(await store.reader.info()).toEqual(store.info);
    });

    test('every order of the ground truth comes back with exactly its totals, currency, status, methods and lines', async () => {
      const { orders } = await walk(10);
      expect(orders.map((o) => o.orderId).sort((a, b) => a - b)).toEqual(
        truth.map((o) => o.order_id).sort((a, b) => a - b),
      );
      const byId = new Map(orders.map((o) => [o.orderId, o]));
      for (const t of truth) {
        const o = byId.get(t.order_id);
        expect(o).toBeDefined();
        expect(actualOf(o!)).toEqual(expectedOf(t));
        // The stored total is the sum of the other total rows: a cheap guard that no row was lost.
        const sum = o!.totals
          .filter((x) => x.code !== 'total')
          .reduce((s, x) => s + Math.round(Number(x.value) * 10000), 0);
        expect(sum).toBe(Math.round(Number(o!.total) * 10000));
      }
      // The same orders by id, any status, in ascending id order.
      const ids = truth.map((o) => o.order_id);
      const direct = await store.reader.getOrders([...ids].reverse());
      expect(direct.map((o) => o.orderId)).toEqual([...ids].sort((a, b) => a - b));
      for (const o of direct) expect(o).toEqual(byId.get(o.orderId));
      expect(await store.reader.getOrder(999999)).toBeNull();
    });

    test('decodes HTML-escaped text, and keeps 4-dp amounts and date strings as stored', async () => {
      const [o2] = await store.reader.getOrders([2]);
      expect(o2.lines[0].name).toBe('Apple Cinema 30"');
      expect(o2.lines[0].options.length).toBeGreaterThan(0);
      expect(o2.paymentAddress?.company).toBe('Smith & Sons Trading Ltd');
      expect(o2.paymentAddress?.countryIsoCode2).toBe('GB');
      expect(o2.currencyValue).toBe('0.61250001');
      expect(o2.dateAdded).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      const [o1] = await store.reader.getOrders([1]);
      expect(o1.lines[0]).toMatchObject({
        price: '0.3333',
        total: '33.3300',
        taxPerUnit: '2.0667',
        quantity: 100,
      });
    });

    test('the deleted product (29) is still named on its lines, flagged as gone', async () => {
      const withDeleted = (await walk(50)).orders.flatMap((o) => o.lines).filter((l) => l.productId === 29);
      expect(withDeleted.length).toBeGreaterThan(0);
      for (const l of withDeleted)
        expect(l).toMatchObject({ productExists: false, sku: '', taxClassId: 0, name: 'Palm Treo Pro' });
      expect(await store.reader.getProducts([29])).toEqual([]);
    });

    if (version === '4') {
      test('4.1 storefront orders 39-42 have no payment address but a shipping address', async () => {
        const orders = await store.reader.getOrders([39, 40, 41, 42]);
        expect(orders).toHaveLength(4);
        for (const o of orders) {
          expect(o.paymentAddress).toBeNull();
          expect(o.shippingAddress?.address1).not.toBe('');
        }
        expect(orders.every((o) => o.vouchers.length === 0)).toBe(true);
      });

      test('4.x: a broken payment_method JSON is reported and kept as a name; the other orders read normally', async () => {
        const [raw] = await sqlIn<Array<{ payment_method: string }>>(
          database,
          `SELECT payment_method FROM \`${prefix}order\` WHERE order_id = 5`,
        );
        const warnings: Array<Record<string, unknown>> = [];
        const logger = { warn: (obj: Record<string, unknown>) => warnings.push(obj), error: () => undefined };
        const watched = await connectOpenCart({ url: databaseUrl(database), prefix, logger });
        try {
          await sqlIn(
            database,
            `UPDATE \`${prefix}order\` SET payment_method = '{"name":"Bank Tr' WHERE order_id = 5`,
          );
          const [o4, o5, o6] = await watched.reader.getOrders([4, 5, 6]);
          expect(o5.paymentMethod).toEqual({ code: '', name: '{"name":"Bank Tr' });
          expect(o5.totals.length).toBeGreaterThan(0);
          expect(warnings).toEqual([
            expect.objectContaining({
              orderId: 5,
              problem: expect.stringMatching(/^method column is not valid JSON/),
            }),
          ]);
          expect(o4.paymentMethod?.code).toMatch(/\./);
          expect(o6.paymentMethod?.code).toMatch(/\./);
        } finally {
          await sqlIn(database, `UPDATE \`${prefix}order\` SET payment_method = ? WHERE order_id = 5`, [
            raw.payment_method,
          ]);
          await watched.close();
        }
        expect((await store.reader.getOrders([5]))[0].paymentMethod).toEqual({
          code: 'bank_transfer.bank_transfer',
          name: 'Bank Transfer',
        });
      });
    } else {
      test('3.x: the gift voucher bought in order 10 is read, and redeemed as voucher totals on 36 and 37', async () => {
        const [o10, o36, o37] = await store.reader.getOrders([10, 36, 37]);
        expect(o10.vouchers).toHaveLength(1);
        expect(Number(o10.vouchers[0].amount)).toBeGreaterThan(0);
        expect(o10.vouchers[0].code).not.toBe('');
        for (const o of [o36, o37])
          expect(o.totals.some((t) => t.code === 'voucher' && Number(t.value) < 0)).toBe(true);
      });
    }

    test('returns come back with their action and status names', async () => {
      const all = [];
      let afterId: number | undefined;
      for (;;) {
        const page = await store.reader.listReturns({ afterId, limit: 2 });
        all.push(...page.items);
        if (page.next === null) break;
        afterId = page.next;
      }
      const expected = truth.flatMap((o) =>
        o.returns.map((r) => ({
          returnId: Number(r.return_id),
          orderId: o.order_id,
          productId: Number(r.product_id),
          quantity: Number(r.quantity),
          action: r.action,
          status: r.status,
        })),
      );
      expect(
        all.map(({ returnId, orderId, productId, quantity, action, status }) => ({
          returnId,
          orderId,
          productId,
          quantity,
          action,
          status,
        })),
      ).toEqual(expected.sort((a, b) => a.returnId - b.returnId));
    });

    test('customers, products, currencies, stores, taxes and payment methods', async () => {
      const customers = [];
      let afterId: number | undefined;
      for (;;) {
        const page = await store.reader.listCustomers({ afterId, limit: 3 });
        customers.push(...page.items);
        if (page.next === null) break;
        afterId = page.next;
      }
      const [{ n: customerCount }] = await sqlIn<Array<{ n: number }>>(
        database,
        `SELECT COUNT(*) AS n FROM \`${prefix}customer\``,
      );
      expect(customers).toHaveLength(Number(customerCount));
      const john = customers.find((c) => c.email === 'john.smith.uk@example.co.uk');
      expect(john?.addresses[0]).toMatchObject({
        company: 'Smith & Sons Trading Ltd',
        countryIsoCode2: 'GB',
        country: 'United Kingdom',
      });
      expect(john?.defaultAddressId).toBe(john?.addresses[0].addressId);
      expect(await store.reader.getCustomers([john!.customerId, 999999])).toEqual([john]);

      const firstProducts = await store.reader.listProducts({ limit: 5 });
      expect(firstProducts.items).toHaveLength(5);
      expect(firstProducts.items[0].descriptions[0]).toMatchObject({ languageId: 1 });
      expect(firstProducts.items[0].descriptions[0].name).not.toBe('');
      const [cinema] = await store.reader.getProducts([42]);
      expect(cinema.descriptions[0].name).toBe('Apple Cinema 30"');

      const currencies = await store.reader.listCurrencies();
      expect(currencies.filter((c) => c.isDefault).map((c) => c.code)).toEqual(['USD']);
      expect(currencies.find((c) => c.code === 'GBP')?.value).toBe('0.61250001');

      const stores = await store.reader.listStores();
      expect(stores[0]).toMatchObject({ storeId: 0, name: 'Your Store' });
      expect(stores[0].url).toMatch(/^https?:\/\//);

      const rates = await store.reader.listTaxRates();
      expect(rates.map((r) => [r.name, r.type, r.rate])).toEqual(
        expect.arrayContaining([
          ['VAT (20%)', 'P', '20.0000'],
          ['Eco Tax (-2.00)', 'F', '2.0000'],
        ]),
      );
      expect((await store.reader.listTaxClasses()).map((c) => c.title)).toEqual(
        expect.arrayContaining(['Taxable Goods']),
      );
      expect(await store.reader.listTaxRules()).toEqual(
        expect.arrayContaining([{ taxClassId: 9, taxRateId: 86, based: 'shipping', priority: 1 }]),
      );

      const methods = await store.reader.listPaymentMethods();
      const counted = new Map<string, number>();
      for (const t of truth) {
        const code = (t.payment?.code ?? '').split('.')[0];
        counted.set(code, (counted.get(code) ?? 0) + 1);
      }
      for (const [code, n] of counted)
        expect(methods.find((m) => m.code === code)).toMatchObject({
          installed: true,
          enabled: true,
          ordersCount: n,
        });
    });

    test('a constant number of SQL statements per page, whatever the page size', async () => {
      const perPage: Record<number, number> = {};
      for (const size of [1, 10, 50]) {
        const before = store.queryCount;
        const page = await store.reader.listChangedOrders({ statusIds: allStatusIds, limit: size });
        perPage[size] = store.queryCount - before;
        expect(page.items).toHaveLength(Math.min(size, truth.length));
        // Children were filled in (3.x order 10 bought only a voucher, so it has no product lines).
        expect(page.items.every((o) => o.totals.length > 0 && o.history.length > 0)).toBe(true);
      }
      // Every page of a full walk costs the same too.
      const { queries } = await walk(7);
      console.log(
        `OpenCart ${version}.x (${prefix}): statements per page of orders = ${JSON.stringify(perPage)} (page sizes 1/10/50); full walk by 7: ${JSON.stringify(queries)}`,
      );
      expect(perPage[10]).toBe(perPage[1]);
      expect(perPage[50]).toBe(perPage[1]);
      expect(new Set(queries)).toEqual(new Set([perPage[1]]));
      // START TRANSACTION, orders, lines, options, totals, history, (3.x: vouchers), COMMIT.
      expect(perPage[1]).toBe(version === '3' ? 8 : 7);

      // Customers (with addresses) and products (with descriptions) page the same way.
      const cost = async (read: () => Promise<{ items: unknown[] }>) => {
        const before = store.queryCount;
        const page = await read();
        expect(page.items.length).toBeGreaterThan(0);
        return store.queryCount - before;
      };
      const customerCosts: number[] = [];
      const productCosts: number[] = [];
      for (const limit of [1, 3, 10]) {
        customerCosts.push(await cost(() => store.reader.listCustomers({ limit })));
        productCosts.push(await cost(() => store.reader.listProducts({ limit })));
      }
      console.log(
        `OpenCart ${version}.x (${prefix}): statements per page of customers ${customerCosts}, of products ${productCosts} (sizes 1/3/10)`,
      );
      // START TRANSACTION, parents, children, COMMIT.
      expect(customerCosts).toEqual([4, 4, 4]);
      expect(productCosts).toEqual([4, 4, 4]);
    });

    test('keyset paging returns every order exactly once, also when orders change between pages', async () => {
      const allIds = truth.map((o) => o.order_id).sort((a, b) => a - b);
      // Plain walks with several page sizes: once each, in (date_modified, order_id) order.
      for (const size of [1, 4, 50]) {
        const { orders } = await walk(size);
        expect(orders.map((o) => o.orderId).sort((a, b) => a - b)).toEqual(allIds);
        for (let i = 1; i < orders.length; i++) {
          const a = orders[i - 1];
          const b = orders[i];
          expect(
            a.dateModified < b.dateModified || (a.dateModified === b.dateModified && a.orderId < b.orderId),
          ).toBe(true);
        }
      }

      const original = await sqlIn<Array<{ order_id: number; date_modified: string }>>(
        database,
        `SELECT order_id, date_modified FROM \`${prefix}order\``,
      );
      try {
        // A sync run reads the clock once; changes made after that belong to the next run.
        const [{ now: until }] = await sqlIn<Array<{ now: string }>>(database, 'SELECT NOW() AS now');
        await sleep(1100);
        const run1: number[] = [];
        let after: OrderCursor | undefined;
        let last: OrderCursor | undefined;
        let bumpedSeen = 0;
        let bumpedUnseen = 0;
        for (let page = 0; ; page++) {
          const p = await store.reader.listChangedOrders({ statusIds: allStatusIds, after, until, limit: 5 });
          run1.push(...p.items.map((o) => o.orderId));
          const tail = p.items[p.items.length - 1];
          if (tail) last = { dateModified: tail.dateModified, orderId: tail.orderId };
          if (page === 1) {
            // Between pages: the merchant edits one order we already read and one we have not.
            bumpedSeen = run1[0];
            bumpedUnseen = allIds.find((id) => !run1.includes(id))!;
            await sqlIn(
              database,
              `UPDATE \`${prefix}order\` SET date_modified = NOW() WHERE order_id IN (?)`,
              [[bumpedSeen, bumpedUnseen]],
            );
          }
          if (!p.next) break;
          after = p.next;
        }
        expect(new Set(run1).size).toBe(run1.length);
        expect([...run1].sort((a, b) => a - b)).toEqual(allIds.filter((id) => id !== bumpedUnseen));

        const run2 = await walk(5, { after: last });
        const run2Ids = run2.orders.map((o) => o.orderId).sort((a, b) => a - b);
        expect(run2Ids).toEqual([bumpedSeen, bumpedUnseen].sort((a, b) => a - b));
        // Together the runs saw every order; the unseen one exactly once, the edited one again as a change.
        expect(new Set([...run1, ...run2Ids])).toEqual(new Set(allIds));
        expect([...run1, ...run2Ids].filter((id) => id === bumpedUnseen)).toHaveLength(1);
      } finally {
        for (const r of original) {
          await sqlIn(database, `UPDATE \`${prefix}order\` SET date_modified = ? WHERE order_id = ?`, [
            r.date_modified,
            r.order_id,
          ]);
        }
      }
    }, 30_000);

    test('filters: store ids, date added range, status set and the until bound', async () => {
      const complete = [...statusName].find(([, n]) => n === 'Complete')![0];
      const onlyComplete = await store.reader.listChangedOrders({ statusIds: [complete], limit: 100 });
      expect(onlyComplete.items.map((o) => o.orderId).sort((a, b) => a - b)).toEqual(
        truth
          .filter((o) => o.order_status === 'Complete')
          .map((o) => o.order_id)
          .sort((a, b) => a - b),
      );
      expect(
        (await store.reader.listChangedOrders({ statusIds: allStatusIds, storeIds: [5], limit: 10 })).items,
      ).toEqual([]);
      expect((await store.reader.listChangedOrders({ statusIds: [], limit: 10 })).items).toEqual([]);
      expect(
        (
          await store.reader.listChangedOrders({
            statusIds: allStatusIds,
            until: '2000-01-01 00:00:00',
            limit: 10,
          })
        ).items,
      ).toEqual([]);
      const day = (await store.reader.getOrders([1]))[0].dateAdded.slice(0, 10);
      const sameDay = await store.reader.listChangedOrders({
        statusIds: allStatusIds,
        addedFrom: day,
        addedTo: day,
        limit: 100,
      });
      expect(sameDay.items.length).toBe(truth.length);
      await expect(
        store.reader.listChangedOrders({ statusIds: allStatusIds, addedFrom: '23/11/2026', limit: 10 }),
      ).rejects.toThrow("addedFrom must be a date 'YYYY-MM-DD' (got '23/11/2026')");
      await expect(store.reader.listChangedOrders({ statusIds: allStatusIds, limit: 0 })).rejects.toThrow(
        'page size must be a whole number',
      );
    });

    test('a wrong prefix is refused, naming the prefix that exists', async () => {
      await expect(connectOpenCart({ url: databaseUrl(database), prefix: 'wrong_' })).rejects.toThrow(
        `no table \`wrong_order\` in database \`${database}\`: is OPENCART_DB_PREFIX right? tables found with prefix \`${prefix}\``,
      );
    });

    test('the two writes: stock quantity and order history + status, read back', async () => {
      await store.writer.setProductQuantity(30, 77);
      expect((await store.reader.getProducts([30]))[0].quantity).toBe(77);
      await store.writer.setProductQuantity(30, -3);
      expect((await store.reader.getProducts([30]))[0].quantity).toBe(-3);
      await expect(store.writer.setProductQuantity(999999, 1)).rejects.toMatchObject({
        kind: 'validation',
        message: 'cannot set stock of product 999999: it does not exist in the store',
      });

      const complete = [...statusName].find(([, n]) => n === 'Complete')![0];
      const [before] = await store.reader.getOrders([3]);
      const [{ now }] = await sqlIn<Array<{ now: string }>>(database, 'SELECT NOW() AS now');
      await store.writer.addOrderHistory({
        orderId: 3,
        orderStatusId: complete,
        comment: 'Paid in Xero: INV-3 "Smith & Sons" <ok>',
        notify: false,
      });
      const [after] = await store.reader.getOrders([3]);
      expect(after.orderStatusId).toBe(complete);
      expect(after.dateModified >= now).toBe(true);
      expect(after.history).toHaveLength(before.history.length + 1);
      expect(after.history[after.history.length - 1]).toMatchObject({
        orderStatusId: complete,
        notify: false,
        comment: 'Paid in Xero: INV-3 "Smith & Sons" <ok>',
      });
      // Stored escaped, the way OpenCart's own forms store text.
      const [raw] = await sqlIn<Array<{ comment: string }>>(
        database,
        `SELECT comment FROM \`${prefix}order_history\` WHERE order_id = 3 ORDER BY order_history_id DESC LIMIT 1`,
      );
      expect(raw.comment).toBe('Paid in Xero: INV-3 &quot;Smith &amp; Sons&quot; &lt;ok&gt;');
      // Everything else on the order is untouched.
      expect({ ...after, orderStatusId: 0, dateModified: '', history: [] }).toEqual({
        ...before,
        orderStatusId: 0,
        dateModified: '',
        history: [],
      });

      await expect(
        store.writer.addOrderHistory({
          orderId: 999999,
          orderStatusId: complete,
          comment: '',
          notify: false,
        }),
      ).rejects.toMatchObject({
        kind: 'validation',
      });
      await expect(
        store.writer.addOrderHistory({ orderId: 3, orderStatusId: 987654, comment: '', notify: false }),
      ).rejects.toThrow('cannot set order 3 to status 987654: no such order status in the store');
      expect((await store.reader.getOrders([3]))[0].history).toHaveLength(after.history.length);
    });
    test('returns are optional: a store without the return tables reads no returns and syncs on', async () => {
      const page = await store.reader.listReturns({ limit: 50 });
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.every((r) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(r.dateModified ?? ''))).toBe(true);
      await sqlIn(database, `RENAME TABLE \`${prefix}return\` TO \`${prefix}return_moved\``);
      try {
        const without = await connectOpenCart({ url: databaseUrl(database), prefix });
        try {
          expect(await without.reader.listReturns({ limit: 50 })).toEqual({ items: [], next: null });
          expect((await without.reader.getOrders([1])).map((o) => o.orderId)).toEqual([1]);
        } finally {
          await without.close();
        }
      } finally {
        await sqlIn(database, `RENAME TABLE \`${prefix}return_moved\` TO \`${prefix}return\``);
      }
    });
  },
);
