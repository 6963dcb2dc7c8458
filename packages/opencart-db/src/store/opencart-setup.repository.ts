import {
  SyncError,
  type OcCurrency,
  type OcOrderStatus,
  type OcPaymentMethod,
  type OcReturn,
  type OcStore,
  type OcStoreInfo,
  type OcTaxClass,
  type OcTaxRate,
  type OcTaxRule,
  type Page,
} from '@oc-xero/sync-core';
import type { OpenCartSchema } from './opencart-schema.detector';
import { checkLimit, type Sql } from './opencart-order.repository';
import { dec, int, methodFrom, str, text } from './opencart-row.util';

/** The store-wide settings we read (store_id 0). */
const SETTING_KEYS = [
  'config_currency',
  'config_name',
  'config_url',
  // 3.x names the admin language config_admin_language, 4.x config_language_admin.
  'config_admin_language',
  'config_language_admin',
  'config_language',
  'config_language_catalog',
];

/** Settings, statuses, currencies, stores, taxes, payment methods and returns. */
export class OpenCartSetupRepository {
  constructor(private readonly schema: OpenCartSchema) {}

  /** Read once at connect: the default currency and the admin language decide how we read the rest. */
  async loadInfo(sql: Sql): Promise<{ info: OcStoreInfo; settings: Map<string, string> }> {
    const t = this.schema.table;
    const settingRows = await sql(
      `SELECT \`key\`, value FROM ${t('setting')} WHERE store_id = 0 AND \`key\` IN (?)`,
      [SETTING_KEYS],
    );
    const settings = new Map(settingRows.map((r) => [str(r.key), str(r.value)]));
    const defaultCurrency = settings.get('config_currency') ?? '';
    if (!defaultCurrency) {
      throw new SyncError(
        'config',
        `setting config_currency (the store's default currency) is missing from ${t('setting')} in \`${this.schema.database}\`: is this a configured OpenCart store?`,
      );
    }
    const languages = await sql(
      `SELECT language_id, code FROM ${t('language')} ORDER BY sort_order, language_id`,
    );
    const wanted = [
      settings.get('config_admin_language'),
      settings.get('config_language_admin'),
      settings.get('config_language'),
      settings.get('config_language_catalog'),
    ].filter((c): c is string => !!c);
    const match =
      wanted.map((code) => languages.find((l) => str(l.code) === code)).find((l) => l !== undefined) ??
      languages[0];
    if (!match)
      throw new SyncError(
        'config',
        `table ${t('language')} in \`${this.schema.database}\` is empty: OpenCart needs at least one language`,
      );
    return {
      info: {
        version: this.schema.version,
        prefix: this.schema.prefix,
        defaultCurrency,
        languageId: int(match.language_id),
      },
      settings,
    };
  }

  async listOrderStatuses(sql: Sql): Promise<OcOrderStatus[]> {
    const rows = await sql(
      `SELECT order_status_id, language_id, name FROM ${this.schema.table('order_status')} ORDER BY order_status_id, language_id`,
    );
    return rows.map((r) => ({
      orderStatusId: int(r.order_status_id),
      languageId: int(r.language_id),
      name: text(r.name),
    }));
  }

  async listCurrencies(sql: Sql, defaultCurrency: string): Promise<OcCurrency[]> {
    const rows = await sql(
      `SELECT currency_id, code, title, CAST(value AS DECIMAL(15,8)) AS value, decimal_place, status FROM ${this.schema.table('currency')} ORDER BY currency_id`,
    );
    return rows.map((r) => ({
      currencyId: int(r.currency_id),
      code: str(r.code),
      title: text(r.title),
      value: str(r.value),
      decimalPlace: int(r.decimal_place),
      status: int(r.status) === 1,
      isDefault: str(r.code) === defaultCurrency,
    }));
  }

  async listStores(sql: Sql, settings: Map<string, string>): Promise<OcStore[]> {
    const t = this.schema.table;
    const rows = await sql(
      `SELECT store_id, name, url FROM ${t('store')} WHERE store_id <> 0 ORDER BY store_id`,
    );
    // Store 0 lives in config.php (HTTP_SERVER), not in the database, unless config_url was saved;
    // the URL OpenCart stamped on the newest order of store 0 is the next best source.
    let url = settings.get('config_url') ?? '';
    if (!url) {
      const last = await sql(
        `SELECT store_url FROM ${t('order')} WHERE store_id = 0 ORDER BY order_id DESC LIMIT 1`,
      );
      url = last[0] ? str(last[0].store_url) : '';
    }
    return [
      { storeId: 0, name: text(settings.get('config_name') ?? ''), url },
      ...rows.map((r) => ({ storeId: int(r.store_id), name: text(r.name), url: str(r.url) })),
    ];
  }

  async listTaxClasses(sql: Sql): Promise<OcTaxClass[]> {
    const rows = await sql(
      `SELECT tax_class_id, title FROM ${this.schema.table('tax_class')} ORDER BY tax_class_id`,
    );
    return rows.map((r) => ({ taxClassId: int(r.tax_class_id), title: text(r.title) }));
  }

