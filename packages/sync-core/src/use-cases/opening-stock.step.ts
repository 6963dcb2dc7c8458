/**
 * Opening stock: when a product's item is tracked in Xero, Xero's QuantityOnHand starts at 0 and
 * moves only through documents (DESIGN.md §3). Before stock flows back, Xero is given the store's
 * quantity once, the way Xero documents an inventory adjustment for tracked items: an AUTHORISED
 * bill (ACCPAY) with the item line (quantity × unit cost, to the item's inventory asset account) and
 * one offsetting line to an adjustment account, so the bill totals zero and nothing is owed.
 *
 * The quantity is what the store holds less what Xero already holds (the invoices of the store's
 * history, exported with backorders allowed, may have taken Xero below zero): afterwards Xero and
 * the store agree. One bill per product, through the write-once protocol (ledger 'opening-stock',
 * key product:N), so it is never posted twice; a product that needs none is recorded done too.
 */
import Decimal from 'decimal.js';
import { SyncError, isSyncError } from '../errors';
import { productKey } from '../ledger/ledger-keys';
import { isDone } from '../ledger/ledger.rules';
import type { LedgerEntry } from '../ledger/ledger.port';
import type { LedgerSession, OnceItem } from '../ledger/write-once.protocol';
import type { OcProduct } from '../ports/opencart.port';
import type { XeroAccount, XeroInvoice, XeroInvoiceDraft, XeroItem, XeroPort } from '../ports/xero.port';
import type { Settings } from '../settings/settings.schema';
import { chunk, payloadHash, reasonOf, type RunReporter, type SyncCounts } from './sync-run.model';

/** Something of the store with its own stock whose item Xero tracks: a product, or an option value mapped in optionItemCodes. */
export interface StockTarget {
  /** Ledger key: 'product:28' or 'option-value:112'. */
  key: string;
  /** How logs and failures name it: entity type and id. */
  entityType: 'product' | 'option-value';
  entityId: string;
  /** For an option value: its product. */
  productId?: number;
  /** Merchant-readable: 'Product 28' or 'Option value 112 of product 30'. */
  label: string;
  /** The name on the bill lines. */
  name: string;
  /** The store's quantity now. */
  quantity: number;
  /** Unit price (ex tax) the opening cost derives from. */
  price: string;
  /** The Xero item. */
  code: string;
  item: XeroItem;
  /** The opening-stock bill's number (how a lost answer is found again). */
  number: string;
}

/** A product as a stock target. */
export function productTarget(product: OcProduct, item: XeroItem): StockTarget {
  return {
    key: productKey(product.productId),
    entityType: 'product',
    entityId: String(product.productId),
    label: `Product ${product.productId}`,
    name: (product.descriptions[0]?.name ?? '').trim() || product.model || `product ${product.productId}`,
    quantity: product.quantity,
    price: product.price,
    code: item.Code,
    item,
    number: openingStockNumber(product.productId),
  };
}

export interface OpeningStockInput {
  xero: XeroPort;
  ledger: LedgerSession;
  settings: Settings;
  tracked: StockTarget[];
  reporter: RunReporter;
  counts: SyncCounts;
  /** The bill date, YYYY-MM-DD. */
  today: string;
}

export interface OpeningStockOutcome {
  /** Target key → quantity the opening bill added in Xero (this run). */
  posted: Map<string, number>;
  /** Xero ids of every opening-stock bill the ledger knows (they are not purchases to bring back). */
  billIds: Set<string>;
  /** Numbers of the opening-stock bills (also not purchases to bring back, even while pending). */
  billNumbers: Set<string>;
}

/** The number an opening-stock bill carries (≤255), how a lost answer is found again. */
export const openingStockNumber = (productId: number): string => `OC-OPENING-${productId}`;
/** The same for an option value. */
export const optionOpeningStockNumber = (productOptionValueId: number): string => `OC-OPENING-OV-${productOptionValueId}`;

