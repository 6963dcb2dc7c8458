/**
 * The connector's settings: every setting of the OpenCart extension it replaces (seed/) plus what
 * the accounting needs beyond it (DESIGN.md §5). Parsed once at boot / on save, passed down typed.
 *
 * Account codes and tax types left empty ('') mean "resolve automatically from the organisation"
 * (see buildMappingContext): the usual code of Xero's default chart first, then by account type.
 * That is what makes the defaults work on any store and any Xero organisation out of the box.
 */
import { z } from 'zod';

/** A Xero account code, or '' = resolve automatically. Xero codes are at most 10 characters. */
const accountCode = z
  .string()
  .trim()
  .max(10, 'Xero account codes are at most 10 characters')
  .regex(/^[A-Za-z0-9_.-]*$/, 'use letters, digits, dot, dash or underscore only');

/** A list of OpenCart order status NAMES, matched case-insensitively in any store language. */
const statusNames = z.array(z.string().trim().min(1, 'status names cannot be empty')).max(100);

/** How one OpenCart tax rate is booked in Xero. */
export const taxRateMappingEntrySchema = z.object({
  /** Xero TaxType for a percentage rate (e.g. OUTPUT2). '' = suggest from the organisation's rates. */
  taxType: z.string().trim().max(50).default(''),
  /**
   * Account for the rate's own line: used for fixed-amount rates (OpenCart type 'F', e.g. Eco Tax),
   * which Xero cannot express as a rate, and for percentage rates with no Xero tax type.
   * '' = the fixedTaxAccountCode setting.
   */
  accountCode: accountCode.default(''),
});
export type TaxRateMappingEntry = z.output<typeof taxRateMappingEntrySchema>;

/** Per-store overrides (multi-store): anything left out falls back to the global setting. */
export const storeOverridesSchema = z.object({
  /** Sales account for this store's product lines. */
  salesAccountCode: accountCode.optional(),
  /** Account for this store's shipping lines. */
  shippingAccountCode: accountCode.optional(),
  /** Account for this store's discounts (coupons). */
  discountAccountCode: accountCode.optional(),
  /** Payment account per payment method code, merged over the global map. */
  paymentAccountCodes: z.record(z.string(), accountCode).optional(),
  /** Invoice number format for this store (same placeholders as invoiceNumberFormat). */
  invoiceNumberFormat: z.string().trim().min(1).max(100).optional(),
});
export type StoreOverrides = z.output<typeof storeOverridesSchema>;

/** Placeholders a Contact Format may use. */
export const CONTACT_FORMAT_PLACEHOLDERS = [
  'firstname',
  'lastname',
  'company',
  'email',
  'telephone',
  'customer_id',
] as const;
/** Placeholders an invoice number format may use. */
export const INVOICE_NUMBER_PLACEHOLDERS = ['order_id', 'invoice_prefix', 'invoice_no', 'store_id'] as const;

/**
 * Contact Format options offered to the merchant. Any text with the placeholders
 * {firstname} {lastname} {company} {email} {telephone} {customer_id} is accepted.
 */
export const CONTACT_FORMAT_OPTIONS: Array<{ value: string; label: string }> = [
  { value: '{firstname} {lastname}', label: 'First name Last name' },
  { value: '{lastname}, {firstname}', label: 'Last name, First name' },
  { value: '{company}', label: 'Company (falls back to the name when empty)' },
  { value: '{firstname} {lastname} ({email})', label: 'Name (email)' },
  { value: '{company} - {firstname} {lastname}', label: 'Company - Name' },
  { value: '{email}', label: 'Email address' },
];

const placeholdersIn = (s: string): string[] =>
  Array.from(s.matchAll(/\{([a-z_]+)\}/g), (m) => m[1] as string);

