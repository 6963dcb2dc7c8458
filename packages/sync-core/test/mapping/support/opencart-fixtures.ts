/**
 * TEST HELPER: reads the real OpenCart ground truth (orders-*.json) and the reference tables of the
 * matching dump (currencies, tax rates, tax rules, order statuses) from OPENCART_FIXTURES_DIR, and
 * turns each ground-truth order into an OcOrder as the opencart-db adapter would deliver it.
 * Nothing is copied into the repository: the files are read in place.
 *
 * What orders-*.json does not carry is filled in plainly and said so: names and addresses are
 * empty (the contact falls back to the email), the date is fixed, and a 3.x gift voucher bought in
 * the order (oc_order_voucher, absent from the JSON) is rebuilt from the sub-total it fills.
 */
import * as fs from 'fs';
import * as path from 'path';
import { decode } from 'he';
import Decimal from 'decimal.js';
import type {
  OcCurrency,
  OcOrder,
  OcOrderStatus,
  OcTaxRate,
  OcTaxRule,
} from '../../../src/ports/opencart.port';

export const repoRoot = path.resolve(__dirname, '../../../../..');
export const fixturesDir = (): string =>
  process.env.OPENCART_FIXTURES_DIR ?? path.resolve(repoRoot, '../shared/opencart');

/** Whether the fixtures are there; when not, says why (and fails under CI). */
export function fixturesAvailable(): boolean {
  const dir = fixturesDir();
  const ok = ['orders-3.json', 'orders-4.json', 'opencart-3.sql', 'opencart-4.sql'].every((f) =>
    fs.existsSync(path.join(dir, f)),
  );
  if (!ok) {
    const msg = `OpenCart fixtures not found in ${dir}: set OPENCART_FIXTURES_DIR to the folder holding orders-3.json, orders-4.json and the dumps`;
    if (process.env.CI) throw new Error(msg);
    console.warn(`SKIPPED: ${msg}`);
  }
  return ok;
}

export interface GroundTruthOrder {
  order_id: number;
  tags: string[];
  store_id: number;
  customer_id: number;
  customer_group_id: number;
  email: string;
  currency_code: string;
  currency_value: string;
  order_status: string;
  status_path: string[];
  /** 3.x: { method, code }; 4.x: the order's JSON column { name, code, … }. */
  payment: { method?: string; name?: string; code: string } | null;
  shipping: { method?: string; name?: string; code: string; tax_class_id?: number } | null;
  total: string;
  order_total: Array<{ code: string; title: string; value: string }>;
  lines: Array<{
    product_id: number;
    name: string;
    quantity: number;
    price: string;
    total: string;
    tax_per_unit: string;
  }>;
}

export interface StoreFixture {
  version: '3' | '4';
  orders: GroundTruthOrder[];
  currencies: OcCurrency[];
  taxRates: OcTaxRate[];
  taxRules: OcTaxRule[];
  statuses: OcOrderStatus[];
  defaultCurrency: string;
}

/** Rows of `INSERT INTO \`<table>\` VALUES (...),(...);` in a mysqldump, as arrays of raw values. */
function dumpRows(sql: string, table: string): string[][] {
  const start = sql.indexOf(`INSERT INTO \`${table}\` VALUES`);
  if (start < 0) throw new Error(`table ${table} not found in the dump`);
  const end = sql.indexOf(';\n', start);
  const body = sql.slice(sql.indexOf('VALUES', start) + 6, end);
  const rows: string[][] = [];
  let row: string[] | null = null;
  let cur = '';
  let inStr = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (inStr) {
      if (c === '\\') {
        cur += body[++i];
      } else if (c === "'") {
        inStr = false;
      } else cur += c;
      continue;
    }
    if (c === "'") inStr = true;
    else if (c === '(' && row === null) {
      row = [];
      cur = '';
    } else if (c === ',' && row !== null) {
      row.push(cur);
      cur = '';
    } else if (c === ')' && row !== null) {
      row.push(cur);
      rows.push(row);
      row = null;
    } else if (row !== null) cur += c;
  }
  return rows;
}

