/**
 * The OpenCart port: what sync-core needs from a store, as plain data.
 * Implemented by packages/opencart-db. Amounts are decimal strings exactly as OpenCart stores them
 * (4 dp, in the store's DEFAULT currency unless a field says otherwise); text is already
 * HTML-decoded; dates are 'YYYY-MM-DD HH:MM:SS' in the store database's own clock.
 */

/** Which OpenCart schema a store has, detected from its tables. */
export type OpenCartVersion = '3' | '4';

/** Position in the keyset order (date_modified, order_id) of changed orders. */
export interface OrderCursor {
  /** date_modified of the last order already seen. */
  dateModified: string;
  /** order_id of the last order already seen (tie-breaker within one date_modified). */
  orderId: number;
}

/** A postal address as OpenCart keeps it on an order or a customer. */
export interface OcAddress {
  /** Given name. */
  firstname: string;
  /** Family name. */
  lastname: string;
  /** Company (OpenCart cuts it to 60 characters). */
  company: string;
  /** First address line. */
  address1: string;
  /** Second address line. */
  address2: string;
  /** Town or city. */
  city: string;
  /** Postal code. */
  postcode: string;
  /** Country name as stored on the order (may be empty). */
  country: string;
  /** ISO 3166-1 alpha-2 code of the country, '' when unknown. */
  countryIsoCode2: string;
  /** Region / zone name. */
  zone: string;
  /** Region / zone code. */
  zoneCode: string;
}

/** A chosen product option on an order line. */
export interface OcOrderOption {
  /** Option name, e.g. "Size". */
  name: string;
  /** Chosen value, e.g. "Large" (for a file option, the uploaded file's name). */
  value: string;
  /** OpenCart option type: select, radio, checkbox, text, file, date, … */
  type: string;
}

/** One product line of an order (oc_order_product). */
export interface OcOrderLine {
  /** oc_order_product.order_product_id. */
  orderProductId: number;
  /** product_id; the product may no longer exist (see productExists). */
  productId: number;
  /** Whether the product row still exists in the catalogue. */
  productExists: boolean;
  /** Product name as ordered. */
  name: string;
  /** Product model as ordered. */
  model: string;
  /** Current SKU of the product ('' when none or the product was deleted). */
  sku: string;
  /** Quantity ordered. */
  quantity: number;
  /** Unit price excluding tax, options included (4 dp, default currency). */
  price: string;
  /** Line total excluding tax = price × quantity (4 dp, default currency). */
  total: string;
  /** Tax PER UNIT, all rates together (4 dp, default currency). */
  taxPerUnit: string;
  /** Reward points earned by this line. */
  reward: number;
  /** Tax class of the product now (0 when none, or the product is gone). */
  taxClassId: number;
  /** Options chosen for this line. */
  options: OcOrderOption[];
}

/** One oc_order_total row. */
export interface OcOrderTotal {
  /** Total code: sub_total, shipping, tax, coupon, voucher, credit, reward, total, or an extension's own. */
  code: string;
  /** Title as shown to the customer, e.g. "VAT (20%)". */
  title: string;
  /** Signed amount (4 dp, default currency); discounts are negative. */
  value: string;
  /** Display order. */
  sortOrder: number;
}

/** A gift voucher BOUGHT in an order (3.x oc_order_voucher); 4.x has none. */
export interface OcOrderVoucher {
  /** oc_order_voucher.order_voucher_id. */
  orderVoucherId: number;
  /** Voucher code issued. */
  code: string;
  /** Description shown on the order. */
  description: string;
  /** Face value (4 dp, default currency). */
  amount: string;
}

/** One entry of the order's status history. */
export interface OcOrderHistory {
  /** Status set by this entry. */
  orderStatusId: number;
  /** Whether the customer was notified. */
  notify: boolean;
  /** Comment entered with the change. */
  comment: string;
  /** When it happened. */
  dateAdded: string;
}

