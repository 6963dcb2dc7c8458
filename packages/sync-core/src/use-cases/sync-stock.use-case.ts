/**
 * Stock between the store and Xero's tracked inventory, in two steps:
 *
 * 1. Opening stock (Sync Items with Xero Inventory): an item newly tracked in Xero is given the
 *    store's quantity once (opening-stock.step.ts), so Xero and the store start equal.
 * 2. Stock levels (Sync Items Stocks): only what was bought or adjusted IN XERO comes back — the
 *    tracked lines of purchase bills (ACCPAY, +) and supplier credit notes (ACCPAYCREDIT, −), less
 *    the connector's own opening-stock bills. A 'stock-level' ledger row per product remembers that
 *    total as last synced; the store's quantity moves by the difference only. The store's own
 *    sales, which our invoices put in Xero, never come back as a change (the store already counted
 *    them), so Xero's absolute QuantityOnHand never overwrites the store.
 *
 * A sync that would set many products to zero (stockZeroGuardPercent / stockZeroGuardMinProducts)
 * changes nothing and says so; run again with confirmStock (CLI --confirm-stock) to apply it.
 * OpenCart keeps whole units: a fractional change is applied in whole units, the rest carried.
 */
import { SyncError } from '../errors';
import { optionValueKey } from '../ledger/ledger-keys';
import type { LedgerEntry } from '../ledger/ledger.port';
import { LedgerSession } from '../ledger/write-once.protocol';
import type { ConnectorStore } from '../ports/connector-store.port';
import Decimal from 'decimal.js';
import type { OcProduct, OpenCartReader, OpenCartWriter } from '../ports/opencart.port';
import type { XeroItem, XeroPort } from '../ports/xero.port';
import { optionOpeningStockNumber, postOpeningStock, productTarget, type StockTarget } from './opening-stock.step';
import { readAllProducts, resolveItemCodes } from './item-codes.util';
import type { Clock, SyncLogger } from './sync-logger.port';
import { chunk, emptyCounts, endResult, nullReporter, reasonOf, resolveSettings, throwIfAborted, type SyncCounts, type UseCaseResult, type UseCaseRun } from './sync-run.model';

export interface SyncStockDeps {
  reader: OpenCartReader;
  writer: OpenCartWriter;
  xero: XeroPort;
  store: ConnectorStore;
  logger: SyncLogger;
  /** For the opening-stock bill date (default: the system clock). */
  clock?: Clock;
}

export interface SyncStockRun extends UseCaseRun {
  /** Apply even when the zero guard would stop the sync (CLI --confirm-stock, API confirmStock). */
  confirmStock?: boolean;
  /** Bring stock levels back even when Sync Items Stocks is off (the run asked for stock by name). */
  forceLevels?: boolean;
}

export interface StockChange {
  /** The product (for an option value: its product). */
  productId: number;
  /** Set when the change is an option value's (optionItemCodes). */
  productOptionValueId?: number;
  code: string;
  from: number;
  to: number;
}

export interface SyncStockResult extends UseCaseResult {
  /** Quantities changed (or, in a dry run or when the guard stopped it, that would change). */
  changes: StockChange[];
  /** Set when the zero guard stopped the sync: what it would have done. */
  guard?: { zeroed: number; tracked: number; percent: number };
}

/** What a 'stock-level' row remembers (its payloadHash, as JSON). */
interface StockBaseline {
  /** Quantity from purchase documents in Xero when last synced. */
  purchased: number;
}

const parseBaseline = (row: LedgerEntry | undefined): StockBaseline | null => {
  if (!row?.payloadHash || row.status !== 'done') return null;
  try {
    const v = JSON.parse(row.payloadHash) as Partial<StockBaseline>;
    return typeof v.purchased === 'number' && Number.isFinite(v.purchased) ? { purchased: v.purchased } : null;
  } catch {
    return null;
  }
};

const round4 = (n: number): number => Math.round(n * 10000) / 10000;

export class SyncStockUseCase {
  constructor(private readonly deps: SyncStockDeps) {}

