/**
 * Everything a mapper needs, resolved ONCE per run from the settings, the Xero organisation and the
 * store's reference data. Mappers do no I/O: a run reads the chart, tax rates and OpenCart tables
 * once, builds this, and maps every order against it. Config problems a merchant can fix come
 * back as field-level errors here, before a single order is touched.
 */
import type { OcCurrency, OcOrderStatus, OcTaxRate, OcTaxRule } from '../ports/opencart.port';
import type { XeroAccount, XeroCurrency, XeroOrganisation, XeroTaxRate } from '../ports/xero.port';
import type { ProductAccountOverride } from '../ports/connector-store.port';
import type { FieldError, Settings } from '../settings/settings.schema';
import { dec } from './money.util';

/** Every account code the mapping uses, checked against the chart. */
export interface ResolvedAccounts {
  /** Product lines. */
  sales: string;
  /** Shipping lines. */
  shipping: string;
  /** Coupons / discounts. */
  discount: string;
  /** Gift vouchers bought and redeemed (liability). */
  voucherLiability: string;
  /** Store credit used (liability). */
  storeCredit: string;
  /** Reward points redeemed. */
  rewardPoints: string;
  /** Fees (handling, low order fee, payment fees). */
  fee: string;
  /** Order total codes nobody mapped. */
  unknownTotal: string;
  /** The one rounding line. */
  rounding: string;
  /** Fixed-amount tax lines without their own account. */
  fixedTax: string;
  /** Inventory asset account ('' when tracked inventory is off and none was found). */
  inventory: string;
  /** COGS account ('' when tracked inventory is off and none was found). */
  cogs: string;
  /** Account per order_total code (explicit settings only). */
  totalCodes: Record<string, string>;
  /** Payment account per payment method code. */
  payment: Record<string, string>;
  /** Payment account for unmapped methods, null = no payment. */
  defaultPayment: string | null;
  /** Per-store overrides, already resolved (store_id → fields that differ). */
  stores: Record<
    number,
    {
      sales?: string;
      shipping?: string;
      discount?: string;
      payment?: Record<string, string>;
      invoiceNumberFormat?: string;
    }
  >;
}

/** How one OpenCart tax rate is booked. */
export interface ResolvedTaxRate {
  /** OpenCart tax_rate_id. */
  taxRateId: number;
  /** OpenCart name = title of its order_total rows. */
  name: string;
  /** 'P' percentage or 'F' fixed amount per unit. */
  type: 'P' | 'F';
  /** Percent for P, amount (default currency) for F, as OpenCart stores it. */
  rate: string;
  /** Xero TaxType for a percentage rate; null = booked as its own line (F rates, unmapped P rates). */
  taxType: string | null;
  /** Xero's effective rate of taxType in percent (decimal string), null with taxType. */
  xeroRatePercent: string | null;
  /** Account of the rate's own line (F rates, unmapped P rates). */
  accountCode: string;
}

/** OpenCart tax rates → Xero. */
export interface ResolvedTaxMapping {
  /** By tax_rate_id. */
  byId: Map<number, ResolvedTaxRate>;
  /** By name lowercased and trimmed (order_total tax rows carry the name as title). */
  byName: Map<string, ResolvedTaxRate>;
  /** TaxType for untaxed lines and the rounding line. */
  noTaxType: string;
}

export interface OrderMappingContext {
  settings: Settings;
  /** BaseCurrency etc. */
  organisation: XeroOrganisation;
  /** OpenCart config_currency. */
  storeDefaultCurrency: string;
  ocCurrencies: OcCurrency[];
  ocTaxRates: OcTaxRate[];
  /** Tax rules (optional input), used to tell apart lines whose tax fits several rate sets. */
  ocTaxRules: OcTaxRule[];
  /** order_status_id → name (admin language). */
  statusNames: Map<number, string>;
  /** order_status_id → its names in every store language, lowercased (status settings match any). */
  statusNamesAnyLanguage: Map<number, Set<string>>;
  accounts: ResolvedAccounts;
  taxTypes: ResolvedTaxMapping;
  xeroTaxRates: XeroTaxRate[];
  /** product_id → Xero Item Code, when items are exported. */
  itemCodes: Map<number, string>;
  overrides: Map<number, ProductAccountOverride>;
  /** Things resolved by fallback the merchant may want to check (shown in the admin/preview). */
  notes: string[];
  /** Currency codes enabled in the organisation (upper case); null when not given (then not checked). */
  xeroCurrencies: Set<string> | null;
}

