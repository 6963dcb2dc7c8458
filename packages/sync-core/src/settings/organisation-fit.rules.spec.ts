import { ukOrganisation } from '../testing/sample-data.fixture';
import { accountFieldsOf, accountFitErrors, changedAccountFields, changedStatusFields, statusFieldsOf, statusFitErrors } from './organisation-fit.rules';
import { settingsSchema, type Settings } from './settings.schema';
import { unknownSettingKeys } from './unknown-keys.rules';

const settings = (over: Record<string, unknown> = {}): Settings => settingsSchema.parse(over);
const chart = [
  ...ukOrganisation().accounts,
  { AccountID: 'a-1', Code: '201', Name: 'Old Sales', Type: 'REVENUE', Status: 'ARCHIVED' },
  { AccountID: 'a-2', Code: '800', Name: 'Card Clearing', Type: 'CURRLIAB', Status: 'ACTIVE', EnablePaymentsToAccount: true },
  { AccountID: 'a-3', Code: '500', Name: 'Postage', Type: 'OVERHEADS', Status: 'ACTIVE' },
];
const errorsFor = (over: Record<string, unknown>) => accountFitErrors(accountFieldsOf(settings(over)), chart, 'Demo Company (UK)');

describe('account codes against the chart of accounts', () => {
  it('accepts codes of a fitting type and leaves empty codes (automatic) alone', () => {
    expect(
      errorsFor({
        salesAccountCode: '200',
        shippingAccountCode: '260',
        paymentAccountCodes: { cod: '090', pp_standard: '800' },
        inventoryAccountCode: '630',
        cogsAccountCode: '310',
        voucherLiabilityAccountCode: '835',
        roundingAccountCode: '860',
        discountAccountCode: '500',
      }),
    ).toEqual([]);
    expect(errorsFor({})).toEqual([]);
  });

  it('refuses a bank account as the sales account, an archived code, a missing code and a payment account without payments, naming the field', () => {
    expect(errorsFor({ salesAccountCode: '090' })).toEqual([
      { path: 'salesAccountCode', message: 'account 090 (Business Bank Account) is of type BANK; this account must be Revenue, Sales or Other Income' },
    ]);
    expect(errorsFor({ stores: { '1': { salesAccountCode: '201' } } })).toEqual([
      { path: 'stores.1.salesAccountCode', message: 'account 201 (Old Sales) is archived in Xero; pick an active account' },
    ]);
    expect(errorsFor({ paymentAccountCodes: { cod: '999' } })).toEqual([
      { path: 'paymentAccountCodes.cod', message: "account 999 does not exist in Demo Company (UK)'s chart of accounts; pick one from the list" },
    ]);
    expect(errorsFor({ defaultPaymentAccountCode: '200' })[0]).toMatchObject({ path: 'defaultPaymentAccountCode', message: expect.stringContaining('does not take payments') });
    expect(errorsFor({ inventoryAccountCode: '200', cogsAccountCode: '090', storeCreditAccountCode: '200' }).map((e) => e.path)).toEqual([
      'inventoryAccountCode',
      'cogsAccountCode',
      'storeCreditAccountCode',
    ]);
    expect(errorsFor({ totalCodeAccounts: { handling: '091' }, taxRateMapping: { '3': { accountCode: '090' } } }).map((e) => e.path)).toEqual([
      'totalCodeAccounts.handling',
      'taxRateMapping.3.accountCode',
    ]);
  });

  it('holds only what a save changes against the chart', () => {
    const before = settings({ salesAccountCode: '201' });
    expect(changedAccountFields(settings({ salesAccountCode: '201', shippingAccountCode: '090' }), before).map((f) => f.path)).toEqual(['shippingAccountCode']);
    expect(changedAccountFields(before).map((f) => f.path)).toEqual(['salesAccountCode']);
  });
});

describe('status names against the store', () => {
  const statuses = ['Pending', 'Processing', 'Shipped', 'Complete', 'Canceled', 'Reversed', 'Voided', 'Refunded'].map((name) => ({ name }));
  it('refuses names the store does not have, per field', () => {
    const s = settings({ exportStatuses: ['Processing', 'Compelte'], paidStatusesByPaymentMethod: { cod: ['Delivered'] }, markPaidStatus: 'complete' });
    const errors = statusFitErrors(statusFieldsOf(s), statuses);
    expect(errors.map((e) => e.path)).toEqual(['exportStatuses', 'paidStatusesByPaymentMethod.cod']);
    expect(errors[0]!.message).toContain('"Compelte" is not an order status of this store');
    expect(statusFitErrors(changedStatusFields(s, settings({ exportStatuses: ['Processing', 'Compelte'] })), statuses).map((e) => e.path)).toEqual(['paidStatusesByPaymentMethod.cod']);
  });
});

describe('unknown keys at any depth', () => {
  it('names each unknown key with its path; maps keyed by store ids take any key', () => {
    expect(
      unknownSettingKeys({
        salesAcountCode: '200',
        paymentAccountCodes: { anything: '090' },
        paidStatusesByPaymentMethod: { bank_transfer: ['Complete'] },
        stores: { '1': { salesAccountCode: '200', invoiceStatus: 'DRAFT' } },
        taxRateMapping: { '3': { taxType: 'OUTPUT2', acount: '1' } },
      }),
    ).toEqual([
      { path: 'salesAcountCode', message: 'Unknown setting "salesAcountCode": check its spelling.' },
      { path: 'stores.1.invoiceStatus', message: 'Unknown setting "invoiceStatus": check its spelling.' },
      { path: 'taxRateMapping.3.acount', message: 'Unknown setting "acount": check its spelling.' },
    ]);
    expect(unknownSettingKeys(settingsSchema.parse({}))).toEqual([]);
  });
});
