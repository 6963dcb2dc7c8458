/**
 * An OpenCart order → one Xero ACCREC invoice (+ its payment), right to the cent (DESIGN.md §5).
 *
 * How the cents are made to land:
 * 1. Lines are built from what OpenCart stored: products (quantity × unit price, 4 dp, converted to
 *    the order currency), then every order_total row except sub_total/tax/total, then gift vouchers
 *    bought, then one line per fixed-amount (or unmapped) tax row.
 * 2. Which rates a product line carries is read from its stored per-unit tax (where 4-dp storage
 *    makes two combinations look alike, the order's tax rows decide); the rest of each percentage
 *    rate's tax row is attributed to shipping/fees (positive) and coupons/reward points
 *    (negative, OpenCart takes their tax off the rate's row), splitting a row into a taxed and an
 *    untaxed part when only part of it carried the rate.
 * 3. Xero rounds tax per line; where its sum for a rate misses OpenCart's tax row (converted, 2 dp)
 *    line amounts of that rate are moved by a few cents — the smallest moves that make Xero's own
 *    per-line rounding give OpenCart's figure, compensating the net between lines where possible.
 *    (We do not send TaxAmount overrides: a Xero-computed tax is what a bookkeeper and the VAT
 *    return expect, and the sandbox and Xero agree on it.)
 * 4. Whatever still separates Xero's total from OpenCart's converted total goes on ONE rounding line
 *    with no tax, to the rounding account.
 */
import { SyncError } from '../errors';
import type { OcOrder, OcOrderLine, OcOrderTotal } from '../ports/opencart.port';
import type { XeroInvoiceDraft, XeroLineItemDraft } from '../ports/xero.port';
import { paidStatusesFor, type Settings } from '../settings/settings.schema';
import type { OrderMappingContext, ResolvedTaxRate } from './mapping-context';
import { statusIn } from './mapping-context';
import { D, Dec, ZERO, computeXeroTotals, dec, fmt2, round2, round4, sum, toXeroNumber } from './money.util';
import { mapOrderToContact } from './customer-to-contact.mapper';
import { isValidEmail, squash, truncate } from './text.util';

export interface InvoicePlan {
  orderId: number;
  /** Contact left as { ContactNumber, Name } placeholder: the use case sets ContactID. */
  invoice: XeroInvoiceDraft;
  /** null = not paid / unmapped method / zero total / DRAFT invoice. */
  payment: { accountCode: string; amount: number; date: string; currencyRate?: number } | null;
  /** OpenCart's figures in the order currency, 2 dp (tax: the rows of rates mapped to Xero tax types). */
  expected: { total: string; tax: string; currency: string };
  /** What Xero will compute for `invoice` (Xero arithmetic). */
  xeroTotals: { subTotal: string; tax: string; total: string };
  /** Amount on the rounding line ('0.00' when none). */
  roundingAdjustment: string;
  warnings: string[];
}

const DESCRIPTION_MAX = 4000;
/** Codes OpenCart (and common extensions) use for fees. */
const FEE_CODES = new Set([
  'handling',
  'low_order_fee',
  'fee',
  'payment_fee',
  'cod_fee',
  'klarna_fee',
  'paypal_fee',
  'surcharge',
]);
/** Totals that carry no tax effect in OpenCart (paid with value already taxed). */
const UNTAXED_CODES = new Set(['voucher', 'credit']);
/** A row's tax can be off by OpenCart's 4-dp storage; below this it is the same amount. */
const TAX_TOLERANCE = dec('0.0001');

interface WorkLine {
  description: string;
  accountCode: string;
  itemCode?: string;
  quantity: Dec;
  unit: Dec;
  /** Exact net in the order currency before any rounding. */
  exact: Dec;
  /** tax_rate_id of the mapped percentage rate, null = no tax. */
  rateId: number | null;
  /** Whether the mapper may move this line's amount by a few cents. */
  adjustable: boolean;
}

/** The stable InvoiceNumber of an order: the key to find its invoice again (exactly-once). */
export function invoiceNumberFor(order: OcOrder, settings: Settings): string {
  const format = settings.stores[String(order.storeId)]?.invoiceNumberFormat ?? settings.invoiceNumberFormat;
  const values: Record<string, string> = {
    order_id: String(order.orderId),
    invoice_prefix: squash(order.invoicePrefix),
    invoice_no: order.invoiceNo > 0 ? String(order.invoiceNo) : '',
    store_id: String(order.storeId),
  };
  return truncate(
    format.replace(/\{([a-z_]+)\}/g, (_, k: string) => values[k] ?? ''),
    255,
  );
}

const num = (v: string, what: string, order: OcOrder): Dec => {
  try {
    const d = dec(v);
    if (!d.isFinite()) throw new Error('not finite');
    return d;
  } catch {
    throw new SyncError('validation', `order ${order.orderId}: ${what} "${v}" is not a number`);
  }
};

const addDays = (isoDate: string, days: number): string => {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** The rate an original total was booked at (original per booked unit, 6 dp). */
const fmt2Rate = (original: Dec, booked: Dec): string => (booked.isZero() ? '-' : original.dividedBy(booked).toDecimalPlaces(6).toString());

const validDate = (s: string): boolean =>
  /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s.slice(0, 10)));

