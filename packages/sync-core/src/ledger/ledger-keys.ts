/**
 * The keys of ledger rows. One order owns one row per entity type ('order:42' as invoice, invoice-update, payment,
 * credit-note, allocation, removal); contacts are 'customer:7' or 'guest:<email>' (made by the
 * contact mapper), items 'product:28'.
 */

/** Product keys in the ledger ('product:28'). */
export const productKey = (productId: number): string => `product:${productId}`;
/** Order keys in the ledger ('order:42'). */
export const orderKey = (orderId: number): string => `order:${orderId}`;
/** The order id of an order key, null for any other key. */
export const orderIdOfKey = (key: string): number | null => {
  const m = /^order:(\d+)$/.exec(key);
  return m ? Number(m[1]) : null;
};
/** The product id of a product key, null for any other key. */
export const productIdOfKey = (key: string): number | null => {
  const m = /^product:(\d+)$/.exec(key);
  return m ? Number(m[1]) : null;
};
/** Option value keys in the ledger ('option-value:112', a product_option_value_id). */
export const optionValueKey = (productOptionValueId: number): string => `option-value:${productOptionValueId}`;
