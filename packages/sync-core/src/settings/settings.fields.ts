/**
 * How each setting is shown to the merchant: its label (the seed's own name where the extension had
 * the setting), one line of help, the group of the seed's settings table it sits in, and the kind of
 * control that edits it. Lives beside the schema (DESIGN §8) so the admin SPA, the API's
 * `GET /api/settings/fields` and error messages name settings the same way. Browser-safe: no imports
 * beyond the schema's own module.
 *
 * Every key of `settingsSchema` must have an entry here: settings.fields.spec.ts fails naming a key
 * without one (a key added in parallel does not break the build, only that test).
 */
import type { settingsSchema } from './settings.schema';
import { CONTACT_FORMAT_OPTIONS } from './settings.schema';

/** Every top-level settings key. */
export type SettingKey = keyof (typeof settingsSchema)['shape'];

/** Groups as the seed's settings table orders them, plus the connector's additions (taxes, stores). */
export const SETTING_GROUPS = [
  { id: 'connection', label: 'Connection', section: 'connection', help: 'The Xero app this connector signs in with, and whether it syncs at all.' },
  { id: 'cron', label: 'Cron', section: 'connection', help: 'It is recommended to have the intervals set to < 20 minutes to prevent Xero token from expiring.' },
  { id: 'debug', label: 'Debug', section: 'connection', help: 'Troubleshooting.' },
  { id: 'accounts', label: 'Accounts', section: 'accounts', help: "Accounts are picked from the organisation's chart. Left on Automatic, the usual account of the chart is used." },
  { id: 'customers', label: 'Customers', section: 'customers', help: 'How OpenCart customers become Xero contacts.' },
  { id: 'items', label: 'Items', section: 'items', help: 'How OpenCart products become Xero items.' },
  { id: 'invoices', label: 'Invoices', section: 'invoices', help: 'Which orders become invoices, and how they are booked.' },
  { id: 'taxes', label: 'Tax mapping', section: 'taxes', help: 'Each OpenCart tax rate and the Xero tax type it is booked with.' },
  { id: 'stores', label: 'Stores', section: 'stores', help: 'Per-store overrides; anything left empty uses the setting above.' },
] as const;
export type SettingGroupId = (typeof SETTING_GROUPS)[number]['id'];
/** The screens' tabs: each holds one or more groups. */
export type SettingSectionId = (typeof SETTING_GROUPS)[number]['section'];

/** Which Xero account types fit each kind of account field (pickers offer only these). */
export const ACCOUNT_KIND_TYPES = {
  sales: ['REVENUE', 'SALES', 'OTHERINCOME'],
  payment: ['BANK', 'CURRENT'],
  liability: ['CURRLIAB', 'LIABILITY', 'TERMLIAB'],
  expense: ['EXPENSE', 'OVERHEADS', 'DIRECTCOSTS'],
  inventory: ['INVENTORY', 'CURRENT'],
  cogs: ['DIRECTCOSTS', 'EXPENSE'],
  any: [],
} as const satisfies Record<string, readonly string[]>;
export type AccountKind = keyof typeof ACCOUNT_KIND_TYPES;

/**
 * Where a select's choices come from: fixed `options` on the field, or one of the store's /
 * organisation's lists the screen loads.
 */
export type ChoiceSource = 'orderStatuses' | 'xeroTaxTypes';

export type SettingKind =
  | 'toggle'
  | 'text'
  | 'secret'
  | 'number'
  | 'date'
  | 'select'
  | 'multi-select'
  | 'account-picker'
  /** The cron token: generated, never typed. */
  | 'cron-token'
  /** A map of payment method code → account (only installed, enabled methods are shown). */
  | 'payment-accounts'
  /** A map of order_total code → account. */
  | 'total-code-accounts'
  /** A map of OpenCart tax_rate_id → Xero tax type / account. */
  | 'tax-mapping'
  /** A map of store_id → overrides. */
  | 'store-overrides'
  /** Any other map (option value → item code, payment method → statuses): edited as JSON. */
  | 'json';

