/**
 * TEST HELPER: an order edited the way OpenCart's admin order edit leaves it: a product's quantity
 * changes in order_product (quantity, total; tax stays per unit), the sub_total, tax (one row per
 * rate title) and total rows of order_total follow, order.total too, and date_modified is stamped
 * with the store's clock. Every figure comes from the store's own rows and tax rates, and the
 * helper refuses an order whose per-unit tax it cannot split by rate (the edit would be one
 * OpenCart never makes).
 */
import { sql } from './acceptance.harness';
import type { SampleStore } from './sample-store.fixture';

type Row = Record<string, unknown>;

/** Exact decimals as integers of 10^-12 (amounts are 4 dp, rates 4 dp: products stay exact). */
const SCALE = 10n ** 12n;
class Decimal {
  constructor(readonly n: bigint) {}
  static of(s: string | number): Decimal {
    const m = /^(-?)(\d+)(?:\.(\d{0,12}))?$/.exec(String(s).trim());
    if (!m) throw new Error(`not a decimal: ${String(s)}`);
    const v = BigInt(m[2]!) * SCALE + BigInt((m[3] ?? '').padEnd(12, '0'));
    return new Decimal(m[1] ? -v : v);
  }
  plus(o: Decimal): Decimal {
    return new Decimal(this.n + o.n);
  }
  times(o: Decimal | number): Decimal {
    return typeof o === 'number' ? new Decimal(this.n * BigInt(o)) : new Decimal((this.n * o.n) / SCALE);
  }
  div(k: number): Decimal {
    return new Decimal(this.n / BigInt(k));
  }
  /** Half away from zero, as OpenCart's and Xero's rounding. */
  toFixed(dp: number): string {
    const unit = 10n ** BigInt(12 - dp);
    const abs = this.n < 0n ? -this.n : this.n;
    let q = abs / unit;
    if ((abs % unit) * 2n >= unit) q += 1n;
    const digits = q.toString().padStart(dp + 1, '0');
    return `${this.n < 0n && q !== 0n ? '-' : ''}${digits.slice(0, -dp)}.${digits.slice(-dp)}`;
  }
}
const dec = (v: unknown): Decimal => Decimal.of(String(v));

export interface OrderEdit {
  before: string;
  after: string;
}

export async function editQuantity(
  store: SampleStore,
  orderId: number,
  productId: number,
  quantity: number,
): Promise<OrderEdit> {
  const p = store.prefix;
  const conn = await sql(store.database);
  try {
    const [lines] = (await conn.query(
      `SELECT order_product_id, price, tax, quantity FROM \`${p}order_product\` WHERE order_id = ? AND product_id = ?`,
      [orderId, productId],
    )) as unknown as [Row[]];
    if (lines.length !== 1)
      throw new Error(`order ${orderId} has ${lines.length} lines of product ${productId}`);
    const line = lines[0]!;
    const price = dec(line.price);
    const unitTax = dec(line.tax);
    const delta = quantity - Number(line.quantity);
    const [totals] = (await conn.query(
      `SELECT order_total_id, code, title, value FROM \`${p}order_total\` WHERE order_id = ? ORDER BY sort_order`,
      [orderId],
    )) as unknown as [Row[]];
    const [rates] = (await conn.query(`SELECT name, rate, type FROM \`${p}tax_rate\``)) as unknown as [Row[]];
    // The per-unit tax of the line, split by the order's tax rows (titles are the rate names).
    const share = new Map<number, Decimal>();
    for (const t of totals.filter((r) => r.code === 'tax')) {
      const rate = rates.find((r) => r.name === t.title);
      if (!rate) throw new Error(`order ${orderId}: tax row "${String(t.title)}" matches no tax rate`);
      share.set(
        Number(t.order_total_id),
        rate.type === 'F' ? dec(rate.rate) : price.times(dec(rate.rate)).div(100),
      );
    }
    const split = [...share.values()].reduce((a, b) => a.plus(b), Decimal.of(0));
    if (split.toFixed(4) !== unitTax.toFixed(4))
      throw new Error(
        `order ${orderId}: per-unit tax ${unitTax.toFixed(4)} is not the sum of its rates (${split.toFixed(4)})`,
      );

    const [[order]] = (await conn.query(`SELECT total FROM \`${p}order\` WHERE order_id = ?`, [
      orderId,
    ])) as unknown as [[Row]];
    const before = dec(order!.total);
    const after = before.plus(price.plus(unitTax).times(delta));
    const [[{ now }]] = (await conn.query(
      "SELECT DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s') AS now",
    )) as unknown as [[{ now: string }]];
    await conn.beginTransaction();
    await conn.query(`UPDATE \`${p}order_product\` SET quantity = ?, total = ? WHERE order_product_id = ?`, [
      quantity,
      price.times(quantity).toFixed(4),
      line.order_product_id,
    ]);
    for (const t of totals) {
      const id = Number(t.order_total_id);
      const value = dec(t.value);
      let next: Decimal | null = null;
      if (t.code === 'sub_total') next = value.plus(price.times(delta));
      else if (t.code === 'tax') next = value.plus(share.get(id)!.times(delta));
      else if (t.code === 'total') next = after;
      if (next)
        await conn.query(`UPDATE \`${p}order_total\` SET value = ? WHERE order_total_id = ?`, [
          next.toFixed(4),
          id,
        ]);
    }
    await conn.query(`UPDATE \`${p}order\` SET total = ?, date_modified = ? WHERE order_id = ?`, [
      after.toFixed(4),
      now,
      orderId,
    ]);
    await conn.commit();
    // A run reads changes up to one second before it starts: let that second pass.
    for (;;) {
      const [[{ passed }]] = (await conn.query('SELECT NOW() >= ? + INTERVAL 2 SECOND AS passed', [
        now,
      ])) as unknown as [[{ passed: number | string }]];
      if (Number(passed) === 1) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    return { before: before.toFixed(2), after: after.toFixed(2) };
  } finally {
    await conn.end();
  }
}
