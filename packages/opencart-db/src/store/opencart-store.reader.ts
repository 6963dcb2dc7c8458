import type {
  OcCurrency,
  OcCustomer,
  OcOrder,
  OcOrderStatus,
  OcPaymentMethod,
  OcOptionValueStock,
  OcProduct,
  OcReturn,
  OcStore,
  OcStoreInfo,
  OcTaxClass,
  OcTaxRate,
  OcTaxRule,
  OpenCartReader,
  OrderCursor,
  Page,
} from '@oc-xero/sync-core';
import type { DataSource } from 'typeorm';
import { OpenCartCatalogRepository } from './opencart-catalog.repository';
import { OpenCartOrderRepository, type ChangedOrdersQuery, type Sql } from './opencart-order.repository';
import { readStoreTimeZone } from './opencart-store.clock';
import type { OpenCartSchema } from './opencart-schema.detector';
import { OpenCartSetupRepository } from './opencart-setup.repository';
import { storeError } from './opencart-store.errors';
import type { StoreLogger } from './opencart-store.logger';

/**
 * The read side of the OpenCart port. A page is read on ONE connection inside a read-only
 * transaction, so on InnoDB (4.x) an order edited meanwhile is seen whole, never half-rewritten.
 * (3.x ships MyISAM tables, which have no snapshots; OpenCart itself gives no better there.)
 */
export class OpenCartStoreReader implements OpenCartReader {
  private readonly orders: OpenCartOrderRepository;
  private readonly catalog: OpenCartCatalogRepository;
  private readonly setup: OpenCartSetupRepository;

  constructor(
    private readonly ds: DataSource,
    readonly schema: OpenCartSchema,
    private readonly storeInfo: OcStoreInfo,
    private readonly settings: Map<string, string>,
    logger?: StoreLogger,
  ) {
    this.orders = new OpenCartOrderRepository(schema, logger);
    this.catalog = new OpenCartCatalogRepository(schema, storeInfo.languageId);
    this.setup = new OpenCartSetupRepository(schema);
  }

  async info(): Promise<OcStoreInfo> {
    return { ...this.storeInfo };
  }

  listChangedOrders(query: ChangedOrdersQuery): Promise<Page<OcOrder, OrderCursor>> {
    return this.snapshot('reading changed orders', (sql) => this.orders.listChanged(sql, query));
  }

  storeTimeZone(): Promise<string> {
    return this.snapshot('reading the store time zone', (sql) => readStoreTimeZone(sql, this.schema));
  }

  countChangedOrders(query: Omit<ChangedOrdersQuery, 'limit'>): Promise<number> {
    return this.snapshot('counting changed orders', (sql) => this.orders.countChanged(sql, query));
  }

  async getOrder(orderId: number): Promise<OcOrder | null> {
    const [order] = await this.getOrders([orderId]);
    return order ?? null;
  }

  getOrders(orderIds: number[]): Promise<OcOrder[]> {
    return this.snapshot('reading orders by id', (sql) => this.orders.byIds(sql, orderIds));
  }

  listCustomers(query: { afterId?: number; limit: number }): Promise<Page<OcCustomer, number>> {
    return this.snapshot('reading customers', (sql) => this.catalog.listCustomers(sql, query));
  }

  countCustomers(): Promise<number> {
    return this.snapshot('counting customers', (sql) => this.catalog.countCustomers(sql));
  }

  getCustomers(customerIds: number[]): Promise<OcCustomer[]> {
    return this.snapshot('reading customers by id', (sql) => this.catalog.customersByIds(sql, customerIds));
  }

  listProducts(query: { afterId?: number; limit: number }): Promise<Page<OcProduct, number>> {
    return this.snapshot('reading products', (sql) => this.catalog.listProducts(sql, query));
  }

  getProducts(productIds: number[]): Promise<OcProduct[]> {
    return this.snapshot('reading products by id', (sql) => this.catalog.productsByIds(sql, productIds));
  }

  getProductOptionValues(productOptionValueIds: number[]): Promise<OcOptionValueStock[]> {
    return this.snapshot('reading option stock', (sql) => this.catalog.optionValuesByIds(sql, productOptionValueIds));
  }

  listOrderStatuses(): Promise<OcOrderStatus[]> {
    return this.plain('reading order statuses', (sql) => this.setup.listOrderStatuses(sql));
  }

  listCurrencies(): Promise<OcCurrency[]> {
    return this.plain('reading currencies', (sql) =>
      this.setup.listCurrencies(sql, this.storeInfo.defaultCurrency),
    );
  }

  listStores(): Promise<OcStore[]> {
    return this.plain('reading stores', (sql) => this.setup.listStores(sql, this.settings));
  }

  listTaxClasses(): Promise<OcTaxClass[]> {
    return this.plain('reading tax classes', (sql) => this.setup.listTaxClasses(sql));
  }

  listTaxRates(): Promise<OcTaxRate[]> {
    return this.plain('reading tax rates', (sql) => this.setup.listTaxRates(sql));
  }

  listTaxRules(): Promise<OcTaxRule[]> {
    return this.plain('reading tax rules', (sql) => this.setup.listTaxRules(sql));
  }

  listPaymentMethods(): Promise<OcPaymentMethod[]> {
    return this.plain('reading payment methods', (sql) => this.setup.listPaymentMethods(sql));
  }

  listReturns(query: { afterId?: number; limit: number }): Promise<Page<OcReturn, number>> {
    return this.plain('reading returns', (sql) =>
      this.setup.listReturns(sql, this.storeInfo.languageId, query),
    );
  }

  private async plain<T>(doing: string, work: (sql: Sql) => Promise<T>): Promise<T> {
    try {
      return await work((s, p) => this.ds.query(s, p));
    } catch (e) {
      throw storeError(e, doing);
    }
  }

  private async snapshot<T>(doing: string, work: (sql: Sql) => Promise<T>): Promise<T> {
    const runner = this.ds.createQueryRunner();
    try {
      await runner.query('START TRANSACTION READ ONLY');
      const result = await work((s, p) => runner.query(s, p));
      await runner.query('COMMIT');
      return result;
    } catch (e) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw storeError(e, doing);
    } finally {
      await runner.release();
    }
  }
}