/** A payment or shipping method as recorded on an order. */
export interface OcMethod {
  /** Method code: 3.x payment_code/shipping_code, 4.x the JSON "code" (e.g. cod.cod, flat.flat). */
  code: string;
  /** Name shown to the customer. */
  name: string;
}

/** An order with everything the accounting needs, read in a constant number of queries per page. */
export interface OcOrder {
  /** order_id. */
  orderId: number;
  /** Invoice prefix of the store at order time (e.g. INV-2024-00). */
  invoicePrefix: string;
  /** OpenCart invoice number, 0 when none was generated. */
  invoiceNo: number;
  /** store_id (0 = default store). */
  storeId: number;
  /** Store name on the order. */
  storeName: string;
  /** customer_id, 0 for a guest. */
  customerId: number;
  /** customer_group_id. */
  customerGroupId: number;
  /** Customer given name on the order. */
  firstname: string;
  /** Customer family name on the order. */
  lastname: string;
  /** Customer email on the order. */
  email: string;
  /** Customer telephone on the order. */
  telephone: string;
  /** Payment (billing) address; null when the order has none (4.1 storefront checkout). */
  paymentAddress: OcAddress | null;
  /** Shipping address; null when nothing is shipped. */
  shippingAddress: OcAddress | null;
  /** Payment method; null when none is recorded. */
  paymentMethod: OcMethod | null;
  /** Shipping method; null when nothing is shipped. */
  shippingMethod: OcMethod | null;
  /** Customer comment. */
  comment: string;
  /** Order total (4 dp, default currency). */
  total: string;
  /** Current order_status_id (0 = missing order, never confirmed). */
  orderStatusId: number;
  /** ISO code of the currency the customer paid in. */
  currencyCode: string;
  /** Rate from the default currency to currencyCode at order time (decimal string). */
  currencyValue: string;
  /** language_id the order was placed in. */
  languageId: number;
  /** When the order was placed. */
  dateAdded: string;
  /** When the order last changed (keyset column). */
  dateModified: string;
  /** Product lines. */
  lines: OcOrderLine[];
  /** oc_order_total rows in sort order. */
  totals: OcOrderTotal[];
  /** Gift vouchers bought in this order (3.x only). */
  vouchers: OcOrderVoucher[];
  /** Status history, oldest first. */
  history: OcOrderHistory[];
}

/** A registered customer (oc_customer) with addresses. */
export interface OcCustomer {
  /** customer_id. */
  customerId: number;
  /** customer_group_id. */
  customerGroupId: number;
  /** store_id the customer registered in. */
  storeId: number;
  /** Given name. */
  firstname: string;
  /** Family name. */
  lastname: string;
  /** Email. */
  email: string;
  /** Telephone. */
  telephone: string;
  /** Whether the account is enabled. */
  status: boolean;
  /** When the customer registered. */
  dateAdded: string;
  /** address_id of the default address, 0 when none. */
  defaultAddressId: number;
  /** All the customer's addresses; addressId included. */
  addresses: Array<OcAddress & { addressId: number }>;
}

/** A product's name and description in one language. */
export interface OcProductDescription {
  /** language_id. */
  languageId: number;
  /** Product name. */
  name: string;
  /** Description (HTML decoded once; may still contain markup). */
  description: string;
}

/** A catalogue product (oc_product). */
export interface OcProduct {
  /** product_id. */
  productId: number;
  /** Model (always set in OpenCart). */
  model: string;
  /** SKU ('' when none). */
  sku: string;
  /** Base price excluding tax (4 dp, default currency). */
  price: string;
  /** tax_class_id, 0 when untaxed. */
  taxClassId: number;
  /** Stock quantity (may be negative when oversold). */
  quantity: number;
  /** Whether the product is enabled. */
  status: boolean;
  /** When the product last changed. */
  dateModified: string;
  /** Names and descriptions per language. */
  descriptions: OcProductDescription[];
}