  async listTaxRates(sql: Sql): Promise<OcTaxRate[]> {
    const rows = await sql(
      `SELECT tax_rate_id, name, rate, type, geo_zone_id FROM ${this.schema.table('tax_rate')} ORDER BY tax_rate_id`,
    );
    return rows.map((r) => ({
      taxRateId: int(r.tax_rate_id),
      name: text(r.name),
      rate: dec(r.rate),
      type: str(r.type) === 'F' ? 'F' : 'P',
      geoZoneId: int(r.geo_zone_id),
    }));
  }

  async listTaxRules(sql: Sql): Promise<OcTaxRule[]> {
    const rows = await sql(
      `SELECT tax_class_id, tax_rate_id, based, priority FROM ${this.schema.table('tax_rule')} ORDER BY tax_class_id, priority, tax_rule_id`,
    );
    return rows.map((r) => ({
      taxClassId: int(r.tax_class_id),
      taxRateId: int(r.tax_rate_id),
      based: str(r.based),
      priority: int(r.priority),
    }));
  }

  /** Installed payment extensions plus every method orders used (an uninstalled one may still have orders). */
  async listPaymentMethods(sql: Sql): Promise<OcPaymentMethod[]> {
    const t = this.schema.table;
    const installed = await sql(`SELECT code FROM ${t('extension')} WHERE type = 'payment' ORDER BY code`);
    const statusRows = await sql(
      `SELECT \`key\`, value FROM ${t('setting')} WHERE store_id = 0 AND \`key\` LIKE 'payment\\_%\\_status'`,
    );
    const enabled = new Set(
      statusRows
        .filter((r) => str(r.value) === '1')
        .map((r) => str(r.key).slice('payment_'.length, -'_status'.length)),
    );
    // Orders with status 0 are abandoned checkouts ("missing orders"), not orders.
    const used = this.schema.hasMethodCodeColumns
      ? await sql(
          `SELECT payment_code AS code, payment_method AS name, COUNT(*) AS orders_count FROM ${t('order')}
            WHERE order_status_id > 0 GROUP BY payment_code, payment_method`,
        )
      : await sql(
          `SELECT payment_method AS name, COUNT(*) AS orders_count FROM ${t('order')} WHERE order_status_id > 0 GROUP BY payment_method`,
        );

    const byCode = new Map<string, { name: string; count: number; best: number }>();
    for (const r of used) {
      const m = methodFrom(r.name, this.schema.hasMethodCodeColumns ? r.code : undefined).method;
      if (!m) continue;
      // 4.x records "cod.cod" (extension.method); the extension code is the part before the dot.
      const code = this.schema.hasMethodCodeColumns ? m.code : m.code.split('.')[0];
      const n = int(r.orders_count);
      const seen = byCode.get(code);
      if (!seen) byCode.set(code, { name: m.name, count: n, best: n });
      else {
        seen.count += n;
        if (n > seen.best) Object.assign(seen, { name: m.name, best: n });
      }
    }
    const codes = new Set([...installed.map((r) => str(r.code)), ...byCode.keys()]);
    const installedSet = new Set(installed.map((r) => str(r.code)));
    return [...codes].sort().map((code) => ({
      code,
      name: byCode.get(code)?.name || code,
      installed: installedSet.has(code),
      enabled: installedSet.has(code) && enabled.has(code),
      ordersCount: byCode.get(code)?.count ?? 0,
    }));
  }

  async listReturns(
    sql: Sql,
    languageId: number,
    q: { afterId?: number; limit: number },
  ): Promise<Page<OcReturn, number>> {
    const limit = checkLimit(q.limit);
    // A store without the return tables simply has no returns (never an error).
    if (this.schema.hasReturns === false) return { items: [], next: null };
    const t = this.schema.table;
    const rows = await sql(
      `SELECT r.return_id, r.order_id, r.product_id, r.product, r.model, r.quantity, r.date_added, r.date_modified,
          ra.name AS action_name, rs.name AS status_name
        FROM ${t('return')} r
        LEFT JOIN ${t('return_action')} ra ON ra.return_action_id = r.return_action_id AND ra.language_id = ?
        LEFT JOIN ${t('return_status')} rs ON rs.return_status_id = r.return_status_id AND rs.language_id = ?
        WHERE r.return_id > ? ORDER BY r.return_id LIMIT ?`,
      [languageId, languageId, int(q.afterId), limit + 1],
    );
    const items = rows.slice(0, limit).map((r) => ({
      returnId: int(r.return_id),
      orderId: int(r.order_id),
      productId: int(r.product_id),
      product: text(r.product),
      model: text(r.model),
      quantity: int(r.quantity),
      action: text(r.action_name),
      status: text(r.status_name),
      dateAdded: str(r.date_added),
      dateModified: str(r.date_modified) || str(r.date_added),
    }));
    return { items, next: rows.length > limit ? items[items.length - 1].returnId : null };
  }
}
