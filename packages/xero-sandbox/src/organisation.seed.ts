import { randomUUID } from 'node:crypto';

// The two organisations every sandbox holds. Tenant ids are fixed so a demo that stored a
// tenant id keeps working after a restart of the CLI.

export type Json = Record<string, unknown>;

export interface OrganisationSeed {
  tenantId: string;
  organisation: Json;
  accounts: Json[];
  taxRates: Json[];
  currencies: Json[];
  trackingCategories: Json[];
  /** Foreign units per 1 unit of base currency: the sandbox's stand-in for Xero's daily XE.com rate. */
  dailyRates: Record<string, number>;
  /** Whether the plan has multi-currency (default true: Xero's top plan). */
  multiCurrency?: boolean;
}

/**
 * Xero plans as far as the API shows them. Multi-currency needs the top plan (Premium, now
 * Comprehensive/Ultimate): on any other plan the organisation has its base currency only
 * (GET /Currencies lists just it), adding a currency is refused, and so is every invoice in
 * another currency ("The currency EUR has not been added to this organisation.").
 */
export type SandboxPlan = 'standard' | 'premium';

/** The seed on a plan: 'standard' keeps only the base currency and says so in Organisation.Class. */
export function onPlan(seed: OrganisationSeed, plan: SandboxPlan): OrganisationSeed {
  if (plan === 'premium') return { ...seed, multiCurrency: true };
  const base = String(seed.organisation.BaseCurrency);
  return {
    ...seed,
    organisation: { ...seed.organisation, Class: 'STANDARD' },
    currencies: seed.currencies.filter((c) => c.Code === base),
    dailyRates: { [base]: 1 },
    multiCurrency: false,
  };
}

export const UK_TENANT_ID = '5d8e0c2a-7f4b-4c1e-9a63-0b1d2e3f4a51';
export const NZ_TENANT_ID = '9b2f6a4d-1c3e-4f5a-8b7c-6d5e4f3a2b19';

interface AccountDef {
  code: string;
  name: string;
  type: string;
  taxType: string;
  cls: string;
  system?: string;
  bank?: string;
  payments?: boolean;
  status?: string;
}

function account(d: AccountDef, currency: string): Json {
  const out: Json = {
    AccountID: randomUUID(),
    Code: d.code,
    Name: d.name,
    Status: d.status ?? 'ACTIVE',
    Type: d.type,
    TaxType: d.taxType,
    Class: d.cls,
    EnablePaymentsToAccount: d.payments ?? false,
    ShowInExpenseClaims: false,
    ReportingCode: '',
    ReportingCodeName: '',
    HasAttachments: false,
    UpdatedDateUTC: '/Date(1700000000000+0000)/',
    AddToWatchlist: false,
  };
  if (d.system) out.SystemAccount = d.system;
  if (d.type === 'BANK') {
    out.BankAccountNumber = d.code === '090' ? '12345678' : '87654321';
    out.BankAccountType = d.bank ?? 'BANK';
    out.CurrencyCode = currency;
  }
  return out;
}

function taxRate(
  name: string,
  taxType: string,
  rate: number,
  report: string,
  component: string,
  revenue: boolean,
): Json {
  return {
    Name: name,
    TaxType: taxType,
    ReportTaxType: report,
    CanApplyToAssets: !revenue,
    CanApplyToEquity: !revenue,
    CanApplyToExpenses: !revenue,
    CanApplyToLiabilities: true,
    CanApplyToRevenue: revenue || rate === 0,
    DisplayTaxRate: rate,
    EffectiveRate: rate,
    Status: 'ACTIVE',
    TaxComponents: [{ Name: component, Rate: rate, IsCompound: false, IsNonRecoverable: false }],
  };
}

function trackingCategory(name: string, options: string[]): Json {
  return {
    TrackingCategoryID: randomUUID(),
    Name: name,
    Status: 'ACTIVE',
    Options: options.map((o) => ({
      TrackingOptionID: randomUUID(),
      Name: o,
      Status: 'ACTIVE',
      HasValidationErrors: false,
      IsDeleted: false,
      IsArchived: false,
      IsActive: true,
    })),
  };
}

