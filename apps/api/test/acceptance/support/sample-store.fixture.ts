/**
 * TEST HELPER: a sample OpenCart store (packages/sample-store) in a scratch database, with the
 * ground truth of its orders in the shape the checks use. Runs on a fresh clone (no ../shared).
 */
import { buildSampleStore } from '@oc-xero/sample-store';
import { serverUrl, sql } from './acceptance.harness';
import type { TruthOrder } from './ground-truth.check';

export interface SampleStore {
  database: string;
  prefix: string;
  truth: TruthOrder[];
  statusIds: Map<string, number>;
}

export async function statusIdsOf(database: string, prefix: string): Promise<Map<string, number>> {
  const conn = await sql(database);
  try {
    const [rows] = await conn.query(
      `SELECT order_status_id AS id, name FROM \`${prefix}order_status\` WHERE language_id = (SELECT MIN(language_id) FROM \`${prefix}order_status\`)`,
    );
    return new Map((rows as Array<{ id: number; name: string }>).map((r) => [r.name, Number(r.id)]));
  } finally {
    await conn.end();
  }
}

export async function buildStore(
  database: string,
  o: { version: '3' | '4'; prefix?: string; orders: number; seed?: number },
): Promise<SampleStore> {
  const prefix = o.prefix ?? 'oc_';
  const built = await buildSampleStore({
    serverUrl,
    database,
    version: o.version,
    prefix,
    orders: o.orders,
    seed: o.seed ?? 7,
  });
  const statusIds = await statusIdsOf(database, prefix);
  const nameOf = new Map([...statusIds].map(([n, id]) => [id, n]));
  const conn = await sql(database);
  let fixed: string[];
  try {
    const [rows] = await conn.query(`SELECT name FROM \`${prefix}tax_rate\` WHERE type = 'F'`);
    fixed = (rows as Array<{ name: string }>).map((r) => r.name);
  } finally {
    await conn.end();
  }
  const generated = built.orders as unknown as Array<{
    orderId: number;
    orderStatusId: number;
    total: string;
    currencyCode: string;
    currencyValue: string;
    paymentCode: string;
    totals: Array<{ code: string; title: string; value: string }>;
  }>;
  const truth: TruthOrder[] = generated.map((g) => ({
    orderId: g.orderId,
    status: nameOf.get(g.orderStatusId) ?? `#${g.orderStatusId}`,
    currencyCode: g.currencyCode,
    currencyValue: g.currencyValue,
    total: g.total,
    taxRows: g.totals
      .filter((t) => t.code === 'tax' && !fixed.some((n) => t.title.startsWith(n)))
      .map((t) => t.value),
    paymentCode: g.paymentCode,
  }));
  return { database, prefix, truth, statusIds };
}

/** Moves orders to a status as OpenCart's admin does (status, history row, date_modified now), and returns once the next run can see them. */
export async function setStatus(store: SampleStore, orderIds: number[], status: string): Promise<void> {
  const id = store.statusIds.get(status);
  if (id === undefined) throw new Error(`no status ${status} in the store`);
  const conn = await sql(store.database);
  try {
    // Stamp the change with the store's real clock, as OpenCart does (a stamp in the past could
    // fall behind the checkpoint of a run made a moment ago, which real edits never do)…
    const [[{ now }]] = (await conn.query(
      "SELECT DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s') AS now",
    )) as unknown as [[{ now: string }]];
    for (const orderId of orderIds) {
      await conn.query(
        `UPDATE \`${store.prefix}order\` SET order_status_id = ?, date_modified = ? WHERE order_id = ?`,
        [id, now, orderId],
      );
      await conn.query(
        `INSERT INTO \`${store.prefix}order_history\` (order_id, order_status_id, notify, comment, date_added) VALUES (?, ?, 0, 'acceptance test', ?)`,
        [orderId, id, now],
      );
    }
    // …then let that second pass: a run reads changes up to one second before it starts.
    for (;;) {
      const [[{ passed }]] = (await conn.query('SELECT NOW() >= ? + INTERVAL 2 SECOND AS passed', [
        now,
      ])) as unknown as [[{ passed: number | string }]];
      if (Number(passed) === 1) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await conn.end();
  }
  for (const t of store.truth) if (orderIds.includes(t.orderId)) t.status = status;
}