/** Units of the order currency per ONE unit of the organisation's base currency, when OpenCart knows it. */
export function currencyRateFor(order: OcOrder, ctx: OrderMappingContext): number | undefined {
  const base = ctx.organisation.BaseCurrency.toUpperCase();
  if (order.currencyCode.toUpperCase() === base) return undefined;
  if (ctx.settings.currencyRateSource === 'xero') return undefined;
  const baseRow = ctx.ocCurrencies.find((c) => c.code.toUpperCase() === base);
  if (!baseRow) return undefined;
  const baseValue = dec(baseRow.value);
  const orderValue = dec(order.currencyValue);
  if (baseValue.lte(0) || orderValue.lte(0)) return undefined;
  // Both values are "per one unit of the store's default currency", so their ratio is
  // order-currency per base-currency. 6 dp is what Xero keeps.
  return toXeroNumber(orderValue.dividedBy(baseValue).toDecimalPlaces(6));
}

/**
 * The currency an order is invoiced in (setting foreignCurrencyInvoices): its own, or the
 * organisation's base currency when the organisation cannot take the order's (Xero's plans without
 * multi-currency have only their base currency) or the merchant asks for it. In the base currency
 * every amount is converted from OpenCart's stored amounts (the store's default currency) by
 * `factor` (base units per default unit: 1 when the default is the base currency, else the ratio of
 * OpenCart's currency values), so the invoice total is round(order total × factor) to the cent.
 */
export type BookingCurrency =
  | { mode: 'order'; currency: string }
  | { mode: 'base'; currency: string; factor: Dec; original: { currency: string; total: Dec } };

export function bookingCurrencyFor(order: OcOrder, ctx: OrderMappingContext): BookingCurrency {
  const own = order.currencyCode.toUpperCase();
  const base = ctx.organisation.BaseCurrency.toUpperCase();
  const setting = ctx.settings.foreignCurrencyInvoices;
  if (own === base || setting === 'order') return { mode: 'order', currency: own };
  // 'auto' without the organisation's currencies read (tools, tests): as before, the order's own.
  if (setting === 'auto' && (!ctx.xeroCurrencies || ctx.xeroCurrencies.has(own))) return { mode: 'order', currency: own };
  const storeDefault = ctx.storeDefaultCurrency.toUpperCase();
  let factor: Dec;
  if (storeDefault === base) factor = dec(1);
  else {
    const row = (code: string) => ctx.ocCurrencies.find((c) => c.code.toUpperCase() === code);
    const baseValue = row(base) ? dec(row(base)!.value) : null;
    const defaultValue = row(storeDefault) ? dec(row(storeDefault)!.value) : dec(1);
    if (!baseValue || baseValue.lte(0) || defaultValue.lte(0)) {
      throw new SyncError(
        'validation',
        `order ${order.orderId} is in ${own}, which the Xero organisation "${ctx.organisation.Name}" does not take${setting === 'auto' ? ' (its Xero plan has no multi-currency, or the currency is not added)' : ''}, and it cannot be booked in the base currency ${base} either: OpenCart's currency table has no rate for ${base}. Add ${base} under System › Localisation › Currencies in OpenCart, or add ${own} in Xero (Settings › Currencies), then sync again`,
      );
    }
    factor = baseValue.dividedBy(defaultValue);
  }
  return { mode: 'base', currency: base, factor, original: { currency: own, total: round2(dec(order.total).times(dec(order.currencyValue))) } };
}

/**
 * Which of the order's tax rates a product line may carry, read from its stored per-unit tax:
 * every rate combination that gives that tax (OpenCart stores it at 4 dp, so e.g. 20% of 9.9999
 * and a fixed 2.00 look the same), most percentage rates first. The order's tax rows decide
 * between them (chooseLineRates).
 */
function lineRateOptions(
  line: OcOrderLine,
  candidates: ResolvedTaxRate[],
  ctx: OrderMappingContext,
  warnings: string[],
  orderId: number,
  absorbed: ResolvedTaxRate[] = [],
): ResolvedTaxRate[][] {
  const t = dec(line.taxPerUnit);
  if (t.isZero()) return [[]];
  const price = dec(line.price);
  const combine = (cands: ResolvedTaxRate[]): Array<{ set: ResolvedTaxRate[]; err: Dec }> => {
    const out: Array<{ set: ResolvedTaxRate[]; err: Dec }> = [];
    for (let mask = 1; mask < 1 << cands.length; mask++) {
      const set = cands.filter((_, i) => mask & (1 << i));
      const s = sum(set.map((r) => (r.type === 'P' ? price.times(dec(r.rate)).dividedBy(100) : dec(r.rate))));
      out.push({ set, err: s.minus(t).abs() });
    }
    return out;
  };
  let options = combine(candidates.slice(0, 12));
  let exact = options.filter((o) => o.err.lte(TAX_TOLERANCE));
  // OpenCart writes only positive tax rows: a percentage rate that coupons or reward points took
  // down to nothing has no row, yet the line still carries it. Only when the rows explain nothing.
  if (exact.length === 0 && absorbed.length > 0) {
    const wider = combine([...candidates, ...absorbed].slice(0, 12));
    const wideExact = wider.filter((o) => o.err.lte(TAX_TOLERANCE));
    if (wideExact.length > 0) {
      options = wider;
      exact = wideExact;
    }
  }
  if (options.length === 0) {
    warnings.push(
      `line "${line.name}" carries tax ${line.taxPerUnit} per unit but the order has no tax rows: booked without tax`,
    );
    return [[]];
  }
  if (exact.length > 1 && line.taxClassId > 0) {
    const classRates = new Set(
      ctx.ocTaxRules.filter((r) => r.taxClassId === line.taxClassId).map((r) => r.taxRateId),
    );
    if (classRates.size > 0) {
      const inClass = exact.filter((o) => o.set.every((r) => classRates.has(r.taxRateId)));
      if (inClass.length > 0) exact = inClass;
    }
  }
  if (exact.length >= 1) {
    const pCount = (o: { set: ResolvedTaxRate[] }): number => o.set.filter((r) => r.type === 'P').length;
    exact.sort((a, b) => pCount(b) - pCount(a) || a.err.comparedTo(b.err));
    return exact.map((o) => o.set);
  }
  options.sort((a, b) => a.err.comparedTo(b.err));
  warnings.push(
    `order ${orderId}, line "${line.name}": tax ${line.taxPerUnit} per unit matches none of the order's rates; used the closest (${options[0]!.set.map((r) => r.name).join(' + ')})`,
  );
  return [options[0]!.set];
}

