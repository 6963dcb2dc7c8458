import type {
  OcOptionValueStock,
  OcCurrency,
  OcCustomer,
  OcOrder,
  OcOrderStatus,
  OcPaymentMethod,
  OcProduct,
  OcReturn,
  OcStore,
  OcStoreInfo,
  OcTaxClass,
  OcTaxRate,
  OcTaxRule,
  OpenCartReader,
  OpenCartWriter,
  OrderCursor,
  Page,
} from '../ports/opencart.port';

export interface FakeOpenCartData {
  info: OcStoreInfo;
  orders: OcOrder[];
  customers: OcCustomer[];
  products: OcProduct[];
  statuses: OcOrderStatus[];
  currencies: OcCurrency[];
  stores: OcStore[];
  taxClasses: OcTaxClass[];
  taxRates: OcTaxRate[];
  taxRules: OcTaxRule[];
  paymentMethods: OcPaymentMethod[];
  returns: OcReturn[];
}

const after = (o: { dateModified: string; orderId: number }, c: OrderCursor): boolean =>
  o.dateModified > c.dateModified || (o.dateModified === c.dateModified && o.orderId > c.orderId);

/** An OpenCart store in memory: reader and writer with the port's keyset semantics. */
export class FakeOpenCart implements OpenCartReader, OpenCartWriter {
  readonly data: FakeOpenCartData;
  /** Writes made through the writer, in order. */
  readonly writes: Array<
    | { kind: 'quantity'; productId: number; quantity: number }
    | { kind: 'option-quantity'; productOptionValueId: number; quantity: number }
    | { kind: 'history'; orderId: number; orderStatusId: number }
  > = [];
  /** Reader calls, to check a page costs a constant number of reads. */
  readonly reads: Record<string, number> = {};

  constructor(data: Partial<FakeOpenCartData> & { info: OcStoreInfo }) {
    this.data = {
      orders: [],
      customers: [],
      products: [],
      statuses: [],
      currencies: [],
      stores: [{ storeId: 0, name: 'Your Store', url: 'http://localhost/' }],
      taxClasses: [],
      taxRates: [],
      taxRules: [],
      paymentMethods: [],
      returns: [],
      ...data,
    };
  }

