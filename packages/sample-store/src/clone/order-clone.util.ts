/**
 * Clones a store's orders inside a scratch database up to a wanted count, for the benchmark: new
 * order ids (and new ids for every order child row), same shapes, same customers and products.
 * Every table named <prefix>order* that has an order_id column is cloned; a column holding another
 * cloned table's key (order_option.order_product_id) is shifted with it.
 */
import type { Connection } from 'mysql2/promise';

interface TableInfo {
  name: string;
  columns: string[];
  /** The auto-increment key, when the table has one. */
  key: string | null;
}

const q = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

async function orderTables(conn: Connection, database: string, prefix: string): Promise<TableInfo[]> {
  const [rows] = await conn.query(
    `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, EXTRA AS extra FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [database, `${prefix.replace(/_/g, '\\_')}order%`],
  );
  const tables = new Map<string, TableInfo>();
  for (const r of rows as Array<{ t: string; c: string; extra: string }>) {
    const t = tables.get(r.t) ?? { name: r.t, columns: [], key: null };
    t.columns.push(r.c);
    if (/auto_increment/i.test(r.extra)) t.key = r.c;
    tables.set(r.t, t);
  }
  return [...tables.values()].filter((t) => t.columns.includes('order_id'));
}

/** Grows the store to `wanted` orders (never shrinks it); returns the order count after. */
export async function cloneOrdersUpTo(
  conn: Connection,
  database: string,
  prefix: string,
  wanted: number,
): Promise<{ before: number; after: number }> {
  const orderTable = `${prefix}order`;
  const [[countRow]] = (await conn.query(
    `SELECT COUNT(*) AS n, MAX(order_id) AS maxId FROM ${q(orderTable)}`,
  )) as unknown as [[{ n: number; maxId: number }]];
  const before = Number(countRow.n);
  const baseMax = Number(countRow.maxId);
  if (before === 0) throw new Error(`the store has no orders to clone (${orderTable} is empty)`);
  if (wanted <= before) return { before, after: before };
  const tables = await orderTables(conn, database, prefix);
  // The largest key of each cloned table, by key column name (order_product_id → order_product's).
  const keyMax = new Map<string, number>();
  for (const t of tables) {
    if (!t.key) continue;
    const [[r]] = (await conn.query(
      `SELECT COALESCE(MAX(${q(t.key)}), 0) AS m FROM ${q(t.name)}`,
    )) as unknown as [[{ m: number }]];
    keyMax.set(t.key, Math.max(keyMax.get(t.key) ?? 0, Number(r.m)));
  }
  const copies = Math.ceil(wanted / before) - 1;
  for (let k = 1; k <= copies; k++) {
    for (const t of tables) {
      const exprs = t.columns.map((c) => (keyMax.has(c) ? `${q(c)} + ${k * keyMax.get(c)!}` : q(c)));
      await conn.query(
        `INSERT INTO ${q(t.name)} (${t.columns.map(q).join(', ')}) SELECT ${exprs.join(', ')} FROM ${q(t.name)} WHERE order_id <= ?`,
        [baseMax],
      );
    }
  }
  // Trim to exactly `wanted`: the orders after the wanted-th, and their rows.
  const [cut] = (await conn.query(
    `SELECT order_id FROM ${q(orderTable)} ORDER BY order_id LIMIT 1 OFFSET ?`,
    [wanted - 1],
  )) as unknown as [Array<{ order_id: number }>];
  const cutoff = Number(cut[0]!.order_id);
  for (const t of tables) await conn.query(`DELETE FROM ${q(t.name)} WHERE order_id > ?`, [cutoff]);
  const [[after]] = (await conn.query(`SELECT COUNT(*) AS n FROM ${q(orderTable)}`)) as unknown as [
    [{ n: number }],
  ];
  return { before, after: Number(after.n) };
}