/**
 * Choose one rate combination per line so that what is left of each tax row can be explained by
 * the order's other rows: a fixed rate's rest is a whole number of its amount (shipping, fees), a
 * percentage rate's rest is the tax of an amount the taxable rows can hold (shipping and fees up,
 * coupons and reward points down). Exhaustive over small ambiguity, coordinate descent beyond.
 */
function chooseLineRates(
  order: OcOrder,
  options: ResolvedTaxRate[][][],
  rowTotals: Map<number, Dec>,
  rates: Map<number, ResolvedTaxRate>,
): ResolvedTaxRate[][] {
  const choice = options.map(() => 0);
  const ambiguous = options.map((o, i) => (o.length > 1 ? i : -1)).filter((i) => i >= 0);
  if (ambiguous.length === 0) return options.map((o) => o[0]!);
  const taxable = order.totals
    .filter((t) => !['sub_total', 'tax', 'total'].includes(t.code) && !UNTAXED_CODES.has(t.code))
    .map((t) => dec(t.value));
  const A = sum(taxable.filter((v) => v.gt(0)));
  const B = sum(taxable.filter((v) => v.lt(0)));
  // a free shipping method still carries a fixed rate (OpenCart adds it to a zero cost too)
  const positiveRows = taxable.filter((v) => v.gte(0)).length;
  const contrib = options.map((opts, i) =>
    opts.map((set) => {
      const l = order.lines[i]!;
      const m = new Map<number, Dec>();
      for (const r of set)
        m.set(
          r.taxRateId,
          r.type === 'P'
            ? dec(l.price).times(l.quantity).times(dec(r.rate)).dividedBy(100)
            : dec(r.rate).times(l.quantity),
        );
      return m;
    }),
  );
  const penalty = (): Dec => {
    let p = ZERO;
    for (const [rid, row] of rowTotals) {
      const r = rates.get(rid)!;
      let c = ZERO;
      contrib.forEach((opts, i) => {
        const v = opts[choice[i]!]!.get(rid);
        if (v) c = c.plus(v);
      });
      const rest = row.minus(c);
      if (r.type === 'F') {
        const amount = dec(r.rate);
        let best = rest.abs();
        for (let k = 1; k <= positiveRows && amount.gt(0); k++)
          best = D.min(best, rest.minus(amount.times(k)).abs());
        p = p.plus(best);
      } else if (!dec(r.rate).isZero()) {
        const x = rest.times(100).dividedBy(dec(r.rate));
        const outside = D.max(ZERO, x.minus(A), B.minus(x));
        p = p.plus(outside.times(dec(r.rate)).dividedBy(100));
      }
    }
    return p;
  };
  const combos = ambiguous.reduce((n, i) => n * options[i]!.length, 1);
  if (combos <= 4096) {
    let best: { p: Dec; pick: number[] } | null = null;
    const walk = (k: number): void => {
      if (k === ambiguous.length) {
        const p = penalty();
        // strictly better only: earlier combinations prefer more percentage rates
        if (!best || p.lt(best.p.minus(TAX_TOLERANCE))) best = { p, pick: [...choice] };
        return;
      }
      const i = ambiguous[k]!;
      for (let o = 0; o < options[i]!.length; o++) {
        choice[i] = o;
        walk(k + 1);
      }
      choice[i] = 0;
    };
    walk(0);
    best!.pick.forEach((o, i) => (choice[i] = o));
  } else {
    for (let pass = 0; pass < 3; pass++) {
      for (const i of ambiguous) {
        let bestO = choice[i]!;
        let bestP = penalty();
        for (let o = 0; o < options[i]!.length; o++) {
          choice[i] = o;
          const p = penalty();
          if (p.lt(bestP.minus(TAX_TOLERANCE))) {
            bestP = p;
            bestO = o;
          }
        }
        choice[i] = bestO;
      }
    }
  }
  return options.map((o, i) => o[choice[i]!]!);
}

/** Candidate LineAmounts (2 dp) reachable with a 4-dp unit price at this quantity. */
function unitFor(quantity: Dec, lineAmount: Dec): Dec | null {
  if (quantity.eq(1)) return lineAmount;
  const u0 = round4(lineAmount.dividedBy(quantity));
  for (const u of [u0, u0.plus('0.0001'), u0.minus('0.0001')])
    if (round2(quantity.times(u)).eq(lineAmount)) return u;
  return null;
}

/**
 * Move amounts of one rate's lines so Xero's per-line-rounded tax hits `target`, then keep their
 * net sum as close as possible to `netTarget` by moving lines only within the range where their
 * tax does not change. Greedy, cent by cent: each step takes the line that needs the smallest move
 * to shift its rounded tax by one cent. Tax is monotonic in the line amount (also for discounts),
 * so raising tax means raising an amount and lowering it means lowering one.
 */