export const settingsSchema = z
  .object({
    // ---- the extension's own settings (seed) ----
    /** Status: the connector runs only when enabled. */
    status: z.boolean().default(false),
    /** Client ID of the Xero app. */
    clientId: z.string().trim().max(200).default(''),
    /** Client secret of the Xero app (encrypted at rest by the store; never logged). */
    clientSecret: z.string().trim().max(500).default(''),
    /** Token the cron URL must carry, to prevent unwanted syncs. '' = cron URL disabled. */
    cronToken: z.string().trim().max(200).default(''),
    /** Log Xero's responses (without tokens) for troubleshooting. */
    debug: z.boolean().default(false),
    /** Sales account for product lines. '' = 200 or the first REVENUE/SALES account. */
    salesAccountCode: accountCode.default(''),
    /** Account for shipping lines. '' = the sales account (shipping charged is sales income in a UK chart). */
    shippingAccountCode: accountCode.default(''),
    /** Account a payment goes to, per payment method code (3.x payment_code, 4.x extension code such as 'cod'). */
    paymentAccountCodes: z.record(z.string(), accountCode).default({}),
    /** Account for payments of methods not in paymentAccountCodes. '' = no payment for those (invoice stays awaiting payment). */
    defaultPaymentAccountCode: accountCode.default(''),
    /** Account of the one rounding line. '' = 860 or an account named Rounding. */
    roundingAccountCode: accountCode.default(''),
    /** Inventory asset account for tracked items. '' = 630 or the first INVENTORY account. */
    inventoryAccountCode: accountCode.default(''),
    /** Cost of goods sold account for tracked items. '' = 310 or the first DIRECTCOSTS account. */
    cogsAccountCode: accountCode.default(''),
    /** Make Customer Unique: one Xero contact per OpenCart customer, names made unique (ContactNumber / email appended when needed). */
    makeCustomerUnique: z.boolean().default(true),
    /** Contact Format: how a contact's Name is built, e.g. '{firstname} {lastname}' (see CONTACT_FORMAT_OPTIONS). */
    contactFormat: z
      .string()
      .trim()
      .min(1, 'the contact format cannot be empty')
      .max(200)
      .default('{firstname} {lastname}'),
    /** Export Customers: create/update Xero contacts for OpenCart customers. */
    exportCustomers: z.boolean().default(true),
    /** Sync Items with Xero Inventory: exported items are tracked (inventory + COGS accounts). */
    syncItemsWithXeroInventory: z.boolean().default(false),
    /** Export Items: create/update Xero items for products; invoice lines then reference item codes. */
    exportItems: z.boolean().default(false),
    /** Sync Items Stocks: bring Xero QuantityOnHand back into OpenCart product quantities. */
    syncItemStocks: z.boolean().default(false),
    /**
     * Allow Backorders: invoices of tracked items are accepted by Xero even when they take its
     * quantity on hand below zero (the store already sold the stock; Xero's `allowBackorders`).
     */
    allowBackorders: z.boolean().default(true),
    /**
     * Opening Stock Account Code: the inventory-adjustment account that balances the opening-stock
     * bill (Xero's way to give a newly tracked item its opening quantity). '' = 840 Historical Adjustment.
     */
    openingStockAccountCode: accountCode.default(''),
    /** Opening Stock Cost (% of price): unit cost of the opening stock, as a percentage of the product price. */
    openingStockCostPercent: z.number().min(0).max(100).default(100),
    /**
     * Opening Stock Date: the date of the opening-stock bills (YYYY-MM-DD, e.g. the day before the
     * first exported order, so cost of sales is valued from the start). '' = the day of the run.
     */
    openingStockDate: z
      .string()
      .trim()
      .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'use YYYY-MM-DD, or leave empty for the day of the run')
      .default(''),
    /** Opening Stock Contact: the Xero contact the opening-stock bills are raised against. */
    openingStockContactName: z.string().trim().min(1).max(255).default('Opening Stock'),
    /**
     * Option Item Codes: product_option_value_id → the code of a tracked Xero item the merchant made
     * for that option value (e.g. a size or colour with its own SKU). Those option values get their
     * opening stock and stock sync like products.
     */
    optionItemCodes: z
      .record(z.string().regex(/^[1-9]\d*$/, 'use the product_option_value_id as the key'), z.string().trim().min(1).max(30))
      .default({}),
    /** Stock Zero Guard (%): a stock sync that would set more than this share of tracked products to zero stops and asks. */
    stockZeroGuardPercent: z.number().min(0).max(100).default(20),
    /** Stock Zero Guard (products): the guard only applies when at least this many products would be set to zero. */
    stockZeroGuardMinProducts: z.number().int().min(1).max(1_000_000).default(3),
    /** Invoice Status: invoices are created as DRAFT (to review) or AUTHORISED (payments can be applied). */
    invoiceStatus: z.enum(['DRAFT', 'AUTHORISED']).default('DRAFT'),
    /** Order Status to Export: orders in these statuses are invoiced. */
    exportStatuses: statusNames.default(['Processing', 'Shipped', 'Complete']),
    /** Order Status to Remove: invoices of orders reaching these statuses are deleted/voided. */
    removeStatuses: statusNames.default(['Canceled', 'Reversed', 'Voided']),
    /** Export Invoices: export orders as invoices at all. */
    exportInvoices: z.boolean().default(true),

    // ---- what the accounting needs beyond the extension ----
    /** Statuses meaning "paid": such orders get a payment (AUTHORISED invoices only). */
    paidStatuses: statusNames.default(['Processing', 'Shipped', 'Complete']),
    /**
     * Statuses meaning "paid" for one payment method (code as in paymentAccountCodes), replacing
     * paidStatuses for its orders: cash on delivery is not paid at Processing, only when delivered
     * (Complete). Methods left out use paidStatuses.
     */
    paidStatusesByPaymentMethod: z.record(z.string().trim().min(1), statusNames).default({ cod: ['Complete'] }),
    /** Statuses meaning "refunded": such orders get a credit note allocated to their invoice. */
    refundStatuses: statusNames.default(['Refunded']),
    /** Return actions (OpenCart return_action names) meaning the money went back: a credit note for the returned lines, paid back from the order's payment account. */
    returnRefundActions: statusNames.default(['Refunded']),
    /** Return actions meaning store credit was given: a credit note for the returned lines, credited to the store-credit liability account. */
    returnStoreCreditActions: statusNames.default(['Credit Issued']),
    /** Return statuses (OpenCart return_status names) at which a return is booked in Xero; returns in other statuses wait. */
    returnBookedStatuses: statusNames.default(['Complete']),
    /** Account for coupons/discounts. '' = the sales account (discounts reduce sales). */
    discountAccountCode: accountCode.default(''),
    /** Liability account for gift vouchers bought and redeemed. '' = an account named like voucher/gift, else suspense, else rounding. */
    voucherLiabilityAccountCode: accountCode.default(''),
    /** Liability account for store credit used. '' = an account named like store credit, else the voucher liability account. */
    storeCreditAccountCode: accountCode.default(''),
    /** Account for reward points redeemed. '' = the discount account. */
    rewardPointsAccountCode: accountCode.default(''),
    /** Account for fees (handling, low order fee, payment fees). '' = the sales account. */
    feeAccountCode: accountCode.default(''),
    /** Account for any order total code nobody mapped (never dropped). '' = an account named Suspense, else the sales account. */
    unknownTotalAccountCode: accountCode.default(''),
    /** Account per order_total code, overriding the rules above (e.g. { handling: '200', low_order_fee: '200' }). */
    totalCodeAccounts: z.record(z.string(), accountCode).default({}),
    /** Account for fixed-amount tax lines (e.g. Eco Tax) without their own mapping. '' = the sales account. */
    fixedTaxAccountCode: accountCode.default(''),
    /** OpenCart tax_rate_id → how it is booked. Rates left out are suggested by matching percentages (suggestTaxMapping). */
    taxRateMapping: z
      .record(z.string().regex(/^\d+$/, 'keys are OpenCart tax_rate_id numbers'), taxRateMappingEntrySchema)
      .default({}),
    /** TaxType for untaxed lines and the rounding line. '' = the organisation's NONE, else its 0% revenue rate. */
    noTaxType: z.string().trim().max(50).default(''),
    /** Per-store overrides, keyed by store_id ('0' = default store). */
    stores: z
      .record(z.string().regex(/^\d+$/, 'keys are OpenCart store_id numbers'), storeOverridesSchema)
      .default({}),
    /** InvoiceNumber format; placeholders {order_id} {invoice_prefix} {invoice_no} {store_id}. Must contain {order_id} (it is the exactly-once key). */
    invoiceNumberFormat: z.string().trim().min(1).max(100).default('OC-{order_id}'),
    /** Due date = invoice date + this many days. */
    dueDays: z.number().int().min(0).max(365).default(0),
    /** Invoice zero-total orders (true) or skip them (false). They never take a payment. */
    exportZeroTotalOrders: z.boolean().default(true),
    /** How often the scheduler syncs, in minutes (keep < 20 so Xero tokens stay fresh). */
    syncIntervalMinutes: z.number().int().min(1).max(1440).default(5),
    /** Status name to set in OpenCart when Xero reports the invoice paid (webhook). '' = never change OpenCart. */
    markPaidStatus: z.string().trim().max(64).default(''),
    /** Only orders added on or after this date (YYYY-MM-DD) are exported. '' = all. */
    exportFromDate: z
      .string()
      .trim()
      .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'use YYYY-MM-DD')
      .default(''),
    /** Rate for foreign-currency invoices: from OpenCart's currency table when it knows the base currency, or always Xero's daily rate. */
    currencyRateSource: z.enum(['opencart', 'xero']).default('opencart'),
    /**
     * Orders in a currency other than the organisation's base currency. 'auto': invoiced in the
     * order's currency when the organisation has it enabled (GET /Currencies, read every run; Xero's
     * plans without multi-currency have only the base currency), otherwise booked in the base
     * currency. 'order': always in the order's currency (fails when the organisation lacks it).
     * 'base': always in the base currency at the order's rate, cent-exact, with the original amount
     * and currency in the Reference.
     */
    foreignCurrencyInvoices: z.enum(['auto', 'order', 'base']).default('auto'),
    /** Put product options into the line description. */
    optionsInDescription: z.boolean().default(true),
  })
  .superRefine((s, ctx) => {
    for (const p of placeholdersIn(s.contactFormat)) {
      if (!(CONTACT_FORMAT_PLACEHOLDERS as readonly string[]).includes(p)) {
        ctx.addIssue({
          code: 'custom',
          path: ['contactFormat'],
          message: `unknown placeholder {${p}}; use ${CONTACT_FORMAT_PLACEHOLDERS.map((x) => `{${x}}`).join(' ')}`,
        });
      }
    }
    if (placeholdersIn(s.contactFormat).length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['contactFormat'],
        message: 'the contact format needs at least one placeholder such as {firstname}',
      });
    }
    const checkNumberFormat = (format: string, path: Array<string | number>): void => {
      const ps = placeholdersIn(format);
      for (const p of ps) {
        if (!(INVOICE_NUMBER_PLACEHOLDERS as readonly string[]).includes(p)) {
          ctx.addIssue({
            code: 'custom',
            path,
            message: `unknown placeholder {${p}}; use ${INVOICE_NUMBER_PLACEHOLDERS.map((x) => `{${x}}`).join(' ')}`,
          });
        }
      }
      if (!ps.includes('order_id')) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: "must contain {order_id}: the invoice number is how we find an order's invoice again",
        });
      }
    };
    checkNumberFormat(s.invoiceNumberFormat, ['invoiceNumberFormat']);
    for (const [storeId, o] of Object.entries(s.stores)) {
      if (o.invoiceNumberFormat !== undefined)
        checkNumberFormat(o.invoiceNumberFormat, ['stores', storeId, 'invoiceNumberFormat']);
    }
    const lower = (xs: string[]): Set<string> => new Set(xs.map((x) => x.toLowerCase()));
    const exp = lower(s.exportStatuses);
    for (const r of s.removeStatuses) {
      if (exp.has(r.toLowerCase())) {
        ctx.addIssue({
          code: 'custom',
          path: ['removeStatuses'],
          message: `"${r}" is both an export and a remove status`,
        });
      }
    }
    if (s.syncItemsWithXeroInventory && !s.exportItems) {
      ctx.addIssue({
        code: 'custom',
        path: ['syncItemsWithXeroInventory'],
        message: 'tracked inventory needs Export Items switched on',
      });
    }
    if (s.syncItemStocks && !s.syncItemsWithXeroInventory) {
      ctx.addIssue({
        code: 'custom',
        path: ['syncItemStocks'],
        message:
          'stock sync needs Sync Items with Xero Inventory (only tracked items have a quantity in Xero)',
      });
    }
  });

