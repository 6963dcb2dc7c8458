/**
 * Small, self-consistent test data for the fakes: a UK Xero organisation (GBP, standard chart and
 * VAT rates) and a USD OpenCart store whose orders carry OpenCart's own figures (per-unit tax,
 * total rows), so the real mappers can be run against them.
 */
import Decimal from 'decimal.js';
import type { OcAddress, OcCustomer, OcOrder, OcOrderStatus, OcProduct, OcStoreInfo, OcTaxRate, OcCurrency } from '../ports/opencart.port';
import type { XeroAccount, XeroOrganisation, XeroTaxRate } from '../ports/xero.port';
import { FakeOpenCart } from './fake-open-cart.port';
import { FakeXeroPort } from './fake-xero.port';

export function ukOrganisation(): { organisation: XeroOrganisation; accounts: XeroAccount[]; taxRates: XeroTaxRate[] } {
  const account = (Code: string, Name: string, Type: string, extra: Partial<XeroAccount> = {}): XeroAccount => ({
    AccountID: `acc-${Code}`,
    Code,
    Name,
    Type,
    Status: 'ACTIVE',
    ...extra,
  });
  return {
    organisation: { OrganisationID: 'org-uk', Name: 'Demo Company (UK)', BaseCurrency: 'GBP', CountryCode: 'GB', Version: 'UK' },
    accounts: [
      account('090', 'Business Bank Account', 'BANK', { CurrencyCode: 'GBP' }),
      account('091', 'Business Savings Account', 'BANK', { CurrencyCode: 'GBP' }),
      account('200', 'Sales', 'REVENUE', { TaxType: 'OUTPUT2' }),
      account('260', 'Other Revenue', 'REVENUE'),
      account('310', 'Cost of Goods Sold', 'DIRECTCOSTS'),
      account('630', 'Inventory', 'CURRENT'),
      account('610', 'Accounts Receivable', 'CURRENT'),
      account('820', 'VAT', 'CURRLIAB'),
      account('835', 'Gift Voucher Liability', 'CURRLIAB'),
      account('840', 'Historical Adjustment', 'CURRLIAB'),
      account('860', 'Rounding', 'CURRLIAB'),
      account('877', 'Tracking Transfers', 'CURRENT'),
    ],
    taxRates: [
      { Name: '20% (VAT on Income)', TaxType: 'OUTPUT2', EffectiveRate: 20, Status: 'ACTIVE', CanApplyToRevenue: true },
      { Name: '5% (VAT on Income)', TaxType: 'RROUTPUT', EffectiveRate: 5, Status: 'ACTIVE', CanApplyToRevenue: true },
      { Name: 'Zero Rated Income', TaxType: 'ZERORATEDOUTPUT', EffectiveRate: 0, Status: 'ACTIVE', CanApplyToRevenue: true },
      { Name: 'Exempt Income', TaxType: 'EXEMPTOUTPUT', EffectiveRate: 0, Status: 'ACTIVE', CanApplyToRevenue: true },
      { Name: 'No VAT', TaxType: 'NONE', EffectiveRate: 0, Status: 'ACTIVE', CanApplyToRevenue: true },
    ],
  };
}

export function createFakeXero(): FakeXeroPort {
  return new FakeXeroPort({ ...ukOrganisation(), currencies: [{ Code: 'GBP' }, { Code: 'USD' }, { Code: 'EUR' }] });
}

/** OpenCart's stock order statuses (language 1). */
export const STATUS = {
  pending: 1,
  processing: 2,
  shipped: 3,
  complete: 5,
  canceled: 7,
  refunded: 11,
  reversed: 12,
  voided: 16,
} as const;

export function sampleStatuses(): OcOrderStatus[] {
  return [
    [1, 'Pending'],
    [2, 'Processing'],
    [3, 'Shipped'],
    [5, 'Complete'],
    [7, 'Canceled'],
    [11, 'Refunded'],
    [12, 'Reversed'],
    [16, 'Voided'],
  ].map(([id, name]) => ({ orderStatusId: id as number, languageId: 1, name: name as string }));
}

