import { DataSource } from 'typeorm';
import { type OrderMarkPort } from '@oc-xero/sync-core';
import { chunk, placeholders, requireText, requireIds, INSERT_CHUNK, IN_CHUNK } from './connector-sql.util';

/** Orders marked "do not sync". */
export class OrderMarkRepository implements OrderMarkPort {
  constructor(private readonly dataSource: DataSource) {}

  async getMarkedOrders(scope: string, orderIds: number[]): Promise<number[]> {
    const ids = requireIds(orderIds, 'orderIds');
    const out: number[] = [];
    for (const part of chunk(ids, IN_CHUNK)) {
      const rows = (await this.dataSource.query(
        `SELECT order_id FROM order_marks WHERE scope = ? AND order_id IN (${placeholders(part.length)}) ORDER BY order_id`,
        [scope, ...part],
      )) as Array<{ order_id: number | string }>;
      out.push(...rows.map((row) => Number(row.order_id)));
    }
    return out;
  }

  async markOrders(scope: string, orderIds: number[]): Promise<void> {
    requireText(scope, 'scope', 191);
    const ids = requireIds(orderIds, 'orderIds');
    for (const part of chunk(ids, INSERT_CHUNK)) {
      // Re-marking keeps the first marked_at.
      await this.dataSource.query(
        `INSERT INTO order_marks (scope, order_id, marked_at) VALUES ${part.map(() => '(?, ?, UTC_TIMESTAMP(3))').join(',')}
         ON DUPLICATE KEY UPDATE marked_at = marked_at`,
        part.flatMap((id) => [scope, id]),
      );
    }
  }

  async unmarkOrders(scope: string, orderIds: number[]): Promise<void> {
    const ids = requireIds(orderIds, 'orderIds');
    for (const part of chunk(ids, IN_CHUNK)) {
      await this.dataSource.query(
        `DELETE FROM order_marks WHERE scope = ? AND order_id IN (${placeholders(part.length)})`,
        [scope, ...part],
      );
    }
  }
}
