/**
 * Do the settings fit the organisation and the store? Checked when settings are saved (apps/api),
 * so a bank account picked as the sales account, an archived code or a misspelt status is refused
 * with the field and the reason, instead of failing every order of the next run.
 * Pure: the caller brings the chart of accounts (Xero) and the order statuses (OpenCart).
 */
import type { FieldError, Settings } from './settings.schema';

/** What a field's account is used for, and so which account types fit it. */
export type AccountRole = 'sales' | 'discount' | 'payment' | 'inventory' | 'cogs' | 'liability' | 'line';

/** Xero account types each role takes ('payment' also takes any account with payments enabled). */
export const ACCOUNT_TYPES_BY_ROLE: Record<AccountRole, { types: readonly string[] | null; label: string }> = {
  sales: { types: ['REVENUE', 'SALES', 'OTHERINCOME'], label: 'Revenue, Sales or Other Income' },
  discount: { types: ['REVENUE', 'SALES', 'OTHERINCOME', 'EXPENSE', 'DIRECTCOSTS', 'OVERHEADS'], label: 'Revenue, Sales, Other Income, Expense, Direct Costs or Overheads' },
  payment: { types: ['BANK'], label: 'Bank (or an account with "Enable payments to this account")' },
  inventory: { types: ['INVENTORY', 'CURRENT'], label: 'Inventory or Current Asset' },
  cogs: { types: ['DIRECTCOSTS', 'EXPENSE', 'OVERHEADS'], label: 'Direct Costs, Expense or Overheads' },
  liability: { types: ['CURRLIAB', 'LIABILITY', 'TERMLIAB'], label: 'Current Liability, Liability or Non-current Liability' },
  // Any account an invoice line may use: everything but a bank account.
  line: { types: null, label: 'any type except Bank' },
};

/** One account code the settings name (non-empty: '' means "resolve automatically"). */
export interface AccountField {
  /** Dotted path, e.g. 'paymentAccountCodes.cod', 'stores.1.salesAccountCode'. */
  path: string;
  code: string;
  role: AccountRole;
}

/** The chart of accounts as the rules need it (XeroAccount fits). */
export interface ChartAccount {
  Code?: string;
  Name: string;
  Type: string;
  Status?: string;
  EnablePaymentsToAccount?: boolean;
}

const TOP_LEVEL_ROLES: Array<[keyof Settings, AccountRole]> = [
  ['salesAccountCode', 'sales'],
  ['shippingAccountCode', 'sales'],
  ['discountAccountCode', 'discount'],
  ['rewardPointsAccountCode', 'discount'],
  ['defaultPaymentAccountCode', 'payment'],
  ['inventoryAccountCode', 'inventory'],
  ['cogsAccountCode', 'cogs'],
  ['voucherLiabilityAccountCode', 'liability'],
  ['storeCreditAccountCode', 'liability'],
  ['roundingAccountCode', 'line'],
  ['feeAccountCode', 'line'],
  ['unknownTotalAccountCode', 'line'],
  ['fixedTaxAccountCode', 'line'],
];

/** Every account code the settings name, with what it is used for. */
export function accountFieldsOf(s: Settings): AccountField[] {
  const out: AccountField[] = [];
  const add = (path: string, code: string | undefined, role: AccountRole): void => {
    if (code && code.trim()) out.push({ path, code: code.trim(), role });
  };
  for (const [key, role] of TOP_LEVEL_ROLES) add(key, s[key] as string, role);
  for (const [method, code] of Object.entries(s.paymentAccountCodes)) add(`paymentAccountCodes.${method}`, code, 'payment');
  for (const [total, code] of Object.entries(s.totalCodeAccounts)) add(`totalCodeAccounts.${total}`, code, 'line');
  for (const [rate, m] of Object.entries(s.taxRateMapping)) add(`taxRateMapping.${rate}.accountCode`, m.accountCode, 'line');
  for (const [storeId, o] of Object.entries(s.stores)) {
    add(`stores.${storeId}.salesAccountCode`, o.salesAccountCode, 'sales');
    add(`stores.${storeId}.shippingAccountCode`, o.shippingAccountCode, 'sales');
    add(`stores.${storeId}.discountAccountCode`, o.discountAccountCode, 'discount');
    for (const [method, code] of Object.entries(o.paymentAccountCodes ?? {})) add(`stores.${storeId}.paymentAccountCodes.${method}`, code, 'payment');
  }
  return out;
}

