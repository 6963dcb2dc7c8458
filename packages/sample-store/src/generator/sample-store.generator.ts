/**
 * Generates a whole store in memory: reference data, catalogue, customers and orders, as the rows
 * OpenCart itself would have written (HTML-escaped text, amounts from OpenCart's own arithmetic,
 * balances of store credit, reward points and vouchers that follow the orders that used them).
 * Deterministic for a seed.
 */
import type { OpenCartVersion } from '../sample-store.types';
import { calculateOrder, type CalculatedTotal, type CouponInput, type ShippingInput } from '../totals/opencart-totals.calculator';
import { type Place, resolveTaxRates } from '../totals/opencart-tax.resolver';
import { phpStoredDecimal } from '../totals/php-decimal';
import {
  CITIES,
  COMMENTS,
  COMPANIES,
  COUNTRIES,
  type CountryDef,
  CURRENCIES,
  CUSTOMER_GROUPS,
  FIRST_NAMES,
  GEO_ZONES,
  LANGUAGE_ID,
  LAST_NAMES,
  OPTION_PRICES,
  OPTIONS,
  ORDER_STATUSES,
  PRODUCTS,
  RETURN_ACTIONS,
  RETURN_REASONS,
  RETURN_STATUSES,
  STORE_PLACE,
  STREETS,
  TAX_CLASSES,
  TAX_RATES,
  TAX_RULES,
  ZONE_TO_GEO_ZONE,
} from './sample-store.data';
import { SeededRandom } from './seeded-random';

/** Setting key that marks a database as built by this package (checked before a rebuild drops it). */
export const SAMPLE_STORE_MARKER_KEY = 'config_oc_xero_sample_store';

export type Row = Record<string, string | number | null>;

export interface GeneratedOrderLine {
  orderProductId: number;
  productId: number;
  /** As stored (HTML-escaped). */
  name: string;
  model: string;
  quantity: number;
  price: string;
  total: string;
  tax: string;
  reward: number;
  options: Array<{ name: string; value: string; type: string }>;
}

/** What the builder put in the store for one order, for tests to compare readers against. */
export interface GeneratedOrder {
  orderId: number;
  storeId: number;
  customerId: number;
  email: string;
  currencyCode: string;
  currencyValue: string;
  orderStatusId: number;
  total: string;
  paymentCode: string;
  shippingCode: string | null;
  hasPaymentAddress: boolean;
  lines: GeneratedOrderLine[];
  totals: CalculatedTotal[];
  vouchersBought: Array<{ code: string; amount: string }>;
  history: number[];
  dateModified: string;
}

export interface GeneratedStore {
  version: OpenCartVersion;
  /** Rows per table (base name, no prefix); every column the row lacks takes the column's default. */
  tables: Record<string, Row[]>;
  orders: GeneratedOrder[];
}

export interface GenerateOptions {
  version: OpenCartVersion;
  orders: number;
  seed: number;
}

const STORE_NAME = 'Kettle & Crumb Home Store';
const STORE_URL = 'http://shop.example.com/';
const OUTLET = { storeId: 1, name: 'Kettle & Crumb Outlet', url: 'http://outlet.example.com/' };
const START_MS = Date.UTC(2025, 0, 6, 9, 0, 0);
const HOUR_MS = 3600_000;
const FLAT_COST = 5;
const FLAT_TAX_CLASS = 9;
const FREE_SHIPPING_MIN = 500;
const ADDRESS_FORMAT = '{firstname} {lastname}\n{company}\n{address_1}\n{address_2}\n{city}, {zone} {postcode}\n{country}';

const PAYMENTS = {
  cod: { name: 'Cash On Delivery', code: 'cod' },
  bank_transfer: { name: 'Bank Transfer', code: 'bank_transfer' },
  cheque: { name: 'Cheque / Money Order', code: 'cheque' },
  free_checkout: { name: 'Free Checkout', code: 'free_checkout' },
} as const;
type PaymentCode = keyof typeof PAYMENTS;

const SHIPPINGS = {
  flat: { title: 'Flat Shipping Rate', code: 'flat.flat', cost: FLAT_COST, taxClassId: FLAT_TAX_CLASS },
  free: { title: 'Free Shipping', code: 'free.free', cost: 0, taxClassId: 0 },
  pickup: { title: 'Pickup From Store', code: 'pickup.pickup', cost: 0, taxClassId: 0 },
} as const;
type ShippingKey = keyof typeof SHIPPINGS;

const COUPONS = [
  { couponId: 1, name: '10% off everything', code: 'SAVE10', type: 'P' as const, discount: 10, shipping: false, total: 0, logged: 0 },
  { couponId: 2, name: '15.00 off orders over 60', code: 'TAKE15', type: 'F' as const, discount: 15, shipping: false, total: 60, logged: 0 },
  { couponId: 3, name: 'Free shipping', code: 'SHIPFREE', type: 'F' as const, discount: 0, shipping: true, total: 0, logged: 0 },
  { couponId: 4, name: 'Members 25% & free delivery', code: 'VIP25', type: 'P' as const, discount: 25, shipping: true, total: 0, logged: 1 },
];

