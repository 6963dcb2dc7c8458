import { SyncError } from '../errors';
import { buildMappingContext, type OrderMappingContext } from '../mapping/mapping-context';
import type { LedgerEntry, LedgerPort } from '../ledger/ledger.port';
import { productKey } from '../ledger/ledger-keys';
import type { ProductOverridePort } from '../ports/product-override.port';
import type { OcOrderStatus, OcStoreInfo, OpenCartReader } from '../ports/opencart.port';
import type { XeroPort } from '../ports/xero.port';
import type { Settings } from '../settings/settings.schema';

/** The mapping context of a run plus the store facts the use cases need next to it. */
export interface LoadedContext {
  context: OrderMappingContext;
  info: OcStoreInfo;
  statuses: OcOrderStatus[];
}

/**
 * Reads the organisation and the store's reference data ONCE per run and builds the mapping
 * context. A setting that does not fit the organisation (unknown account code…) stops the run
 * with every field error listed, before any order is touched.
 */
export async function loadMappingContext(deps: { reader: OpenCartReader; xero: XeroPort }, settings: Settings): Promise<LoadedContext> {
  const [info, statuses, ocCurrencies, ocTaxRates, ocTaxRules, organisation, accounts, xeroTaxRates, xeroCurrencies] = await Promise.all([
    deps.reader.info(),
    deps.reader.listOrderStatuses(),
    deps.reader.listCurrencies(),
    deps.reader.listTaxRates(),
    deps.reader.listTaxRules(),
    deps.xero.getOrganisation(),
    deps.xero.listAccounts(),
    deps.xero.listTaxRates(),
    // What the organisation can invoice in (its plan, its added currencies), read every run: it
    // decides where foreign-currency orders are booked (foreignCurrencyInvoices).
    settings.foreignCurrencyInvoices === 'base' ? Promise.resolve(undefined) : deps.xero.listCurrencies(),
  ]);
  const built = buildMappingContext({
    settings,
    organisation,
    accounts,
    xeroTaxRates,
    storeDefaultCurrency: info.defaultCurrency,
    ocCurrencies,
    ocTaxRates,
    ocStatuses: statuses,
    languageId: info.languageId,
    ocTaxRules,
    ...(xeroCurrencies ? { xeroCurrencies } : {}),
  });
  if (!built.ok) {
    throw new SyncError('config', `The settings do not fit the Xero organisation "${organisation.Name}": ${built.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  }
  return { context: built.context, info, statuses };
}

// The ledger keys moved to src/ledger; re-exported here for the callers that imported them from here.
export { orderIdOfKey, orderKey, productKey } from '../ledger/ledger-keys';

// Products whose facts a context already holds, so each is read once per run.
const loadedProducts = new WeakMap<OrderMappingContext, Set<number>>();

/**
 * Loads per-product overrides and exported item codes for the products of a page into the
 * context (one query each), so lines use the right account and reference items Xero has.
 */
export async function loadProductFacts(store: ProductOverridePort & LedgerPort, scope: string, context: OrderMappingContext, productIds: number[]): Promise<void> {
  let loaded = loadedProducts.get(context);
  if (!loaded) loadedProducts.set(context, (loaded = new Set()));
  const seen = loaded;
  const ids = [...new Set(productIds)].filter((id) => !seen.has(id));
  if (!ids.length) return;
  ids.forEach((id) => seen.add(id));
  const overrides = await store.getProductOverrides(scope, ids);
  for (const o of overrides) context.overrides.set(o.productId, o);
  // Loaded whether Export Items is on or not: an item Xero already holds keeps its code on later
  // invoices (turning Export Items off must not silently strip codes, or tracked stock stops moving).
  const rows: LedgerEntry[] = await store.getLedger(scope, 'item', ids.map(productKey));
  for (const row of rows) {
    const id = Number(row.entityKey.slice('product:'.length));
    if (row.status === 'done' && row.xeroNumber) context.itemCodes.set(id, row.xeroNumber);
  }
}