const activeAccounts = (accounts: XeroAccount[]): XeroAccount[] =>
  accounts.filter((a) => (a.Status ?? 'ACTIVE').toUpperCase() === 'ACTIVE' && a.Code);
const activeRates = (rates: XeroTaxRate[]): XeroTaxRate[] =>
  rates.filter((r) => (r.Status ?? 'ACTIVE').toUpperCase() === 'ACTIVE');

/**
 * Suggest a Xero TaxType for each OpenCart percentage rate by matching the percentage with the
 * organisation's active revenue rates (OUTPUT* types first). Fixed-amount rates get no TaxType.
 */
export function suggestTaxMapping(
  ocTaxRates: OcTaxRate[],
  xeroTaxRates: XeroTaxRate[],
): Record<string, { taxType: string; accountCode: string }> {
  const revenue = activeRates(xeroTaxRates).filter((r) => r.CanApplyToRevenue !== false);
  const out: Record<string, { taxType: string; accountCode: string }> = {};
  for (const oc of ocTaxRates) {
    if (oc.type !== 'P') continue;
    const pct = dec(oc.rate);
    const matches = revenue.filter((r) => dec(r.EffectiveRate).eq(pct));
    matches.sort((a, b) => score(b) - score(a));
    if (matches[0]) out[String(oc.taxRateId)] = { taxType: matches[0].TaxType, accountCode: '' };
  }
  return out;
}
// Prefer standard output types (OUTPUT2, OUTPUT) over reverse-charge or special ones.
const score = (r: XeroTaxRate): number =>
  (/^OUTPUT/i.test(r.TaxType) ? 2 : 0) + (/reverse|import|capital|ec /i.test(r.Name) ? -1 : 0);