function organisation(
  tenantId: string,
  name: string,
  version: string,
  currency: string,
  country: string,
  timezone: string,
  shortCode: string,
): Json {
  return {
    OrganisationID: tenantId,
    APIKey: '',
    Name: name,
    LegalName: `${name} Ltd`,
    PaysTax: true,
    Version: version,
    OrganisationType: 'COMPANY',
    BaseCurrency: currency,
    CountryCode: country,
    IsDemoCompany: false,
    OrganisationStatus: 'ACTIVE',
    FinancialYearEndDay: 31,
    FinancialYearEndMonth: 3,
    SalesTaxBasis: version === 'UK' ? 'ACCRUALS' : 'INVOICE',
    SalesTaxPeriod: version === 'UK' ? 'QUARTERLY1' : 'TWOMONTHS',
    DefaultSalesTax: 'Tax Exclusive',
    DefaultPurchasesTax: 'Tax Exclusive',
    CreatedDateUTC: '/Date(1700000000000)/',
    OrganisationEntityType: 'COMPANY',
    Timezone: timezone,
    ShortCode: shortCode,
    OrganisationCountryCode: country,
    Edition: 'BUSINESS',
    Class: 'PREMIUM',
    LineOfBusiness: 'Online retail',
    Addresses: [],
    Phones: [],
    ExternalLinks: [],
    PaymentTerms: {},
  };
}

const COMMON_ACCOUNTS = (
  tax: { out: string; in: string; exemptIn: string },
  taxLiability: string,
): AccountDef[] => [
  { code: '090', name: 'Business Bank Account', type: 'BANK', taxType: 'NONE', cls: 'ASSET' },
  { code: '091', name: 'Business Savings Account', type: 'BANK', taxType: 'NONE', cls: 'ASSET' },
  { code: '092', name: 'PayPal', type: 'BANK', taxType: 'NONE', cls: 'ASSET', bank: 'PAYPAL' },
  { code: '200', name: 'Sales', type: 'SALES', taxType: tax.out, cls: 'REVENUE' },
  {
    code: '201',
    name: 'Old Sales (archived)',
    type: 'SALES',
    taxType: tax.out,
    cls: 'REVENUE',
    status: 'ARCHIVED',
  },
  { code: '260', name: 'Other Revenue', type: 'REVENUE', taxType: tax.out, cls: 'REVENUE' },
  { code: '270', name: 'Interest Income', type: 'REVENUE', taxType: 'NONE', cls: 'REVENUE' },
  { code: '310', name: 'Cost of Goods Sold', type: 'DIRECTCOSTS', taxType: tax.in, cls: 'EXPENSE' },
  { code: '400', name: 'Advertising & Marketing', type: 'OVERHEADS', taxType: tax.in, cls: 'EXPENSE' },
  { code: '404', name: 'Bank Fees', type: 'OVERHEADS', taxType: tax.exemptIn, cls: 'EXPENSE' },
  { code: '425', name: 'Freight & Courier', type: 'OVERHEADS', taxType: tax.in, cls: 'EXPENSE' },
  { code: '429', name: 'General Expenses', type: 'OVERHEADS', taxType: tax.in, cls: 'EXPENSE' },
  {
    code: '610',
    name: 'Accounts Receivable',
    type: 'CURRENT',
    taxType: 'NONE',
    cls: 'ASSET',
    system: 'DEBTORS',
  },
  { code: '630', name: 'Inventory', type: 'INVENTORY', taxType: 'NONE', cls: 'ASSET' },
  {
    code: '800',
    name: 'Accounts Payable',
    type: 'CURRLIAB',
    taxType: 'NONE',
    cls: 'LIABILITY',
    system: 'CREDITORS',
  },
  { code: '820', name: taxLiability, type: 'CURRLIAB', taxType: 'NONE', cls: 'LIABILITY', system: 'GST' },
  { code: '835', name: 'Gift Voucher Liability', type: 'CURRLIAB', taxType: 'NONE', cls: 'LIABILITY' },
  {
    code: '840',
    name: 'Historical Adjustment',
    type: 'CURRLIAB',
    taxType: 'NONE',
    cls: 'LIABILITY',
    system: 'HISTORICAL',
  },
  { code: '860', name: 'Rounding', type: 'CURRLIAB', taxType: 'NONE', cls: 'LIABILITY', system: 'ROUNDING' },
  {
    code: '877',
    name: 'Tracking Transfers',
    type: 'CURRLIAB',
    taxType: 'NONE',
    cls: 'LIABILITY',
    system: 'TRACKINGTRANSFERS',
  },
  { code: '880', name: 'Payment Clearing', type: 'CURRENT', taxType: 'NONE', cls: 'ASSET', payments: true },
  {
    code: '960',
    name: 'Retained Earnings',
    type: 'EQUITY',
    taxType: 'NONE',
    cls: 'EQUITY',
    system: 'RETAINEDEARNINGS',
  },
];