/** The stock of one option value of a product (product_option_value). */
export interface OcOptionValueStock {
  /** product_option_value_id. */
  productOptionValueId: number;
  /** product_id. */
  productId: number;
  /** Stock quantity of this option value. */
  quantity: number;
  /** Price difference of the option value (4 dp, with its prefix applied: '-2.0000'). */
  price: string;
}

/** An order status in one language. */
export interface OcOrderStatus {
  /** order_status_id. */
  orderStatusId: number;
  /** language_id. */
  languageId: number;
  /** Name, e.g. "Complete". */
  name: string;
}

/** A currency of the store. */
export interface OcCurrency {
  /** currency_id. */
  currencyId: number;
  /** ISO code. */
  code: string;
  /** Title. */
  title: string;
  /** Rate from the default currency (decimal string). */
  value: string;
  /** Decimal places shown. */
  decimalPlace: number;
  /** Whether enabled. */
  status: boolean;
  /** Whether this is the store's default currency (config_currency). */
  isDefault: boolean;
}

/** A store (0 = the default store, from settings). */
export interface OcStore {
  /** store_id. */
  storeId: number;
  /** Store name. */
  name: string;
  /** Store URL. */
  url: string;
}

/** A tax class. */
export interface OcTaxClass {
  /** tax_class_id. */
  taxClassId: number;
  /** Title, e.g. "Taxable Goods". */
  title: string;
}

/** A tax rate: a percentage or a fixed amount per unit. */
export interface OcTaxRate {
  /** tax_rate_id. */
  taxRateId: number;
  /** Name, which is also the title of the order_total tax rows it produces. */
  name: string;
  /** Rate: percent for type P, amount in default currency for type F (decimal string). */
  rate: string;
  /** 'P' percentage or 'F' fixed amount. */
  type: 'P' | 'F';
  /** geo_zone_id the rate applies in. */
  geoZoneId: number;
}

/** A tax rule: which rates a class applies, based on which address. */
export interface OcTaxRule {
  /** tax_class_id. */
  taxClassId: number;
  /** tax_rate_id. */
  taxRateId: number;
  /** 'shipping', 'payment' or 'store'. */
  based: string;
  /** Priority. */
  priority: number;
}

/** A payment method known to the store. */
export interface OcPaymentMethod {
  /** Code as it appears on orders (3.x payment_code; 4.x the extension code, e.g. cod). */
  code: string;
  /** Display name (from orders, or the code when never used). */
  name: string;
  /** Whether the extension is installed. */
  installed: boolean;
  /** Whether its status setting is enabled. */
  enabled: boolean;
  /** Number of orders that used it. */
  ordersCount: number;
}

/** A product return (oc_return). */
export interface OcReturn {
  /** return_id. */
  returnId: number;
  /** order_id it belongs to. */
  orderId: number;
  /** product_id returned. */
  productId: number;
  /** Product name. */
  product: string;
  /** Model. */
  model: string;
  /** Quantity returned. */
  quantity: number;
  /** Return action name ('' when none). */
  action: string;
  /** Return status name. */
  status: string;
  /** When the return was created. */
  dateAdded: string;
  /** When it last changed (its status/action set in the admin), store time. */
  dateModified?: string;
}

/** What the adapter found about the store. */
export interface OcStoreInfo {
  /** Detected schema version. */
  version: OpenCartVersion;
  /** Table prefix in use. */
  prefix: string;
  /** ISO code of the default currency (config_currency). */
  defaultCurrency: string;
  /** Admin language id (config_language_id / language code resolved to its id). */
  languageId: number;
}

/** A page of a keyset listing. */
export interface Page<T, C> {
  /** Items of this page, in keyset order. */
  items: T[];
  /** Cursor to pass for the next page; null when this was the last one. */
  next: C | null;
}