/** The adjustment account that balances the bills: the setting, else Xero's Historical Adjustment. */
function offsetAccount(settings: Settings, accounts: XeroAccount[]): string {
  const active = accounts.filter((a) => a.Code && (a.Status ?? 'ACTIVE') === 'ACTIVE');
  if (settings.openingStockAccountCode) {
    const found = active.find((a) => a.Code === settings.openingStockAccountCode);
    if (!found) throw new SyncError('config', `Opening Stock Account Code ${settings.openingStockAccountCode} is not an active account of the Xero organisation: choose another.`);
    if (found.Type === 'BANK') throw new SyncError('config', `Opening Stock Account Code ${settings.openingStockAccountCode} is a bank account: choose an equity or adjustment account.`);
    return found.Code!;
  }
  const found = active.find((a) => a.Code === '840' && a.Type !== 'BANK') ?? active.find((a) => /historical adjustment|opening balance|inventory adjustment/i.test(a.Name) && a.Type !== 'BANK');
  if (!found) throw new SyncError('config', 'Opening stock needs an adjustment account to balance it: set Opening Stock Account Code (e.g. an equity account for opening balances).');
  return found.Code!;
}

/** The bill that gives one product its opening quantity (zero total: item line + offset line). */
export function openingStockBill(p: StockTarget, quantity: number, settings: Settings, offset: string, today: string): XeroInvoiceDraft {
  const unit = Decimal.max(0, new Decimal(p.price || 0)).times(settings.openingStockCostPercent).dividedBy(100).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
  const amount = unit.times(quantity).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const name = p.name;
  const lines: XeroInvoiceDraft['LineItems'] = [
    // No AccountCode: a tracked item's purchase goes to its inventory asset account.
    { Description: `Opening stock: ${name}`.slice(0, 4000), Quantity: quantity, UnitAmount: unit.toNumber(), ItemCode: p.code, TaxType: 'NONE' },
  ];
  if (!amount.isZero()) lines.push({ Description: `Opening stock adjustment: ${name}`.slice(0, 4000), Quantity: 1, UnitAmount: amount.negated().toNumber(), AccountCode: offset, TaxType: 'NONE' });
  return {
    Type: 'ACCPAY',
    Contact: { Name: settings.openingStockContactName },
    InvoiceNumber: p.number,
    Reference: `Opening stock of OpenCart ${p.label.toLowerCase()} (${p.code})`.slice(0, 255),
    Date: today,
    DueDate: today,
    Status: 'AUTHORISED',
    LineAmountTypes: 'NoTax',
    LineItems: lines,
  };
}

