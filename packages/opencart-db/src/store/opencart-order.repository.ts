import {
  SyncError,
  type OcOrder,
  type OcOrderHistory,
  type OcOrderLine,
  type OcOrderOption,
  type OcOrderTotal,
  type OcOrderVoucher,
  type OpenCartReader,
  type OrderCursor,
  type Page,
} from '@oc-xero/sync-core';
import type { OpenCartSchema } from './opencart-schema.detector';
import type { StoreLogger } from './opencart-store.logger';
import { addressFrom, dec, groupBy, int, methodFrom, str, text, type Row } from './opencart-row.util';

/** Runs one statement; the reader passes a function bound to one connection for the whole page. */
export type Sql = (sql: string, params?: unknown[]) => Promise<Row[]>;

export type ChangedOrdersQuery = Parameters<OpenCartReader['listChangedOrders']>[0];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * Orders with their children. Every read is: one query for the orders, then one per child table
 * (lines, options, totals, history, and 3.x vouchers) with `order_id IN (...)`, so the number of
 * statements per page is fixed whatever the page size.
 */
export class OpenCartOrderRepository {
  constructor(
    private readonly schema: OpenCartSchema,
    private readonly logger?: StoreLogger,
  ) {}

  async listChanged(sql: Sql, q: ChangedOrdersQuery): Promise<Page<OcOrder, OrderCursor>> {
    const limit = checkLimit(q.limit);
    const filter = changedOrdersWhere(q);
    if (!filter) return { items: [], next: null };
    const { where, params } = filter;
    // One row more than asked tells whether another page exists without a trailing empty query.
    params.push(limit + 1);
    const rows = await sql(
      `${this.selectOrders()} WHERE ${where.join(' AND ')} ORDER BY o.date_modified, o.order_id LIMIT ?`,
      params,
    );
    const more = rows.length > limit;
    const pageRows = more ? rows.slice(0, limit) : rows;
    const items = await this.withChildren(sql, pageRows);
    const last = items[items.length - 1];
    return { items, next: more && last ? { dateModified: last.dateModified, orderId: last.orderId } : null };
  }

  /** The number of orders listChanged would page through: one COUNT on the same filter. */
  async countChanged(sql: Sql, q: Omit<ChangedOrdersQuery, 'limit'>): Promise<number> {
    const filter = changedOrdersWhere(q);
    if (!filter) return 0;
    const rows = await sql(`SELECT COUNT(*) AS n FROM ${this.schema.table('order')} o WHERE ${filter.where.join(' AND ')}`, filter.params);
    return Number(rows[0]?.n ?? 0);
  }

  async byIds(sql: Sql, orderIds: number[]): Promise<OcOrder[]> {
    const ids = uniqueIds(orderIds);
    if (ids.length === 0) return [];
    const rows = await sql(`${this.selectOrders()} WHERE o.order_id IN (?) ORDER BY o.order_id`, [ids]);
    return this.withChildren(sql, rows);
  }

  private selectOrders(): string {
    const s = this.schema;
    const t = s.table;
    const geo = (side: 'payment' | 'shipping', c: string, z: string) =>
      `${c}.iso_code_2 AS ${side}_iso_code_2, ${z}.code AS ${side}_zone_code`;
    const addressColumns = (side: 'payment' | 'shipping') =>
      ['firstname', 'lastname', 'company', 'address_1', 'address_2', 'city', 'postcode', 'country', 'zone']
        .map((c) => `o.${side}_${c}`)
        .join(', ');
    const codeColumns = s.hasMethodCodeColumns ? ', o.payment_code, o.shipping_code' : '';
    return `SELECT o.order_id, o.invoice_no, o.invoice_prefix, o.store_id, o.store_name, o.customer_id,
        o.customer_group_id, o.firstname, o.lastname, o.email, o.telephone,
        ${addressColumns('payment')}, ${addressColumns('shipping')},
        o.payment_method, o.shipping_method${codeColumns}, o.comment, o.total, o.order_status_id,
        o.language_id, o.currency_code, o.currency_value, o.date_added, o.date_modified,
        ${geo('payment', 'pc', 'pz')}, ${geo('shipping', 'sc', 'sz')}
      FROM ${t('order')} o
      LEFT JOIN ${t('country')} pc ON pc.country_id = o.payment_country_id
      LEFT JOIN ${t('zone')} pz ON pz.zone_id = o.payment_zone_id
      LEFT JOIN ${t('country')} sc ON sc.country_id = o.shipping_country_id
      LEFT JOIN ${t('zone')} sz ON sz.zone_id = o.shipping_zone_id`;
  }

