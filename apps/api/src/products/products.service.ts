import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { ConnectorStore, OcProduct, OpenCartReader } from '@oc-xero/sync-core';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, CONNECTOR_STORE, OPENCART_READER } from '../ports/tokens';

/** Reading pages of the catalogue while searching stops after this many products, so one request stays bounded. */
const MAX_SCANNED = 5000;
const PAGE = 200;

@Injectable()
export class ProductsService {
  constructor(
    @Inject(OPENCART_READER) private readonly reader: OpenCartReader,
    @Inject(CONNECTOR_STORE) private readonly store: ConnectorStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Products with their overrides, by ascending id; q matches name, model or SKU (case-insensitive). */
  async list(query: { q?: string; afterId?: number; limit: number }) {
    const needle = query.q?.toLowerCase();
    const found: OcProduct[] = [];
    let after = query.afterId;
    let scanned = 0;
    let more = true;
    while (more && found.length < query.limit && scanned < MAX_SCANNED) {
      const page = await this.reader.listProducts({ afterId: after, limit: needle ? PAGE : query.limit - found.length });
      scanned += page.items.length;
      let consumedAll = true;
      for (const [i, p] of page.items.entries()) {
        after = p.productId;
        if (!needle || this.matches(p, needle)) found.push(p);
        if (found.length === query.limit) {
          consumedAll = i === page.items.length - 1;
          break;
        }
      }
      more = page.next !== null || !consumedAll;
    }
    const [overrides, items] = await Promise.all([
      this.store.getProductOverrides(this.config.scope, found.map((p) => p.productId)),
      found.length ? this.store.getLedger(this.config.scope, 'item', found.map((p) => `product:${p.productId}`)) : Promise.resolve([]),
    ]);
    const byId = new Map(overrides.map((o) => [o.productId, o]));
    const itemOf = new Map(items.map((l) => [l.entityKey, l]));
    return {
      items: found.map((p) => ({
        productId: p.productId,
        name: p.descriptions[0]?.name ?? '',
        model: p.model,
        sku: p.sku,
        price: p.price,
        quantity: p.quantity,
        status: p.status,
        override: {
          salesAccountCode: byId.get(p.productId)?.salesAccountCode ?? null,
          purchaseAccountCode: byId.get(p.productId)?.purchaseAccountCode ?? null,
        },
        // The Xero item as the ledger knows it: its Code and state, null while never exported.
        item: ((l) => (l ? { status: l.status as string, code: l.xeroNumber, xeroId: l.xeroId, error: l.lastError, updatedAt: l.updatedAt } : null))(itemOf.get(`product:${p.productId}`)),
      })),
      // Where to go on from; null when the catalogue has no more.
      nextAfterId: more ? (after ?? null) : null,
    };
  }

  async setOverride(productId: number, body: { salesAccountCode: string | null; purchaseAccountCode: string | null }) {
    const [product] = await this.reader.getProducts([productId]);
    if (!product) throw new NotFoundException(`No product ${productId} in the store.`);
    await this.store.setProductOverride(this.config.scope, { productId, ...body });
    return { productId, ...body };
  }

  private matches(p: OcProduct, needle: string): boolean {
    return [p.model, p.sku, ...p.descriptions.map((d) => d.name)].some((s) => s.toLowerCase().includes(needle));
  }
}