/** How OpenCart's request filter stores typed text: htmlspecialchars(ENT_COMPAT). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const pad = (n: number): string => String(n).padStart(2, '0');
function sqlDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

interface AddressDef {
  addressId: number;
  customerId: number;
  firstname: string;
  lastname: string;
  company: string;
  address1: string;
  address2: string;
  city: string;
  postcode: string;
  country: CountryDef;
  zone: CountryDef['zones'][number];
}

interface CustomerState {
  customerId: number;
  groupId: number;
  storeId: number;
  firstname: string;
  lastname: string;
  email: string;
  telephone: string;
  addresses: AddressDef[];
  credit: number;
  points: number;
}

interface VoucherState {
  voucherId: number;
  code: string;
  amount: number;
  balance: number;
  usableFromMs: number;
}

export function generateSampleStore(options: GenerateOptions): GeneratedStore {
  const { version } = options;
  if (!Number.isInteger(options.orders) || options.orders < 0) throw new Error(`orders must be a whole number ≥ 0, got ${options.orders}`);
  const rng = new SeededRandom(options.seed);
  const v3 = version === '3';
  const tables: Record<string, Row[]> = {};
  const add = (table: string, row: Row): void => {
    (tables[table] ??= []).push(row);
  };
  // 3.x talks to MySQL with SET NAMES utf8, so characters outside the BMP arrive as '?'.
  const stored = (text: string): string => {
    const escaped = escapeHtml(text);
    return v3 ? escaped.replace(/[\u{10000}-\u{10FFFF}]/gu, '?') : escaped;
  };
  const created = sqlDate(START_MS - 90 * 24 * HOUR_MS);

  // Reference data.
  add('language', {
    language_id: LANGUAGE_ID,
    name: 'English',
    code: 'en-gb',
    locale: 'en-gb,en',
    ...(v3 ? { image: 'gb.png', directory: 'english' } : { extension: '' }),
    sort_order: 1,
    status: 1,
  });
  for (const country of COUNTRIES) {
    add('country', {
      country_id: country.countryId,
      iso_code_2: country.iso2,
      iso_code_3: country.iso3,
      postcode_required: 0,
      status: 1,
      ...(v3 ? { name: country.name, address_format: '' } : { address_format_id: 1 }),
    });
    if (!v3) add('country_description', { country_id: country.countryId, language_id: LANGUAGE_ID, name: country.name });
    for (const zone of country.zones) {
      add('zone', { zone_id: zone.zoneId, country_id: country.countryId, code: zone.code, status: 1, ...(v3 ? { name: zone.name } : {}) });
      if (!v3) add('zone_description', { zone_id: zone.zoneId, language_id: LANGUAGE_ID, name: zone.name });
    }
  }
  const dates: Row = v3 ? { date_added: created, date_modified: created } : {};
  for (const g of GEO_ZONES) add('geo_zone', { geo_zone_id: g.geoZoneId, name: g.name, description: g.description, ...dates });
  for (const z of ZONE_TO_GEO_ZONE) {
    add('zone_to_geo_zone', { zone_to_geo_zone_id: z.zoneToGeoZoneId, country_id: z.countryId, zone_id: z.zoneId, geo_zone_id: z.geoZoneId, ...dates });
  }
  for (const c of TAX_CLASSES) add('tax_class', { tax_class_id: c.taxClassId, title: stored(c.title), description: stored(c.description), ...dates });
  for (const r of TAX_RATES) {
    add('tax_rate', { tax_rate_id: r.taxRateId, geo_zone_id: r.geoZoneId, name: stored(r.name), rate: r.rate.toFixed(4), type: r.type, ...dates });
    for (const g of r.customerGroupIds) add('tax_rate_to_customer_group', { tax_rate_id: r.taxRateId, customer_group_id: g });
  }
  for (const r of TAX_RULES) {
    add('tax_rule', { tax_rule_id: r.taxRuleId, tax_class_id: r.taxClassId, tax_rate_id: r.taxRateId, based: r.based, priority: r.priority });
  }
  for (const c of CURRENCIES) {
    add('currency', {
      currency_id: c.currencyId,
      title: c.title,
      code: c.code,
      symbol_left: c.left,
      symbol_right: c.right,
      decimal_place: c.code === 'JPY' ? 0 : 2,
      value: c.value.toFixed(8),
      status: c.status,
      date_modified: created,
    });
  }
  for (const g of CUSTOMER_GROUPS) {
    add('customer_group', { customer_group_id: g.customerGroupId, approval: 0, sort_order: g.customerGroupId });
    add('customer_group_description', { customer_group_id: g.customerGroupId, language_id: LANGUAGE_ID, name: stored(g.name), description: stored(g.description) });
  }
  for (const [name, id] of Object.entries(ORDER_STATUSES)) add('order_status', { order_status_id: id, language_id: LANGUAGE_ID, name });
  for (const s of RETURN_STATUSES) add('return_status', { return_status_id: s.id, language_id: LANGUAGE_ID, name: s.name });
  for (const s of RETURN_ACTIONS) add('return_action', { return_action_id: s.id, language_id: LANGUAGE_ID, name: s.name });
  for (const s of RETURN_REASONS) add('return_reason', { return_reason_id: s.id, language_id: LANGUAGE_ID, name: stored(s.name) });
  add('store', { store_id: OUTLET.storeId, name: stored(OUTLET.name), url: OUTLET.url, ...(v3 ? { ssl: OUTLET.url } : {}) });
  addSettings(version, add, stored);
  addExtensions(version, add);

  // Catalogue.
  for (const o of OPTIONS) {
    add('option', { option_id: o.optionId, type: o.type, sort_order: o.optionId, ...(v3 ? {} : { validation: '' }) });
    add('option_description', { option_id: o.optionId, language_id: LANGUAGE_ID, name: stored(o.name) });
    for (const value of o.values) {
      add('option_value', { option_value_id: value.optionValueId, option_id: o.optionId, image: '', sort_order: value.optionValueId });
      add('option_value_description', { option_value_id: value.optionValueId, language_id: LANGUAGE_ID, option_id: o.optionId, name: stored(value.name) });
    }
  }
  let productOptionId = 0;
  let productOptionValueId = 0;
  // product_option ids per product and option; product_option_value ids per option value.
  const productOptions = new Map<string, { productOptionId: number; values: Map<number, number> }>();
  PRODUCTS.forEach((p, index) => {
    const productId = index + 1;
    const addedMs = START_MS - (60 - index) * 24 * HOUR_MS;
    add('product', {
      product_id: productId,
      model: p.model,
      sku: index % 5 === 4 ? '' : `KC-${1000 + productId * 7}`,
      upc: '',
      ean: '',
      jan: '',
      isbn: '',
      mpn: '',
      location: '',
      quantity: index === 12 ? -2 : rng.int(0, 400),
      stock_status_id: 7,
      image: `catalog/sample/${p.model.toLowerCase()}.jpg`,
      manufacturer_id: 0,
      shipping: p.shipping ? 1 : 0,
      price: p.price,
      points: p.points,
      tax_class_id: p.taxClassId,
      date_available: sqlDate(addedMs).slice(0, 10),
      weight: '1.00000000',
      weight_class_id: 1,
      length_class_id: 1,
      subtract: 1,
      minimum: 1,
      sort_order: 0,
      status: index === 37 ? 0 : 1,
      date_added: sqlDate(addedMs),
      date_modified: sqlDate(addedMs),
      ...(v3 ? { viewed: rng.int(0, 900) } : { master_id: 0, variant: '', override: '', rating: 0 }),
    });
    add('product_description', {
      product_id: productId,
      language_id: LANGUAGE_ID,
      name: stored(p.name),
      description: stored(`<p>${p.name}: made to last & priced fairly.</p>`),
      tag: '',
      meta_title: stored(p.name),
      meta_description: '',
      meta_keyword: '',
    });
    for (const optionId of p.options) {
      const option = OPTIONS.find((o) => o.optionId === optionId)!;
      productOptionId += 1;
      add('product_option', { product_option_id: productOptionId, product_id: productId, option_id: optionId, value: '', required: option.type === 'select' || option.type === 'radio' ? 1 : 0 });
      const values = new Map<number, number>();
      for (const value of option.values) {
        productOptionValueId += 1;
        const [prefix, price] = OPTION_PRICES[value.optionValueId];
        add('product_option_value', {
          product_option_value_id: productOptionValueId,
          product_option_id: productOptionId,
          product_id: productId,
          option_id: optionId,
          option_value_id: value.optionValueId,
          quantity: 100,
          subtract: 0,
          price,
          price_prefix: prefix,
          points: 0,
          points_prefix: '+',
          weight: '0.00000000',
          weight_prefix: '+',
        });
        values.set(value.optionValueId, productOptionValueId);
      }
      productOptions.set(`${productId}:${optionId}`, { productOptionId, values });
    }
  });
  for (const c of COUPONS) {
    add('coupon', {
      coupon_id: c.couponId,
      name: stored(c.name),
      code: c.code,
      type: c.type,
      discount: c.discount.toFixed(4),
      logged: c.logged,
      shipping: c.shipping ? 1 : 0,
      total: c.total.toFixed(4),
      date_start: '2025-01-01',
      date_end: '2027-12-31',
      uses_total: 100000,
      uses_customer: 1000,
      status: 1,
      date_added: created,
    });
  }

  // Customers, with addresses, store credit and reward points.
  let addressId = 0;
  let customerTransactionId = 0;
  let customerRewardId = 0;
  const customerCount = Math.max(12, Math.round(options.orders / 5));
  const makeAddress = (customerId: number, firstname: string, lastname: string, country: CountryDef): AddressDef => ({
    addressId: customerId ? ++addressId : 0,
    customerId,
    firstname,
    lastname,
    company: rng.pick(COMPANIES),
    address1: `${rng.int(1, 240)} ${rng.pick(STREETS)}`,
    address2: rng.chance(0.2) ? `Flat ${rng.int(1, 40)}` : '',
    city: rng.pick(CITIES[country.countryId]),
    postcode: country.iso2 === 'GB' ? `SW${rng.int(1, 20)} ${rng.int(1, 9)}AB` : String(rng.int(10000, 99999)),
    country,
    zone: rng.pick(country.zones),
  });
  const pickCountry = (): CountryDef =>
    rng.weighted(COUNTRIES.map((c) => [c, ({ GB: 45, US: 20, DE: 10, FR: 8, IE: 7, JP: 5, NZ: 5 } as Record<string, number>)[c.iso2] ?? 1] as const));
  const asciiPart = (s: string): string => s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
  const customers: CustomerState[] = [];
  for (let id = 1; id <= customerCount; id++) {
    let firstname = rng.pick(FIRST_NAMES);
    let lastname = rng.pick(LAST_NAMES);
    // Two registered customers share a name (Xero contact names must be unique).
    if (id === 2 || id === 3) [firstname, lastname] = ['Oliver', 'Smith'];
    if (id === 5) firstname = 'Jess 🌸';
    const local = `${asciiPart(firstname)}.${asciiPart(lastname)}`.replace(/^\.|\.$/g, '');
    const email = `${local.length > 1 ? local : 'customer'}${id}@example.${rng.pick(['com', 'co.uk', 'de', 'jp'])}`;
    const groupId = rng.weighted([[1, 70], [2, 15], [3, 15]] as const);
    const country = pickCountry();
    const customer: CustomerState = {
      customerId: id,
      groupId,
      storeId: 0,
      firstname,
      lastname,
      email,
      telephone: `+44 20 7946 ${String(rng.int(0, 9999)).padStart(4, '0')}`,
      addresses: [],
      credit: 0,
      points: 0,
    };
    customer.addresses.push(makeAddress(id, firstname, lastname, country));
    if (rng.chance(0.3)) customer.addresses.push(makeAddress(id, firstname, lastname, pickCountry()));
    const registeredMs = START_MS - rng.int(1, 60) * 24 * HOUR_MS;
    add('customer', {
      customer_id: id,
      customer_group_id: groupId,
      store_id: 0,
      language_id: LANGUAGE_ID,
      firstname: stored(firstname),
      lastname: stored(lastname),
      email,
      telephone: customer.telephone,
      password: v3 ? 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3' : '$2y$10$sampleStoreHashNotARealPasswordHash.........',
      custom_field: '',
      newsletter: rng.chance(0.3) ? 1 : 0,
      ip: `192.0.2.${id % 250}`,
      status: 1,
      safe: 0,
      token: '',
      code: '',
      date_added: sqlDate(registeredMs),
      ...(v3 ? { fax: '', salt: 'sAmPlE123', cart: null, wishlist: null, address_id: customer.addresses[0].addressId } : { commenter: 0 }),
    });
    customer.addresses.forEach((a, i) => {
      add('address', {
        address_id: a.addressId,
        customer_id: id,
        firstname: stored(a.firstname),
        lastname: stored(a.lastname),
        // The address book keeps 40 characters of the company in 3.x, 60 in 4.x.
        company: stored(a.company).slice(0, v3 ? 40 : 60),
        address_1: stored(a.address1),
        address_2: stored(a.address2),
        city: stored(a.city),
        postcode: a.postcode,
        country_id: a.country.countryId,
        zone_id: a.zone.zoneId,
        custom_field: '',
        ...(v3 ? {} : { default: i === 0 ? 1 : 0 }),
      });
    });
    if (id === 4 || rng.chance(0.12)) {
      customer.credit = id === 4 ? 500 : rng.int(10, 150);
      add('customer_transaction', {
        customer_transaction_id: ++customerTransactionId,
        customer_id: id,
        order_id: 0,
        description: id === 4 ? 'Store credit (covers whole orders)' : 'Goodwill credit for a late delivery',
        amount: customer.credit.toFixed(4),
        date_added: sqlDate(registeredMs + HOUR_MS),
      });
    }
    if (groupId === 3 || rng.chance(0.1)) {
      customer.points = rng.int(5, 30) * 100;
      add('customer_reward', {
        customer_reward_id: ++customerRewardId,
        customer_id: id,
        order_id: 0,
        description: 'Loyalty bonus',
        points: customer.points,
        date_added: sqlDate(registeredMs + HOUR_MS),
      });
    }
    customers.push(customer);
  }

  // Orders.
  const orders: GeneratedOrder[] = [];
  const vouchers: VoucherState[] = [];
  let orderProductId = 0;
  let orderOptionId = 0;
  let orderTotalId = 0;
  let orderHistoryId = 0;
  let returnId = 0;
  let voucherHistoryId = 0;
  const invoiceNo = new Map<number, number>();
  const spacingMs = Math.max(HOUR_MS, Math.floor((365 * 24 * HOUR_MS) / Math.max(1, options.orders)));
  const sharedGuestEmail = 'sam.taylor@example.org';
  const sharedGuestOrders = new Set([Math.min(4, options.orders), Math.min(9, options.orders)]);

  for (let orderId = 1; orderId <= options.orders; orderId++) {
    const addedMs = START_MS + (orderId - 1) * spacingMs + rng.int(0, Math.floor(spacingMs / 2 / 1000)) * 1000;
    const storeId = rng.chance(0.08) ? OUTLET.storeId : 0;
    const sharedGuest = sharedGuestOrders.has(orderId) && orderId <= options.orders;
    const customer = !sharedGuest && rng.chance(0.62) ? rng.pick(customers) : null;
    let firstname: string;
    let lastname: string;
    let email: string;
    let address: AddressDef;
    if (customer) {
      ({ firstname, lastname, email } = customer);
      address = rng.pick(customer.addresses);
    } else if (sharedGuest) {
      // One guest email under two different names.
      [firstname, lastname] = orderId === Math.min(4, options.orders) ? ['Sam', 'Taylor'] : ['Samantha', 'Taylor-Reed'];
      email = sharedGuestEmail;
      address = makeAddress(0, firstname, lastname, COUNTRIES[0]);
    } else {
      firstname = rng.pick(FIRST_NAMES);
      lastname = rng.pick(LAST_NAMES);
      email = `guest${orderId}.${asciiPart(lastname) || 'buyer'}@example.net`;
      address = makeAddress(0, firstname, lastname, pickCountry());
    }
    const groupId = customer?.groupId ?? 1;

    // Cart.
    const voucherOnly = v3 && rng.chance(0.02);
    const lineCount = voucherOnly ? 0 : rng.weighted([[1, 45], [2, 30], [3, 15], [4, 10]] as const);
    const chosen = rng.sample(PRODUCTS.map((p, i) => ({ ...p, productId: i + 1 })), lineCount);
    const cart = chosen.map((p) => {
      const quantity = rng.chance(0.05) ? rng.int(10, 100) : rng.weighted([[1, 70], [2, 20], [3, 10]] as const);
      const chosenOptions: Array<{ productOptionId: number; productOptionValueId: number; name: string; value: string; type: string; price: number }> = [];
      for (const optionId of p.options) {
        const option = OPTIONS.find((o) => o.optionId === optionId)!;
        const po = productOptions.get(`${p.productId}:${optionId}`)!;
        if (option.type === 'select' || option.type === 'radio' || (option.type === 'checkbox' && rng.chance(0.5))) {
          const value = rng.pick(option.values);
          const [prefix, price] = OPTION_PRICES[value.optionValueId];
          chosenOptions.push({
            productOptionId: po.productOptionId,
            productOptionValueId: po.values.get(value.optionValueId)!,
            name: stored(option.name),
            value: stored(value.name),
            type: option.type,
            price: prefix === '-' ? -Number(price) : Number(price),
          });
        } else if (option.type === 'text' && rng.chance(0.5)) {
          chosenOptions.push({ productOptionId: po.productOptionId, productOptionValueId: 0, name: stored(option.name), value: stored(rng.pick(['For Mum & Dad', 'Für Elise', '"Best Boss"', 'ありがとう'])), type: 'text', price: 0 });
        } else if (option.type === 'date' && rng.chance(0.3)) {
          chosenOptions.push({ productOptionId: po.productOptionId, productOptionValueId: 0, name: stored(option.name), value: sqlDate(addedMs + 7 * 24 * HOUR_MS).slice(0, 10), type: 'date', price: 0 });
        }
      }
      return { product: p, quantity, options: chosenOptions };
    });
    const vouchersBought = v3 && (voucherOnly || rng.chance(0.02)) ? [rng.pick([25, 50, 100])] : [];
    const shippable = cart.some((l) => l.product.shipping);
    let cartSubTotal = 0;
    for (const l of cart) cartSubTotal += Number(l.product.price) * l.quantity;

    // Shipping, payment address and the taxes they decide.
    let shippingKey: ShippingKey | null = null;
    if (shippable) {
      shippingKey =
        cartSubTotal >= FREE_SHIPPING_MIN
          ? rng.weighted([['free', 60], ['flat', 25], ['pickup', 15]] as const)
          : rng.weighted([['flat', 75], ['pickup', 25]] as const);
    }
    const storefront = !v3 && rng.chance(0.06);
    const place: Place = { countryId: address.country.countryId, zoneId: address.zone.zoneId };
    const taxRates = resolveTaxRates({
      rules: TAX_RULES,
      rates: TAX_RATES,
      zoneToGeoZone: ZONE_TO_GEO_ZONE,
      customerGroupId: groupId,
      shipping: shippable ? place : null,
      payment: storefront ? null : place,
      store: STORE_PLACE,
      taxDefault: 'shipping',
    });

    // Discounts the customer asks for.
    let coupon: CouponInput | null = null;
    if (lineCount > 0 && rng.chance(0.14)) {
      const c = rng.pick(COUPONS.filter((k) => (!k.logged || customer) && cartSubTotal >= k.total));
      if (c) coupon = { code: c.code, type: c.type, discount: c.discount, shipping: c.shipping };
    }
    let pointsTotal = 0;
    for (const l of cart) pointsTotal += l.product.points * l.quantity;
    let rewardPoints = 0;
    if (customer && customer.points > 0 && pointsTotal > 0 && rng.chance(0.45)) {
      const max = Math.min(customer.points, pointsTotal);
      rewardPoints = rng.int(Math.max(1, Math.floor(max / 4)), max);
    }
    let voucher: VoucherState | null = null;
    if (v3 && rng.chance(0.4)) voucher = vouchers.find((v) => v.balance > 0.00005 && v.usableFromMs <= addedMs) ?? null;

    const shippingInput: ShippingInput | null = shippingKey ? { ...SHIPPINGS[shippingKey] } : null;
    const calc = calculateOrder({
      version,
      lines: cart.map((l) => ({
        basePrice: Number(l.product.price),
        optionPrices: l.options.map((o) => o.price),
        quantity: l.quantity,
        taxClassId: l.product.taxClassId,
        points: l.product.points * l.quantity,
      })),
      taxRates,
      shipping: shippingInput,
      coupon,
      rewardPoints,
      creditBalance: customer?.credit ?? 0,
      voucher: voucher ? { code: voucher.code, balance: voucher.balance } : null,
      vouchersBought,
    });

    const zeroTotal = calc.total === '0.0000';
    const paymentCode: PaymentCode = zeroTotal
      ? 'free_checkout'
      : rng.weighted([['cod', shippable ? 35 : 0], ['bank_transfer', 35], ['cheque', 30]] as const);
    const payment = PAYMENTS[paymentCode];

    // Status path and history.
    const finalStatus = zeroTotal
      ? rng.weighted([['Complete', 80], ['Processing', 10], ['Canceled', 10]] as const)
      : rng.weighted([
          ['Complete', 40], ['Shipped', 10], ['Processing', 8], ['Pending', 8], ['Canceled', 6], ['Refunded', 5],
          ['Reversed', 3], ['Voided', 3], ['Denied', 3], ['Failed', 4], ['missing', 2],
        ] as const);
    const path: string[] = {
      Complete: shippable ? ['Pending', 'Processing', 'Shipped', 'Complete'] : ['Pending', 'Processing', 'Complete'],
      Shipped: shippable ? ['Pending', 'Processing', 'Shipped'] : ['Pending', 'Processing'],
      Processing: ['Pending', 'Processing'],
      Pending: ['Pending'],
      Canceled: rng.chance(0.5) ? ['Pending', 'Canceled'] : ['Pending', 'Processing', 'Canceled'],
      Refunded: ['Pending', 'Processing', 'Complete', 'Refunded'],
      Reversed: ['Pending', 'Processing', 'Complete', 'Reversed'],
      Voided: ['Pending', 'Voided'],
      Denied: ['Denied'],
      Failed: ['Failed'],
      missing: [],
    }[finalStatus];
    const statusIds = path.map((s) => ORDER_STATUSES[s]);
    let historyMs = addedMs;
    for (const [i, statusId] of statusIds.entries()) {
      if (i > 0) historyMs += rng.int(1, 72) * HOUR_MS + rng.int(0, 3599) * 1000;
      add('order_history', {
        order_history_id: ++orderHistoryId,
        order_id: orderId,
        order_status_id: statusId,
        notify: i === 0 ? 0 : rng.chance(0.6) ? 1 : 0,
        comment: i === 0 ? '' : rng.pick(['', '', 'Dispatched with Royal Mail, tracking RM123456789GB.', 'Payment received – thank you!', 'Customer asked to cancel & refund.']),
        date_added: sqlDate(historyMs),
      });
    }
    const dateModified = sqlDate(historyMs);
    const orderStatusId = statusIds.length ? statusIds[statusIds.length - 1] : 0;
    // Balances are spent when the order is confirmed; denied, failed and missing orders never were.
    const confirmed = statusIds.length > 0 && !['Denied', 'Failed'].includes(path[0]);

    // Order rows.
    const currencyCode =
      address.country.iso2 === 'GB' ? rng.weighted([['GBP', 60], ['USD', 40]] as const)
      : ['DE', 'FR', 'IE'].includes(address.country.iso2) ? rng.weighted([['EUR', 70], ['USD', 30]] as const)
      : 'USD';
    const currency = CURRENCIES.find((c) => c.code === currencyCode)!;
    // Rates drift over the year as OpenCart's currency auto-update refreshes them.
    const currencyValue = currencyCode === 'USD' ? '1.00000000' : (currency.value * (1 + 0.03 * Math.sin(orderId / 17))).toFixed(8);
    const addressColumns = (kind: 'payment' | 'shipping', a: AddressDef | null): Row => ({
      [`${kind}_firstname`]: a ? stored(a.firstname) : '',
      [`${kind}_lastname`]: a ? stored(a.lastname) : '',
      // order.*_company is varchar(60): longer names are cut (as MySQL does in non-strict mode).
      [`${kind}_company`]: a ? stored(a.company).slice(0, 60) : '',
      [`${kind}_address_1`]: a ? stored(a.address1) : '',
      [`${kind}_address_2`]: a ? stored(a.address2) : '',
      [`${kind}_city`]: a ? stored(a.city) : '',
      [`${kind}_postcode`]: a ? a.postcode : '',
      [`${kind}_country`]: a ? stored(a.country.name) : '',
      [`${kind}_country_id`]: a ? a.country.countryId : 0,
      [`${kind}_zone`]: a ? stored(a.zone.name) : '',
      [`${kind}_zone_id`]: a ? a.zone.zoneId : 0,
      [`${kind}_address_format`]: a && (v3 || !storefront) ? ADDRESS_FORMAT : '',
      [`${kind}_custom_field`]: '[]',
      ...(v3 ? {} : { [`${kind}_address_id`]: a && customer && !storefront ? a.addressId : 0 }),
    });
    const paymentAddress = storefront ? null : address;
    const shippingAddress = shippable ? address : null;
    let invoice = 0;
    if (['Complete', 'Shipped', 'Refunded'].includes(finalStatus) && rng.chance(0.5)) {
      invoice = (invoiceNo.get(storeId) ?? 0) + 1;
      invoiceNo.set(storeId, invoice);
    }
    const shippingJson = (key: ShippingKey): string => {
      const s = SHIPPINGS[key];
      const text = currencyCode === 'USD' ? `$${s.cost.toFixed(2)}` : '';
      return storefront
        ? JSON.stringify({ code: s.code, name: s.title, cost: s.cost.toFixed(2), tax_class_id: String(s.taxClassId), text })
        : JSON.stringify({ name: s.title, code: s.code, cost: s.cost, tax_class_id: s.taxClassId, text });
    };
    add('order', {
      order_id: orderId,
      invoice_no: invoice,
      invoice_prefix: `INV-${new Date(addedMs).getUTCFullYear()}-00`,
      store_id: storeId,
      store_name: stored(storeId ? OUTLET.name : STORE_NAME),
      store_url: storeId ? OUTLET.url : STORE_URL,
      customer_id: customer?.customerId ?? 0,
      customer_group_id: groupId,
      firstname: stored(firstname),
      lastname: stored(lastname),
      email,
      telephone: customer?.telephone ?? `+1 555 01${String(orderId % 100).padStart(2, '0')}`,
      custom_field: '[]',
      ...addressColumns('payment', paymentAddress),
      ...addressColumns('shipping', shippingAddress),
      ...(v3
        ? {
            fax: '',
            payment_method: payment.name,
            payment_code: payment.code,
            shipping_method: shippingKey ? SHIPPINGS[shippingKey].title : '',
            shipping_code: shippingKey ? SHIPPINGS[shippingKey].code : '',
          }
        : {
            subscription_id: 0,
            payment_method: storefront
              ? JSON.stringify({ code: `${payment.code}.${payment.code}`, name: payment.name })
              : JSON.stringify({ name: payment.name, code: `${payment.code}.${payment.code}` }),
            shipping_method: shippingKey ? shippingJson(shippingKey) : '',
            language_code: 'en-gb',
            transaction_id: '',
          }),
      comment: stored(rng.pick(COMMENTS)),
      total: calc.total,
      order_status_id: orderStatusId,
      affiliate_id: 0,
      commission: '0.0000',
      marketing_id: 0,
      tracking: '',
      language_id: LANGUAGE_ID,
      currency_id: currency.currencyId,
      currency_code: currencyCode,
      currency_value: currencyValue,
      ip: `198.51.100.${orderId % 250}`,
      forwarded_ip: '',
      user_agent: 'Mozilla/5.0 (sample-store)',
      accept_language: 'en-GB,en;q=0.9',
      date_added: sqlDate(addedMs),
      date_modified: dateModified,
    });

    const lines: GeneratedOrderLine[] = cart.map((l, i) => {
      const id = ++orderProductId;
      const line: GeneratedOrderLine = {
        orderProductId: id,
        productId: l.product.productId,
        name: stored(l.product.name),
        model: l.product.model,
        quantity: l.quantity,
        price: calc.lines[i].price,
        total: calc.lines[i].total,
        tax: calc.lines[i].tax,
        reward: l.product.reward * l.quantity,
        options: l.options.map((o) => ({ name: o.name, value: o.value, type: o.type })),
      };
      add('order_product', {
        order_product_id: id,
        order_id: orderId,
        product_id: line.productId,
        name: line.name,
        model: line.model,
        quantity: line.quantity,
        price: line.price,
        total: line.total,
        tax: line.tax,
        reward: line.reward,
        ...(v3 ? {} : { master_id: 0 }),
      });
      for (const o of l.options) {
        add('order_option', {
          order_option_id: ++orderOptionId,
          order_id: orderId,
          order_product_id: id,
          product_option_id: o.productOptionId,
          product_option_value_id: o.productOptionValueId,
          name: o.name,
          value: o.value,
          type: o.type,
        });
      }
      return line;
    });
    for (const t of calc.totals) {
      add('order_total', {
        order_total_id: ++orderTotalId,
        order_id: orderId,
        code: t.code,
        title: stored(t.title),
        value: t.value,
        sort_order: t.sortOrder,
        ...(v3 ? {} : { extension: 'opencart' }),
      });
    }

    // Gift vouchers bought (3.x): usable once this order is complete.
    const bought: GeneratedOrder['vouchersBought'] = [];
    for (const amount of vouchersBought) {
      const voucherId = vouchers.length + 1;
      const code = Array.from({ length: 10 }, () => rng.pick([...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789'])).join('');
      const to = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
      const voucherRow = {
        voucher_id: voucherId,
        order_id: orderId,
        code,
        from_name: stored(`${firstname} ${lastname}`),
        from_email: email,
        to_name: stored(to),
        to_email: `friend${voucherId}@example.org`,
        voucher_theme_id: 8,
        message: stored('Happy birthday! Treat yourself 🎁'),
        amount: amount.toFixed(4),
      };
      add('voucher', { ...voucherRow, status: 1, date_added: sqlDate(addedMs) });
      add('order_voucher', {
        order_voucher_id: voucherId,
        ...voucherRow,
        description: stored(`$${amount.toFixed(2)} Gift Certificate for ${to}`),
      });
      bought.push({ code, amount: amount.toFixed(4) });
      const completeIndex = path.indexOf('Complete');
      vouchers.push({ voucherId, code, amount, balance: amount, usableFromMs: completeIndex >= 0 && finalStatus === 'Complete' ? historyMs : Infinity });
    }

    // Balances spent by this order.
    if (confirmed) {
      if (customer && calc.applied.credit > 0) {
        customer.credit -= calc.applied.credit;
        add('customer_transaction', {
          customer_transaction_id: ++customerTransactionId,
          customer_id: customer.customerId,
          order_id: orderId,
          description: `Order ID: #${orderId}`,
          amount: phpStoredDecimal(-calc.applied.credit),
          date_added: sqlDate(addedMs),
        });
      }
      if (customer && rewardPoints > 0) {
        customer.points -= rewardPoints;
        add('customer_reward', { customer_reward_id: ++customerRewardId, customer_id: customer.customerId, order_id: orderId, description: `Order ID: #${orderId}`, points: -rewardPoints, date_added: sqlDate(addedMs) });
      }
      if (voucher && calc.applied.voucher > 0) {
        voucher.balance -= calc.applied.voucher;
        add('voucher_history', { voucher_history_id: ++voucherHistoryId, voucher_id: voucher.voucherId, order_id: orderId, amount: phpStoredDecimal(-calc.applied.voucher), date_added: sqlDate(addedMs) });
      }
    }
    // Points earned are granted when the order completes.
    const earned = lines.reduce((sum, l) => sum + l.reward, 0);
    if (customer && finalStatus === 'Complete' && earned > 0) {
      customer.points += earned;
      add('customer_reward', { customer_reward_id: ++customerRewardId, customer_id: customer.customerId, order_id: orderId, description: `Order ID: #${orderId}`, points: earned, date_added: dateModified });
    }

    // A few returns of delivered goods.
    if (lines.length > 0 && ['Complete', 'Shipped', 'Refunded'].includes(finalStatus) && rng.chance(0.07)) {
      const line = lines[0];
      add('return', {
        return_id: ++returnId,
        order_id: orderId,
        product_id: line.productId,
        customer_id: customer?.customerId ?? 0,
        firstname: stored(firstname),
        lastname: stored(lastname),
        email,
        telephone: customer?.telephone ?? '',
        product: line.name,
        model: line.model,
        quantity: rng.int(1, line.quantity),
        opened: rng.chance(0.5) ? 1 : 0,
        return_reason_id: rng.pick(RETURN_REASONS).id,
        return_action_id: rng.chance(0.7) ? rng.pick(RETURN_ACTIONS).id : 0,
        return_status_id: rng.pick(RETURN_STATUSES).id,
        comment: stored(rng.pick(['', 'Arrived broken – box crushed.', 'Wrong size, please exchange.'])),
        date_ordered: sqlDate(addedMs).slice(0, 10),
        date_added: dateModified,
        date_modified: dateModified,
      });
    }

    orders.push({
      orderId,
      storeId,
      customerId: customer?.customerId ?? 0,
      email,
      currencyCode,
      currencyValue,
      orderStatusId,
      total: calc.total,
      paymentCode: v3 ? payment.code : `${payment.code}.${payment.code}`,
      shippingCode: shippingKey ? SHIPPINGS[shippingKey].code : null,
      hasPaymentAddress: paymentAddress !== null,
      lines,
      totals: calc.totals.map((t) => ({ ...t, title: stored(t.title) })),
      vouchersBought: bought,
      history: statusIds,
      dateModified,
    });
  }

  // After the orders: prices went up on two products and one ordered product was deleted, so
  // order lines keep what was charged and one names a product that no longer exists.
  const productRows = tables.product;
  for (const productId of [4, 9]) {
    const row = productRows.find((r) => r.product_id === productId)!;
    row.price = (Number(row.price) * 1.1).toFixed(4);
  }
  const deletedId = 8;
  tables.product = productRows.filter((r) => r.product_id !== deletedId);
  tables.product_description = tables.product_description.filter((r) => r.product_id !== deletedId);
  tables.product_option = (tables.product_option ?? []).filter((r) => r.product_id !== deletedId);
  tables.product_option_value = (tables.product_option_value ?? []).filter((r) => r.product_id !== deletedId);

  return { version, tables, orders };
}

function addSettings(version: OpenCartVersion, add: (table: string, row: Row) => void, stored: (s: string) => string): void {
  const v3 = version === '3';
  let settingId = 0;
  const set = (code: string, key: string, value: string | string[], storeId = 0): void => {
    const serialized = Array.isArray(value);
    add('setting', { setting_id: ++settingId, store_id: storeId, code, key, value: serialized ? JSON.stringify(value) : value, serialized: serialized ? 1 : 0 });
  };
  // Marks the database as ours, so a rebuild may replace it (OpenCart ignores unknown keys).
  set('config', SAMPLE_STORE_MARKER_KEY, `built by oc-sample-store for OpenCart ${version}.x`);
  set('config', 'config_name', stored(STORE_NAME));
  set('config', 'config_owner', stored('Kettle & Crumb Ltd'));
  set('config', 'config_address', stored('1 Market Square, London'));
  set('config', 'config_email', 'shop@example.com');
  set('config', 'config_telephone', '+44 20 7946 0000');
  set('config', 'config_meta_title', stored(STORE_NAME));
  set('config', 'config_url', STORE_URL);
  set('config', 'config_country_id', String(STORE_PLACE.countryId));
  set('config', 'config_zone_id', String(STORE_PLACE.zoneId));
  if (v3) {
    set('config', 'config_language', 'en-gb');
    set('config', 'config_admin_language', 'en-gb');
  } else {
    set('config', 'config_language_catalog', 'en-gb');
    set('config', 'config_language_admin', 'en-gb');
  }
  set('config', 'config_currency', 'USD');
  set('config', 'config_currency_auto', '1');
  set('config', 'config_tax', '1');
  set('config', 'config_tax_default', 'shipping');
  set('config', 'config_tax_customer', 'shipping');
  set('config', 'config_customer_group_id', '1');
  set('config', 'config_customer_group_display', ['1', '2', '3']);
  set('config', 'config_invoice_prefix', 'INV-2025-00');
  set('config', 'config_order_status_id', '1');
  set('config', 'config_processing_status', ['5', '1', '2', '12', '3']);
  set('config', 'config_complete_status', ['5', '3']);
  set('config', 'config_fraud_status_id', '8');
  set('config', 'config_checkout_payment_address', v3 ? '1' : '0');
  set('config', 'config_name', stored(OUTLET.name), OUTLET.storeId);
  set('config', 'config_url', OUTLET.url, OUTLET.storeId);
  const sort: Record<string, number> = { sub_total: 1, reward: 2, shipping: 3, coupon: 4, tax: 5, credit: 7, voucher: 8, total: 9 };
  for (const [code, order] of Object.entries(sort)) {
    if (code === 'voucher' && !v3) continue;
    set(`total_${code}`, `total_${code}_status`, '1');
    set(`total_${code}`, `total_${code}_sort_order`, String(order));
  }
  for (const [code, order] of [['free_checkout', 1], ['bank_transfer', 2], ['cheque', 3], ['cod', 5]] as const) {
    set(`payment_${code}`, `payment_${code}_status`, '1');
    set(`payment_${code}`, `payment_${code}_sort_order`, String(order));
    set(`payment_${code}`, `payment_${code}_order_status_id`, '1');
    set(`payment_${code}`, `payment_${code}_geo_zone_id`, '0');
  }
  set('payment_bank_transfer', v3 ? 'payment_bank_transfer_bank1' : 'payment_bank_transfer_bank_1', 'Sample Bank plc\nIBAN: GB00SAMP00000000000000');
  set('payment_cheque', 'payment_cheque_payable', stored('Kettle & Crumb Ltd'));
  set('shipping_flat', 'shipping_flat_status', '1');
  set('shipping_flat', 'shipping_flat_cost', FLAT_COST.toFixed(2));
  set('shipping_flat', 'shipping_flat_tax_class_id', String(FLAT_TAX_CLASS));
  set('shipping_flat', 'shipping_flat_geo_zone_id', '0');
  set('shipping_flat', 'shipping_flat_sort_order', '1');
  set('shipping_free', 'shipping_free_status', '1');
  set('shipping_free', 'shipping_free_total', String(FREE_SHIPPING_MIN));
  set('shipping_free', 'shipping_free_geo_zone_id', '0');
  set('shipping_free', 'shipping_free_sort_order', '2');
  set('shipping_pickup', 'shipping_pickup_status', '1');
  set('shipping_pickup', 'shipping_pickup_geo_zone_id', '0');
  set('shipping_pickup', 'shipping_pickup_sort_order', '3');
}

function addExtensions(version: OpenCartVersion, add: (table: string, row: Row) => void): void {
  const entries: Array<[string, string]> = [
    ['payment', 'cod'],
    ['payment', 'free_checkout'],
    ['payment', 'bank_transfer'],
    ['payment', 'cheque'],
    ['shipping', 'flat'],
    ['shipping', 'free'],
    ['shipping', 'pickup'],
    ['total', 'sub_total'],
    ['total', 'shipping'],
    ['total', 'tax'],
    ['total', 'coupon'],
    ['total', 'credit'],
    ['total', 'reward'],
    ['total', 'total'],
    ...(version === '3' ? ([['total', 'voucher']] as Array<[string, string]>) : []),
  ];
  entries.forEach(([type, code], i) => add('extension', { extension_id: i + 1, type, code, ...(version === '4' ? { extension: 'opencart' } : {}) }));
}
