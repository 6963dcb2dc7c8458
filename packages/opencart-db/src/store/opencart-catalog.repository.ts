import type { OcAddress, OcCustomer, OcOptionValueStock, OcProduct, Page } from '@oc-xero/sync-core';
import type { OpenCartSchema } from './opencart-schema.detector';
import { checkLimit, uniqueIds, type Sql } from './opencart-order.repository';
import { addressFrom, dec, groupBy, int, str, text, type Row } from './opencart-row.util';

/** Customers (with addresses) and products (with descriptions): two queries per page each. */
export class OpenCartCatalogRepository {
  constructor(
    private readonly schema: OpenCartSchema,
    /** Country and zone names are per language in 4.x; we show the admin language's. */
    private readonly languageId: number,
  ) {}

  /** One COUNT over the customers listCustomers pages through. */
  async countCustomers(sql: Sql): Promise<number> {
    const rows = await sql(`SELECT COUNT(*) AS n FROM ${this.schema.table('customer')}`);
    return Number(rows[0]?.n ?? 0);
  }

  async listCustomers(sql: Sql, q: { afterId?: number; limit: number }): Promise<Page<OcCustomer, number>> {
    const limit = checkLimit(q.limit);
    const rows = await sql(
      `${this.selectCustomers()} WHERE c.customer_id > ? ORDER BY c.customer_id LIMIT ?`,
      [int(q.afterId), limit + 1],
    );
    const items = await this.customersWithAddresses(sql, rows.slice(0, limit));
    return { items, next: rows.length > limit ? items[items.length - 1].customerId : null };
  }

  async customersByIds(sql: Sql, customerIds: number[]): Promise<OcCustomer[]> {
    const ids = uniqueIds(customerIds);
    if (ids.length === 0) return [];
    const rows = await sql(`${this.selectCustomers()} WHERE c.customer_id IN (?) ORDER BY c.customer_id`, [
      ids,
    ]);
    return this.customersWithAddresses(sql, rows);
  }

  async listProducts(sql: Sql, q: { afterId?: number; limit: number }): Promise<Page<OcProduct, number>> {
    const limit = checkLimit(q.limit);
    const rows = await sql(`${this.selectProducts()} WHERE product_id > ? ORDER BY product_id LIMIT ?`, [
      int(q.afterId),
      limit + 1,
    ]);
    const items = await this.productsWithDescriptions(sql, rows.slice(0, limit));
    return { items, next: rows.length > limit ? items[items.length - 1].productId : null };
  }

  async productsByIds(sql: Sql, productIds: number[]): Promise<OcProduct[]> {
    const ids = uniqueIds(productIds);
    if (ids.length === 0) return [];
    const rows = await sql(`${this.selectProducts()} WHERE product_id IN (?) ORDER BY product_id`, [ids]);
    return this.productsWithDescriptions(sql, rows);
  }

  async optionValuesByIds(sql: Sql, productOptionValueIds: number[]): Promise<OcOptionValueStock[]> {
    const ids = uniqueIds(productOptionValueIds);
    if (ids.length === 0) return [];
    const rows = await sql(
      `SELECT product_option_value_id, product_id, quantity, price, price_prefix
        FROM ${this.schema.table('product_option_value')} WHERE product_option_value_id IN (?) ORDER BY product_option_value_id`,
      [ids],
    );
    return rows.map((r) => ({
      productOptionValueId: int(r.product_option_value_id),
      productId: int(r.product_id),
      quantity: int(r.quantity),
      price: `${String(r.price_prefix) === '-' ? '-' : ''}${dec(r.price)}`,
    }));
  }

  private selectCustomers(): string {
    const addressId = this.schema.customerHasAddressId ? 'c.address_id' : '0 AS address_id';
    return `SELECT c.customer_id, c.customer_group_id, c.store_id, c.firstname, c.lastname, c.email,
        c.telephone, c.status, c.date_added, ${addressId}
      FROM ${this.schema.table('customer')} c`;
  }

