import Decimal from 'decimal.js';
import type { Connection } from 'mysql2/promise';
import { buildSampleStore, type SampleStoreResult } from '../src';
import { connect, dropDatabase, query, scratchDatabase, serverUrl } from './helpers/mysql.helper';

type R = Record<string, string>;

const D = (v: Decimal.Value) => new Decimal(v);
// Each stored amount is rounded to 4 dp on its own, so a sum of n of them may be off by n × 0.00005.
const tolerance = (n: number) => D(0.00005).mul(n);

describe.each([
  ['3', 'shop_'],
  ['4', 'ocx4_'],
] as const)('a built %s.x store with prefix %s', (version, prefix) => {
  const database = scratchDatabase(`store${version}`);
  let result: SampleStoreResult;
  let db: Connection;
  let orders: R[];
  let totals: Map<string, R[]>;
  let lines: Map<string, R[]>;
  const t = (name: string) => `\`${prefix}${name}\``;

  beforeAll(async () => {
    result = await buildSampleStore({ serverUrl, database, version, prefix, orders: 300, seed: 7 });
    console.log(`Built OpenCart ${version}.x sample store, 300 orders, prefix ${prefix}: ${result.durationMs} ms`);
    db = await connect(database);
    orders = await query<R>(db, `SELECT * FROM ${t('order')} ORDER BY order_id`);
    const group = (rows: R[]) => {
      const map = new Map<string, R[]>();
      for (const row of rows) map.set(row.order_id, [...(map.get(row.order_id) ?? []), row]);
      return map;
    };
    totals = group(await query<R>(db, `SELECT * FROM ${t('order_total')} ORDER BY order_id, sort_order, order_total_id`));
    lines = group(await query<R>(db, `SELECT * FROM ${t('order_product')} ORDER BY order_product_id`));
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await dropDatabase(database);
  });

  it('creates only prefixed tables, and every order', async () => {
    const tables = await query<{ name: string }>(db, 'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [database]);
    expect(tables.length).toBeGreaterThan(35);
    expect(tables.filter((r) => !r.name.startsWith(prefix))).toEqual([]);
    expect(orders).toHaveLength(300);
    expect(result.orders.map((o) => o.orderId)).toEqual(orders.map((o) => Number(o.order_id)));
  });

  it('for every order: the non-total rows add up to the total row, which is order.total', () => {
    const bad: string[] = [];
    for (const order of orders) {
      const rows = totals.get(order.order_id) ?? [];
      const totalRows = rows.filter((r) => r.code === 'total');
      const others = rows.filter((r) => r.code !== 'total');
      const sum = others.reduce((s, r) => s.plus(r.value), D(0));
      if (totalRows.length !== 1) bad.push(`#${order.order_id}: ${totalRows.length} total rows`);
      else if (!D(totalRows[0].value).eq(order.total)) bad.push(`#${order.order_id}: total row ${totalRows[0].value} ≠ order.total ${order.total}`);
      // OpenCart rounds every row to 4 dp on its own: like a real store, a few orders' rows sum 0.0001 away.
      else if (sum.minus(order.total).abs().gt(tolerance(others.length))) {
        bad.push(`#${order.order_id}: rows sum to ${sum.toFixed(4)}, total ${order.total}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('for every order: line totals are price × quantity and add up to sub_total (with vouchers bought in 3.x)', async () => {
    const bought = new Map<string, Decimal>();
    if (version === '3') {
      for (const v of await query<R>(db, `SELECT order_id, amount FROM ${t('order_voucher')}`)) {
        bought.set(v.order_id, (bought.get(v.order_id) ?? D(0)).plus(v.amount));
      }
    }
    const bad: string[] = [];
    for (const order of orders) {
      const orderLines = lines.get(order.order_id) ?? [];
      for (const l of orderLines) if (!D(l.price).mul(l.quantity).eq(l.total)) bad.push(`line ${l.order_product_id}: ${l.price} × ${l.quantity} ≠ ${l.total}`);
      const subTotal = (totals.get(order.order_id) ?? []).find((r) => r.code === 'sub_total');
      const sum = orderLines.reduce((s, l) => s.plus(l.total), bought.get(order.order_id) ?? D(0));
      if (!subTotal || !sum.eq(subTotal.value)) bad.push(`#${order.order_id}: lines ${sum.toFixed(4)} ≠ sub_total ${subTotal?.value}`);
    }
    expect(bad).toEqual([]);
  });

  it('for every order: each tax row is its rate on the lines it applies to plus the shipping, less the percentage tax on coupon and reward discounts; without discounts, all rows are the stored per-unit tax × quantity plus shipping tax', async () => {
    // Which rates apply, worked out here from the store's own tables, independently of the generator.
    const settings = new Map((await query<R>(db, `SELECT \`key\`, value FROM ${t('setting')} WHERE store_id = 0`)).map((s) => [s.key, s.value]));
    const store = { country: settings.get('config_country_id')!, zone: settings.get('config_zone_id')! };
    const rules = await query<R>(
      db,
      `SELECT ru.tax_class_id, ru.based, ra.tax_rate_id, ra.name, ra.rate, ra.type, ra.geo_zone_id FROM ${t('tax_rule')} ru JOIN ${t('tax_rate')} ra USING (tax_rate_id)`,
    );
    const zones = await query<R>(db, `SELECT * FROM ${t('zone_to_geo_zone')}`);
    const groups = await query<R>(db, `SELECT * FROM ${t('tax_rate_to_customer_group')}`);
    const products = new Map((await query<R>(db, `SELECT product_id, tax_class_id, points FROM ${t('product')}`)).map((p) => [p.product_id, p]));
    const coupons = new Map((await query<R>(db, `SELECT * FROM ${t('coupon')}`)).map((c) => [c.code, c]));
    const flatClass = settings.get('shipping_flat_tax_class_id')!;
    const inZone = (geo: string, country: string, zone: string) => zones.some((z) => z.geo_zone_id === geo && z.country_id === country && (z.zone_id === '0' || z.zone_id === zone));

    let checked = 0;
    let discounted = 0;
    const bad: string[] = [];
    for (const order of orders) {
      const rows = totals.get(order.order_id) ?? [];
      const orderLines = lines.get(order.order_id) ?? [];
      if (orderLines.some((l) => !products.has(l.product_id))) continue; // product deleted since: class unknown
      const shippingRow = rows.find((r) => r.code === 'shipping');
      const shippingCode = version === '3' ? order.shipping_code : order.shipping_method ? JSON.parse(order.shipping_method).code : '';
      const place = {
        shipping: order.shipping_country_id !== '0' ? { country: order.shipping_country_id, zone: order.shipping_zone_id } : store,
        payment: order.payment_country_id !== '0' ? { country: order.payment_country_id, zone: order.payment_zone_id } : null,
        store,
      };
      const applies = (rule: R) => {
        const where = place[rule.based as keyof typeof place];
        return !!where && inZone(rule.geo_zone_id, where.country, where.zone) && groups.some((g) => g.tax_rate_id === rule.tax_rate_id && g.customer_group_id === order.customer_group_id);
      };
      const expected = new Map<string, Decimal>();
      const charge = (taxClass: string, amount: Decimal.Value, quantity: number, discount = false) => {
        const seen = new Set<string>();
        for (const rule of rules.filter((r) => r.tax_class_id === taxClass && applies(r))) {
          if (seen.has(rule.tax_rate_id)) continue;
          seen.add(rule.tax_rate_id);
          // A discount takes back the percentage taxes on the amount discounted; fixed taxes stay.
          if (discount && rule.type !== 'P') continue;
          const perUnit = rule.type === 'F' ? D(rule.rate) : D(amount).mul(rule.rate).div(100);
          const change = perUnit.mul(quantity);
          expected.set(rule.name, (expected.get(rule.name) ?? D(0)).plus(discount ? change.neg() : change));
        }
      };
      const classOf = (l: R) => products.get(l.product_id)!.tax_class_id;
      for (const l of orderLines) charge(classOf(l), l.price, Number(l.quantity));
      let shippingTax = D(0);
      if (shippingRow && shippingCode === 'flat.flat') {
        const before = new Map(expected);
        charge(flatClass, shippingRow.value, 1);
        for (const [name, value] of expected) shippingTax = shippingTax.plus(value.minus(before.get(name) ?? 0));
      }
      const couponRow = rows.find((r) => r.code === 'coupon');
      if (couponRow) {
        const coupon = coupons.get(/\((.+)\)$/.exec(couponRow.title)![1])!;
        const cartTotal = orderLines.reduce((s, l) => s.plus(l.total), D(0));
        const fixed = Decimal.min(coupon.discount, cartTotal);
        for (const l of orderLines) {
          const discount = coupon.type === 'F' ? fixed.mul(l.total).div(cartTotal) : D(l.total).mul(coupon.discount).div(100);
          charge(classOf(l), discount, 1, true);
        }
        if (coupon.shipping === '1' && shippingRow && shippingCode === 'flat.flat') charge(flatClass, shippingRow.value, 1, true);
      }
      const rewardRow = rows.find((r) => r.code === 'reward');
      if (rewardRow) {
        const redeemed = Number(/\(-?(\d+)\)$/.exec(rewardRow.title)![1]);
        const points = (l: R) => Number(products.get(l.product_id)!.points) * Number(l.quantity);
        const pointsTotal = orderLines.reduce((s, l) => s + points(l), 0);
        for (const l of orderLines) if (points(l) > 0) charge(classOf(l), D(l.total).mul(redeemed).div(pointsTotal), 1, true);
      }
      const taxRows = rows.filter((r) => r.code === 'tax');
      const want = [...expected].filter(([, v]) => v.gt(0)).map(([name, v]) => [name, v.toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4)]);
      const got = taxRows.map((r) => [r.title, r.value]);
      const close = want.length === got.length && want.every(([name, v]) => got.some(([n, g]) => n === name && D(g).minus(v).abs().lte(0.0001)));
      if (!close) bad.push(`#${order.order_id}: tax rows ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
      if (!couponRow && !rewardRow) {
        const perUnitSum = orderLines.reduce((s, l) => s.plus(D(l.tax).mul(l.quantity)), shippingTax);
        const rowsSum = taxRows.reduce((s, r) => s.plus(r.value), D(0));
        const qty = orderLines.reduce((s, l) => s + Number(l.quantity), 0);
        if (rowsSum.minus(perUnitSum).abs().gt(tolerance(qty + taxRows.length + 1))) bad.push(`#${order.order_id}: tax rows ${rowsSum} vs per-unit × qty + shipping ${perUnitSum}`);
      } else {
        discounted += 1;
      }
      checked += 1;
    }
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThan(250);
    expect(discounted).toBeGreaterThan(20);
  });

  it('covers what a connector must cope with', async () => {
    const statuses = await query<R>(db, `SELECT DISTINCT s.name FROM ${t('order')} o JOIN ${t('order_status')} s USING (order_status_id)`);
    expect(statuses.map((s) => s.name).sort()).toEqual(
      ['Canceled', 'Complete', 'Denied', 'Failed', 'Pending', 'Processing', 'Refunded', 'Reversed', 'Shipped', 'Voided'].sort(),
    );
    const history = await query<R>(db, `SELECT o.order_id, o.order_status_id, (SELECT h.order_status_id FROM ${t('order_history')} h WHERE h.order_id = o.order_id ORDER BY h.date_added DESC, h.order_history_id DESC LIMIT 1) AS last FROM ${t('order')} o`);
    expect(history.filter((h) => (h.last ?? '0') !== h.order_status_id)).toEqual([]);

    const payments = new Set(orders.map((o) => (version === '3' ? o.payment_code : JSON.parse(o.payment_method).code)));
    const pay = (code: string) => (version === '3' ? code : `${code}.${code}`);
    expect([...payments].sort()).toEqual(['bank_transfer', 'cheque', 'cod', 'free_checkout'].map(pay).sort());
    for (const o of orders) {
      const code = version === '3' ? o.payment_code : JSON.parse(o.payment_method).code;
      expect([o.order_id, code === pay('free_checkout')]).toEqual([o.order_id, D(o.total).isZero()]);
    }
    const shippings = new Set(orders.map((o) => (version === '3' ? o.shipping_code : o.shipping_method ? JSON.parse(o.shipping_method).code : '')));
    expect([...shippings].sort()).toEqual(['', 'flat.flat', 'free.free', 'pickup.pickup']);

    const currencies = new Map(orders.map((o) => [o.currency_code, o.currency_value]));
    expect([...currencies.keys()].sort()).toEqual(['EUR', 'GBP', 'USD']);
    expect(orders.filter((o) => o.currency_code === 'USD').every((o) => o.currency_value === '1.00000000')).toBe(true);
    expect(orders.filter((o) => o.currency_code !== 'USD').every((o) => D(o.currency_value).gt(0.7) && D(o.currency_value).lt(1))).toBe(true);

    const allTotals = [...totals.values()].flat();
    const titles = new Set(allTotals.map((r) => `${r.code}:${r.title}`));
    for (const expected of ['tax:VAT (20%)', 'tax:Reduced VAT (5%)', 'tax:Eco Tax (-2.00)', 'coupon:Coupon (SAVE10)', 'coupon:Coupon (TAKE15)', 'coupon:Coupon (SHIPFREE)', 'credit:Store Credit']) {
      expect([expected, titles.has(expected)]).toEqual([expected, true]);
    }
    expect(allTotals.some((r) => r.code === 'reward' && D(r.value).lt(0))).toBe(true);
    expect(allTotals.filter((r) => ['coupon', 'credit', 'reward', 'voucher'].includes(r.code)).every((r) => D(r.value).lt(0))).toBe(true);

    const names = await query<R>(db, `SELECT name FROM ${t('order_product')}`);
    expect(names.some((n) => n.name.includes('&amp;'))).toBe(true);
    expect(names.some((n) => n.name.includes('&quot;'))).toBe(true);
    expect(names.some((n) => /[\u4e00-\u9fff]/.test(n.name))).toBe(true);
    expect(orders.some((o) => /[À-ÿ]/.test(o.firstname + o.lastname))).toBe(true);
    const options = await query<R>(db, `SELECT COUNT(*) AS n FROM ${t('order_option')}`);
    expect(Number(options[0].n)).toBeGreaterThan(50);
    const pricedOptionLines = await query<R>(
      db,
      `SELECT op.price, p.price AS base FROM ${t('order_product')} op JOIN ${t('product')} p USING (product_id) WHERE op.order_product_id IN (SELECT order_product_id FROM ${t('order_option')} WHERE product_option_value_id <> 0)`,
    );
    expect(pricedOptionLines.some((l) => !D(l.price).eq(l.base))).toBe(true);

    const guestsByEmail = new Map<string, Set<string>>();
    for (const o of orders.filter((x) => x.customer_id === '0')) guestsByEmail.set(o.email, (guestsByEmail.get(o.email) ?? new Set()).add(`${o.firstname} ${o.lastname}`));
    expect([...guestsByEmail.values()].some((n) => n.size > 1)).toBe(true);
    const sameName = await query<R>(db, `SELECT firstname, lastname, COUNT(*) AS n FROM ${t('customer')} GROUP BY firstname, lastname HAVING n > 1`);
    expect(sameName.length).toBeGreaterThan(0);
  });

  it('keeps store credit, reward points and vouchers consistent with the orders that used them', async () => {
    const credit = await query<R>(db, `SELECT customer_id, SUM(amount) AS balance FROM ${t('customer_transaction')} GROUP BY customer_id`);
    expect(credit.filter((c) => D(c.balance).lt(0))).toEqual([]);
    const points = await query<R>(db, `SELECT customer_id, SUM(points) AS balance FROM ${t('customer_reward')} GROUP BY customer_id`);
    expect(points.filter((c) => D(c.balance).lt(0))).toEqual([]);
    const spent = await query<R>(
      db,
      `SELECT ot.order_id, ot.value, ct.amount FROM ${t('order_total')} ot JOIN ${t('order')} o USING (order_id)
        LEFT JOIN ${t('customer_transaction')} ct ON ct.order_id = ot.order_id
        WHERE ot.code = 'credit' AND o.order_status_id NOT IN (0, 8, 10)`,
    );
    expect(spent.length).toBeGreaterThan(0);
    expect(spent.filter((s) => s.amount === null || !D(s.amount).eq(s.value))).toEqual([]);
    if (version === '3') {
      const vouchers = await query<R>(
        db,
        `SELECT v.voucher_id, v.amount, COALESCE(SUM(h.amount), 0) AS used FROM ${t('voucher')} v LEFT JOIN ${t('voucher_history')} h USING (voucher_id) GROUP BY v.voucher_id, v.amount`,
      );
      expect(vouchers.length).toBeGreaterThan(0);
      expect(vouchers.filter((v) => D(v.amount).plus(v.used).lt(0))).toEqual([]);
      expect(allVoucherRows(totals).length).toBeGreaterThan(0);
    } else {
      const storefront = orders.filter((o) => o.payment_firstname === '' && o.shipping_firstname !== '');
      expect(storefront.length).toBeGreaterThan(0);
      expect(orders.every((o) => typeof JSON.parse(o.payment_method).name === 'string')).toBe(true);
    }
  });

  it('stores what the builder reports for every order', () => {
    const bad: string[] = [];
    for (const generated of result.orders) {
      const rows = (totals.get(String(generated.orderId)) ?? []).map((r) => ({ code: r.code, title: r.title, value: r.value, sortOrder: Number(r.sort_order) }));
      if (JSON.stringify(rows) !== JSON.stringify(generated.totals)) bad.push(`#${generated.orderId} totals`);
      const stored = (lines.get(String(generated.orderId)) ?? []).map((l) => [l.name, l.quantity, l.price, l.total, l.tax].join('|'));
      if (JSON.stringify(stored) !== JSON.stringify(generated.lines.map((l) => [l.name, l.quantity, l.price, l.total, l.tax].join('|')))) bad.push(`#${generated.orderId} lines`);
    }
    expect(bad).toEqual([]);
  });
});

function allVoucherRows(totals: Map<string, R[]>): R[] {
  return [...totals.values()].flat().filter((r) => r.code === 'voucher');
}

describe('buildSampleStore refuses bad input before touching the server', () => {
  it.each([
    [{ database: 'bad-name' }, /Database name/],
    [{ prefix: 'oc-' }, /Table prefix/],
    [{ version: '5' }, /version/],
    [{ orders: -1 }, /orders/],
    [{ serverUrl: 'http://x' }, /mysql:\/\//],
  ])('%j', async (override, message) => {
    const options = { serverUrl, database: 'ocx_t_sample_never', version: '4' as const, ...override } as Parameters<typeof buildSampleStore>[0];
    await expect(buildSampleStore(options)).rejects.toThrow(message);
  });

  it('names the server but never the password when it cannot connect', async () => {
    const attempt = buildSampleStore({ serverUrl: 'mysql://root:s3cretPw@127.0.0.1:1', database: 'ocx_t_sample_never', version: '3', orders: 1 });
    await expect(attempt).rejects.toThrow(/127\.0\.0\.1:1/);
    await expect(attempt).rejects.not.toThrow(/s3cretPw/);
  });
});

describe('buildSampleStore and an existing database', () => {
  const database = scratchDatabase('existing');

  afterAll(async () => {
    await dropDatabase(database);
  });

  it('refuses to drop a database it did not build and leaves it as it was; replaces it when forced; rebuilds its own', async () => {
    const admin = await connect();
    try {
      await admin.query(`CREATE DATABASE \`${database}\``);
      await admin.query(`CREATE TABLE \`${database}\`.precious (id int) ENGINE=InnoDB`);
      await admin.query(`INSERT INTO \`${database}\`.precious VALUES (42)`);
      await expect(buildSampleStore({ serverUrl, database, version: '3', orders: 2 })).rejects.toThrow(/not built by the sample-store builder.*force/);
      expect(await query<R>(admin, `SELECT id FROM \`${database}\`.precious`)).toEqual([{ id: '42' }]);

      await buildSampleStore({ serverUrl, database, version: '3', orders: 2, force: true });
      const afterForce = await query<R>(admin, 'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [database, 'precious']);
      expect(afterForce).toEqual([]);

      const again = await buildSampleStore({ serverUrl, database, version: '4', prefix: 'x_', orders: 3 });
      expect(again.orders).toHaveLength(3);
      const orderTables = await query<R>(admin, 'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE ?', [database, '%order']);
      expect(orderTables).toEqual([{ name: 'x_order' }]);
    } finally {
      await admin.end();
    }
  }, 60_000);
});