export function loadStoreFixture(version: '3' | '4'): StoreFixture {
  const dir = fixturesDir();
  const json = JSON.parse(fs.readFileSync(path.join(dir, `orders-${version}.json`), 'utf8')) as {
    orders: GroundTruthOrder[];
  };
  const sql = fs.readFileSync(path.join(dir, `opencart-${version}.sql`), 'utf8');
  // oc_currency: (id, title, code, symbol_left, symbol_right, decimal_place, value, status, date_modified)
  const configCurrency = /'config_currency','([A-Z]{3})'/.exec(sql)?.[1] ?? 'USD';
  const currencies: OcCurrency[] = dumpRows(sql, 'oc_currency').map((r) => ({
    currencyId: Number(r[0]),
    title: r[1]!,
    code: r[2]!,
    value: r[6]!,
    decimalPlace: Number(r[5]),
    status: r[7] === '1',
    isDefault: r[2] === configCurrency,
  }));
  // oc_tax_rate 3.x: (id, geo_zone_id, name, rate, type, date_added, date_modified); 4.x without dates
  const taxRates: OcTaxRate[] = dumpRows(sql, 'oc_tax_rate').map((r) => ({
    taxRateId: Number(r[0]),
    geoZoneId: Number(r[1]),
    name: decode(r[2]!),
    rate: r[3]!,
    type: r[4] === 'F' ? 'F' : 'P',
  }));
  const taxRules: OcTaxRule[] = dumpRows(sql, 'oc_tax_rule').map((r) => ({
    taxClassId: Number(r[1]),
    taxRateId: Number(r[2]),
    based: r[3]!,
    priority: Number(r[4]),
  }));
  const statuses: OcOrderStatus[] = dumpRows(sql, 'oc_order_status').map((r) => ({
    orderStatusId: Number(r[0]),
    languageId: Number(r[1]),
    name: r[2]!,
  }));
  return {
    version,
    orders: json.orders,
    currencies,
    taxRates,
    taxRules,
    statuses,
    defaultCurrency: configCurrency,
  };
}

/** One ground-truth order as the adapter would deliver it (text HTML-decoded). */
export function toOcOrder(o: GroundTruthOrder, fx: StoreFixture): OcOrder {
  const statusId = (name: string): number =>
    fx.statuses.find((s) => s.name.toLowerCase() === name.toLowerCase())?.orderStatusId ?? 0;
  const linesTotal = o.lines.reduce((a, l) => a.plus(l.total), new Decimal(0));
  const subTotal = o.order_total.find((t) => t.code === 'sub_total');
  const voucherGap = subTotal ? new Decimal(subTotal.value).minus(linesTotal) : new Decimal(0);
  return {
    orderId: o.order_id,
    invoicePrefix: 'INV-2024-00',
    invoiceNo: 0,
    storeId: o.store_id,
    storeName: 'Your Store',
    customerId: o.customer_id,
    customerGroupId: o.customer_group_id,
    firstname: '',
    lastname: '',
    email: o.email,
    telephone: '',
    paymentAddress: null,
    shippingAddress: null,
    paymentMethod: o.payment
      ? { code: o.payment.code, name: decode(o.payment.method ?? o.payment.name ?? '') }
      : null,
    shippingMethod: o.shipping
      ? { code: o.shipping.code, name: decode(o.shipping.method ?? o.shipping.name ?? '') }
      : null,
    comment: '',
    total: o.total,
    orderStatusId: statusId(o.order_status),
    currencyCode: o.currency_code,
    currencyValue: o.currency_value,
    languageId: 1,
    dateAdded: '2024-03-01 10:00:00',
    dateModified: '2024-03-02 10:00:00',
    lines: o.lines.map((l, i) => ({
      orderProductId: i + 1,
      productId: l.product_id,
      productExists: !(o.tags.includes('product-later-deleted') && l.product_id === 29),
      name: decode(l.name),
      model: `Product ${l.product_id}`,
      sku: '',
      quantity: l.quantity,
      price: l.price,
      total: l.total,
      taxPerUnit: l.tax_per_unit,
      reward: 0,
      taxClassId: 0,
      options: [],
    })),
    totals: o.order_total.map((t, i) => ({
      code: t.code,
      title: decode(t.title),
      value: t.value,
      sortOrder: i,
    })),
    vouchers:
      o.tags.includes('gift-voucher-purchase') && voucherGap.gt(0)
        ? [
            {
              orderVoucherId: 1,
              code: 'GIFT',
              description: 'Gift Certificate',
              amount: voucherGap.toFixed(4),
            },
          ]
        : [],
    history: o.status_path.map((name, i) => ({
      orderStatusId: statusId(name),
      notify: false,
      comment: '',
      dateAdded: `2024-03-0${Math.min(9, i + 1)} 10:00:00`,
    })),
  };
}