/** Posts what is missing (nothing in a dry run, where it only says what it would post). */
export async function postOpeningStock(input: OpeningStockInput): Promise<OpeningStockOutcome> {
  const { xero, ledger, settings, tracked, reporter, counts, today } = input;
  const out: OpeningStockOutcome = { posted: new Map(), billIds: new Set(), billNumbers: new Set() };
  const rows = new Map<string, LedgerEntry>();
  for (const part of chunk(tracked, 500)) for (const [k, v] of await ledger.rows('opening-stock', part.map((t) => t.key))) rows.set(k, v);
  for (const t of tracked) {
    out.billNumbers.add(t.number);
    const row = rows.get(t.key);
    if (row?.xeroId) out.billIds.add(row.xeroId);
  }
  type Planned = OnceItem<XeroInvoiceDraft> & { t: StockTarget; quantity: number };
  const planned: Planned[] = [];
  const none: StockTarget[] = [];
  let offset: string | undefined;
  for (const t of tracked) {
    const key = t.key;
    const row = rows.get(key);
    if (isDone(row)) continue;
    const onHand = t.item.QuantityOnHand ?? 0;
    const quantity = t.quantity - Math.ceil(onHand);
    if (quantity <= 0) {
      none.push(t);
      continue;
    }
    try {
      offset ??= offsetAccount(settings, await xero.listAccounts());
      const draft = openingStockBill(t, quantity, settings, offset, today);
      planned.push({ key, hash: payloadHash(draft), draft, number: draft.InvoiceNumber, row, t, quantity });
    } catch (e) {
      if (isSyncError(e) && e.kind === 'config') throw e;
      counts.failures.push({ entityType: t.entityType, entityId: t.entityId, reason: reasonOf(e) });
    }
  }
  if (ledger.dry) {
    for (const p of planned) reporter.log({ level: 'info', entityType: p.t.entityType, entityId: p.t.entityId, status: 'planned', message: `${p.t.label} (${p.t.code}): would give Xero an opening stock of ${p.quantity} (bill ${p.draft.InvoiceNumber}).` });
    return out;
  }
  // Nothing to post: Xero already holds at least the store's quantity. Recorded, so a later run
  // does not post one after the fact (stock then flows only as real changes).
  await ledger.record(
    'opening-stock',
    none.map((t) => ({ entityKey: t.key, status: 'done' as const, xeroId: null, payloadHash: JSON.stringify({ quantity: 0, xeroOnHand: t.item.QuantityOnHand ?? 0 }) })),
  );
  for (const t of none) reporter.log({ level: 'info', entityType: t.entityType, entityId: t.entityId, status: 'opening-stock', message: `${t.label} (${t.code}): Xero already holds ${t.item.QuantityOnHand ?? 0} (the store ${t.quantity}); no opening stock posted.` });
  for (const page of chunk(planned, 50)) {
    const result = await ledger.writeOnce<Planned, XeroInvoice>({
      entityType: 'opening-stock',
      items: page,
      // Xero may hold the bill already (a lost answer, a lost connector database): adopt it.
      lookup: {
        candidates: (i) => !isDone(i.row),
        find: async (items) => {
          const found = new Map((await xero.findInvoicesByNumbers(items.map((i) => i.draft.InvoiceNumber))).map((inv) => [inv.InvoiceNumber, inv]));
          const hits = new Map<string, { xeroId: string; xeroNumber: string }>();
          for (const i of items) {
            const inv = found.get(i.draft.InvoiceNumber);
            if (inv && inv.Status !== 'DELETED' && inv.Status !== 'VOIDED') hits.set(i.key, { xeroId: inv.InvoiceID, xeroNumber: inv.InvoiceNumber });
          }
          return hits;
        },
      },
      send: (items) => xero.createInvoices(items.map((i) => i.draft)),
      identify: (v) => ({ xeroId: v.InvoiceID, xeroNumber: v.InvoiceNumber }),
      refused: (i, errors) => ({ lastError: `Xero refused the opening-stock bill of item ${i.t.code}: ${errors.join('; ')}` }),
    });
    for (const c of result.created) {
      out.posted.set(c.item.t.key, c.item.quantity);
      out.billIds.add(c.value.InvoiceID);
      counts.openingStockPosted += 1;
      reporter.log({ level: 'info', entityType: c.item.t.entityType, entityId: c.item.t.entityId, status: 'opening-stock', message: `${c.item.t.label} (${c.item.t.code}): opening stock of ${c.item.quantity} given to Xero (bill ${c.value.InvoiceNumber}).` });
    }
    for (const a of result.adopted) {
      out.billIds.add(a.found.xeroId);
      reporter.log({ level: 'info', entityType: a.item.t.entityType, entityId: a.item.t.entityId, status: 'adopted', message: `${a.item.t.label}: opening-stock bill ${a.item.draft.InvoiceNumber} was already in Xero; the connector adopted it.` });
    }
    for (const r of result.refused) {
      counts.failures.push({ entityType: r.item.t.entityType, entityId: r.item.t.entityId, reason: r.reason });
      reporter.log({ level: 'error', entityType: r.item.t.entityType, entityId: r.item.t.entityId, status: 'failed', message: `${r.item.t.label} failed: ${r.reason}` });
    }
  }
  return out;
}