  async execute(run: SyncStockRun): Promise<SyncStockResult> {
    const counts = emptyCounts();
    const changes: StockChange[] = [];
    const reporter = run.reporter ?? nullReporter;
    const { reader, writer, xero, store, logger } = this.deps;
    const ledger = new LedgerSession(store, run.scope, Boolean(run.dryRun));
    try {
      const settings = await resolveSettings(store, run);
      const items = await xero.listItems();
      const byCode = new Map(items.filter((i) => i.IsTrackedAsInventory).map((i) => [i.Code.toUpperCase(), i]));
      const products = await readAllProducts(reader, run.signal);
      counts.productsSeen = products.length;
      const codes = await resolveItemCodes(store, run.scope, products);
      const tracked: StockTarget[] = [];
      for (const product of products) {
        const code = codes.get(product.productId);
        const item = code === undefined ? undefined : byCode.get(code.toUpperCase());
        if (code !== undefined && item) tracked.push(productTarget(product, item));
      }
      tracked.push(...(await this.optionTargets(settings.optionItemCodes, byCode, new Map(products.map((p) => [p.productId, p])), counts)));

      // 1. Opening stock, before any level is read as a change.
      const today = settings.openingStockDate || (this.deps.clock?.now() ?? new Date()).toISOString().slice(0, 10);
      const opening = settings.syncItemsWithXeroInventory
        ? await postOpeningStock({ xero, ledger, settings, tracked, reporter, counts, today })
        : { posted: new Map<number, number>(), billIds: new Set<string>(), billNumbers: new Set<string>() };
      throwIfAborted(run.signal);
      if (!settings.syncItemStocks && !run.forceLevels) {
        logger.info('stock sync finished', { runId: run.runId, openingStock: counts.openingStockPosted });
        return { ...endResult(counts), changes };
      }

      // 2. What was bought or adjusted in Xero, by item code.
      const purchased = new Map<string, number>();
      for (const doc of await xero.listPurchaseDocuments()) {
        if (opening.billIds.has(doc.id) || opening.billNumbers.has(doc.number)) continue;
        const sign = doc.type === 'ACCPAY' ? 1 : -1;
        for (const line of doc.lines) {
          const code = line.itemCode.toUpperCase();
          purchased.set(code, round4((purchased.get(code) ?? 0) + sign * line.quantity));
        }
      }
      const baselines = new Map<string, LedgerEntry>();
      for (const part of chunk(tracked, 500)) for (const [k, v] of await ledger.rows('stock-level', part.map((t) => t.key))) baselines.set(k, v);

      const record: Array<{ key: string; purchased: number }> = [];
      const apply: Array<{ change: StockChange; key: string; purchased: number; target: StockTarget }> = [];
      for (const t of tracked) {
        const key = t.key;
        const now = purchased.get(t.code.toUpperCase()) ?? 0;
        const base = parseBaseline(baselines.get(key));
        // First sync of this item: Xero and the store start equal (opening stock); remember where
        // purchases stand so only later ones come back.
        if (!base) {
          record.push({ key, purchased: now });
          continue;
        }
        const diff = round4(now - base.purchased);
        const whole = Math.trunc(diff);
        if (whole === 0) {
          if (diff !== 0) {
            reporter.log({ level: 'info', entityType: t.entityType, entityId: t.entityId, status: 'rounded', message: `Item ${t.code}: ${diff} bought in Xero is less than one unit; OpenCart keeps whole units, so it waits until it adds up.` });
          }
          continue;
        }
        const ids = t.entityType === 'product' ? { productId: Number(t.entityId) } : { productId: t.productId!, productOptionValueId: Number(t.entityId) };
        apply.push({ change: { ...ids, code: t.code, from: t.quantity, to: t.quantity + whole }, key, purchased: round4(base.purchased + whole), target: t });
      }
      changes.push(...apply.map((a) => a.change));

      // The zero guard: many products going to zero is far more often a mistake than a sale.
      const zeroed = apply.filter((a) => a.change.to <= 0 && a.change.from > 0).length;
      const percent = tracked.length ? Math.round((zeroed / tracked.length) * 1000) / 10 : 0;
      if (zeroed >= settings.stockZeroGuardMinProducts && percent >= settings.stockZeroGuardPercent && !run.confirmStock) {
        const message =
          `Stock sync stopped: it would set ${zeroed} of ${tracked.length} tracked products (${percent}%) to zero or below ` +
          `(the guard stops at ${settings.stockZeroGuardPercent}% and at least ${settings.stockZeroGuardMinProducts} products). Nothing was changed in the store. ` +
          'Check the items in Xero; to apply it, run again with --confirm-stock (CLI) or confirmStock: true (POST /api/runs).';
        for (const a of apply) reporter.log({ level: 'warn', entityType: a.target.entityType, entityId: a.target.entityId, status: 'held', message: `${a.target.label} (${a.change.code}): quantity ${a.change.from} → ${a.change.to} held back by the zero guard.` });
        const result = endResult(counts, new SyncError('config', message));
        logger.error('stock sync stopped by the zero guard', { runId: run.runId, zeroed, tracked: tracked.length });
        return { ...result, changes, guard: { zeroed, tracked: tracked.length, percent } };
      }

      if (run.dryRun) {
        for (const a of apply) reporter.log({ level: 'info', entityType: a.target.entityType, entityId: a.target.entityId, status: 'planned', message: `${a.target.label} (${a.change.code}): quantity would go ${a.change.from} → ${a.change.to} (changed in Xero).` });
        return { ...endResult(counts), changes };
      }
      await ledger.record('stock-level', record.map((r) => ({ entityKey: r.key, status: 'done' as const, payloadHash: JSON.stringify({ purchased: r.purchased }) })));
      for (const a of apply) {
        throwIfAborted(run.signal);
        const { change, target } = a;
        try {
          if (change.productOptionValueId === undefined) await writer.setProductQuantity(change.productId, change.to);
          else if (writer.setProductOptionQuantity) await writer.setProductOptionQuantity(change.productOptionValueId, change.to);
          else throw new SyncError('config', 'this store adapter cannot write option stock');
          // The baseline moves with the store, so a lost run never applies a change twice.
          await ledger.record('stock-level', [{ entityKey: a.key, status: 'done', payloadHash: JSON.stringify({ purchased: a.purchased }) }]);
          counts.stockUpdated += 1;
          const by = change.to - change.from;
          reporter.log({ level: 'info', entityType: target.entityType, entityId: target.entityId, status: 'stock', message: `${target.label} (${change.code}): quantity ${change.from} → ${change.to} (${by > 0 ? '+' : ''}${by} bought or adjusted in Xero).` });
        } catch (e) {
          const reason = `could not write the quantity: ${reasonOf(e)}`;
          counts.failures.push({ entityType: target.entityType, entityId: target.entityId, reason });
          reporter.log({ level: 'error', entityType: target.entityType, entityId: target.entityId, status: 'failed', message: `${target.label} failed: ${reason}` });
        }
      }
      reporter.progress({ runId: run.runId, phase: 'stock', processed: products.length, total: products.length });
      logger.info('stock sync finished', { runId: run.runId, updated: counts.stockUpdated, openingStock: counts.openingStockPosted });
      return { ...endResult(counts), changes };
    } catch (e) {
      const result = endResult(counts, e);
      if (result.status === 'failed') logger.error('stock sync stopped', { runId: run.runId, reason: result.error });
      return { ...result, changes };
    }
  }

