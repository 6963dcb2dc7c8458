import { SyncError, type OpenCartWriter } from '@oc-xero/sync-core';
import type { DataSource } from 'typeorm';
import type { OpenCartSchema } from './opencart-schema.detector';
import { storeError } from './opencart-store.errors';
import { escapeForOpenCart, type Row } from './opencart-row.util';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/**
 * The only two writes we ever make to the store's tables. Unlike OpenCart's own addHistory we do
 * not touch stock, vouchers or fraud checks: these writes record what Xero did, nothing more.
 */
export class OpenCartStoreWriter implements OpenCartWriter {
  constructor(
    private readonly ds: DataSource,
    private readonly schema: OpenCartSchema,
  ) {}

  async setProductQuantity(productId: number, quantity: number): Promise<void> {
    checkInt(productId, 'productId', 1);
    checkInt(quantity, 'quantity', INT_MIN);
    const t = this.schema.table;
    try {
      const found: Row[] = await this.ds.query(
        `SELECT product_id FROM ${t('product')} WHERE product_id = ?`,
        [productId],
      );
      if (found.length === 0) {
        throw new SyncError(
          'validation',
          `cannot set stock of product ${productId}: it does not exist in the store`,
        );
      }
      await this.ds.query(`UPDATE ${t('product')} SET quantity = ? WHERE product_id = ?`, [
        quantity,
        productId,
      ]);
    } catch (e) {
      throw storeError(e, `setting the stock of product ${productId}`);
    }
  }

  async setProductOptionQuantity(productOptionValueId: number, quantity: number): Promise<void> {
    checkInt(productOptionValueId, 'productOptionValueId', 1);
    checkInt(quantity, 'quantity', INT_MIN);
    const t = this.schema.table;
    try {
      const found: Row[] = await this.ds.query(
        `SELECT product_option_value_id FROM ${t('product_option_value')} WHERE product_option_value_id = ?`,
        [productOptionValueId],
      );
      if (found.length === 0) {
        throw new SyncError(
          'validation',
          `cannot set stock of option value ${productOptionValueId}: it does not exist in the store`,
        );
      }
      await this.ds.query(`UPDATE ${t('product_option_value')} SET quantity = ? WHERE product_option_value_id = ?`, [
        quantity,
        productOptionValueId,
      ]);
    } catch (e) {
      throw storeError(e, `setting the stock of option value ${productOptionValueId}`);
    }
  }

  async addOrderHistory(entry: {
    orderId: number;
    orderStatusId: number;
    comment: string;
    notify: boolean;
  }): Promise<void> {
    checkInt(entry.orderId, 'orderId', 1);
    checkInt(entry.orderStatusId, 'orderStatusId', 1);
    const t = this.schema.table;
    try {
      await this.ds.transaction(async (em) => {
        const order: Row[] = await em.query(
          `SELECT order_id FROM ${t('order')} WHERE order_id = ? FOR UPDATE`,
          [entry.orderId],
        );
        if (order.length === 0) {
          throw new SyncError(
            'validation',
            `cannot add history to order ${entry.orderId}: it does not exist in the store`,
          );
        }
        const status: Row[] = await em.query(
          `SELECT order_status_id FROM ${t('order_status')} WHERE order_status_id = ? LIMIT 1`,
          [entry.orderStatusId],
        );
        if (status.length === 0) {
          throw new SyncError(
            'config',
            `cannot set order ${entry.orderId} to status ${entry.orderStatusId}: no such order status in the store (check the status setting)`,
          );
        }
        // The database clock, like OpenCart's own NOW(): date_modified is our keyset column.
        await em.query(
          `INSERT INTO ${t('order_history')} (order_id, order_status_id, notify, comment, date_added) VALUES (?, ?, ?, ?, NOW())`,
          [entry.orderId, entry.orderStatusId, entry.notify ? 1 : 0, escapeForOpenCart(entry.comment ?? '')],
        );
        await em.query(
          `UPDATE ${t('order')} SET order_status_id = ?, date_modified = NOW() WHERE order_id = ?`,
          [entry.orderStatusId, entry.orderId],
        );
      });
    } catch (e) {
      throw storeError(e, `adding history to order ${entry.orderId}`);
    }
  }
}

function checkInt(v: number, what: string, min: number): void {
  if (!Number.isInteger(v) || v < min || v > INT_MAX) {
    throw new SyncError(
      'validation',
      `${what} must be a whole number from ${min} to ${INT_MAX} (got ${String(v)})`,
    );
  }
}
