/** Per-product account overrides (opencart-db: product-override.repository.ts). */

/** Per-product account overrides (Catalog > Products > Xero in the original). */
export interface ProductAccountOverride {
  /** product_id. */
  productId: number;
  /** Sales account code, null = use the setting. */
  salesAccountCode: string | null;
  /** Purchase account code, null = use the setting. */
  purchaseAccountCode: string | null;
}

/** Per-product account overrides. */
export interface ProductOverridePort {
  /** Overrides for these products (missing = none). */
  getProductOverrides(scope: string, productIds: number[]): Promise<ProductAccountOverride[]>;
  /** Set or clear (both null) a product's override. */
  setProductOverride(scope: string, override: ProductAccountOverride): Promise<void>;
}
