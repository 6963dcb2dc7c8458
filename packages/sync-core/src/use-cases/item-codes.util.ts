import { assignItemCodes } from '../mapping/product-to-item.mapper';
import type { LedgerPort } from '../ledger/ledger.port';
import type { OcProduct, OpenCartReader } from '../ports/opencart.port';
import { productKey } from '../ledger/ledger-keys';
import { chunk } from './sync-run.model';

/** Every product of the store (keyset pages). Catalogues are small next to order histories. */
export async function readAllProducts(reader: OpenCartReader, signal?: AbortSignal): Promise<OcProduct[]> {
  const out: OcProduct[] = [];
  let afterId: number | undefined;
  for (;;) {
    if (signal?.aborted) break;
    const page = await reader.listProducts({ afterId, limit: 500 });
    out.push(...page.items);
    if (page.next === null || !page.items.length) break;
    afterId = page.next;
  }
  return out;
}

/**
 * product_id → Item Code. A code already used in Xero (done ledger row) is kept even if the
 * catalogue changed since, so an item never changes its code; the rest are assigned afresh.
 */
export async function resolveItemCodes(store: LedgerPort, scope: string, products: OcProduct[]): Promise<Map<number, string>> {
  const assigned = assignItemCodes(products);
  const codes = new Map(assigned);
  for (const ids of chunk(products.map((p) => p.productId), 500)) {
    for (const row of await store.getLedger(scope, 'item', ids.map(productKey))) {
      if (row.status === 'done' && row.xeroNumber) codes.set(Number(row.entityKey.slice('product:'.length)), row.xeroNumber);
    }
  }
  return codes;
}