  private async withChildren(sql: Sql, orderRows: Row[]): Promise<OcOrder[]> {
    if (orderRows.length === 0) return [];
    const t = this.schema.table;
    const ids = orderRows.map((r) => int(r.order_id));
    const lineRows = await sql(
      `SELECT op.order_product_id, op.order_id, op.product_id, op.name, op.model, op.quantity, op.price,
          op.total, op.tax, op.reward, p.product_id AS catalogue_product_id, p.sku, p.tax_class_id
        FROM ${t('order_product')} op
        LEFT JOIN ${t('product')} p ON p.product_id = op.product_id
        WHERE op.order_id IN (?) ORDER BY op.order_id, op.order_product_id`,
      [ids],
    );
    const optionRows = await sql(
      `SELECT order_id, order_product_id, name, value, type FROM ${t('order_option')}
        WHERE order_id IN (?) ORDER BY order_id, order_option_id`,
      [ids],
    );
    const totalRows = await sql(
      `SELECT order_id, code, title, value, sort_order FROM ${t('order_total')}
        WHERE order_id IN (?) ORDER BY order_id, sort_order, order_total_id`,
      [ids],
    );
    const historyRows = await sql(
      `SELECT order_id, order_status_id, notify, comment, date_added FROM ${t('order_history')}
        WHERE order_id IN (?) ORDER BY order_id, date_added, order_history_id`,
      [ids],
    );
    const voucherRows = this.schema.hasOrderVoucher
      ? await sql(
          `SELECT order_voucher_id, order_id, code, description, amount FROM ${t('order_voucher')}
            WHERE order_id IN (?) ORDER BY order_id, order_voucher_id`,
          [ids],
        )
      : [];

    const optionsByLine = groupBy(optionRows, (r) => int(r.order_product_id));
    const linesByOrder = groupBy(lineRows, (r) => int(r.order_id));
    const totalsByOrder = groupBy(totalRows, (r) => int(r.order_id));
    const historyByOrder = groupBy(historyRows, (r) => int(r.order_id));
    const vouchersByOrder = groupBy(voucherRows, (r) => int(r.order_id));

    return orderRows.map((r) => {
      const orderId = int(r.order_id);
      const lines: OcOrderLine[] = (linesByOrder.get(orderId) ?? []).map((l) => {
        const exists = l.catalogue_product_id !== null && l.catalogue_product_id !== undefined;
        return {
          orderProductId: int(l.order_product_id),
          productId: int(l.product_id),
          productExists: exists,
          name: text(l.name),
          model: text(l.model),
          sku: exists ? text(l.sku) : '',
          quantity: int(l.quantity),
          price: dec(l.price),
          total: dec(l.total),
          taxPerUnit: dec(l.tax),
          reward: int(l.reward),
          taxClassId: exists ? int(l.tax_class_id) : 0,
          options: (optionsByLine.get(int(l.order_product_id)) ?? []).map((o): OcOrderOption => ({
            name: text(o.name),
            value: text(o.value),
            type: str(o.type),
          })),
        };
      });
      const totals: OcOrderTotal[] = (totalsByOrder.get(orderId) ?? []).map((x) => ({
        code: str(x.code),
        title: text(x.title),
        value: dec(x.value),
        sortOrder: int(x.sort_order),
      }));
      const history: OcOrderHistory[] = (historyByOrder.get(orderId) ?? []).map((h) => ({
        orderStatusId: int(h.order_status_id),
        notify: int(h.notify) === 1,
        comment: text(h.comment),
        dateAdded: str(h.date_added),
      }));
      const vouchers: OcOrderVoucher[] = (vouchersByOrder.get(orderId) ?? []).map((v) => ({
        orderVoucherId: int(v.order_voucher_id),
        code: text(v.code),
        description: text(v.description),
        amount: dec(v.amount),
      }));
      const codes = this.schema.hasMethodCodeColumns;
      const payment = methodFrom(r.payment_method, codes ? r.payment_code : undefined);
      const shipping = methodFrom(r.shipping_method, codes ? r.shipping_code : undefined);
      for (const [which, parsed] of [
        ['payment', payment],
        ['shipping', shipping],
      ] as const) {
        if (parsed.problem)
          this.logger?.warn({ orderId, problem: parsed.problem }, `unreadable ${which} method on order`);
      }
      return {
        orderId,
        invoicePrefix: text(r.invoice_prefix),
        invoiceNo: int(r.invoice_no),
        storeId: int(r.store_id),
        storeName: text(r.store_name),
        customerId: int(r.customer_id),
        customerGroupId: int(r.customer_group_id),
        firstname: text(r.firstname),
        lastname: text(r.lastname),
        email: text(r.email),
        telephone: text(r.telephone),
        paymentAddress: addressFrom(r, 'payment_'),
        shippingAddress: addressFrom(r, 'shipping_'),
        paymentMethod: payment.method,
        shippingMethod: shipping.method,
        comment: text(r.comment),
        total: dec(r.total),
        orderStatusId: int(r.order_status_id),
        currencyCode: str(r.currency_code),
        currencyValue: str(r.currency_value) || '1.00000000',
        languageId: int(r.language_id),
        dateAdded: str(r.date_added),
        dateModified: str(r.date_modified),
        lines,
        totals,
        vouchers,
        history,
      };
    });
  }
}

