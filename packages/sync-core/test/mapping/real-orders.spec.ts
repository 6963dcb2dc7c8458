/**
 * The ground truth: every real order of the OpenCart 3.0.5.0 and 4.1.0.3 fixture stores, mapped to
 * a Xero invoice and judged with XERO's arithmetic (per-line rounding, unitdp=4) — never with the
 * mapper's own sums. Run against a UK organisation (GBP base: the USD store books into GBP) and
 * the same organisation with a USD base.
 */
import Decimal from 'decimal.js';
import { buildMappingContext, OrderMappingContext } from '../../src/mapping/mapping-context';
import { mapOrderToInvoice } from '../../src/mapping/order-to-invoice.mapper';
import { defaultSettings, paidStatusesFor, Settings } from '../../src/settings/settings.schema';
import type { XeroOrganisation } from '../../src/ports/xero.port';
import { fixturesAvailable, loadStoreFixture, toOcOrder, StoreFixture } from './support/opencart-fixtures';
import { oracleName, xeroTotalsOf } from './support/xero-arithmetic.oracle';
import {
  nzOrganisation,
  nzTaxRates,
  ukAccounts,
  ukOrganisation,
  ukTaxRates,
  usdOrganisation,
} from './support/xero-organisations';
import type { XeroTaxRate } from '../../src/ports/xero.port';

const available = fixturesAvailable();
const d = (v: Decimal.Value): Decimal => new Decimal(v);
const r2 = (v: Decimal): Decimal => v.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

function contextFor(
  fx: StoreFixture,
  organisation: XeroOrganisation,
  xeroTaxRates: XeroTaxRate[],
  settings: Settings,
): OrderMappingContext {
  const built = buildMappingContext({
    settings,
    organisation,
    accounts: ukAccounts,
    xeroTaxRates,
    storeDefaultCurrency: fx.defaultCurrency,
    ocCurrencies: fx.currencies,
    ocTaxRates: fx.taxRates,
    ocTaxRules: fx.taxRules,
    ocStatuses: fx.statuses,
    languageId: 1,
  });
  if (!built.ok) throw new Error(`context: ${JSON.stringify(built.errors)}`);
  return built.context;
}

interface Worst {
  totalCents: number;
  taxCents: number;
  roundingCents: number;
  where: string;
}

const cases: Array<{ version: '3' | '4'; organisation: XeroOrganisation; taxRates: XeroTaxRate[] }> = [
  { version: '3', organisation: ukOrganisation, taxRates: ukTaxRates },
  { version: '4', organisation: ukOrganisation, taxRates: ukTaxRates },
  { version: '3', organisation: usdOrganisation, taxRates: ukTaxRates },
  { version: '4', organisation: usdOrganisation, taxRates: ukTaxRates },
  // NZ: no 20% rate, so VAT becomes its own untaxed line; NZD is not in OpenCart's table, so Xero's daily rate applies.
  { version: '3', organisation: nzOrganisation, taxRates: nzTaxRates },
  { version: '4', organisation: nzOrganisation, taxRates: nzTaxRates },
];

