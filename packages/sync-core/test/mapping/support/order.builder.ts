/**
 * TEST HELPER: small builders for synthetic orders and contexts in the mapper unit tests.
 * Tax rates mirror OpenCart's demo data (VAT 20% id 86, Eco Tax 2.00 fixed id 87).
 */
import type {
  OcCurrency,
  OcOrder,
  OcOrderLine,
  OcOrderStatus,
  OcTaxRate,
  OcTaxRule,
} from '../../../src/ports/opencart.port';
import type { XeroOrganisation } from '../../../src/ports/xero.port';
import { buildMappingContext, OrderMappingContext } from '../../../src/mapping/mapping-context';
import { defaultSettings, Settings } from '../../../src/settings/settings.schema';
import { ukAccounts, ukTaxRates } from './xero-organisations';

export const VAT: OcTaxRate = { taxRateId: 86, name: 'VAT (20%)', rate: '20.0000', type: 'P', geoZoneId: 3 };
export const ECO: OcTaxRate = {
  taxRateId: 87,
  name: 'Eco Tax (-2.00)',
  rate: '2.0000',
  type: 'F',
  geoZoneId: 3,
};
export const RR: OcTaxRate = { taxRateId: 88, name: 'VAT (5%)', rate: '5.0000', type: 'P', geoZoneId: 3 };
export const taxRules: OcTaxRule[] = [
  { taxClassId: 9, taxRateId: 86, based: 'shipping', priority: 1 },
  { taxClassId: 9, taxRateId: 87, based: 'shipping', priority: 2 },
];
export const currencies: OcCurrency[] = [
  {
    currencyId: 1,
    code: 'GBP',
    title: 'Pound Sterling',
    value: '0.61250001',
    decimalPlace: 2,
    status: true,
    isDefault: false,
  },
  {
    currencyId: 2,
    code: 'USD',
    title: 'US Dollar',
    value: '1.00000000',
    decimalPlace: 2,
    status: true,
    isDefault: true,
  },
  {
    currencyId: 3,
    code: 'EUR',
    title: 'Euro',
    value: '0.78460002',
    decimalPlace: 2,
    status: true,
    isDefault: false,
  },
];
export const statuses: OcOrderStatus[] = [
  { orderStatusId: 1, languageId: 1, name: 'Pending' },
  { orderStatusId: 2, languageId: 1, name: 'Processing' },
  { orderStatusId: 3, languageId: 1, name: 'Shipped' },
  { orderStatusId: 5, languageId: 1, name: 'Complete' },
  { orderStatusId: 7, languageId: 1, name: 'Canceled' },
  { orderStatusId: 11, languageId: 1, name: 'Refunded' },
  { orderStatusId: 5, languageId: 2, name: 'Abgeschlossen' },
];

export function line(p: Partial<OcOrderLine> & Pick<OcOrderLine, 'price' | 'quantity'>): OcOrderLine {
  const total = (Number(p.price) * p.quantity).toFixed(4);
  return {
    orderProductId: 1,
    productId: 40,
    productExists: true,
    name: 'iPhone',
    model: 'product 11',
    sku: '',
    total,
    taxPerUnit: '0.0000',
    reward: 0,
    taxClassId: 0,
    options: [],
    ...p,
  };
}

export function order(p: Partial<OcOrder> = {}): OcOrder {
  return {
    orderId: 42,
    invoicePrefix: 'INV-2024-00',
    invoiceNo: 0,
    storeId: 0,
    storeName: 'Your Store',
    customerId: 7,
    customerGroupId: 1,
    firstname: 'John',
    lastname: 'Smith',
    email: 'john@example.com',
    telephone: '0123',
    paymentAddress: null,
    shippingAddress: null,
    paymentMethod: { code: 'cod', name: 'Cash On Delivery' },
    shippingMethod: { code: 'flat.flat', name: 'Flat Shipping Rate' },
    comment: '',
    total: '0.0000',
    orderStatusId: 5,
    currencyCode: 'USD',
    currencyValue: '1.00000000',
    languageId: 1,
    dateAdded: '2024-05-06 12:00:00',
    dateModified: '2024-05-07 12:00:00',
    lines: [],
    totals: [],
    vouchers: [],
    history: [
      { orderStatusId: 1, notify: false, comment: '', dateAdded: '2024-05-06 12:00:00' },
      { orderStatusId: 2, notify: false, comment: '', dateAdded: '2024-05-08 09:00:00' },
    ],
    ...p,
  };
}

/** Totals rows from [code, title, value] triples, in order. */
export const totals = (rows: Array<[string, string, string]>): OcOrder['totals'] =>
  rows.map(([code, title, value], i) => ({ code, title, value, sortOrder: i }));

type ContextOptions = {
  settings?: Partial<Settings>;
  organisation?: XeroOrganisation;
  ocTaxRates?: OcTaxRate[];
  itemCodes?: Map<number, string>;
};

export function context(opts: ContextOptions = {}): OrderMappingContext {
  const built = buildMappingContext(contextInput(opts));
  if (!built.ok) throw new Error(JSON.stringify(built.errors));
  return built.context;
}

/** The input of buildMappingContext for a UK-style organisation (USD base unless said). */
export function contextInput(opts: ContextOptions = {}): Parameters<typeof buildMappingContext>[0] {
  return {
    settings: { ...defaultSettings(), ...opts.settings },
    organisation: opts.organisation ?? { Name: 'UK org', BaseCurrency: 'USD' },
    accounts: ukAccounts,
    xeroTaxRates: ukTaxRates,
    storeDefaultCurrency: 'USD',
    ocCurrencies: currencies,
    ocTaxRates: opts.ocTaxRates ?? [VAT, ECO],
    ocTaxRules: taxRules,
    ocStatuses: statuses,
    languageId: 1,
    itemCodes: opts.itemCodes,
    overrides: [{ productId: 99, salesAccountCode: '260', purchaseAccountCode: null }],
  };
}