function nudgeRate(lines: WorkLine[], ratePct: Dec, target: Dec, netTarget: Dec): { missedCents: number } {
  const CENT = dec('0.01');
  const taxOf = (amount: Dec): Dec => round2(amount.times(ratePct).dividedBy(100));
  const amounts = lines.map((l) => round2(l.quantity.times(l.unit)));
  let d = target
    .minus(sum(amounts.map(taxOf)))
    .times(100)
    .round()
    .toNumber();
  if (d === 0) return { missedCents: 0 };
  // Per-line rounding moves tax by at most a cent a line; a bigger gap means the tax was not
  // attributed right, and moving prices by whole units would only hide that.
  if (Math.abs(d) > lines.length + 2) return { missedCents: d };
  // one cent of tax needs at most 100/rate cents of amount (+1 for the rounding edge)
  const maxSteps = Math.min(2000, Math.ceil(100 / Math.max(ratePct.toNumber(), 0.05)) + 2);
  const adjustable = lines.map((_, i) => i).filter((i) => lines[i]!.adjustable);
  const moved = new Set<number>();
  const sameSign = (a: Dec, b: Dec): boolean => a.isZero() || b.isZero() || a.isNeg() === b.isNeg();
  /** Smallest move (in cents, signed) of line i that shifts its tax by `dir` cents, with the unit price that gives it. */
  const stepFor = (i: number, dir: 1 | -1): { k: number; unit: Dec } | null => {
    const a = amounts[i]!;
    const want = taxOf(a).plus(CENT.times(dir));
    for (let k = 1; k <= maxSteps; k++) {
      const na = a.plus(CENT.times(k * dir));
      if (!sameSign(a, na)) return null;
      const t = taxOf(na);
      if (!t.eq(want)) {
        if (dir === 1 ? t.gt(want) : t.lt(want)) return null;
        continue;
      }
      const unit = unitFor(lines[i]!.quantity, na);
      if (unit) return { k: k * dir, unit };
    }
    return null;
  };
  const apply = (i: number, k: number, unit: Dec): void => {
    amounts[i] = amounts[i]!.plus(CENT.times(k));
    lines[i]!.unit = unit;
    moved.add(i);
  };
  for (let guard = 0; d !== 0 && guard < 4 * lines.length + 20; guard++) {
    const dir: 1 | -1 = d > 0 ? 1 : -1;
    let best: { i: number; k: number; unit: Dec } | null = null;
    for (const i of adjustable) {
      const s = stepFor(i, dir);
      // smallest move first; among equals prefer a line already moved (fewer lines touched)
      if (
        s &&
        (!best ||
          Math.abs(s.k) < Math.abs(best.k) ||
          (Math.abs(s.k) === Math.abs(best.k) && moved.has(i) && !moved.has(best.i)))
      )
        best = { i, ...s };
    }
    if (!best) break;
    apply(best.i, best.k, best.unit);
    d -= dir;
  }
  // Net: bring the sum toward netTarget without changing any line's tax, moved lines first.
  let m = netTarget.minus(sum(amounts)).times(100).round().toNumber();
  const order = [...adjustable].sort(
    (x, y) => Number(moved.has(y)) - Number(moved.has(x)) || amounts[y]!.abs().comparedTo(amounts[x]!.abs()),
  );
  for (const i of order) {
    if (m === 0) break;
    const dir = m > 0 ? 1 : -1;
    const a = amounts[i]!;
    const t = taxOf(a);
    let bestK = 0;
    let bestUnit: Dec | null = null;
    for (let k = 1; k <= Math.min(Math.abs(m), maxSteps); k++) {
      const na = a.plus(CENT.times(k * dir));
      if (!sameSign(a, na) || !taxOf(na).eq(t)) break;
      const unit = unitFor(lines[i]!.quantity, na);
      if (unit) {
        bestK = k * dir;
        bestUnit = unit;
      }
    }
    if (bestUnit) {
      apply(i, bestK, bestUnit);
      m -= bestK;
    }
  }
  return { missedCents: d };
}

/** How the use case should treat an order: export it, or skip it with a reason. */
export function orderExportDecision(
  order: OcOrder,
  ctx: OrderMappingContext,
): { export: true } | { export: false; reason: string } {
  const s = ctx.settings;
  if (!s.exportInvoices) return { export: false, reason: 'Export Invoices is off' };
  if (!statusIn(s.exportStatuses, order.orderStatusId, ctx))
    return {
      export: false,
      reason: `status "${ctx.statusNames.get(order.orderStatusId) ?? order.orderStatusId}" is not an export status`,
    };
  if (s.exportFromDate && order.dateAdded.slice(0, 10) < s.exportFromDate)
    return { export: false, reason: `added before ${s.exportFromDate}` };
  if (!s.exportZeroTotalOrders && round2(dec(order.total).times(dec(order.currencyValue))).isZero())
    return { export: false, reason: 'zero-total order (Export zero-total orders is off)' };
  return { export: true };
}