  private async customersWithAddresses(sql: Sql, rows: Row[]): Promise<OcCustomer[]> {
    if (rows.length === 0) return [];
    const t = this.schema.table;
    const ids = rows.map((r) => int(r.customer_id));
    const v4 = this.schema.hasLocalisedGeoNames;
    const addressRows = await sql(
      `SELECT a.address_id, a.customer_id, ${this.schema.addressHasDefault ? 'a.`default` AS is_default' : '0 AS is_default'},
          a.firstname AS a_firstname, a.lastname AS a_lastname, a.company AS a_company,
          a.address_1 AS a_address_1, a.address_2 AS a_address_2, a.city AS a_city, a.postcode AS a_postcode,
          ${v4 ? 'cd.name' : 'co.name'} AS a_country, co.iso_code_2 AS a_iso_code_2,
          ${v4 ? 'zd.name' : 'z.name'} AS a_zone, z.code AS a_zone_code
        FROM ${t('address')} a
        LEFT JOIN ${t('country')} co ON co.country_id = a.country_id
        LEFT JOIN ${t('zone')} z ON z.zone_id = a.zone_id
        ${
          v4
            ? `LEFT JOIN ${t('country_description')} cd ON cd.country_id = a.country_id AND cd.language_id = ?
        LEFT JOIN ${t('zone_description')} zd ON zd.zone_id = a.zone_id AND zd.language_id = ?`
            : ''
        }
        WHERE a.customer_id IN (?) ORDER BY a.customer_id, a.address_id`,
      v4 ? [this.languageId, this.languageId, ids] : [ids],
    );
    const byCustomer = groupBy(addressRows, (r) => int(r.customer_id));
    return rows.map((r) => {
      const customerId = int(r.customer_id);
      const own = byCustomer.get(customerId) ?? [];
      const defaultRow = this.schema.customerHasAddressId
        ? undefined
        : own.find((a) => int(a.is_default) === 1);
      return {
        customerId,
        customerGroupId: int(r.customer_group_id),
        storeId: int(r.store_id),
        firstname: text(r.firstname),
        lastname: text(r.lastname),
        email: text(r.email),
        telephone: text(r.telephone),
        status: int(r.status) === 1,
        dateAdded: str(r.date_added),
        defaultAddressId: this.schema.customerHasAddressId
          ? int(r.address_id)
          : defaultRow
            ? int(defaultRow.address_id)
            : 0,
        addresses: own.map((a) => ({
          addressId: int(a.address_id),
          ...(addressFrom(a, 'a_') ?? emptyAddress()),
        })),
      };
    });
  }

  private selectProducts(): string {
    return `SELECT product_id, model, sku, price, tax_class_id, quantity, status, date_modified
      FROM ${this.schema.table('product')}`;
  }

  private async productsWithDescriptions(sql: Sql, rows: Row[]): Promise<OcProduct[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => int(r.product_id));
    const descriptionRows = await sql(
      `SELECT product_id, language_id, name, description FROM ${this.schema.table('product_description')}
        WHERE product_id IN (?) ORDER BY product_id, language_id`,
      [ids],
    );
    const byProduct = groupBy(descriptionRows, (r) => int(r.product_id));
    return rows.map((r) => ({
      productId: int(r.product_id),
      model: text(r.model),
      sku: text(r.sku),
      price: dec(r.price),
      taxClassId: int(r.tax_class_id),
      quantity: int(r.quantity),
      status: int(r.status) === 1,
      dateModified: str(r.date_modified),
      descriptions: (byProduct.get(int(r.product_id)) ?? []).map((d) => ({
        languageId: int(d.language_id),
        name: text(d.name),
        description: text(d.description),
      })),
    }));
  }
}

const emptyAddress = (): OcAddress => ({
  firstname: '',
  lastname: '',
  company: '',
  address1: '',
  address2: '',
  city: '',
  postcode: '',
  country: '',
  countryIsoCode2: '',
  zone: '',
  zoneCode: '',
});