export interface SettingFieldMeta {
  /** As the merchant reads it; the seed's own name where the extension had the setting. */
  label: string;
  /** One line of help, shown under the control. */
  help: string;
  group: SettingGroupId;
  kind: SettingKind;
  /** account-picker / payment-accounts / total-code-accounts: the account types offered. */
  accountKind?: AccountKind;
  /** select / multi-select: fixed choices. */
  options?: ReadonlyArray<{ value: string; label: string }>;
  /** select / multi-select: choices loaded from the store or the organisation. */
  choices?: ChoiceSource;
  /** select: the merchant may type a value that is not among the options (e.g. a custom Contact Format). */
  allowCustom?: boolean;
  /** select: '' allowed (cleared), with this text shown for it. */
  emptyLabel?: string;
  /** number: bounds (the schema's). */
  min?: number;
  max?: number;
  /** Turning a toggle on needs a confirmation that says what it will change. */
  confirmOn?: { title: string; text: string; ok: string };
  /** true: in the seed's table (the extension had it); false: what the connector adds. */
  seed: boolean;
}

/** OpenCart's own return actions and statuses (installed names); a store may rename them, so others can be typed. */
const RETURN_ACTION_OPTIONS = [{ value: 'Refunded', label: 'Refunded' }, { value: 'Credit Issued', label: 'Credit Issued' }, { value: 'Replacement Sent', label: 'Replacement Sent' }];
const RETURN_STATUS_OPTIONS = [{ value: 'Pending', label: 'Pending' }, { value: 'Awaiting Products', label: 'Awaiting Products' }, { value: 'Complete', label: 'Complete' }];