export function mapOrderToInvoice(order: OcOrder, ctx: OrderMappingContext): InvoicePlan {
  const warnings: string[] = [];
  const s = ctx.settings;
  const id = order.orderId;
  const cv = num(order.currencyValue, 'currency_value', order);
  if (cv.lte(0))
    throw new SyncError('validation', `order ${id}: currency_value ${order.currencyValue} must be positive`);
  if (!/^[A-Za-z]{3}$/.test(order.currencyCode))
    throw new SyncError(
      'validation',
      `order ${id}: currency code "${order.currencyCode}" is not an ISO code`,
    );
  const booking = bookingCurrencyFor(order, ctx);
  if (booking.mode === 'order' && ctx.xeroCurrencies && !ctx.xeroCurrencies.has(booking.currency)) {
    throw new SyncError(
      'validation',
      `order ${id} is in ${booking.currency}, which is not a currency of the Xero organisation "${ctx.organisation.Name}": add ${booking.currency} under Settings › Currencies in Xero (multi-currency needs Xero's top plan), or set "Foreign-currency invoices" to "auto" or "base" to book such orders in ${ctx.organisation.BaseCurrency.toUpperCase()}, then sync again`,
    );
  }
  if (!validDate(order.dateAdded))
    throw new SyncError('validation', `order ${id}: date_added "${order.dateAdded}" is not a date`);
  // Stored amounts (the store's default currency) → the invoice currency.
  const rate = booking.mode === 'base' ? booking.factor : cv;
  const conv = (v: Dec): Dec => v.times(rate);
  const store = ctx.accounts.stores[order.storeId] ?? {};
  const salesAccount = store.sales ?? ctx.accounts.sales;
  const noTax = ctx.taxTypes.noTaxType;

  // ---- tax rows: mapped percentage rates get targets; everything else becomes its own line ----
  const taxRows = order.totals.filter((t) => t.code === 'tax');
  const rowTotals = new Map<number, Dec>(); // per resolved rate, default currency
  const rates = new Map<number, ResolvedTaxRate>();
  const ownTaxLines: WorkLine[] = [];
  for (const row of taxRows) {
    const v = num(row.value, `tax row "${row.title}"`, order);
    const r = ctx.taxTypes.byName.get(squash(row.title).toLowerCase());
    if (!r) {
      warnings.push(
        `tax row "${row.title}" matches no OpenCart tax rate (deleted or renamed?): booked as its own line to ${ctx.accounts.unknownTotal}`,
      );
      ownTaxLines.push({
        description: row.title || 'Tax',
        accountCode: ctx.accounts.unknownTotal,
        quantity: dec(1),
        unit: round2(conv(v)),
        exact: conv(v),
        rateId: null,
        adjustable: false,
      });
      continue;
    }
    rates.set(r.taxRateId, r);
    rowTotals.set(r.taxRateId, (rowTotals.get(r.taxRateId) ?? ZERO).plus(v));
  }
  for (const [rid, total] of rowTotals) {
    const r = rates.get(rid)!;
    if (!r.taxType) {
      // Fixed amounts (Eco Tax) and rates with no Xero equivalent: their own line, no tax on it.
      ownTaxLines.push({
        description: r.name,
        accountCode: r.accountCode,
        quantity: dec(1),
        unit: round2(conv(total)),
        exact: conv(total),
        rateId: null,
        adjustable: false,
      });
    }
  }
  const mappedRates = [...rates.values()].filter((r) => r.taxType);

  // ---- product lines ----
  const work: WorkLine[] = [];
  const productContribution = new Map<number, Dec>();
  let linesTotal = ZERO;
  for (const line of order.lines) {
    num(line.price, `price of "${line.name}"`, order);
    num(line.total, `total of "${line.name}"`, order);
    num(line.taxPerUnit, `tax of "${line.name}"`, order);
    if (!Number.isFinite(line.quantity) || line.quantity <= 0)
      throw new SyncError('validation', `order ${id}: line "${line.name}" has quantity ${line.quantity}`);
  }
  const absorbed = [...ctx.taxTypes.byId.values()].filter((r) => r.type === 'P' && !rates.has(r.taxRateId));
  const lineOptions = order.lines.map((line) =>
    lineRateOptions(line, [...rates.values()], ctx, warnings, id, absorbed),
  );
  // a rate a line carries although its tax nets to nothing: a row of zero
  for (const r of lineOptions.flat(2))
    if (!rates.has(r.taxRateId)) {
      rates.set(r.taxRateId, r);
      rowTotals.set(r.taxRateId, ZERO);
      if (r.taxType) mappedRates.push(r);
    }
  const chosenRates = chooseLineRates(order, lineOptions, rowTotals, rates);
  order.lines.forEach((line, lineIndex) => {
    const price = dec(line.price);
    const total = dec(line.total);
    linesTotal = linesTotal.plus(total);
    const set = chosenRates[lineIndex]!;
    const mapped = set.filter((r) => r.taxType);
    if (mapped.length > 1) {
      throw new SyncError(
        'validation',
        `order ${id}: line "${line.name}" carries several percentage rates (${mapped.map((r) => r.name).join(', ')}); Xero applies one tax rate per line — map them to one combined Xero rate`,
      );
    }
    const q = dec(line.quantity);
    for (const r of set) {
      const c = r.type === 'P' ? price.times(q).times(dec(r.rate)).dividedBy(100) : dec(r.rate).times(q);
      productContribution.set(r.taxRateId, (productContribution.get(r.taxRateId) ?? ZERO).plus(c));
    }
    const options = s.optionsInDescription
      ? line.options.map((o) => `${squash(o.name)}: ${squash(o.value)}`).filter((x) => x !== ':')
      : [];
    const name = squash(line.name) || squash(line.model) || `Product ${line.productId}`;
    const description = truncate(
      options.length ? `${name} (${options.join(', ')})` : name,
      DESCRIPTION_MAX,
      '…',
    );
    const override = ctx.overrides.get(line.productId);
    const wl: WorkLine = {
      description,
      accountCode: override?.salesAccountCode || salesAccount,
      quantity: q,
      unit: round4(conv(price)),
      exact: conv(total),
      rateId: mapped[0]?.taxRateId ?? null,
      adjustable: true,
    };
    // Codes are those of items Xero holds (the ledger's), whether Export Items is still on or not.
    const code = line.productExists ? ctx.itemCodes.get(line.productId) : undefined;
    if (code) wl.itemCode = code;
    if (!line.productExists)
      warnings.push(
        `line "${name}": product ${line.productId} no longer exists; invoiced by description only`,
      );
    work.push(wl);
  });

  // ---- gift vouchers bought: a liability, not a sale ----
  let vouchersTotal = ZERO;
  for (const v of order.vouchers) {
    const amount = num(v.amount, `voucher ${v.code}`, order);
    vouchersTotal = vouchersTotal.plus(amount);
    work.push({
      description: truncate(
        squash(`Gift voucher ${v.code}${v.description ? ` – ${v.description}` : ''}`),
        DESCRIPTION_MAX,
      ),
      accountCode: ctx.accounts.voucherLiability,
      quantity: dec(1),
      unit: round2(conv(amount)),
      exact: conv(amount),
      rateId: null,
      adjustable: false,
    });
  }

  // ---- other total rows ----
  const subTotalRow = order.totals.find((t) => t.code === 'sub_total');
  if (subTotalRow) {
    const st = num(subTotalRow.value, 'sub_total', order);
    const gap = st.minus(linesTotal).minus(vouchersTotal);
    if (gap.abs().gt('0.005')) {
      warnings.push(
        `sub-total ${subTotalRow.value} differs from the lines by ${gap.toFixed(4)}: booked as its own line to ${ctx.accounts.unknownTotal}`,
      );
      work.push({
        description: 'Sub-total adjustment',
        accountCode: ctx.accounts.unknownTotal,
        quantity: dec(1),
        unit: round2(conv(gap)),
        exact: conv(gap),
        rateId: null,
        adjustable: false,
      });
    }
  }
  interface RowWork {
    row: OcOrderTotal;
    value: Dec;
    account: string;
    taxable: boolean;
    portions: Map<number, Dec>;
  }
  const rows: RowWork[] = [];
  for (const row of order.totals) {
    if (['sub_total', 'tax', 'total'].includes(row.code)) continue;
    const value = num(row.value, `total row "${row.title}"`, order);
    let account: string;
    const explicit = ctx.accounts.totalCodes[row.code];
    if (explicit) account = explicit;
    else if (row.code === 'shipping') account = store.shipping ?? ctx.accounts.shipping;
    else if (row.code === 'coupon' || row.code === 'discount')
      account = store.discount ?? ctx.accounts.discount;
    else if (row.code === 'voucher') account = ctx.accounts.voucherLiability;
    else if (row.code === 'credit') account = ctx.accounts.storeCredit;
    else if (row.code === 'reward') account = ctx.accounts.rewardPoints;
    else if (FEE_CODES.has(row.code)) account = ctx.accounts.fee;
    else {
      account = ctx.accounts.unknownTotal;
      warnings.push(`order total "${row.title}" (code ${row.code}) has no mapping: booked to ${account}`);
    }
    rows.push({ row, value, account, taxable: !UNTAXED_CODES.has(row.code), portions: new Map() });
  }

  // ---- attribute each mapped rate's remaining tax to the taxable total rows ----
  // First jointly: each positive row (shipping, fees) is taxed by one rate or none, whatever each
  // rate's rest then needs must come off the negative rows (coupons, reward points) without
  // exceeding them. Tried over every assignment (a handful: rows × rates are few).
  const pRates = mappedRates.filter((r) => !dec(r.rate).isZero());
  const restBase = new Map<number, Dec>();
  for (const r of pRates) {
    const residual = rowTotals.get(r.taxRateId)!.minus(productContribution.get(r.taxRateId) ?? ZERO);
    restBase.set(r.taxRateId, residual.times(100).dividedBy(dec(r.rate)));
  }
  const tolOf = (r: ResolvedTaxRate): Dec => TAX_TOLERANCE.times(100).dividedBy(dec(r.rate)).plus('0.0002');
  const posRows = rows.filter((w) => w.taxable && w.value.gt(0));
  const negRows = rows.filter((w) => w.taxable && w.value.lt(0));
  const negTotal = sum(negRows.map((w) => w.value));
  const combos = (pRates.length + 1) ** posRows.length;
  let jointDone = false;
  // Each rest comes from a row stored at 4 dp: its base is known only to 0.0001 ÷ rate.
  const allowance = sum(pRates.map(tolOf));
  if (pRates.length > 0 && combos <= 4096) {
    let best: { bad: Dec; taxed: number; assign: number[] } | null = null;
    const assign = posRows.map(() => -1);
    for (let c = 0; c < combos; c++) {
      let n = c;
      for (let j = 0; j < posRows.length; j++) {
        assign[j] = (n % (pRates.length + 1)) - 1;
        n = Math.floor(n / (pRates.length + 1));
      }
      let bad = ZERO;
      let negSum = ZERO;
      pRates.forEach((r, ri) => {
        const pos = sum(posRows.filter((_, j) => assign[j] === ri).map((w) => w.value));
        const need = restBase.get(r.taxRateId)!.minus(pos);
        if (need.gt(tolOf(r))) bad = bad.plus(need);
        else if (need.lt(0)) negSum = negSum.plus(need);
      });
      if (negSum.lt(negTotal.minus(allowance))) bad = bad.plus(negTotal.minus(negSum));
      const taxed = assign.filter((a) => a >= 0).length;
      if (
        !best ||
        bad.lt(best.bad.minus('0.0001')) ||
        (bad.minus(best.bad).abs().lte('0.0001') && taxed > best.taxed)
      )
        best = { bad, taxed, assign: [...assign] };
    }
    if (best && best.bad.lte(allowance)) {
      jointDone = true;
      posRows.forEach((w, j) => {
        if (best!.assign[j]! >= 0) w.portions.set(pRates[best!.assign[j]!]!.taxRateId, w.value);
      });
      pRates.forEach((r, ri) => {
        const pos = sum(posRows.filter((_, j) => best!.assign[j] === ri).map((w) => w.value));
        const need = restBase.get(r.taxRateId)!.minus(pos);
        if (need.gte(D.min(ZERO, tolOf(r).negated())) || negTotal.isZero()) return;
        // a rate's discount tax is spread over the discount rows in proportion to their size
        let given = ZERO;
        negRows.forEach((w, i) => {
          const share =
            i === negRows.length - 1 ? need.minus(given) : round4(need.times(w.value).dividedBy(negTotal));
          given = given.plus(share);
          w.portions.set(r.taxRateId, share);
        });
      });
    }
  }
  // Otherwise rate by rate, taking what each can explain (and saying where tax is left over).
  for (const r of jointDone ? [] : mappedRates) {
    const pct = dec(r.rate);
    if (pct.isZero()) continue;
    const residual = rowTotals.get(r.taxRateId)!.minus(productContribution.get(r.taxRateId) ?? ZERO);
    const x = residual.times(100).dividedBy(pct);
    const tol = TAX_TOLERANCE.times(100).dividedBy(pct).plus('0.0002');
    if (x.abs().lte(tol)) continue;
    const cap = (w: RowWork): Dec => w.value.minus(sum([...w.portions.values()]));
    const pos = rows.filter((w) => w.taxable && cap(w).gt(0));
    const neg = rows.filter((w) => w.taxable && cap(w).lt(0));
    const A = sum(pos.map(cap));
    const B = sum(neg.map(cap));
    let xPos: Dec;
    let xNeg: Dec;
    if (x.minus(A).lte(tol) && x.minus(A).gte(B.minus(tol))) {
      xPos = A;
      xNeg = D.min(ZERO, x.minus(A));
    } else if (x.gte(0) && x.lte(A)) {
      xPos = x;
      xNeg = ZERO;
    } else if (x.lt(0) && x.gte(B.minus(tol))) {
      xPos = ZERO;
      xNeg = D.max(x, B);
    } else {
      warnings.push(
        `${r.name}: ${residual.toFixed(4)} of its tax is on no line OpenCart shows (tax of an unknown base): the invoice tax will differ`,
      );
      xPos = D.max(ZERO, D.min(x, A));
      xNeg = D.min(ZERO, D.max(x.minus(xPos), B));
    }
    // positives in row order (shipping first as OpenCart sorts it), negatives in proportion
    let left = xPos;
    for (const w of pos) {
      if (left.lte(0)) break;
      const take = D.min(left, cap(w));
      w.portions.set(r.taxRateId, take);
      left = left.minus(take);
    }
    if (!xNeg.isZero() && !B.isZero()) {
      let given = ZERO;
      neg.forEach((w, i) => {
        const share = i === neg.length - 1 ? xNeg.minus(given) : round4(xNeg.times(cap(w)).dividedBy(B));
        given = given.plus(share);
        w.portions.set(r.taxRateId, share);
      });
    }
  }
  for (const w of rows) {
    // a share that is not a cent in the order currency is no line of its own: it stays in the rest
    const parts = [...w.portions.entries()].filter(([, v]) => round2(conv(v)).abs().gte('0.01'));
    let rest = w.value.minus(sum(parts.map(([, v]) => v)));
    // OpenCart's 4-dp storage leaves crumbs: a part within a cent of the whole row is the whole row.
    if (parts.length > 0 && conv(rest).abs().lt('0.01')) {
      parts[parts.length - 1]![1] = parts[parts.length - 1]![1].plus(rest);
      rest = ZERO;
    }
    const title = squash(w.row.title) || w.row.code;
    for (const [rid, amount] of parts) {
      work.push({
        description: truncate(title, DESCRIPTION_MAX),
        accountCode: w.account,
        quantity: dec(1),
        unit: round2(conv(amount)),
        exact: conv(amount),
        rateId: rid,
        adjustable: true,
      });
    }
    if (!rest.isZero() || parts.length === 0) {
      work.push({
        description: truncate(parts.length ? `${title} (no tax)` : title, DESCRIPTION_MAX),
        accountCode: w.account,
        quantity: dec(1),
        unit: round2(conv(rest)),
        exact: conv(rest),
        rateId: null,
        adjustable: false,
      });
    }
  }
  work.push(...ownTaxLines);

  // ---- make Xero's per-line tax land on OpenCart's rows ----
  const expectedTotal = round2(conv(num(order.total, 'total', order)));
  const rateByType = new Map(ctx.xeroTaxRates.map((r) => [r.TaxType.toUpperCase(), dec(r.EffectiveRate)]));
  const rateOf = (t: string | undefined): Dec => (t ? (rateByType.get(t.toUpperCase()) ?? ZERO) : ZERO);
  const taxTypeOf = (l: WorkLine): string => (l.rateId !== null ? rates.get(l.rateId)!.taxType! : noTax);
  const arithmetic = (ls: WorkLine[]) =>
    computeXeroTotals(
      'Exclusive',
      ls.map((l) => ({
        Quantity: l.quantity.toNumber(),
        UnitAmount: l.unit.toNumber(),
        TaxType: taxTypeOf(l),
      })),
      rateOf,
    );
  let expectedTax = ZERO;
  for (const r of mappedRates) {
    const target = round2(conv(rowTotals.get(r.taxRateId)!));
    expectedTax = expectedTax.plus(target);
    const lines = work.filter((l) => l.rateId === r.taxRateId);
    if (lines.length === 0) continue;
    // When lines must move anyway, move them so that no rounding line is left if possible:
    // this rate's net should make up OpenCart's total with everything else as Xero computes it.
    const others = arithmetic(work.filter((l) => l.rateId !== r.taxRateId)).total;
    const netTarget = expectedTotal.minus(others).minus(target);
    const { missedCents } = nudgeRate(lines, dec(r.xeroRatePercent ?? r.rate), target, netTarget);
    if (missedCents !== 0)
      warnings.push(`${r.name}: Xero's tax will differ from OpenCart's by ${(missedCents / 100).toFixed(2)}`);
  }

  // ---- build the invoice ----
  const lineItems: XeroLineItemDraft[] = work.map((l) => {
    const item: XeroLineItemDraft = {
      Description: l.description || '-',
      Quantity: toXeroNumber(l.quantity),
      UnitAmount: toXeroNumber(l.unit),
      AccountCode: l.accountCode,
      TaxType: taxTypeOf(l),
    };
    if (l.itemCode) item.ItemCode = l.itemCode;
    return item;
  });
  let totals = computeXeroTotals('Exclusive', lineItems, rateOf);
  const rounding = expectedTotal.minus(totals.total);
  if (!rounding.isZero()) {
    lineItems.push({
      Description: 'Rounding',
      Quantity: 1,
      UnitAmount: toXeroNumber(rounding),
      AccountCode: ctx.accounts.rounding,
      TaxType: noTax,
    });
    totals = computeXeroTotals('Exclusive', lineItems, rateOf);
    if (rounding.abs().gt('0.05'))
      warnings.push(
        `rounding line of ${rounding.toFixed(2)} ${booking.currency} (more than a few cents: check the order's totals)`,
      );
  }
  if (lineItems.length === 0) {
    lineItems.push({
      Description: `Order ${id}`,
      Quantity: 1,
      UnitAmount: 0,
      AccountCode: salesAccount,
      TaxType: noTax,
    });
  }

  const date = order.dateAdded.slice(0, 10);
  const contact = mapOrderToContact(order, s).draft;
  if (order.email && !isValidEmail(squash(order.email)))
    warnings.push(`email "${truncate(order.email, 100)}" is not valid: left off the contact`);
  const invoice: XeroInvoiceDraft = {
    Type: 'ACCREC',
    Contact: { ContactNumber: contact.ContactNumber, Name: contact.Name },
    InvoiceNumber: invoiceNumberFor(order, s),
    Reference: truncate(
      `${order.invoiceNo > 0 ? `${squash(order.invoicePrefix)}${order.invoiceNo}` : `Order ${id}`}${
        booking.mode === 'base' ? ` (${booking.original.currency} ${fmt2(booking.original.total)}, booked in ${booking.currency} at ${fmt2Rate(booking.original.total, expectedTotal)} ${booking.original.currency}/${booking.currency})` : ''
      }`,
      255,
    ),
    Date: date,
    DueDate: addDays(date, s.dueDays),
    Status: s.invoiceStatus,
    LineAmountTypes: 'Exclusive',
    CurrencyCode: booking.currency,
    LineItems: lineItems,
  };
  const currencyRate = booking.mode === 'base' ? undefined : currencyRateFor(order, ctx);
  if (currencyRate !== undefined) invoice.CurrencyRate = currencyRate;

  // ---- payment ----
  let payment: InvoicePlan['payment'] = null;
  const methodCode = order.paymentMethod?.code ?? '';
  const short = methodCode.split('.')[0] ?? '';
  const paidStatuses = paidStatusesFor(s, methodCode);
  if (
    s.invoiceStatus === 'AUTHORISED' &&
    expectedTotal.gt(0) &&
    statusIn(paidStatuses, order.orderStatusId, ctx)
  ) {
    const table = { ...ctx.accounts.payment, ...(store.payment ?? {}) };
    const account = table[methodCode] ?? table[short] ?? ctx.accounts.defaultPayment;
    if (account) {
      const paidAt =
        order.history.find((h) => statusIn(paidStatuses, h.orderStatusId, ctx))?.dateAdded.slice(0, 10) ??
        date;
      payment = {
        accountCode: account,
        amount: toXeroNumber(expectedTotal),
        date: paidAt < date ? date : paidAt,
      };
      if (currencyRate !== undefined) payment.currencyRate = currencyRate;
    } else {
      warnings.push(
        `payment method "${methodCode || 'none'}" has no payment account: invoice left awaiting payment`,
      );
    }
  }

  return {
    orderId: id,
    invoice,
    payment,
    expected: { total: fmt2(expectedTotal), tax: fmt2(expectedTax), currency: invoice.CurrencyCode! },
    xeroTotals: { subTotal: fmt2(totals.subTotal), tax: fmt2(totals.tax), total: fmt2(totals.total) },
    roundingAdjustment: fmt2(rounding),
    warnings,
  };
}
