/**
 * Products → Xero items (Export Items): codes from assignItemCodes (kept once used), per-product
 * account overrides, tracked inventory when "Sync Items with Xero Inventory" is on. Xero saves
 * items by Code (create or update), so a lost answer is harmless: the next run saves the same code.
 */
import { isSyncError } from '../errors';
import { mapProductToItem } from '../mapping/product-to-item.mapper';
import type { ConnectorStore, LedgerStatus } from '../ports/connector-store.port';
import type { OcProduct, OpenCartReader } from '../ports/opencart.port';
import type { XeroItemDraft, XeroPort } from '../ports/xero.port';
import { readAllProducts, resolveItemCodes } from './item-codes.util';
import { loadMappingContext, loadProductFacts, productKey } from './mapping-context.loader';
import type { SyncLogger } from './sync-logger.port';
import { chunk, emptyCounts, endResult, nullReporter, payloadHash, reasonOf, resolveSettings, throwIfAborted, type UseCaseResult, type UseCaseRun } from './sync-run.model';

export interface ExportItemsDeps {
  reader: OpenCartReader;
  xero: XeroPort;
  store: ConnectorStore;
  logger: SyncLogger;
}

export interface ExportItemsRun extends UseCaseRun {
  /** Products per batch (default 100). */
  pageSize?: number;
}

type RecordRow = { entityKey: string; status: LedgerStatus; xeroId?: string | null; xeroNumber?: string | null; payloadHash?: string | null; lastError?: string | null };

export class ExportItemsUseCase {
  constructor(private readonly deps: ExportItemsDeps) {}

  async execute(run: ExportItemsRun): Promise<UseCaseResult> {
    const counts = emptyCounts();
    const reporter = run.reporter ?? nullReporter;
    const { reader, xero, store, logger } = this.deps;
    const dry = Boolean(run.dryRun);
    const fail = (productId: number, reason: string): void => {
      counts.failures.push({ entityType: 'product', entityId: String(productId), reason });
      reporter.log({ level: 'error', entityType: 'product', entityId: String(productId), status: 'failed', message: `Product ${productId} failed: ${reason}` });
    };
    try {
      const settings = await resolveSettings(store, run);
      const { context } = await loadMappingContext(this.deps, settings);
      const products = await readAllProducts(reader, run.signal);
      counts.productsSeen = products.length;
      const codes = await resolveItemCodes(store, run.scope, products);
      let processed = 0;
      for (const page of chunk(products, run.pageSize ?? 100)) {
        throwIfAborted(run.signal);
        await loadProductFacts(store, run.scope, context, page.map((p) => p.productId));
        const rows = new Map((await store.getLedger(run.scope, 'item', page.map((p) => productKey(p.productId)))).map((r) => [r.entityKey, r]));
        const toSend: Array<{ product: OcProduct; draft: XeroItemDraft; hash: string; key: string }> = [];
        for (const product of page) {
          const key = productKey(product.productId);
          try {
            const draft = mapProductToItem(product, codes.get(product.productId)!, context);
            const hash = payloadHash(draft);
            const row = rows.get(key);
            if (row?.status === 'done' && row.payloadHash === hash) continue;
            toSend.push({ product, draft, hash, key });
          } catch (e) {
            if (isSyncError(e) && (e.kind === 'config' || e.kind === 'needs-reconnect')) throw e;
            fail(product.productId, reasonOf(e));
          }
        }
        if (dry) {
          for (const s of toSend) reporter.log({ level: 'info', entityType: 'product', entityId: String(s.product.productId), status: 'planned', message: `Product ${s.product.productId} would be saved as item ${s.draft.Code}.` });
        } else if (toSend.length) {
          await store.reserve(run.scope, 'item', toSend.map((s) => ({ entityKey: s.key, payloadHash: s.hash, xeroNumber: s.draft.Code })));
          const answers = await xero.saveItems(toSend.map((s) => s.draft));
          const results: RecordRow[] = [];
          answers.forEach((a, i) => {
            const s = toSend[i]!;
            const id = String(s.product.productId);
            if (a.ok) {
              counts.itemsSaved += 1;
              results.push({ entityKey: s.key, status: 'done', xeroId: a.value.ItemID, xeroNumber: a.value.Code, payloadHash: s.hash });
              reporter.log({ level: 'info', entityType: 'product', entityId: id, status: 'exported', message: `Product ${id} saved in Xero as item ${a.value.Code}${a.value.IsTrackedAsInventory ? ' (tracked)' : ''}.` });
            } else {
              const reason = `Xero refused item ${s.draft.Code}: ${a.errors.join('; ')}`;
              results.push({ entityKey: s.key, status: 'failed', xeroNumber: s.draft.Code, lastError: reason });
              fail(s.product.productId, reason);
            }
          });
          await store.record(run.scope, 'item', results);
        }
        processed += page.length;
        reporter.progress({ runId: run.runId, phase: 'items', processed, total: products.length });
      }
      logger.info('item export finished', { runId: run.runId, saved: counts.itemsSaved });
      return endResult(counts);
    } catch (e) {
      const result = endResult(counts, e);
      if (result.status === 'failed') logger.error('item export stopped', { runId: run.runId, reason: result.error });
      return result;
    }
  }
}
