import { DataSource } from 'typeorm';
import { SyncError, type ProductAccountOverride, type ProductOverridePort } from '@oc-xero/sync-core';
import { chunk, placeholders, requireText, requireIds, IN_CHUNK } from './connector-sql.util';

/** Per-product account overrides. */
export class ProductOverrideRepository implements ProductOverridePort {
  constructor(private readonly dataSource: DataSource) {}

  async getProductOverrides(scope: string, productIds: number[]): Promise<ProductAccountOverride[]> {
    const ids = requireIds(productIds, 'productIds');
    const out: ProductAccountOverride[] = [];
    for (const part of chunk(ids, IN_CHUNK)) {
      const rows = (await this.dataSource.query(
        `SELECT product_id, sales_account_code, purchase_account_code FROM product_account_overrides
         WHERE scope = ? AND product_id IN (${placeholders(part.length)}) ORDER BY product_id`,
        [scope, ...part],
      )) as Array<{
        product_id: number | string;
        sales_account_code: string | null;
        purchase_account_code: string | null;
      }>;
      out.push(
        ...rows.map((row) => ({
          productId: Number(row.product_id),
          salesAccountCode: row.sales_account_code,
          purchaseAccountCode: row.purchase_account_code,
        })),
      );
    }
    return out;
  }

  async setProductOverride(scope: string, override: ProductAccountOverride): Promise<void> {
    requireText(scope, 'scope', 191);
    const [productId] = requireIds([override.productId], 'productId');
    const sales = normaliseAccountCode(override.salesAccountCode, 'salesAccountCode');
    const purchase = normaliseAccountCode(override.purchaseAccountCode, 'purchaseAccountCode');
    if (sales === null && purchase === null) {
      await this.dataSource.query(
        'DELETE FROM product_account_overrides WHERE scope = ? AND product_id = ?',
        [scope, productId],
      );
      return;
    }
    await this.dataSource.query(
      `INSERT INTO product_account_overrides (scope, product_id, sales_account_code, purchase_account_code, updated_at)
       VALUES (?, ?, ?, ?, UTC_TIMESTAMP(3))
       ON DUPLICATE KEY UPDATE sales_account_code = VALUES(sales_account_code),
         purchase_account_code = VALUES(purchase_account_code), updated_at = VALUES(updated_at)`,
      [scope, productId, sales, purchase],
    );
  }
}

function normaliseAccountCode(code: string | null | undefined, field: string): string | null {
  if (code == null) return null;
  if (typeof code !== 'string') throw new SyncError('validation', `${field} must be text or null`);
  const trimmed = code.trim();
  if (trimmed === '') return null;
  if (trimmed.length > 32)
    throw new SyncError(
      'validation',
      `${field} "${trimmed.slice(0, 40)}" is too long for a Xero account code`,
    );
  return trimmed;
}