const describe = (a: ChartAccount): string => `${a.Code} (${a.Name})`;

/** Why `account` does not fit `role`, or null when it fits. */
export function accountMisfit(account: ChartAccount | undefined, field: AccountField, orgName: string): string | null {
  if (!account) return `account ${field.code} does not exist in ${orgName}'s chart of accounts; pick one from the list`;
  if (account.Status && account.Status !== 'ACTIVE') return `account ${describe(account)} is ${account.Status.toLowerCase()} in Xero; pick an active account`;
  const rule = ACCOUNT_TYPES_BY_ROLE[field.role];
  const type = account.Type.toUpperCase();
  if (field.role === 'payment') {
    if (type === 'BANK' || account.EnablePaymentsToAccount) return null;
    return `account ${describe(account)} is of type ${type} and does not take payments; a payment account must be ${rule.label}`;
  }
  if (rule.types === null) return type === 'BANK' ? `account ${describe(account)} is a bank account; invoice lines cannot be booked to a bank account` : null;
  if (rule.types.includes(type)) return null;
  return `account ${describe(account)} is of type ${type}; this account must be ${rule.label}`;
}

/** Field errors for account codes that do not exist, are not active or are of the wrong type. */
export function accountFitErrors(fields: AccountField[], chart: ChartAccount[], orgName = 'the organisation'): FieldError[] {
  const byCode = new Map(chart.filter((a) => a.Code).map((a) => [a.Code!.trim().toUpperCase(), a]));
  const errors: FieldError[] = [];
  for (const f of fields) {
    const why = accountMisfit(byCode.get(f.code.toUpperCase()), f, orgName);
    if (why) errors.push({ path: f.path, message: why });
  }
  return errors;
}

/** One status list (or single status) the settings name. */
export interface StatusField {
  path: string;
  names: string[];
}

/** Every status name the settings use. */
export function statusFieldsOf(s: Settings): StatusField[] {
  const out: StatusField[] = [
    { path: 'exportStatuses', names: s.exportStatuses },
    { path: 'removeStatuses', names: s.removeStatuses },
    { path: 'paidStatuses', names: s.paidStatuses },
    { path: 'refundStatuses', names: s.refundStatuses },
  ];
  for (const [method, names] of Object.entries(s.paidStatusesByPaymentMethod)) out.push({ path: `paidStatusesByPaymentMethod.${method}`, names });
  if (s.markPaidStatus.trim()) out.push({ path: 'markPaidStatus', names: [s.markPaidStatus] });
  return out;
}

/** Field errors for status names the store does not have (in any of its languages, case-insensitive). */
export function statusFitErrors(fields: StatusField[], storeStatuses: Array<{ name: string }>): FieldError[] {
  const known = new Set(storeStatuses.map((st) => st.name.trim().toLowerCase()));
  const list = [...new Set(storeStatuses.map((st) => st.name.trim()))].sort().join(', ');
  const errors: FieldError[] = [];
  for (const f of fields) {
    const missing = f.names.filter((n) => !known.has(n.trim().toLowerCase()));
    if (missing.length)
      errors.push({
        path: f.path,
        message: `${missing.map((m) => `"${m}"`).join(', ')} ${missing.length === 1 ? 'is not an order status' : 'are not order statuses'} of this store; its statuses are: ${list}`,
      });
  }
  return errors;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Only what a save changes is held against the organisation: a code that was fine when saved and
 * was archived since is shown by the run and the dashboard, and does not stop an unrelated edit.
 * With no `before`, everything is checked.
 */
export function changedAccountFields(next: Settings, before?: Settings): AccountField[] {
  const old = new Map((before ? accountFieldsOf(before) : []).map((f) => [f.path, f]));
  return accountFieldsOf(next).filter((f) => {
    const o = old.get(f.path);
    return !o || o.code !== f.code || o.role !== f.role;
  });
}

export function changedStatusFields(next: Settings, before?: Settings): StatusField[] {
  const old = new Map((before ? statusFieldsOf(before) : []).map((f) => [f.path, f]));
  return statusFieldsOf(next).filter((f) => !old.has(f.path) || !same(old.get(f.path)!.names, f.names));
}