export const SETTING_FIELD_META = {
  // ---- Connection ----
  status: { label: 'Status', help: 'The connector syncs (scheduler, cron URL, runs) only while enabled.', group: 'connection', kind: 'toggle', seed: true },
  clientId: { label: 'Client ID', help: 'Client ID of your Xero app (developer.xero.com > My Apps).', group: 'connection', kind: 'text', seed: true },
  clientSecret: { label: 'Client Secret', help: 'Client secret of your Xero app; stored encrypted and never shown again.', group: 'connection', kind: 'secret', seed: true },
  // ---- Cron ----
  cronToken: { label: 'Cron Token', help: 'The token the cron URL must carry, to prevent unwanted syncs. Regenerate it to stop the old cron line.', group: 'cron', kind: 'cron-token', seed: true },
  syncIntervalMinutes: { label: 'Sync interval (minutes)', help: 'How often the built-in scheduler syncs. Keep it under 20 minutes so the Xero connection does not expire.', group: 'cron', kind: 'number', min: 1, max: 1440, seed: false },
  // ---- Debug ----
  debug: { label: 'Debug', help: "Log Xero's responses (without tokens) for troubleshooting.", group: 'debug', kind: 'toggle', seed: true },
  // ---- Accounts ----
  salesAccountCode: { label: 'Sales Account Code', help: 'The sales account used for the product lines of invoices.', group: 'accounts', kind: 'account-picker', accountKind: 'sales', seed: true },
  shippingAccountCode: { label: 'Shipping Account Code', help: 'The account used for shipping lines. Automatic: the sales account.', group: 'accounts', kind: 'account-picker', accountKind: 'sales', seed: true },
  paymentAccountCodes: { label: 'Payment Account Code', help: 'The account each payment method is paid into. Only active payment methods are displayed.', group: 'accounts', kind: 'payment-accounts', accountKind: 'payment', seed: true },
  defaultPaymentAccountCode: { label: 'Payment Account Code (other methods)', help: 'Payments of methods without their own account. Automatic: no payment is booked (the invoice stays awaiting payment).', group: 'accounts', kind: 'account-picker', accountKind: 'payment', seed: false },
  roundingAccountCode: { label: 'Rounding Account Code', help: 'The account of the one rounding line that makes Xero’s total equal OpenCart’s.', group: 'accounts', kind: 'account-picker', accountKind: 'any', seed: true },
  inventoryAccountCode: { label: 'Inventory Account Code', help: 'The inventory asset account of tracked items.', group: 'accounts', kind: 'account-picker', accountKind: 'inventory', seed: true },
  cogsAccountCode: { label: 'COGS Account Code', help: 'The cost of goods sold account of tracked items.', group: 'accounts', kind: 'account-picker', accountKind: 'cogs', seed: true },
  discountAccountCode: { label: 'Discount Account Code', help: 'Coupons and discounts. Automatic: the sales account (discounts reduce sales).', group: 'accounts', kind: 'account-picker', accountKind: 'sales', seed: false },
  voucherLiabilityAccountCode: { label: 'Voucher Liability Account Code', help: 'Gift vouchers bought and redeemed (a liability until used).', group: 'accounts', kind: 'account-picker', accountKind: 'liability', seed: false },
  storeCreditAccountCode: { label: 'Store Credit Account Code', help: 'Store credit customers spend. Automatic: the voucher liability account.', group: 'accounts', kind: 'account-picker', accountKind: 'liability', seed: false },
  rewardPointsAccountCode: { label: 'Reward Points Account Code', help: 'Reward points redeemed. Automatic: the discount account.', group: 'accounts', kind: 'account-picker', accountKind: 'sales', seed: false },
  feeAccountCode: { label: 'Fee Account Code', help: 'Handling, low order and payment fees. Automatic: the sales account.', group: 'accounts', kind: 'account-picker', accountKind: 'sales', seed: false },
  unknownTotalAccountCode: { label: 'Unknown Totals Account Code', help: 'Order totals no rule knows (never dropped). Automatic: Suspense, else the sales account.', group: 'accounts', kind: 'account-picker', accountKind: 'any', seed: false },
  fixedTaxAccountCode: { label: 'Fixed Tax Account Code', help: 'Fixed-amount taxes (e.g. Eco Tax) without their own account. Automatic: the sales account.', group: 'accounts', kind: 'account-picker', accountKind: 'any', seed: false },
  totalCodeAccounts: { label: 'Account per order total', help: 'An account for one OpenCart order total code (e.g. handling), over the rules above.', group: 'accounts', kind: 'total-code-accounts', accountKind: 'any', seed: false },
  // ---- Customers ----
  makeCustomerUnique: { label: 'Make Customer Unique', help: 'One Xero contact per OpenCart customer; names are made unique when two customers share one.', group: 'customers', kind: 'toggle', seed: true },
  contactFormat: { label: 'Contact Format', help: 'How the Xero contact name is built. Placeholders: {firstname} {lastname} {company} {email} {telephone} {customer_id}.', group: 'customers', kind: 'select', options: CONTACT_FORMAT_OPTIONS, allowCustom: true, seed: true },
  exportCustomers: { label: 'Export Customers', help: "Exports OpenCart's customers over to Xero as contacts.", group: 'customers', kind: 'toggle', seed: true },
  // ---- Items ----
  exportItems: { label: 'Export Items', help: "Exports OpenCart's products over to Xero as items; invoice lines then carry the item code.", group: 'items', kind: 'toggle', seed: true },
  syncItemsWithXeroInventory: { label: 'Sync Items with Xero Inventory', help: 'Exported items are tracked in Xero (inventory and COGS accounts). Needs Export Items.', group: 'items', kind: 'toggle', seed: true },
  syncItemStocks: {
    label: 'Sync Items Stocks',
    help: 'Brings stock bought or adjusted in Xero (bills, supplier credit notes) back into OpenCart\'s product quantities. Needs Sync Items with Xero Inventory.',
    group: 'items',
    kind: 'toggle',
    confirmOn: {
      title: 'Sync Items Stocks?',
      text: "Every sync brings back into OpenCart the stock bought or adjusted in Xero (bills, supplier credit notes) for each product exported as a tracked Xero item; the store's own sales never come back. A sync that would set many products to zero stops and asks. Products not in Xero keep their quantity.",
      ok: 'Yes, let Xero set the stock',
    },
    seed: true,
  },
  allowBackorders: { label: 'Allow Backorders', help: 'Xero accepts invoices of tracked items even when they take its quantity on hand below zero (the store already sold the stock).', group: 'items', kind: 'toggle', seed: false },
  openingStockAccountCode: { label: 'Opening Stock Account Code', help: 'The account that balances the opening-stock bills of newly tracked items. Automatic: 840 Historical Adjustment.', group: 'accounts', kind: 'account-picker', accountKind: 'any', seed: false },
  openingStockCostPercent: { label: 'Opening Stock Cost (% of price)', help: 'Unit cost of the opening stock given to Xero, as a percentage of the product price.', group: 'items', kind: 'number', min: 0, max: 100, seed: false },
  openingStockDate: { label: 'Opening Stock Date', help: 'Date of the opening-stock bills. Empty: the day of the run.', group: 'items', kind: 'date', seed: false },
  openingStockContactName: { label: 'Opening Stock Contact', help: 'The Xero contact the opening-stock bills are raised against.', group: 'items', kind: 'text', seed: false },
  optionItemCodes: { label: 'Option Item Codes', help: 'Option values (product_option_value_id) → code of a tracked Xero item, e.g. {"12": "TSHIRT-RED-M"}: those option values get opening stock and stock sync.', group: 'items', kind: 'json', seed: false },
  stockZeroGuardPercent: { label: 'Stock Zero Guard (%)', help: 'A stock sync that would set at least this share of tracked products to zero stops and asks for confirmation.', group: 'items', kind: 'number', min: 0, max: 100, seed: false },
  stockZeroGuardMinProducts: { label: 'Stock Zero Guard (products)', help: 'The guard applies only when at least this many products would go to zero.', group: 'items', kind: 'number', min: 1, max: 1000000, seed: false },
  optionsInDescription: { label: 'Options in line description', help: "Product options (size, colour) are added to the invoice line's description.", group: 'items', kind: 'toggle', seed: false },
  // ---- Invoices ----
  exportInvoices: { label: 'Export Invoices', help: 'Export OpenCart orders over to Xero as invoices.', group: 'invoices', kind: 'toggle', seed: true },
  invoiceStatus: {
    label: 'Invoice Status',
    help: 'DRAFT to review invoices in Xero first; AUTHORISED so payments can be applied.',
    group: 'invoices',
    kind: 'select',
    options: [
      { value: 'DRAFT', label: 'DRAFT' },
      { value: 'AUTHORISED', label: 'AUTHORISED' },
    ],
    seed: true,
  },
  exportStatuses: { label: 'Order Status to Export', help: 'Orders in these statuses are exported during the sync.', group: 'invoices', kind: 'multi-select', choices: 'orderStatuses', seed: true },
  removeStatuses: { label: 'Order Status to Remove', help: 'Invoices of orders reaching these statuses are removed (deleted or voided) during the sync.', group: 'invoices', kind: 'multi-select', choices: 'orderStatuses', seed: true },
  paidStatuses: { label: 'Order Status meaning paid', help: 'Orders in these statuses get a payment (AUTHORISED invoices only).', group: 'invoices', kind: 'multi-select', choices: 'orderStatuses', seed: false },
  paidStatusesByPaymentMethod: { label: 'Paid Statuses by Payment Method', help: 'Which order statuses mean paid for one payment method, e.g. {"cod": ["Complete"]} (cash on delivery is paid only when delivered); methods left out use Order Status meaning paid.', group: 'invoices', kind: 'json', seed: false },
  refundStatuses: { label: 'Order Status meaning refunded', help: 'Orders in these statuses get a credit note against their invoice.', group: 'invoices', kind: 'multi-select', choices: 'orderStatuses', seed: false },
  returnRefundActions: { label: 'Return actions meaning refunded', help: "OpenCart return actions (OpenCart's default names; type another if the store renamed them) that book a credit note for the returned lines, paid back from the payment account.", group: 'invoices', kind: 'multi-select', options: RETURN_ACTION_OPTIONS, allowCustom: true, seed: false },
  returnStoreCreditActions: { label: 'Return actions meaning store credit', help: 'Return actions that book a credit note for the returned lines, credited to the Store Credit Account.', group: 'invoices', kind: 'multi-select', options: RETURN_ACTION_OPTIONS, allowCustom: true, seed: false },
  returnBookedStatuses: { label: 'Return statuses booked in Xero', help: 'Returns are booked once they reach one of these return statuses; returns in other statuses wait.', group: 'invoices', kind: 'multi-select', options: RETURN_STATUS_OPTIONS, allowCustom: true, seed: false },
  markPaidStatus: { label: 'Order Status when paid in Xero', help: 'Set on the OpenCart order when Xero reports its invoice paid. Empty: OpenCart is never changed.', group: 'invoices', kind: 'select', choices: 'orderStatuses', emptyLabel: 'Never change OpenCart', seed: false },
  invoiceNumberFormat: { label: 'Invoice number format', help: 'Placeholders {order_id} {invoice_prefix} {invoice_no} {store_id}; must contain {order_id}.', group: 'invoices', kind: 'text', seed: false },
  dueDays: { label: 'Due days', help: 'The due date is the invoice date plus this many days.', group: 'invoices', kind: 'number', min: 0, max: 365, seed: false },
  exportZeroTotalOrders: { label: 'Export zero-total orders', help: 'Invoice orders whose total is zero (they never take a payment).', group: 'invoices', kind: 'toggle', seed: false },
  exportFromDate: { label: 'Export orders from', help: 'Only orders added on or after this date are exported. Empty: all orders.', group: 'invoices', kind: 'date', seed: false },
  currencyRateSource: {
    label: 'Currency rate',
    help: "The rate of foreign-currency invoices: OpenCart's rate at order time, or Xero's daily rate.",
    group: 'invoices',
    kind: 'select',
    options: [
      { value: 'opencart', label: "OpenCart's rate at order time" },
      { value: 'xero', label: "Xero's daily rate" },
    ],
    seed: false,
  },
  foreignCurrencyInvoices: {
    label: 'Foreign-currency invoices',
    help: "Orders in another currency than the organisation's: Automatic = the order's currency when Xero has it enabled, else the base currency; the base currency is booked at the order's rate with the original amount in the Reference.",
    group: 'invoices',
    kind: 'select',
    options: [
      { value: 'auto', label: 'Automatic (what the Xero plan supports)' },
      { value: 'order', label: "Always the order's currency" },
      { value: 'base', label: "Always the organisation's base currency" },
    ],
    seed: false,
  },
  // ---- Tax mapping ----
  taxRateMapping: { label: 'Tax mapping', help: 'Each OpenCart tax rate → the Xero tax type it is booked with (suggested by matching percentages).', group: 'taxes', kind: 'tax-mapping', accountKind: 'any', seed: false },
  noTaxType: { label: 'Tax type for untaxed lines', help: "The tax type of untaxed lines and the rounding line. Empty: the organisation's No VAT/Tax Exempt rate.", group: 'taxes', kind: 'select', choices: 'xeroTaxTypes', emptyLabel: 'Automatic', seed: false },
  // ---- Stores ----
  stores: { label: 'Stores', help: 'Per-store sales and shipping accounts and invoice number format.', group: 'stores', kind: 'store-overrides', seed: false },
} as const satisfies { [K in SettingKey]?: SettingFieldMeta };

export interface SettingField extends SettingFieldMeta {
  key: SettingKey;
}

/** Every setting with its metadata, in the order the screens show them. */
export const SETTING_FIELDS: SettingField[] = Object.entries(SETTING_FIELD_META as Record<string, SettingFieldMeta>).map(
  ([key, meta]) => ({ key: key as SettingKey, ...meta }),
);

/** The settings of one group, in screen order. */
export function settingFieldsOf(group: SettingGroupId): SettingField[] {
  return SETTING_FIELDS.filter((f) => f.group === group);
}

/** A setting's label for messages ("Shipping Account Code"), or the path itself when unknown. */
export function settingLabel(path: string): string {
  const top = path.split('.')[0] as SettingKey;
  return (SETTING_FIELD_META as Record<string, SettingFieldMeta>)[top]?.label ?? path;
}