/** The validated settings, every default applied. */
export type Settings = z.output<typeof settingsSchema>;

/** Settings with every default: a valid starting point for any store. */
export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}

/** One field-level error, path dotted ('stores.1.salesAccountCode'). */
export interface FieldError {
  path: string;
  message: string;
}

/** Validate a settings document (e.g. as saved by the admin page); unknown keys are dropped. */
export function parseSettings(
  input: unknown,
): { ok: true; settings: Settings } | { ok: false; errors: FieldError[] } {
  const r = settingsSchema.safeParse(input ?? {});
  if (r.success) return { ok: true, settings: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => ({
      path: i.path.map(String).join('.') || '(root)',
      message: i.message,
    })),
  };
}

/** Order status ids whose name (in any language) is one of `names`, case-insensitive. */
export function statusIdsByNames(
  names: string[],
  statuses: Array<{ orderStatusId: number; name: string }>,
): number[] {
  const wanted = new Set(names.map((n) => n.trim().toLowerCase()));
  const ids = new Set<number>();
  for (const s of statuses) if (wanted.has(s.name.trim().toLowerCase())) ids.add(s.orderStatusId);
  return [...ids].sort((a, b) => a - b);
}

/**
 * The statuses meaning "paid" for orders of one payment method: paidStatusesByPaymentMethod by
 * the full code ('cod', 4.x 'cod.cod'), then by its extension part ('cod'), else paidStatuses.
 */
export function paidStatusesFor(
  settings: Pick<Settings, 'paidStatuses' | 'paidStatusesByPaymentMethod'>,
  paymentMethodCode: string,
): string[] {
  const byMethod = settings.paidStatusesByPaymentMethod ?? {};
  const short = paymentMethodCode.split('.')[0] ?? '';
  return byMethod[paymentMethodCode] ?? byMethod[short] ?? settings.paidStatuses;
}
