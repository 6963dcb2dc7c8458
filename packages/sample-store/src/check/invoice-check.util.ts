/**
 * The cent check of DESIGN.md §5: for each exported order, Xero's own Total (as Xero computed it,
 * read back from Xero) against the OpenCart total converted to the order currency.
 */

/** An order's figures as OpenCart stores them (default currency) with its currency. */
export interface OrderTotalFact {
  orderId: number;
  /** order.total in the store's default currency. */
  total: string;
  currencyCode: string;
  currencyValue: string;
}

/** The invoice fields the check reads (Xero's JSON shape). */
export interface InvoiceTotalFact {
  InvoiceNumber: string;
  Status: string;
  Total: number | string;
  TotalTax?: number | string;
  CurrencyCode?: string;
}

export interface CentDifference {
  orderId: number;
  invoiceNumber: string;
  /** OpenCart total × currency_value, rounded half away from zero to the cent. */
  expected: string;
  /** Xero's Total. */
  xero: string;
  /** xero − expected. */
  difference: string;
  currencyMatches: boolean;
}

export interface CentCheck {
  compared: number;
  /** Orders that had no live invoice. */
  missing: number[];
  differences: CentDifference[];
  /** The largest |difference| (0.00 when every invoice matches). */
  worst: CentDifference | null;
  worstAbs: string;
}

// Exact decimal arithmetic on scaled integers (amounts have at most 4 dp, rates 8).
const SCALE = 12;
function toScaled(value: string | number, scale: number): bigint {
  const text = typeof value === 'number' ? value.toFixed(scale) : value.trim();
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && !m[3])) throw new Error(`not a decimal number: "${text}"`);
  const frac = (m[3] ?? '').padEnd(scale, '0');
  if (frac.length > scale && /[1-9]/.test(frac.slice(scale)))
    throw new Error(`more than ${scale} decimals: "${text}"`);
  const n = BigInt((m[2] || '0') + frac.slice(0, scale));
  return m[1] ? -n : n;
}
const absBig = (n: bigint): bigint => (n < 0n ? -n : n);
/** Rounds a value scaled by 10^from to cents, half away from zero (PHP's round, Xero's). */
function toCents(n: bigint, from: number): bigint {
  const div = 10n ** BigInt(from - 2);
  const q = absBig(n) / div;
  const r = absBig(n) % div;
  const rounded = r * 2n >= div ? q + 1n : q;
  return n < 0n ? -rounded : rounded;
}
const centsText = (c: bigint): string => {
  const a = absBig(c);
  return `${c < 0n ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
};

/** OpenCart total × currency_value to the cent, in cents. */
export function expectedOrderCents(o: Pick<OrderTotalFact, 'total' | 'currencyValue'>): bigint {
  return toCents(toScaled(o.total, 4) * toScaled(o.currencyValue, 8), SCALE);
}

/** A Xero amount (number or string, 2 dp) in cents. */
export const xeroCents = (v: number | string): bigint =>
  toCents(toScaled(typeof v === 'number' ? v.toFixed(4) : v, 4), 4);

export const formatCents = centsText;

/** Compares each order with its live (not DELETED/VOIDED) invoice found by `invoiceNumberOf`. */
export function checkInvoiceTotals(
  orders: OrderTotalFact[],
  invoices: InvoiceTotalFact[],
  invoiceNumberOf: (orderId: number) => string,
): CentCheck {
  const live = new Map<string, InvoiceTotalFact>();
  for (const inv of invoices)
    if (inv.Status !== 'DELETED' && inv.Status !== 'VOIDED') live.set(inv.InvoiceNumber, inv);
  const differences: CentDifference[] = [];
  const missing: number[] = [];
  let worst: CentDifference | null = null;
  let worstAbs = 0n;
  for (const o of orders) {
    const number = invoiceNumberOf(o.orderId);
    const inv = live.get(number);
    if (!inv) {
      missing.push(o.orderId);
      continue;
    }
    const expected = expectedOrderCents(o);
    const xero = xeroCents(inv.Total);
    const d: CentDifference = {
      orderId: o.orderId,
      invoiceNumber: number,
      expected: centsText(expected),
      xero: centsText(xero),
      difference: centsText(xero - expected),
      currencyMatches: (inv.CurrencyCode ?? o.currencyCode) === o.currencyCode,
    };
    differences.push(d);
    const abs = absBig(xero - expected);
    if (worst === null || abs > worstAbs) {
      worst = d;
      worstAbs = abs;
    }
  }
  return { compared: differences.length, missing, differences, worst, worstAbs: centsText(worstAbs) };
}