export function ukSeed(): OrganisationSeed {
  return {
    tenantId: UK_TENANT_ID,
    organisation: organisation(
      UK_TENANT_ID,
      'Sandbox Trading UK',
      'UK',
      'GBP',
      'GB',
      'GMTSTANDARDTIME',
      '!uk5db',
    ),
    accounts: COMMON_ACCOUNTS({ out: 'OUTPUT2', in: 'INPUT2', exemptIn: 'EXEMPTINPUT' }, 'VAT').map((a) =>
      account(a, 'GBP'),
    ),
    taxRates: [
      taxRate('20% (VAT on Income)', 'OUTPUT2', 20, 'OUTPUT', 'VAT', true),
      taxRate('5% (VAT on Income)', 'RROUTPUT', 5, 'OUTPUT', 'VAT', true),
      taxRate('Zero Rated Income', 'ZERORATEDOUTPUT', 0, 'OUTPUT', 'VAT', true),
      taxRate('Exempt Income', 'EXEMPTOUTPUT', 0, 'EXEMPTOUTPUT', 'VAT', true),
      taxRate('No VAT', 'NONE', 0, 'NONE', 'VAT', false),
      taxRate('20% (VAT on Expenses)', 'INPUT2', 20, 'INPUT', 'VAT', false),
      taxRate('5% (VAT on Expenses)', 'RRINPUT', 5, 'INPUT', 'VAT', false),
      taxRate('Zero Rated Expenses', 'ZERORATEDINPUT', 0, 'INPUT', 'VAT', false),
      taxRate('Exempt Expenses', 'EXEMPTINPUT', 0, 'EXEMPTINPUT', 'VAT', false),
    ],
    currencies: [
      { Code: 'GBP', Description: 'British Pound' },
      { Code: 'USD', Description: 'United States Dollar' },
      { Code: 'EUR', Description: 'Euro' },
    ],
    trackingCategories: [trackingCategory('Sales Channel', ['Web Store', 'Marketplace'])],
    dailyRates: { GBP: 1, USD: 1.27, EUR: 1.16 },
  };
}

export function nzSeed(): OrganisationSeed {
  return {
    tenantId: NZ_TENANT_ID,
    organisation: organisation(
      NZ_TENANT_ID,
      'Sandbox Trading NZ',
      'NZ',
      'NZD',
      'NZ',
      'NEWZEALANDSTANDARDTIME',
      '!nz9b2',
    ),
    accounts: COMMON_ACCOUNTS({ out: 'OUTPUT2', in: 'INPUT2', exemptIn: 'NONE' }, 'GST').map((a) =>
      account(a, 'NZD'),
    ),
    taxRates: [
      taxRate('15% GST on Income', 'OUTPUT2', 15, 'OUTPUT', 'GST', true),
      taxRate('Zero Rated', 'ZERORATED', 0, 'OUTPUT', 'GST', true),
      taxRate('No GST', 'NONE', 0, 'NONE', 'GST', false),
      taxRate('15% GST on Expenses', 'INPUT2', 15, 'INPUT', 'GST', false),
      taxRate('GST on Imports', 'GSTONIMPORTS', 0, 'GSTONIMPORTS', 'GST', false),
    ],
    currencies: [
      { Code: 'NZD', Description: 'New Zealand Dollar' },
      { Code: 'AUD', Description: 'Australian Dollar' },
      { Code: 'USD', Description: 'United States Dollar' },
    ],
    trackingCategories: [trackingCategory('Sales Channel', ['Web Store', 'Marketplace'])],
    dailyRates: { NZD: 1, AUD: 0.91, USD: 0.59 },
  };
}
