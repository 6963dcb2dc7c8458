/**
 * Xero stock → OpenCart (Sync Items Stocks): the QuantityOnHand of each tracked Xero item is
 * written to the OpenCart product with the same Item Code. Only quantities that differ are
 * written; OpenCart keeps whole units, so a fractional quantity is rounded down and reported.
 */
import type { ConnectorStore } from '../ports/connector-store.port';
import type { OpenCartReader, OpenCartWriter } from '../ports/opencart.port';
import type { XeroPort } from '../ports/xero.port';
import { readAllProducts, resolveItemCodes } from './item-codes.util';
import type { SyncLogger } from './sync-logger.port';
import { emptyCounts, endResult, nullReporter, reasonOf, resolveSettings, throwIfAborted, type UseCaseResult, type UseCaseRun } from './sync-run.model';

export interface SyncStockDeps {
  reader: OpenCartReader;
  writer: OpenCartWriter;
  xero: XeroPort;
  store: ConnectorStore;
  logger: SyncLogger;
}

export interface StockChange {
  productId: number;
  code: string;
  from: number;
  to: number;
}

export interface SyncStockResult extends UseCaseResult {
  /** Quantities changed (or, in a dry run, that would change). */
  changes: StockChange[];
}

export class SyncStockUseCase {
  constructor(private readonly deps: SyncStockDeps) {}

  async execute(run: UseCaseRun): Promise<SyncStockResult> {
    const counts = emptyCounts();
    const changes: StockChange[] = [];
    const reporter = run.reporter ?? nullReporter;
    const { reader, writer, xero, store, logger } = this.deps;
    try {
      await resolveSettings(store, run);
      const items = await xero.listItems();
      const onHand = new Map<string, number>();
      for (const item of items) {
        if (item.IsTrackedAsInventory && typeof item.QuantityOnHand === 'number') onHand.set(item.Code.toUpperCase(), item.QuantityOnHand);
      }
      const products = await readAllProducts(reader, run.signal);
      counts.productsSeen = products.length;
      const codes = await resolveItemCodes(store, run.scope, products);
      for (const product of products) {
        throwIfAborted(run.signal);
        const code = codes.get(product.productId);
        const quantity = code === undefined ? undefined : onHand.get(code.toUpperCase());
        if (code === undefined || quantity === undefined) continue;
        const whole = Math.floor(quantity);
        if (whole !== quantity) {
          reporter.log({ level: 'warn', entityType: 'product', entityId: String(product.productId), status: 'rounded', message: `Item ${code} has ${quantity} on hand in Xero; OpenCart keeps whole units, so ${whole} is used.` });
        }
        if (whole === product.quantity) continue;
        const change = { productId: product.productId, code, from: product.quantity, to: whole };
        changes.push(change);
        if (run.dryRun) continue;
        try {
          await writer.setProductQuantity(product.productId, whole);
          counts.stockUpdated += 1;
          reporter.log({ level: 'info', entityType: 'product', entityId: String(product.productId), status: 'stock', message: `Product ${product.productId} (${code}): quantity ${product.quantity} → ${whole} from Xero.` });
        } catch (e) {
          const reason = `could not write the quantity: ${reasonOf(e)}`;
          counts.failures.push({ entityType: 'product', entityId: String(product.productId), reason });
          reporter.log({ level: 'error', entityType: 'product', entityId: String(product.productId), status: 'failed', message: `Product ${product.productId} failed: ${reason}` });
        }
      }
      reporter.progress({ runId: run.runId, phase: 'stock', processed: products.length, total: products.length });
      logger.info('stock sync finished', { runId: run.runId, updated: counts.stockUpdated });
      return { ...endResult(counts), changes };
    } catch (e) {
      const result = endResult(counts, e);
      if (result.status === 'failed') logger.error('stock sync stopped', { runId: run.runId, reason: result.error });
      return { ...result, changes };
    }
  }
}
