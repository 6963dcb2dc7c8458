/**
 * OpenCart products → Xero items. Codes come from the model (or SKU when the model is empty),
 * cut to Xero's 30 characters; collisions (same model, or equal after cutting) get a
 * '-<product_id>' suffix, the lowest product_id keeping the plain code so codes stay stable.
 */
import type { OcProduct } from '../ports/opencart.port';
import type { XeroItemDraft } from '../ports/xero.port';
import type { OrderMappingContext } from './mapping-context';
import { dec, round4, toXeroNumber } from './money.util';
import { squash, stripHtml, truncate } from './text.util';

const CODE_MAX = 30;
const NAME_MAX = 50;
const DESCRIPTION_MAX = 4000;

const baseCode = (p: Pick<OcProduct, 'productId' | 'model' | 'sku'>): string => {
  const raw = squash(p.model) || squash(p.sku) || `P${p.productId}`;
  return raw;
};

/** product_id → Xero Item Code: ≤30 chars, unique (case-insensitive, as Xero compares), stable. */
export function assignItemCodes(
  products: Array<Pick<OcProduct, 'productId' | 'model' | 'sku'>>,
): Map<number, string> {
  const sorted = [...products].sort((a, b) => a.productId - b.productId);
  const taken = new Set<string>();
  const out = new Map<number, string>();
  // Full (uncut) codes claimed first, so a product whose model fits is never displaced by another
  // product's cut-down longer model.
  const wanted = sorted.map((p) => ({ p, base: baseCode(p) }));
  for (const { p, base } of wanted) {
    const fits = Array.from(base).length <= CODE_MAX;
    if (fits && !taken.has(base.toUpperCase())) {
      taken.add(base.toUpperCase());
      out.set(p.productId, base);
    }
  }
  for (const { p, base } of wanted) {
    if (out.has(p.productId)) continue;
    const cut = truncate(base, CODE_MAX);
    let code = cut;
    if (taken.has(code.toUpperCase())) {
      const suffix = `-${p.productId}`;
      code = truncate(base, CODE_MAX - suffix.length) + suffix;
      for (let n = 2; taken.has(code.toUpperCase()); n++) {
        const s2 = `-${p.productId}-${n}`;
        code = truncate(base, CODE_MAX - s2.length) + s2;
      }
    }
    taken.add(code.toUpperCase());
    out.set(p.productId, code);
  }
  return out;
}

/** TaxType for a product's tax class: its one mapped percentage rate, else the no-tax type. */
function salesTaxType(product: OcProduct, ctx: OrderMappingContext): string {
  if (!product.taxClassId) return ctx.taxTypes.noTaxType;
  const types = new Set<string>();
  for (const rule of ctx.ocTaxRules) {
    if (rule.taxClassId !== product.taxClassId) continue;
    const r = ctx.taxTypes.byId.get(rule.taxRateId);
    if (r?.taxType) types.add(r.taxType);
  }
  return types.size === 1 ? [...types][0]! : ctx.taxTypes.noTaxType;
}

/** A product as a Xero item (prices converted to the organisation's base currency when the store's table allows). */
export function mapProductToItem(product: OcProduct, code: string, ctx: OrderMappingContext): XeroItemDraft {
  const desc = product.descriptions[0];
  const fullName = squash(desc?.name) || squash(product.model) || code;
  const override = ctx.overrides.get(product.productId);
  const item: XeroItemDraft = {
    Code: code,
    Name: truncate(fullName, NAME_MAX),
    Description: truncate(stripHtml(desc?.description ?? '') || fullName, DESCRIPTION_MAX) || fullName,
    IsSold: true,
    IsPurchased: true,
  };
  // Item prices are in the organisation's base currency; OpenCart's are in its default currency.
  let price = dec(product.price);
  const base = ctx.organisation.BaseCurrency.toUpperCase();
  if (base !== ctx.storeDefaultCurrency.toUpperCase()) {
    const baseRow = ctx.ocCurrencies.find((c) => c.code.toUpperCase() === base);
    if (baseRow && dec(baseRow.value).gt(0)) price = price.times(dec(baseRow.value));
  }
  item.SalesDetails = {
    UnitPrice: toXeroNumber(round4(price)),
    AccountCode: override?.salesAccountCode || ctx.accounts.stores[0]?.sales || ctx.accounts.sales,
    TaxType: salesTaxType(product, ctx),
  };
  if (ctx.settings.syncItemsWithXeroInventory) {
    // Tracked: purchases go to the inventory asset, sales cost to COGS.
    item.InventoryAssetAccountCode = ctx.accounts.inventory;
    item.PurchaseDetails = { COGSAccountCode: override?.purchaseAccountCode || ctx.accounts.cogs };
  } else {
    const purchase = override?.purchaseAccountCode || ctx.accounts.cogs;
    if (purchase) item.PurchaseDetails = { AccountCode: purchase };
    else item.IsPurchased = false;
  }
  return item;
}