/** Reads a store. One page = a constant number of SQL queries, whatever its size. */
export interface OpenCartReader {
  /** Version, prefix and defaults of the store. */
  info(): Promise<OcStoreInfo>;
  /**
   * The store's time zone now (IANA name, OpenCart's config_timezone of store 0; 'UTC' when unset):
   * date_added and date_modified are wall times in it. Read per run, so a change is picked up.
   */
  storeTimeZone(): Promise<string>;
  /** Orders whose status is in statusIds and whose (date_modified, order_id) is after `after`, up to `until` (inclusive). */
  listChangedOrders(query: {
    /** order_status_id values to include. */
    statusIds: number[];
    /** Exclusive lower bound; undefined = from the beginning. */
    after?: OrderCursor;
    /** Inclusive upper bound on date_modified (the run's clock read once). */
    until?: string;
    /** Restrict to these store ids; undefined = all stores. */
    storeIds?: number[];
    /** Only orders added on or after this date ('YYYY-MM-DD'). */
    addedFrom?: string;
    /** Only orders added on or before this date ('YYYY-MM-DD'). */
    addedTo?: string;
    /** Page size. */
    limit: number;
  }): Promise<Page<OcOrder, OrderCursor>>;
  /** How many orders listChangedOrders would list for the same query (without limit): the total of a progress bar. */
  countChangedOrders(query: Omit<Parameters<OpenCartReader['listChangedOrders']>[0], 'limit'>): Promise<number>;
  /** One order by id, null when absent. */
  getOrder(orderId: number): Promise<OcOrder | null>;
  /** Several orders by id (any status), in ascending id order; missing ids are left out. */
  getOrders(orderIds: number[]): Promise<OcOrder[]>;
  /** Registered customers by ascending customer_id after afterId. */
  listCustomers(query: { afterId?: number; limit: number }): Promise<Page<OcCustomer, number>>;
  /** How many registered customers listCustomers pages through. */
  countCustomers(): Promise<number>;
  /** Customers by id; missing ids are left out. */
  getCustomers(customerIds: number[]): Promise<OcCustomer[]>;
  /** Products by ascending product_id after afterId. */
  listProducts(query: { afterId?: number; limit: number }): Promise<Page<OcProduct, number>>;
  /** Products by id; missing ids are left out. */
  getProducts(productIds: number[]): Promise<OcProduct[]>;
  /** Option value stock by product_option_value_id; missing ids are left out (stock of mapped option items). */
  getProductOptionValues?(productOptionValueIds: number[]): Promise<OcOptionValueStock[]>;
  /** Order statuses in every language. */
  listOrderStatuses(): Promise<OcOrderStatus[]>;
  /** Currencies. */
  listCurrencies(): Promise<OcCurrency[]>;
  /** Stores, the default store (id 0) first. */
  listStores(): Promise<OcStore[]>;
  /** Tax classes. */
  listTaxClasses(): Promise<OcTaxClass[]>;
  /** Tax rates. */
  listTaxRates(): Promise<OcTaxRate[]>;
  /** Tax rules. */
  listTaxRules(): Promise<OcTaxRule[]>;
  /** Payment methods installed or used by orders. */
  listPaymentMethods(): Promise<OcPaymentMethod[]>;
  /** Returns by ascending return_id after afterId. */
  listReturns(query: { afterId?: number; limit: number }): Promise<Page<OcReturn, number>>;
}

/** The only writes we ever make to the store's own tables. */
export interface OpenCartWriter {
  /** Set a product's stock quantity (stock sync from Xero). */
  setProductQuantity(productId: number, quantity: number): Promise<void>;
  /** Set an option value's stock quantity (stock sync of option items mapped in optionItemCodes). */
  setProductOptionQuantity?(productOptionValueId: number, quantity: number): Promise<void>;
  /** Add an order history entry and set the order's status (e.g. "paid in Xero"). */
  addOrderHistory(entry: { orderId: number; orderStatusId: number; comment: string; notify: boolean }): Promise<void>;
}
