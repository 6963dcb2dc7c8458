/**
 * TEST HELPER: Xero organisations the mapping is checked against — a UK one (GBP base, the tax
 * rates of a UK organisation) and the same organisation with a USD base currency, so both the
 * USD→GBP path and the same-currency path are exercised. Charts follow Xero's default chart codes.
 */
import type { XeroAccount, XeroOrganisation, XeroTaxRate } from '../../../src/ports/xero.port';

export const ukTaxRates: XeroTaxRate[] = [
  {
    Name: '20% (VAT on Income)',
    TaxType: 'OUTPUT2',
    EffectiveRate: 20,
    Status: 'ACTIVE',
    CanApplyToRevenue: true,
  },
  {
    Name: '5% (VAT on Income)',
    TaxType: 'RROUTPUT',
    EffectiveRate: 5,
    Status: 'ACTIVE',
    CanApplyToRevenue: true,
  },
  {
    Name: 'Zero Rated Income',
    TaxType: 'ZERORATEDOUTPUT',
    EffectiveRate: 0,
    Status: 'ACTIVE',
    CanApplyToRevenue: true,
  },
  {
    Name: 'Exempt Income',
    TaxType: 'EXEMPTOUTPUT',
    EffectiveRate: 0,
    Status: 'ACTIVE',
    CanApplyToRevenue: true,
  },
  { Name: 'No VAT', TaxType: 'NONE', EffectiveRate: 0, Status: 'ACTIVE', CanApplyToRevenue: true },
  {
    Name: '20% (VAT on Expenses)',
    TaxType: 'INPUT2',
    EffectiveRate: 20,
    Status: 'ACTIVE',
    CanApplyToRevenue: false,
  },
];

const acc = (Code: string, Name: string, Type: string, extra: Partial<XeroAccount> = {}): XeroAccount => ({
  AccountID: `acc-${Code}`,
  Code,
  Name,
  Type,
  Status: 'ACTIVE',
  ...extra,
});

export const ukAccounts: XeroAccount[] = [
  acc('090', 'Business Bank Account', 'BANK'),
  acc('091', 'Business Savings Account', 'BANK'),
  acc('200', 'Sales', 'SALES'),
  acc('201', 'Old Sales (archived)', 'SALES', { Status: 'ARCHIVED' }),
  acc('260', 'Other Revenue', 'REVENUE'),
  acc('310', 'Cost of Goods Sold', 'DIRECTCOSTS'),
  acc('425', 'Freight & Courier', 'OVERHEADS'),
  acc('610', 'Accounts Receivable', 'CURRENT'),
  acc('630', 'Inventory', 'INVENTORY'),
  acc('820', 'VAT', 'CURRLIAB'),
  acc('835', 'Gift Voucher Liability', 'CURRLIAB'),
  acc('860', 'Rounding', 'CURRLIAB'),
  acc('880', 'Payment Clearing', 'CURRENT', { EnablePaymentsToAccount: true }),
];

export const ukOrganisation: XeroOrganisation = {
  Name: 'Test Trading UK',
  BaseCurrency: 'GBP',
  CountryCode: 'GB',
  Version: 'UK',
};
export const usdOrganisation: XeroOrganisation = {
  Name: 'Test Trading US-base',
  BaseCurrency: 'USD',
  CountryCode: 'GB',
  Version: 'UK',
};

/** A New Zealand organisation (NZD base, GST 15%): OpenCart's VAT 20% has no Xero equivalent there. */
export const nzTaxRates: XeroTaxRate[] = [
  {
    Name: '15% GST on Income',
    TaxType: 'OUTPUT2',
    EffectiveRate: 15,
    Status: 'ACTIVE',
    CanApplyToRevenue: true,
  },
  { Name: 'Zero Rated', TaxType: 'ZERORATED', EffectiveRate: 0, Status: 'ACTIVE', CanApplyToRevenue: true },
  { Name: 'No GST', TaxType: 'NONE', EffectiveRate: 0, Status: 'ACTIVE', CanApplyToRevenue: true },
  {
    Name: '15% GST on Expenses',
    TaxType: 'INPUT2',
    EffectiveRate: 15,
    Status: 'ACTIVE',
    CanApplyToRevenue: false,
  },
];
export const nzOrganisation: XeroOrganisation = {
  Name: 'Test Trading NZ',
  BaseCurrency: 'NZD',
  CountryCode: 'NZ',
  Version: 'NZ',
};
