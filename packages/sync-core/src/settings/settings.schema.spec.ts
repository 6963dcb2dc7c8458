import {
  CONTACT_FORMAT_OPTIONS,
  defaultSettings,
  parseSettings,
  settingsSchema,
  statusIdsByNames,
} from './settings.schema';

describe('settings schema', () => {
  it('gives defaults that are valid and work out of the box', () => {
    const s = defaultSettings();
    expect(parseSettings(s)).toEqual({ ok: true, settings: s });
    expect(s).toMatchObject({
      status: false,
      invoiceStatus: 'DRAFT',
      exportStatuses: ['Processing', 'Shipped', 'Complete'],
      paidStatuses: ['Processing', 'Shipped', 'Complete'],
      removeStatuses: ['Canceled', 'Reversed', 'Voided'],
      refundStatuses: ['Refunded'],
      syncIntervalMinutes: 5,
      invoiceNumberFormat: 'OC-{order_id}',
      contactFormat: '{firstname} {lastname}',
      makeCustomerUnique: true,
      exportInvoices: true,
      exportZeroTotalOrders: true,
      salesAccountCode: '',
      taxRateMapping: {},
    });
  });

  it('holds every setting of the original extension (seed) and what the accounting needs', () => {
    const keys = Object.keys(settingsSchema.shape);
    for (const k of [
      'status',
      'clientId',
      'clientSecret',
      'cronToken',
      'debug',
      'salesAccountCode',
      'shippingAccountCode',
      'paymentAccountCodes',
      'roundingAccountCode',
      'inventoryAccountCode',
      'cogsAccountCode',
      'makeCustomerUnique',
      'contactFormat',
      'exportCustomers',
      'syncItemsWithXeroInventory',
      'exportItems',
      'syncItemStocks',
      'invoiceStatus',
      'exportStatuses',
      'removeStatuses',
      'exportInvoices',
      'stores',
      'taxRateMapping',
      'discountAccountCode',
      'voucherLiabilityAccountCode',
      'storeCreditAccountCode',
      'rewardPointsAccountCode',
      'feeAccountCode',
      'unknownTotalAccountCode',
      'totalCodeAccounts',
      'invoiceNumberFormat',
      'dueDays',
      'paidStatuses',
      'refundStatuses',
      'exportZeroTotalOrders',
      'syncIntervalMinutes',
      'markPaidStatus',
    ]) {
      expect(keys).toContain(k);
    }
  });

  it('accepts a full document and drops unknown keys', () => {
    const r = parseSettings({
      status: true,
      invoiceStatus: 'AUTHORISED',
      paymentAccountCodes: { cod: '090', bank_transfer: '091' },
      taxRateMapping: { '86': { taxType: 'OUTPUT2' }, '87': { accountCode: '200' } },
      stores: { '1': { salesAccountCode: '260' } },
      contactFormat: '{company}',
      dueDays: 30,
      legacyThing: 1,
    });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.settings.taxRateMapping['87']).toEqual({ taxType: '', accountCode: '200' });
      expect((r.settings as Record<string, unknown>).legacyThing).toBeUndefined();
    }
  });

  it('reports field-level errors with dotted paths and messages a merchant can act on', () => {
    const r = parseSettings({
      invoiceStatus: 'PAID',
      dueDays: -1,
      syncIntervalMinutes: 0,
      salesAccountCode: 'WAY-TOO-LONG-CODE',
      stores: { '1': { shippingAccountCode: 'bad code!' } },
      taxRateMapping: { vat: { taxType: 'OUTPUT2' } },
      contactFormat: '{first} {lastname}',
      invoiceNumberFormat: 'INV-{invoice_no}',
      exportFromDate: '1 May',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'invoiceStatus',
        'dueDays',
        'syncIntervalMinutes',
        'salesAccountCode',
        'stores.1.shippingAccountCode',
        'taxRateMapping.vat',
        'exportFromDate',
      ]),
    );
    for (const e of r.errors) expect(e.message.length).toBeGreaterThan(3);
  });

  it('checks the cross-field rules (placeholders, the exactly-once key, statuses, inventory)', () => {
    const errors = (input: unknown) => {
      const r = parseSettings(input);
      return r.ok ? [] : r.errors;
    };
    expect(errors({ contactFormat: '{first} {lastname}' })).toEqual([
      {
        path: 'contactFormat',
        message:
          'unknown placeholder {first}; use {firstname} {lastname} {company} {email} {telephone} {customer_id}',
      },
    ]);
    expect(errors({ invoiceNumberFormat: 'INV-{invoice_no}' })).toEqual([
      {
        path: 'invoiceNumberFormat',
        message: "must contain {order_id}: the invoice number is how we find an order's invoice again",
      },
    ]);
    expect(errors({ stores: { '3': { invoiceNumberFormat: 'S3' } } })[0]?.path).toBe(
      'stores.3.invoiceNumberFormat',
    );
    expect(errors({ removeStatuses: ['complete'] })).toEqual([
      { path: 'removeStatuses', message: '"complete" is both an export and a remove status' },
    ]);
    expect(errors({ syncItemsWithXeroInventory: true })[0]?.path).toBe('syncItemsWithXeroInventory');
    expect(errors({ exportItems: true, syncItemStocks: true })[0]?.path).toBe('syncItemStocks');
  });

  it('documents contact format options that are all valid', () => {
    for (const o of CONTACT_FORMAT_OPTIONS) expect(parseSettings({ contactFormat: o.value }).ok).toBe(true);
  });

  it('matches status names case-insensitively in any language', () => {
    const statuses = [
      { orderStatusId: 5, name: 'Complete' },
      { orderStatusId: 5, name: 'Abgeschlossen' },
      { orderStatusId: 2, name: 'processing ' },
      { orderStatusId: 7, name: 'Canceled' },
    ];
    expect(statusIdsByNames(['COMPLETE', 'Processing'], statuses)).toEqual([2, 5]);
    expect(statusIdsByNames(['abgeschlossen'], statuses)).toEqual([5]);
    expect(statusIdsByNames(['Voided'], statuses)).toEqual([]);
  });
});