/** Page sizes beyond this would make one IN (...) list unreasonably long. */
export const MAX_PAGE_SIZE = 1000;

export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new SyncError(
      'config',
      `page size must be a whole number from 1 to ${MAX_PAGE_SIZE} (got ${String(limit)})`,
    );
  }
  return limit;
}

export function uniqueIds(ids: number[]): number[] {
  return [...new Set(ids.map(Number).filter((n) => Number.isInteger(n) && n > 0))].sort((a, b) => a - b);
}

function checkDate(v: string, what: string): void {
  if (!DATE.test(v)) throw new SyncError('config', `${what} must be a date 'YYYY-MM-DD' (got '${v}')`);
}

function checkDateTime(v: string, what: string): void {
  if (!DATETIME.test(v)) throw new SyncError('config', `${what} must be 'YYYY-MM-DD HH:MM:SS' (got '${v}')`);
}

/** The WHERE of a changed-orders query, null when it can match nothing. */
function changedOrdersWhere(q: Omit<ChangedOrdersQuery, 'limit'>): { where: string[]; params: unknown[] } | null {
  const statusIds = (q.statusIds ?? []).map(Number).filter((n) => Number.isInteger(n));
  if (statusIds.length === 0) return null;
  const where: string[] = ['o.order_status_id IN (?)'];
  const params: unknown[] = [statusIds];
  if (q.after) {
    checkDateTime(q.after.dateModified, 'after.dateModified');
    where.push('(o.date_modified > ? OR (o.date_modified = ? AND o.order_id > ?))');
    params.push(q.after.dateModified, q.after.dateModified, int(q.after.orderId));
  }
  if (q.until !== undefined) {
    checkDateTime(q.until, 'until');
    where.push('o.date_modified <= ?');
    params.push(q.until);
  }
  if (q.storeIds !== undefined) {
    const storeIds = q.storeIds.map(Number).filter((n) => Number.isInteger(n));
    if (storeIds.length === 0) return null;
    where.push('o.store_id IN (?)');
    params.push(storeIds);
  }
  if (q.addedFrom !== undefined) {
    checkDate(q.addedFrom, 'addedFrom');
    where.push('o.date_added >= ?');
    params.push(`${q.addedFrom} 00:00:00`);
  }
  if (q.addedTo !== undefined) {
    checkDate(q.addedTo, 'addedTo');
    where.push('o.date_added < DATE_ADD(?, INTERVAL 1 DAY)');
    params.push(q.addedTo);
  }
  return { where, params };
}
