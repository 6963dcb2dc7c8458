/**
 * Products → Xero items (Export Items): codes from assignItemCodes (kept once used), per-product
 * account overrides, tracked inventory when "Sync Items with Xero Inventory" is on. Xero saves
 * items by Code (create or update), so a lost answer is harmless: the next run saves the same code.
 */
import { isSyncError } from '../errors';
import { mapProductToItem } from '../mapping/product-to-item.mapper';
import type { LedgerPort } from '../ledger/ledger.port';
import { productKey } from '../ledger/ledger-keys';
import { isDone, isUnchanged } from '../ledger/ledger.rules';
import { LedgerSession, dryId, type OnceItem } from '../ledger/write-once.protocol';
import type { ProductOverridePort } from '../ports/product-override.port';
import type { SettingsStorePort } from '../ports/settings-store.port';
import type { OcProduct, OpenCartReader } from '../ports/opencart.port';
import type { XeroItem, XeroItemDraft, XeroPort } from '../ports/xero.port';
import { readAllProducts, resolveItemCodes } from './item-codes.util';
import { loadMappingContext, loadProductFacts } from './mapping-context.loader';
import type { SyncLogger } from './sync-logger.port';
import { chunk, emptyCounts, endResult, nullReporter, payloadHash, reasonOf, resolveSettings, throwIfAborted, type UseCaseResult, type UseCaseRun } from './sync-run.model';

export interface ExportItemsDeps {
  reader: OpenCartReader;
  xero: XeroPort;
  store: LedgerPort & SettingsStorePort & ProductOverridePort;
  logger: SyncLogger;
}

export interface ExportItemsRun extends UseCaseRun {
  /** Products per batch (default 100). */
  pageSize?: number;
}

export class ExportItemsUseCase {
  constructor(private readonly deps: ExportItemsDeps) {}

  async execute(run: ExportItemsRun): Promise<UseCaseResult> {
    const counts = emptyCounts();
    const reporter = run.reporter ?? nullReporter;
    const { reader, xero, store, logger } = this.deps;
    const dry = Boolean(run.dryRun);
    const ledger = run.ledger ?? new LedgerSession(store, run.scope, dry);
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
      let xeroItems: Map<string, XeroItem> | undefined;
      for (const page of chunk(products, run.pageSize ?? 100)) {
        throwIfAborted(run.signal);
        await loadProductFacts(store, run.scope, context, page.map((p) => p.productId));
        const rows = await ledger.rows('item', page.map((p) => productKey(p.productId)));
        const toSend: Array<{ product: OcProduct; draft: XeroItemDraft; hash: string; key: string }> = [];
        for (const product of page) {
          const key = productKey(product.productId);
          try {
            const draft = mapProductToItem(product, codes.get(product.productId)!, context);
            const hash = payloadHash(draft);
            const row = rows.get(key);
            if (isUnchanged(row, hash)) continue;
            toSend.push({ product, draft, hash, key });
          } catch (e) {
            if (isSyncError(e) && (e.kind === 'config' || e.kind === 'needs-reconnect')) throw e;
            fail(product.productId, reasonOf(e));
          }
        }
        // A dry run goes through the same protocol, which plans instead of writing.
        if (toSend.length) {
          // Xero saves items by Code (create or update), so there is nothing to look up: a lost
          // answer is harmless, the next run saves the same code again.
          const result = await ledger.writeOnce<OnceItem<XeroItemDraft> & { s: (typeof toSend)[number] }, XeroItem>({
            entityType: 'item',
            items: toSend.map((s) => ({ key: s.key, hash: s.hash, draft: s.draft, number: s.draft.Code, row: rows.get(s.key), s })),
            // An item this ledger never saw done may be in Xero already under its Code (a lost
            // connector database, the old extension): adopted, not saved over. GET /Items has no
            // filter worth a call per page, so the list is read once per run, when first needed.
            lookup: {
              candidates: (i) => !isDone(i.row),
              find: async (items) => {
                xeroItems ??= new Map((await xero.listItems()).map((it) => [it.Code.toLowerCase(), it]));
                const out = new Map<string, { xeroId: string; xeroNumber: string; payloadHash: string | null }>();
                for (const i of items) {
                  const found = xeroItems.get(i.draft.Code.toLowerCase());
                  if (found) out.set(i.key, { xeroId: found.ItemID, xeroNumber: found.Code, payloadHash: i.row?.status === 'pending' ? i.hash : null });
                }
                return out;
              },
            },
            send: (items) => xero.saveItems(items.map((i) => i.draft)),
            identify: (v) => ({ xeroId: v.ItemID, xeroNumber: v.Code }),
            refused: (i, errors) => ({ lastError: `Xero refused item ${i.draft.Code}: ${errors.join('; ')}`, xeroNumber: i.draft.Code }),
            dryValue: (i) => ({ ItemID: dryId(i.key), Code: i.draft.Code }),
            sendAction: (i) => (isDone(i.row) ? 'update' : 'create'),
          });
          for (const c of result.created) {
            const id = String(c.item.s.product.productId);
            counts.itemsSaved += 1;
            reporter.log({ level: 'info', entityType: 'product', entityId: id, status: dry ? 'planned' : 'exported', message: `Product ${id} ${dry ? 'would be saved' : 'saved'} in Xero as item ${c.value.Code}${c.value.IsTrackedAsInventory ? ' (tracked)' : ''}.` });
          }
          for (const r of result.refused) fail(r.item.s.product.productId, r.reason);
          counts.itemsAdopted += result.adopted.length;
          for (const a of result.adopted) {
            const id = String(a.item.s.product.productId);
            reporter.log({ level: 'info', entityType: 'product', entityId: id, status: 'adopted', message: `Product ${id}: item ${a.item.draft.Code} was already in Xero; the connector ${dry ? 'would adopt' : 'adopted'} it.` });
          }
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
