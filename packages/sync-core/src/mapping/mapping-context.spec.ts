import { buildMappingContext, statusIn, suggestTaxMapping } from './mapping-context';
import { defaultSettings, Settings } from '../settings/settings.schema';
import { currencies, ECO, statuses, taxRules, VAT } from '../../test/mapping/support/order.builder';
import { ukAccounts, ukTaxRates } from '../../test/mapping/support/xero-organisations';
import type { XeroAccount, XeroTaxRate } from '../ports/xero.port';

const build = (
  settings: Partial<Settings> = {},
  accounts: XeroAccount[] = ukAccounts,
  xeroTaxRates: XeroTaxRate[] = ukTaxRates,
) =>
  buildMappingContext({
    settings: { ...defaultSettings(), ...settings },
    organisation: { Name: 'Test UK', BaseCurrency: 'GBP' },
    accounts,
    xeroTaxRates,
    storeDefaultCurrency: 'USD',
    ocCurrencies: currencies,
    ocTaxRates: [VAT, ECO],
    ocTaxRules: taxRules,
    ocStatuses: statuses,
    languageId: 1,
  });

describe('buildMappingContext', () => {
  it('resolves every account from the default chart with default settings', () => {
    const r = build();
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.context.accounts).toMatchObject({
      sales: '200',
      shipping: '200',
      discount: '200',
      rounding: '860',
      voucherLiability: '835',
      storeCredit: '835',
      rewardPoints: '200',
      fee: '200',
      unknownTotal: '200',
      fixedTax: '200',
      inventory: '630',
      cogs: '310',
      defaultPayment: null,
    });
    expect(r.context.taxTypes.noTaxType).toBe('NONE');
    expect(r.context.taxTypes.byId.get(86)).toMatchObject({ taxType: 'OUTPUT2', xeroRatePercent: '20' });
    expect(r.context.taxTypes.byName.get('eco tax (-2.00)')).toMatchObject({
      type: 'F',
      taxType: null,
      accountCode: '200',
    });
    expect(r.context.statusNames.get(5)).toBe('Complete');
    expect(statusIn(['complete'], 5, r.context)).toBe(true);
    expect(statusIn(['Complete'], 7, r.context)).toBe(false);
    // a German store language: the setting's name matches there too
    expect(statusIn(['abgeschlossen'], 5, r.context)).toBe(true);
  });

  it('falls back by account type and name when the usual codes are missing, and notes it', () => {
    const chart: XeroAccount[] = [
      { AccountID: '1', Code: '4000', Name: 'Shop income', Type: 'REVENUE' },
      { AccountID: '2', Code: '1200', Name: 'Bank', Type: 'BANK' },
      { AccountID: '3', Code: '2999', Name: 'Suspense', Type: 'CURRLIAB' },
    ];
    const r = build({}, chart);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.context.accounts).toMatchObject({
      sales: '4000',
      rounding: '2999',
      voucherLiability: '2999',
      unknownTotal: '2999',
    });
    expect(r.context.notes.join('\n')).toMatch(
      /sales: using 4000 \(Shop income\), the first REVENUE account/,
    );
  });

  it('returns field-level errors for codes that are not in the chart, archived, or cannot take payments', () => {
    const r = build({
      salesAccountCode: '999',
      shippingAccountCode: '201',
      paymentAccountCodes: { cod: '200', cheque: '880' },
      stores: { '2': { discountAccountCode: '777' } },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      {
        path: 'salesAccountCode',
        message: 'account code 999 is not an active account in the Xero chart of accounts of Test UK',
      },
      {
        path: 'shippingAccountCode',
        message: 'account code 201 is not an active account in the Xero chart of accounts of Test UK',
      },
      {
        path: 'paymentAccountCodes.cod',
        message:
          'account 200 (Sales) cannot take payments: choose a BANK account or enable payments to it in Xero',
      },
      {
        path: 'stores.2.discountAccountCode',
        message: 'account code 777 is not an active account in the Xero chart of accounts of Test UK',
      },
    ]);
  });

  it("refuses a tax mapping that could not match OpenCart's tax, or names a missing rate", () => {
    const r = build({
      taxRateMapping: {
        '86': { taxType: 'RROUTPUT', accountCode: '' },
        '87': { taxType: 'OUTPUT2', accountCode: '' },
        '5': { taxType: '', accountCode: '' },
      },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toEqual([
      'taxRateMapping.86.taxType',
      'taxRateMapping.87.taxType',
      'taxRateMapping.5',
    ]);
    expect(r.errors[0]!.message).toBe(
      'OpenCart rate "VAT (20%)" is 20% but Xero tax type RROUTPUT is 5%: the invoice tax could not match the order',
    );
  });

  it('requires inventory accounts only when tracked inventory is on', () => {
    const chart = ukAccounts.filter((a) => !['630', '310'].includes(a.Code!));
    expect(build({}, chart).ok).toBe(true);
    const r = build({ exportItems: true, syncItemsWithXeroInventory: true }, chart);
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual(['inventoryAccountCode', 'cogsAccountCode']);
  });

  it('suggests tax types by matching percentages, standard output types first', () => {
    const rates: XeroTaxRate[] = [
      {
        Name: '20% (VAT on Income) reverse charge',
        TaxType: 'ECOUTPUT',
        EffectiveRate: 20,
        CanApplyToRevenue: true,
      },
      ...ukTaxRates,
    ];
    expect(suggestTaxMapping([VAT, ECO], rates)).toEqual({ '86': { taxType: 'OUTPUT2', accountCode: '' } });
    expect(
      suggestTaxMapping([VAT], [{ Name: '15% GST on Income', TaxType: 'OUTPUT2', EffectiveRate: 15 }]),
    ).toEqual({});
  });
});