export function buildMappingContext(input: {
  settings: Settings;
  organisation: XeroOrganisation;
  accounts: XeroAccount[];
  xeroTaxRates: XeroTaxRate[];
  storeDefaultCurrency: string;
  ocCurrencies: OcCurrency[];
  ocTaxRates: OcTaxRate[];
  ocStatuses: OcOrderStatus[];
  languageId: number;
  itemCodes?: Map<number, string>;
  overrides?: ProductAccountOverride[];
  /** Optional: tax rules, to disambiguate which rates a line carries. */
  ocTaxRules?: OcTaxRule[];
  /** Optional: the organisation's currencies (GET /Currencies), so an order in a currency Xero lacks fails with a clear reason. */
  xeroCurrencies?: XeroCurrency[];
}): { ok: true; context: OrderMappingContext } | { ok: false; errors: FieldError[] } {
  const { settings } = input;
  const errors: FieldError[] = [];
  const notes: string[] = [];
  const chart = activeAccounts(input.accounts);
  const byCode = new Map(chart.map((a) => [a.Code!.toUpperCase(), a]));

  const check = (path: string, code: string, opts: { payments?: boolean } = {}): string => {
    const a = byCode.get(code.toUpperCase());
    if (!a) {
      errors.push({
        path,
        message: `account code ${code} is not an active account in the Xero chart of accounts of ${input.organisation.Name}`,
      });
      return code;
    }
    if (opts.payments && a.Type !== 'BANK' && !a.EnablePaymentsToAccount) {
      errors.push({
        path,
        message: `account ${code} (${a.Name}) cannot take payments: choose a BANK account or enable payments to it in Xero`,
      });
    }
    return a.Code!;
  };
  const auto = (role: string, usualCodes: string[], types: string[], nameRe?: RegExp): string | null => {
    for (const c of usualCodes) {
      const a = byCode.get(c);
      if (a && (types.length === 0 || types.includes(a.Type))) return a.Code!;
    }
    if (nameRe) {
      const a = chart.find((x) => nameRe.test(x.Name) && (types.length === 0 || types.includes(x.Type)));
      if (a) {
        notes.push(`${role}: using ${a.Code} (${a.Name}), found by name`);
        return a.Code!;
      }
    }
    const a = chart.find((x) => types.includes(x.Type));
    if (a) {
      notes.push(`${role}: using ${a.Code} (${a.Name}), the first ${a.Type} account`);
      return a.Code!;
    }
    return null;
  };
  const resolve = (
    path: keyof Settings & string,
    role: string,
    usual: string[],
    types: string[],
    nameRe?: RegExp,
    fallback?: () => string | null,
  ): string => {
    const set = settings[path] as string;
    if (set) return check(path, set);
    const found = auto(role, usual, types, nameRe) ?? (fallback ? fallback() : null);
    if (found) return found;
    errors.push({ path, message: `no ${role} account found in the Xero chart: set one` });
    return '';
  };

  const sales = resolve('salesAccountCode', 'sales', ['200'], ['REVENUE', 'SALES']);
  const shipping = settings.shippingAccountCode
    ? check('shippingAccountCode', settings.shippingAccountCode)
    : sales;
  const discount = settings.discountAccountCode
    ? check('discountAccountCode', settings.discountAccountCode)
    : sales;
  const suspense = (): string | null => chart.find((a) => /suspense/i.test(a.Name))?.Code ?? null;
  const rounding = resolve('roundingAccountCode', 'rounding', ['860'], [], /rounding/i, () => {
    const s = suspense() ?? sales;
    if (s) notes.push(`rounding: no rounding account in the chart, using ${s}`);
    return s || null;
  });
  const voucherLiability = settings.voucherLiabilityAccountCode
    ? check('voucherLiabilityAccountCode', settings.voucherLiabilityAccountCode)
    : (chart.find((a) => /voucher|gift/i.test(a.Name) && /LIAB/.test(a.Type))?.Code ??
      suspense() ??
      rounding);
  if (!settings.voucherLiabilityAccountCode)
    notes.push(`gift vouchers: using ${voucherLiability}; set a voucher liability account`);
  const storeCredit = settings.storeCreditAccountCode
    ? check('storeCreditAccountCode', settings.storeCreditAccountCode)
    : (chart.find((a) => /store credit|customer credit/i.test(a.Name) && /LIAB/.test(a.Type))?.Code ??
      voucherLiability);
  const rewardPoints = settings.rewardPointsAccountCode
    ? check('rewardPointsAccountCode', settings.rewardPointsAccountCode)
    : discount;
  const fee = settings.feeAccountCode ? check('feeAccountCode', settings.feeAccountCode) : sales;
  const unknownTotal = settings.unknownTotalAccountCode
    ? check('unknownTotalAccountCode', settings.unknownTotalAccountCode)
    : (suspense() ?? sales);
  const fixedTax = settings.fixedTaxAccountCode
    ? check('fixedTaxAccountCode', settings.fixedTaxAccountCode)
    : sales;
  const tracked = settings.syncItemsWithXeroInventory;
  // Older charts keep 630 Inventory as CURRENT: accept that by code or by name, but never fall back
  // to just any CURRENT account (that would be e.g. Accounts Receivable).
  const inventory = settings.inventoryAccountCode
    ? check('inventoryAccountCode', settings.inventoryAccountCode)
    : (chart.find((a) => a.Code === '630' && ['INVENTORY', 'CURRENT'].includes(a.Type))?.Code ??
      chart.find((a) => a.Type === 'INVENTORY' || (a.Type === 'CURRENT' && /inventory|stock/i.test(a.Name)))
        ?.Code ??
      '');
  const cogs = settings.cogsAccountCode
    ? check('cogsAccountCode', settings.cogsAccountCode)
    : (auto('cost of goods sold', ['310'], ['DIRECTCOSTS']) ?? '');
  if (tracked && !inventory)
    errors.push({
      path: 'inventoryAccountCode',
      message: 'tracked inventory needs an inventory asset account: set one',
    });
  if (tracked && !cogs)
    errors.push({
      path: 'cogsAccountCode',
      message: 'tracked inventory needs a cost of goods sold account: set one',
    });

  const totalCodes: Record<string, string> = {};
  for (const [code, acc] of Object.entries(settings.totalCodeAccounts))
    if (acc) totalCodes[code] = check(`totalCodeAccounts.${code}`, acc);
  const payment: Record<string, string> = {};
  for (const [method, acc] of Object.entries(settings.paymentAccountCodes))
    if (acc) payment[method] = check(`paymentAccountCodes.${method}`, acc, { payments: true });
  const defaultPayment = settings.defaultPaymentAccountCode
    ? check('defaultPaymentAccountCode', settings.defaultPaymentAccountCode, { payments: true })
    : null;

  const stores: ResolvedAccounts['stores'] = {};
  for (const [storeId, o] of Object.entries(settings.stores)) {
    const p = `stores.${storeId}`;
    const s: ResolvedAccounts['stores'][number] = {};
    if (o.salesAccountCode) s.sales = check(`${p}.salesAccountCode`, o.salesAccountCode);
    if (o.shippingAccountCode) s.shipping = check(`${p}.shippingAccountCode`, o.shippingAccountCode);
    if (o.discountAccountCode) s.discount = check(`${p}.discountAccountCode`, o.discountAccountCode);
    if (o.paymentAccountCodes) {
      s.payment = {};
      for (const [m, acc] of Object.entries(o.paymentAccountCodes))
        if (acc) s.payment[m] = check(`${p}.paymentAccountCodes.${m}`, acc, { payments: true });
    }
    if (o.invoiceNumberFormat) s.invoiceNumberFormat = o.invoiceNumberFormat;
    stores[Number(storeId)] = s;
  }
  const overrides = new Map<number, ProductAccountOverride>();
  for (const o of input.overrides ?? []) {
    if (o.salesAccountCode) check(`overrides.${o.productId}.salesAccountCode`, o.salesAccountCode);
    if (o.purchaseAccountCode) check(`overrides.${o.productId}.purchaseAccountCode`, o.purchaseAccountCode);
    overrides.set(o.productId, o);
  }

  // ---- tax ----
  const xeroRates = activeRates(input.xeroTaxRates);
  const xeroByType = new Map(xeroRates.map((r) => [r.TaxType.toUpperCase(), r]));
  let noTaxType = settings.noTaxType;
  if (noTaxType) {
    const r = xeroByType.get(noTaxType.toUpperCase());
    if (!r)
      errors.push({
        path: 'noTaxType',
        message: `tax type ${noTaxType} is not an active tax rate of ${input.organisation.Name}`,
      });
    else if (r.EffectiveRate !== 0)
      errors.push({
        path: 'noTaxType',
        message: `tax type ${noTaxType} is ${r.EffectiveRate}%, not a no-tax rate`,
      });
  } else {
    noTaxType =
      xeroByType.get('NONE')?.TaxType ??
      xeroRates.find(
        (r) =>
          r.EffectiveRate === 0 &&
          r.CanApplyToRevenue !== false &&
          /no (vat|gst|tax)|exempt|zero/i.test(r.Name),
      )?.TaxType ??
      xeroRates.find((r) => r.EffectiveRate === 0 && r.CanApplyToRevenue !== false)?.TaxType ??
      'NONE';
  }
  const suggested = suggestTaxMapping(input.ocTaxRates, input.xeroTaxRates);
  const byId = new Map<number, ResolvedTaxRate>();
  const byName = new Map<string, ResolvedTaxRate>();
  for (const oc of input.ocTaxRates) {
    const key = String(oc.taxRateId);
    const set = settings.taxRateMapping[key];
    const path = `taxRateMapping.${key}`;
    let taxType: string | null = null;
    let xeroRatePercent: string | null = null;
    if (oc.type === 'P') {
      const wanted = set?.taxType || suggested[key]?.taxType || '';
      if (wanted) {
        const xr = xeroByType.get(wanted.toUpperCase());
        if (!xr)
          errors.push({
            path: `${path}.taxType`,
            message: `tax type ${wanted} (for OpenCart rate "${oc.name}") is not an active tax rate of ${input.organisation.Name}`,
          });
        else if (!dec(xr.EffectiveRate).eq(dec(oc.rate))) {
          errors.push({
            path: `${path}.taxType`,
            message: `OpenCart rate "${oc.name}" is ${dec(oc.rate).toString()}% but Xero tax type ${xr.TaxType} is ${xr.EffectiveRate}%: the invoice tax could not match the order`,
          });
        } else {
          taxType = xr.TaxType;
          xeroRatePercent = dec(xr.EffectiveRate).toString();
          if (!set?.taxType)
            notes.push(
              `tax rate "${oc.name}" → ${xr.TaxType} (${xr.Name}), suggested by matching ${xr.EffectiveRate}%`,
            );
        }
      } else {
        notes.push(
          `tax rate "${oc.name}" (${dec(oc.rate).toString()}%) has no matching Xero tax rate: its tax is booked as its own line without tax`,
        );
      }
    } else if (set?.taxType) {
      errors.push({
        path: `${path}.taxType`,
        message: `OpenCart rate "${oc.name}" is a fixed amount, which Xero cannot apply as a tax rate: set an account for its own line instead`,
      });
    }
    const accountCode = set?.accountCode ? check(`${path}.accountCode`, set.accountCode) : fixedTax;
    const r: ResolvedTaxRate = {
      taxRateId: oc.taxRateId,
      name: oc.name,
      type: oc.type,
      rate: oc.rate,
      taxType,
      xeroRatePercent,
      accountCode,
    };
    byId.set(oc.taxRateId, r);
    byName.set(oc.name.trim().toLowerCase(), r);
  }
  for (const key of Object.keys(settings.taxRateMapping)) {
    if (!byId.has(Number(key)))
      errors.push({ path: `taxRateMapping.${key}`, message: `OpenCart has no tax rate with id ${key}` });
  }

  // ---- statuses in the admin language, any language as a fallback ----
  const statusNames = new Map<number, string>();
  for (const s of input.ocStatuses)
    if (s.languageId === input.languageId) statusNames.set(s.orderStatusId, s.name);
  for (const s of input.ocStatuses)
    if (!statusNames.has(s.orderStatusId)) statusNames.set(s.orderStatusId, s.name);

  const statusNamesAnyLanguage = new Map<number, Set<string>>();
  for (const s of input.ocStatuses) {
    const set = statusNamesAnyLanguage.get(s.orderStatusId) ?? new Set<string>();
    set.add(s.name.trim().toLowerCase());
    statusNamesAnyLanguage.set(s.orderStatusId, set);
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    context: {
      settings,
      organisation: input.organisation,
      storeDefaultCurrency: input.storeDefaultCurrency,
      ocCurrencies: input.ocCurrencies,
      ocTaxRates: input.ocTaxRates,
      ocTaxRules: input.ocTaxRules ?? [],
      statusNames,
      statusNamesAnyLanguage,
      accounts: {
        sales,
        shipping,
        discount,
        voucherLiability,
        storeCredit,
        rewardPoints,
        fee,
        unknownTotal,
        rounding,
        fixedTax,
        inventory,
        cogs,
        totalCodes,
        payment,
        defaultPayment,
        stores,
      },
      taxTypes: { byId, byName, noTaxType },
      xeroTaxRates: input.xeroTaxRates,
      itemCodes: input.itemCodes ?? new Map(),
      overrides,
      notes,
      xeroCurrencies: input.xeroCurrencies
        ? new Set(
            [input.organisation.BaseCurrency, ...input.xeroCurrencies.map((c) => c.Code)].map((c) =>
              c.toUpperCase(),
            ),
          )
        : null,
    },
  };
}

/** Whether an order status id is one of the setting's status names, in any store language, case-insensitive. */
export function statusIn(
  names: string[],
  orderStatusId: number,
  ctx: Pick<OrderMappingContext, 'statusNames'> &
    Partial<Pick<OrderMappingContext, 'statusNamesAnyLanguage'>>,
): boolean {
  const known = new Set<string>(ctx.statusNamesAnyLanguage?.get(orderStatusId) ?? []);
  const admin = ctx.statusNames.get(orderStatusId);
  if (admin !== undefined) known.add(admin.trim().toLowerCase());
  return names.some((x) => known.has(x.trim().toLowerCase()));
}
