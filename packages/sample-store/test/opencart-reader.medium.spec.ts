import { connectOpenCart, type OpenCartConnection } from '@oc-xero/opencart-db';
import type { OcOrder } from '@oc-xero/sync-core';
import { buildSampleStore, type GeneratedOrder, type SampleStoreResult } from '../src';
import { dropDatabase, scratchDatabase, serverUrl } from './helpers/mysql.helper';

/** The reader hands out decoded text; the builder reports what it stored (HTML-escaped). */
const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** What the builder says an order is, in the reader's terms. */
function expectedOf(o: GeneratedOrder) {
  return {
    orderId: o.orderId,
    storeId: o.storeId,
    customerId: o.customerId,
    email: o.email,
    total: o.total,
    orderStatusId: o.orderStatusId,
    currencyCode: o.currencyCode,
    currencyValue: o.currencyValue,
    dateModified: o.dateModified,
    paymentCode: o.paymentCode,
    shippingCode: o.shippingCode,
    hasPaymentAddress: o.hasPaymentAddress,
    totals: o.totals.map((t) => ({ code: t.code, title: decode(t.title), value: t.value, sortOrder: t.sortOrder })),
    lines: o.lines.map((l) => ({
      orderProductId: l.orderProductId,
      productId: l.productId,
      name: decode(l.name),
      model: l.model,
      quantity: l.quantity,
      price: l.price,
      total: l.total,
      taxPerUnit: l.tax,
      reward: l.reward,
      options: l.options.map((op) => ({ name: decode(op.name), value: decode(op.value), type: op.type })),
    })),
    vouchers: o.vouchersBought.map((v) => ({ code: v.code, amount: v.amount })),
    history: o.history,
  };
}

/** The same shape, from what the reader returned. */
function actualOf(o: OcOrder) {
  return {
    orderId: o.orderId,
    storeId: o.storeId,
    customerId: o.customerId,
    email: o.email,
    total: o.total,
    orderStatusId: o.orderStatusId,
    currencyCode: o.currencyCode,
    currencyValue: o.currencyValue,
    dateModified: o.dateModified,
    paymentCode: o.paymentMethod?.code ?? null,
    shippingCode: o.shippingMethod?.code ?? null,
    hasPaymentAddress: o.paymentAddress !== null,
    totals: o.totals.map((t) => ({ code: t.code, title: t.title, value: t.value, sortOrder: t.sortOrder })),
    lines: o.lines.map((l) => ({
      orderProductId: l.orderProductId,
      productId: l.productId,
      name: l.name,
      model: l.model,
      quantity: l.quantity,
      price: l.price,
      total: l.total,
      taxPerUnit: l.taxPerUnit,
      reward: l.reward,
      options: l.options.map((op) => ({ name: op.name, value: op.value, type: op.type })),
    })),
    vouchers: o.vouchers.map((v) => ({ code: v.code, amount: v.amount })),
    history: o.history.map((h) => h.orderStatusId),
  };
}

describe.each([
  ['3', 'r3_'],
  ['4', 'store4_'],
] as const)('the opencart-db reader on a built %s.x store (prefix %s)', (version, prefix) => {
  const database = scratchDatabase(`reader${version}`);
  let built: SampleStoreResult;
  let store: OpenCartConnection;

  beforeAll(async () => {
    built = await buildSampleStore({ serverUrl, database, version, prefix, orders: 300, seed: 11 });
    store = await connectOpenCart({ url: `${serverUrl}/${database}`, prefix });
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await dropDatabase(database);
  });

  it('recognises the version, the prefix and the default currency', async () => {
    expect(await store.reader.info()).toEqual(expect.objectContaining({ version, prefix, defaultCurrency: 'USD' }));
  });

  it("returns every order's totals, lines, currency, methods and history exactly as generated", async () => {
    const ids = built.orders.map((o) => o.orderId);
    const read: OcOrder[] = [];
    for (let i = 0; i < ids.length; i += 100) read.push(...(await store.reader.getOrders(ids.slice(i, i + 100))));
    expect(read.map(actualOf)).toEqual(built.orders.map(expectedOf));
  });

  it('pages through the changed orders of every status once each', async () => {
    const statuses = await store.reader.listOrderStatuses();
    const statusIds = [...new Set(statuses.map((s) => s.orderStatusId))];
    const seen: number[] = [];
    let after: { dateModified: string; orderId: number } | undefined;
    for (;;) {
      const page = await store.reader.listChangedOrders({ statusIds, after, limit: 70 });
      seen.push(...page.items.map((o) => o.orderId));
      if (!page.next) break;
      after = page.next;
    }
    const confirmed = built.orders.filter((o) => o.orderStatusId !== 0).map((o) => o.orderId);
    expect([...seen].sort((a, b) => a - b)).toEqual(confirmed);
  });

  it('reads the tax rates, percentage and fixed, and the payment methods in use', async () => {
    const rates = await store.reader.listTaxRates();
    expect(rates.map((r) => [r.name, r.type, r.rate])).toEqual(
      expect.arrayContaining([
        ['VAT (20%)', 'P', '20.0000'],
        ['Reduced VAT (5%)', 'P', '5.0000'],
        ['Eco Tax (-2.00)', 'F', '2.0000'],
      ]),
    );
    const methods = await store.reader.listPaymentMethods();
    // 4.x codes may come as the extension (cod) or as on the order (cod.cod).
    const used = methods.filter((m) => m.ordersCount > 0).map((m) => m.code.split('.')[0]);
    expect(used.sort()).toEqual(['bank_transfer', 'cheque', 'cod', 'free_checkout']);
  });
});