  /**
   * Option values the merchant mapped to Xero items (optionItemCodes): each one whose item Xero
   * tracks is a stock target of its own. A mapping that cannot be followed is a failure that says why.
   */
  private async optionTargets(mapping: Record<string, string>, byCode: Map<string, XeroItem>, products: Map<number, OcProduct>, counts: SyncCounts): Promise<StockTarget[]> {
    const entries = Object.entries(mapping);
    if (!entries.length) return [];
    const { reader } = this.deps;
    if (!reader.getProductOptionValues) throw new SyncError('config', 'Option Item Codes are set, but this store adapter cannot read option stock.');
    const values = new Map((await reader.getProductOptionValues(entries.map(([id]) => Number(id)))).map((v) => [v.productOptionValueId, v]));
    const out: StockTarget[] = [];
    for (const [id, code] of entries) {
      const value = values.get(Number(id));
      const item = byCode.get(code.toUpperCase());
      const fail = (reason: string): void => void counts.failures.push({ entityType: 'option-value', entityId: id, reason });
      if (!value) {
        fail(`Option Item Codes: option value ${id} is not in the store (product_option_value_id); remove it or correct the id.`);
        continue;
      }
      if (!item) {
        fail(`Option Item Codes: item ${code} of option value ${id} is not a tracked item in Xero; create it in Xero as a tracked item or correct the code.`);
        continue;
      }
      const product = products.get(value.productId);
      const base = product ? new Decimal(product.price || 0) : new Decimal(0);
      out.push({
        key: optionValueKey(value.productOptionValueId),
        entityType: 'option-value',
        entityId: id,
        productId: value.productId,
        label: `Option value ${id} of product ${value.productId}`,
        name: `${(product?.descriptions[0]?.name ?? '').trim() || `Product ${value.productId}`} (option ${id})`,
        quantity: value.quantity,
        price: base.plus(value.price || 0).toFixed(4),
        code: item.Code,
        item,
        number: optionOpeningStockNumber(value.productOptionValueId),
      });
    }
    return out;
  }
}