(available ? describe : describe.skip)(
  'real OpenCart orders → Xero invoices, judged with Xero arithmetic',
  () => {
    const summary: string[] = [];
    afterAll(() => {
      if (summary.length) console.log(`oracle: ${oracleName}\n${summary.join('\n')}`);
    });

    it.each(cases)(
      'OpenCart $version.x into $organisation.BaseCurrency-base organisation: every order to the cent',
      ({ version, organisation, taxRates }) => {
        const fx = loadStoreFixture(version);
        const settings = {
          ...defaultSettings(),
          invoiceStatus: 'AUTHORISED' as const,
          paymentAccountCodes: { cod: '090', bank_transfer: '090', cheque: '880' },
        };
        const ctx = contextFor(fx, organisation, taxRates, settings);
        // Rates booked as Xero tax: the percentage rates the organisation has an equal rate for.
        const pctRateNames = new Set(
          fx.taxRates
            .filter((r) => r.type === 'P' && taxRates.some((x) => x.EffectiveRate === Number(r.rate)))
            .map((r) => r.name.toLowerCase()),
        );
        const worst: Worst = { totalCents: 0, taxCents: 0, roundingCents: 0, where: '' };
        let withRounding = 0;
        expect(fx.orders.length).toBeGreaterThan(30);

        for (const truth of fx.orders) {
          const order = toOcOrder(truth, fx);
          const plan = mapOrderToInvoice(order, ctx);
          const cv = d(truth.currency_value);
          const inv = plan.invoice;
          const where = `${version}.x order ${truth.order_id} (${truth.currency_code}, ${truth.tags.slice(0, 4).join(' ')})`;

          // Ground truth converted the way OpenCart displays it.
          const expectedTotal = r2(d(truth.total).times(cv));
          const expectedTax = truth.order_total
            .filter((t) => t.code === 'tax' && pctRateNames.has(t.title.toLowerCase()))
            .reduce((a, t) => a.plus(r2(d(t.value).times(cv))), d(0));
          const xero = xeroTotalsOf(inv, taxRates);

          // 1. Xero's total is OpenCart's total, to the cent.
          expect({ where, total: d(xero.total).toFixed(2) }).toEqual({
            where,
            total: expectedTotal.toFixed(2),
          });
          // The plan's own view of Xero's figures agrees with Xero's arithmetic.
          expect(plan.xeroTotals).toEqual({
            subTotal: d(xero.subTotal).toFixed(2),
            tax: d(xero.tax).toFixed(2),
            total: d(xero.total).toFixed(2),
          });
          expect(plan.expected.total).toBe(expectedTotal.toFixed(2));

          // 2. Tax to the cent, or at most a few cents through ONE untaxed rounding line.
          const taxDiff = d(xero.tax).minus(expectedTax).abs();
          const roundingLines = inv.LineItems.filter((l) => l.AccountCode === ctx.accounts.rounding);
          expect(roundingLines.length).toBeLessThanOrEqual(1);
          for (const l of roundingLines) {
            expect(l.TaxType).toBe('NONE');
            expect(Math.abs(l.UnitAmount)).toBeLessThanOrEqual(0.05);
          }
          expect(taxDiff.toNumber()).toBeLessThanOrEqual(roundingLines.length ? 0.03 : 0);
          const rounding = roundingLines[0] ? Math.round(Math.abs(roundingLines[0].UnitAmount) * 100) : 0;
          if (rounding) withRounding++;
          const totalCents = d(xero.total).minus(expectedTotal).abs().times(100).toNumber();
          const taxCents = taxDiff.times(100).toNumber();
          if (totalCents > worst.totalCents || taxCents > worst.taxCents || rounding > worst.roundingCents) {
            worst.totalCents = Math.max(worst.totalCents, totalCents);
            worst.taxCents = Math.max(worst.taxCents, taxCents);
            worst.roundingCents = Math.max(worst.roundingCents, rounding);
            worst.where = where;
          }

          // 3. Every total row other than sub_total/tax/total is an explicit line, never dropped.
          for (const row of truth.order_total) {
            if (['sub_total', 'tax', 'total'].includes(row.code) || d(row.value).isZero()) continue;
            const mine = inv.LineItems.filter((l) => l.Description.startsWith(row.title));
            expect({ where, row: row.title, found: mine.length > 0 }).toEqual({
              where,
              row: row.title,
              found: true,
            });
            const booked = mine.reduce((a, l) => a.plus(d(l.UnitAmount).times(l.Quantity)), d(0));
            expect(booked.minus(d(row.value).times(cv)).abs().toNumber()).toBeLessThanOrEqual(
              0.011 * Math.max(1, mine.length) + 0.05,
            );
          }
          // 4. Fixed-amount taxes are their own untaxed line, at OpenCart's amount.
          for (const row of truth.order_total.filter(
            (t) => t.code === 'tax' && !pctRateNames.has(t.title.toLowerCase()),
          )) {
            const line = inv.LineItems.find((l) => l.Description === row.title);
            expect(line?.TaxType).toBe('NONE');
            expect(d(line!.UnitAmount).toFixed(2)).toBe(r2(d(row.value).times(cv)).toFixed(2));
          }
          // 3 (vouchers bought) — 3.x order 10: the sale of a gift voucher is a liability line.
          if (truth.tags.includes('gift-voucher-purchase')) {
            expect(
              inv.LineItems.some((l) => l.AccountCode === ctx.accounts.voucherLiability && l.UnitAmount > 0),
            ).toBe(true);
            expect(inv.LineItems.every((l) => l.AccountCode !== ctx.accounts.sales)).toBe(true);
          }

          // 5. Invoiced in the order currency; CurrencyRate = order-currency units per base unit, from OpenCart's table.
          expect(inv.CurrencyCode).toBe(truth.currency_code);
          const base = fx.currencies.find((c) => c.code === organisation.BaseCurrency);
          if (truth.currency_code === organisation.BaseCurrency || !base)
            expect(inv.CurrencyRate).toBeUndefined();
          else expect(inv.CurrencyRate).toBeCloseTo(cv.dividedBy(base.value).toNumber(), 6);

          // 6. A zero-total order is invoiced and takes no payment; paid orders with a mapped method take exactly the total.
          if (expectedTotal.isZero()) expect(plan.payment).toBeNull();
          if (plan.payment) expect(d(plan.payment.amount).toFixed(2)).toBe(expectedTotal.toFixed(2));
          // Paid as the settings say for the method (cash on delivery: only at Complete).
          if (
            truth.payment &&
            paidStatusesFor(settings, truth.payment.code).includes(truth.order_status) &&
            !expectedTotal.isZero() &&
            truth.payment &&
            ['cod', 'bank_transfer', 'cheque'].includes(truth.payment.code.split('.')[0]!)
          ) {
            expect(plan.payment).not.toBeNull();
          }
        }
        summary.push(
          `OpenCart ${version}.x → ${organisation.BaseCurrency}-base org: ${fx.orders.length} orders; worst total diff ${worst.totalCents} ct, worst tax diff ${worst.taxCents} ct, largest rounding line ${worst.roundingCents} ct (${worst.where || 'none'}); ${withRounding} orders with a rounding line`,
        );
        expect(worst.totalCents).toBe(0);
      },
    );
  },
);