export function sampleCurrencies(): OcCurrency[] {
  return [
    { currencyId: 2, code: 'USD', title: 'US Dollar', value: '1.00000000', decimalPlace: 2, status: true, isDefault: true },
    { currencyId: 1, code: 'GBP', title: 'Pound Sterling', value: '0.61250001', decimalPlace: 2, status: true, isDefault: false },
    { currencyId: 3, code: 'EUR', title: 'Euro', value: '0.78460002', decimalPlace: 2, status: true, isDefault: false },
  ];
}

export const VAT_RATE: OcTaxRate = { taxRateId: 86, name: 'VAT (20%)', rate: '20.0000', type: 'P', geoZoneId: 3 };

const address = (firstname: string, lastname: string): OcAddress => ({
  firstname,
  lastname,
  company: '',
  address1: '1 High Street',
  address2: '',
  city: 'London',
  postcode: 'SW1A 1AA',
  country: 'United Kingdom',
  countryIsoCode2: 'GB',
  zone: 'Greater London',
  zoneCode: 'GLA',
});

export interface SampleLine {
  productId: number;
  name: string;
  price: string;
  quantity: number;
  /** Whether VAT 20% applies. */
  taxed?: boolean;
}

const r4 = (d: Decimal): string => d.toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4);

/** An order with OpenCart's own figures: per-unit tax at 20%, sub_total/shipping/tax/total rows. */
export function sampleOrder(input: {
  orderId: number;
  statusId?: number;
  customerId?: number;
  firstname?: string;
  lastname?: string;
  email?: string;
  lines?: SampleLine[];
  shipping?: string;
  currencyCode?: string;
  currencyValue?: string;
  paymentCode?: string;
  dateAdded?: string;
  dateModified?: string;
}): OcOrder {
  const lines = input.lines ?? [{ productId: 40, name: 'iPhone', price: '101.0000', quantity: 1, taxed: true }];
  const firstname = input.firstname ?? 'Jane';
  const lastname = input.lastname ?? `Buyer${input.orderId}`;
  const statusId = input.statusId ?? STATUS.complete;
  const dateAdded = input.dateAdded ?? `2024-03-${String((input.orderId % 27) + 1).padStart(2, '0')} 10:00:00`;
  let subTotal = new Decimal(0);
  let tax = new Decimal(0);
  const ocLines = lines.map((l, i) => {
    const price = new Decimal(l.price);
    const unitTax = l.taxed === false ? new Decimal(0) : price.times(0.2);
    subTotal = subTotal.plus(price.times(l.quantity));
    tax = tax.plus(unitTax.times(l.quantity));
    return {
      orderProductId: input.orderId * 100 + i,
      productId: l.productId,
      productExists: true,
      name: l.name,
      model: `MODEL-${l.productId}`,
      sku: '',
      quantity: l.quantity,
      price: r4(price),
      total: r4(price.times(l.quantity)),
      taxPerUnit: r4(unitTax),
      reward: 0,
      taxClassId: l.taxed === false ? 0 : 9,
      options: [],
    };
  });
  const shipping = new Decimal(input.shipping ?? '5.0000');
  const shippingTax = shipping.times(0.2);
  const totals = [{ code: 'sub_total', title: 'Sub-Total', value: r4(subTotal), sortOrder: 1 }];
  if (!shipping.isZero()) totals.push({ code: 'shipping', title: 'Flat Shipping Rate', value: r4(shipping), sortOrder: 3 });
  const allTax = tax.plus(shippingTax);
  if (!allTax.isZero()) totals.push({ code: 'tax', title: 'VAT (20%)', value: r4(allTax), sortOrder: 5 });
  const total = subTotal.plus(shipping).plus(allTax);
  totals.push({ code: 'total', title: 'Total', value: r4(total), sortOrder: 9 });
  return {
    orderId: input.orderId,
    invoicePrefix: 'INV-2024-00',
    invoiceNo: 0,
    storeId: 0,
    storeName: 'Your Store',
    customerId: input.customerId ?? 0,
    customerGroupId: 1,
    firstname,
    lastname,
    email: input.email ?? `${firstname}.${lastname}@example.com`.toLowerCase(),
    telephone: '01234 567890',
    paymentAddress: address(firstname, lastname),
    shippingAddress: address(firstname, lastname),
    paymentMethod: { code: input.paymentCode ?? 'cod', name: 'Cash On Delivery' },
    shippingMethod: shipping.isZero() ? null : { code: 'flat.flat', name: 'Flat Shipping Rate' },
    comment: '',
    total: r4(total),
    orderStatusId: statusId,
    currencyCode: input.currencyCode ?? 'USD',
    currencyValue: input.currencyValue ?? '1.00000000',
    languageId: 1,
    dateAdded,
    dateModified: input.dateModified ?? dateAdded,
    lines: ocLines,
    totals,
    vouchers: [],
    history: [{ orderStatusId: statusId, notify: false, comment: '', dateAdded }],
  };
}