  private count(name: string): void {
    this.reads[name] = (this.reads[name] ?? 0) + 1;
  }
  private clone<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
  }

  /** Test helper: change an order's status as the admin would (date_modified moves). */
  setOrderStatus(orderId: number, orderStatusId: number, dateModified: string): void {
    const order = this.data.orders.find((o) => o.orderId === orderId);
    if (!order) throw new Error(`no order ${orderId}`);
    order.orderStatusId = orderStatusId;
    order.dateModified = dateModified;
  }

  async info(): Promise<OcStoreInfo> {
    this.count('info');
    return { ...this.data.info };
  }

  /** The store's time zone (config_timezone); tests set it. */
  timeZone = 'UTC';

  async storeTimeZone(): Promise<string> {
    this.count('storeTimeZone');
    return this.timeZone;
  }

  async listChangedOrders(query: Parameters<OpenCartReader['listChangedOrders']>[0]): Promise<Page<OcOrder, OrderCursor>> {
    this.count('listChangedOrders');
    const matching = this.changed(query);
    const items = matching.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items: this.clone(items), next: matching.length > items.length && last ? { dateModified: last.dateModified, orderId: last.orderId } : null };
  }

  async countChangedOrders(query: Parameters<OpenCartReader['countChangedOrders']>[0]): Promise<number> {
    this.count('countChangedOrders');
    return this.changed(query).length;
  }

  private changed(query: Parameters<OpenCartReader['countChangedOrders']>[0]): OcOrder[] {
    const statusIds = new Set(query.statusIds);
    return this.data.orders
      .filter((o) => statusIds.has(o.orderStatusId))
      .filter((o) => !query.after || after(o, query.after))
      .filter((o) => !query.until || o.dateModified <= query.until)
      .filter((o) => !query.storeIds || query.storeIds.includes(o.storeId))
      .filter((o) => !query.addedFrom || o.dateAdded.slice(0, 10) >= query.addedFrom)
      .filter((o) => !query.addedTo || o.dateAdded.slice(0, 10) <= query.addedTo)
      .sort((a, b) => (a.dateModified < b.dateModified ? -1 : a.dateModified > b.dateModified ? 1 : a.orderId - b.orderId));
  }

  async getOrder(orderId: number): Promise<OcOrder | null> {
    this.count('getOrder');
    const order = this.data.orders.find((o) => o.orderId === orderId);
    return order ? this.clone(order) : null;
  }

  async getOrders(orderIds: number[]): Promise<OcOrder[]> {
    this.count('getOrders');
    const ids = new Set(orderIds);
    return this.clone(this.data.orders.filter((o) => ids.has(o.orderId)).sort((a, b) => a.orderId - b.orderId));
  }

  private keyset<T>(rows: T[], id: (t: T) => number, query: { afterId?: number; limit: number }): Page<T, number> {
    const sorted = rows.filter((r) => query.afterId === undefined || id(r) > query.afterId).sort((a, b) => id(a) - id(b));
    const items = sorted.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items: this.clone(items), next: sorted.length > items.length && last ? id(last) : null };
  }

  async listCustomers(query: { afterId?: number; limit: number }): Promise<Page<OcCustomer, number>> {
    this.count('listCustomers');
    return this.keyset(this.data.customers, (c) => c.customerId, query);
  }
  async countCustomers(): Promise<number> {
    this.count('countCustomers');
    return this.data.customers.length;
  }
  async getCustomers(customerIds: number[]): Promise<OcCustomer[]> {
    this.count('getCustomers');
    return this.clone(this.data.customers.filter((c) => customerIds.includes(c.customerId)));
  }
  async listProducts(query: { afterId?: number; limit: number }): Promise<Page<OcProduct, number>> {
    this.count('listProducts');
    return this.keyset(this.data.products, (p) => p.productId, query);
  }
  async getProducts(productIds: number[]): Promise<OcProduct[]> {
    this.count('getProducts');
    return this.clone(this.data.products.filter((p) => productIds.includes(p.productId)));
  }
  async listOrderStatuses(): Promise<OcOrderStatus[]> {
    this.count('listOrderStatuses');
    return this.clone(this.data.statuses);
  }
  async listCurrencies(): Promise<OcCurrency[]> {
    this.count('listCurrencies');
    return this.clone(this.data.currencies);
  }
  async listStores(): Promise<OcStore[]> {
    return this.clone(this.data.stores);
  }
  async listTaxClasses(): Promise<OcTaxClass[]> {
    return this.clone(this.data.taxClasses);
  }
  async listTaxRates(): Promise<OcTaxRate[]> {
    this.count('listTaxRates');
    return this.clone(this.data.taxRates);
  }
  async listTaxRules(): Promise<OcTaxRule[]> {
    return this.clone(this.data.taxRules);
  }
  async listPaymentMethods(): Promise<OcPaymentMethod[]> {
    return this.clone(this.data.paymentMethods);
  }
  async listReturns(query: { afterId?: number; limit: number }): Promise<Page<OcReturn, number>> {
    return this.keyset(this.data.returns, (r) => r.returnId, query);
  }

  /** Option value stock (product_option_value), for option items. */
  readonly optionValues: OcOptionValueStock[] = [];
  async getProductOptionValues(ids: number[]): Promise<OcOptionValueStock[]> {
    const wanted = new Set(ids);
    return this.optionValues.filter((v) => wanted.has(v.productOptionValueId)).map((v) => ({ ...v }));
  }
  async setProductOptionQuantity(productOptionValueId: number, quantity: number): Promise<void> {
    const value = this.optionValues.find((v) => v.productOptionValueId === productOptionValueId);
    if (!value) throw new Error(`no option value ${productOptionValueId}`);
    value.quantity = quantity;
    this.writes.push({ kind: 'option-quantity', productOptionValueId, quantity });
  }
  async setProductQuantity(productId: number, quantity: number): Promise<void> {
    const product = this.data.products.find((p) => p.productId === productId);
    if (!product) throw new Error(`no product ${productId}`);
    product.quantity = quantity;
    this.writes.push({ kind: 'quantity', productId, quantity });
  }
  async addOrderHistory(entry: { orderId: number; orderStatusId: number; comment: string; notify: boolean }): Promise<void> {
    const order = this.data.orders.find((o) => o.orderId === entry.orderId);
    if (!order) throw new Error(`no order ${entry.orderId}`);
    order.orderStatusId = entry.orderStatusId;
    order.history.push({ orderStatusId: entry.orderStatusId, notify: entry.notify, comment: entry.comment, dateAdded: order.dateModified });
    this.writes.push({ kind: 'history', orderId: entry.orderId, orderStatusId: entry.orderStatusId });
  }
}