export function sampleCustomer(customerId: number, firstname = 'Reg', lastname = `Customer${customerId}`): OcCustomer {
  return {
    customerId,
    customerGroupId: 1,
    storeId: 0,
    firstname,
    lastname,
    email: `${firstname}.${lastname}@example.com`.toLowerCase(),
    telephone: '020 7946 0000',
    status: true,
    dateAdded: '2024-01-01 09:00:00',
    defaultAddressId: customerId * 10,
    addresses: [{ ...address(firstname, lastname), addressId: customerId * 10 }],
  };
}

export function sampleProduct(productId: number, model = `MODEL-${productId}`, sku = ''): OcProduct {
  return {
    productId,
    model,
    sku,
    price: '100.0000',
    taxClassId: 9,
    quantity: 10,
    status: true,
    dateModified: '2024-01-01 00:00:00',
    descriptions: [{ languageId: 1, name: `Product ${productId}`, description: `<p>Product ${productId}</p>` }],
  };
}

export const SAMPLE_STORE_INFO: OcStoreInfo = { version: '4', prefix: 'oc_', defaultCurrency: 'USD', languageId: 1 };

/**
 * A store with `count` orders: a mix of registered customers (ids 1..5) and guests, a few
 * foreign-currency orders, Complete status by default, modified one minute apart.
 */
export function sampleStore(count: number, options: { statusId?: number } = {}): FakeOpenCart {
  const orders: OcOrder[] = [];
  for (let i = 1; i <= count; i++) {
    const registered = i % 3 !== 0;
    const customerId = registered ? ((i - 1) % 5) + 1 : 0;
    const euro = i % 7 === 0;
    const minute = String(i % 60).padStart(2, '0');
    const hour = String(10 + Math.floor(i / 60)).padStart(2, '0');
    orders.push(
      sampleOrder({
        orderId: i,
        statusId: options.statusId,
        customerId,
        firstname: registered ? 'Reg' : 'Guest',
        lastname: registered ? `Customer${customerId}` : `Shopper${i}`,
        lines: [
          { productId: 40 + (i % 4), name: `Product ${40 + (i % 4)}`, price: `${(12.3456 + i).toFixed(4)}`, quantity: 1 + (i % 3), taxed: true },
          { productId: 50, name: 'Gift wrap', price: '2.5000', quantity: 1, taxed: i % 2 === 0 },
        ],
        currencyCode: euro ? 'EUR' : 'USD',
        currencyValue: euro ? '0.78460002' : '1.00000000',
        dateAdded: `2024-03-01 ${hour}:${minute}:00`,
        dateModified: `2024-03-02 ${hour}:${minute}:00`,
      }),
    );
  }
  const products = [40, 41, 42, 43, 50].map((id) => sampleProduct(id));
  return new FakeOpenCart({
    info: SAMPLE_STORE_INFO,
    orders,
    customers: [1, 2, 3, 4, 5].map((id) => sampleCustomer(id)),
    products,
    statuses: sampleStatuses(),
    currencies: sampleCurrencies(),
    taxRates: [VAT_RATE],
    taxClasses: [{ taxClassId: 9, title: 'Taxable Goods' }],
    taxRules: [{ taxClassId: 9, taxRateId: 86, based: 'shipping', priority: 1 }],
    paymentMethods: [{ code: 'cod', name: 'Cash On Delivery', installed: true, enabled: true, ordersCount: count }],
  });
}
