/**
 * The real orders of both fixture stores, mapped with DEFAULT settings against the sandbox's own
 * seeded UK and NZ organisations (chart, tax rates and organisation read over HTTP), then created
 * there as invoices over real HTTP with unitdp=4, every request checked against Xero's official
 * OpenAPI spec. What the sandbox answers — Xero's totals, not ours — must be OpenCart's figures.
 */
import Decimal from 'decimal.js';
import { buildMappingContext } from '../../src/mapping/mapping-context';
import { mapOrderToInvoice, InvoicePlan } from '../../src/mapping/order-to-invoice.mapper';
import { defaultSettings } from '../../src/settings/settings.schema';
import type { XeroAccount, XeroCurrency, XeroOrganisation, XeroTaxRate } from '../../src/ports/xero.port';
import { SyncError } from '../../src/errors';
import { fixturesAvailable, loadStoreFixture, toOcOrder } from './support/opencart-fixtures';
import { openSandbox, SandboxSession, specAvailable } from './support/sandbox-session';

const available = fixturesAvailable();
const r2 = (v: Decimal): Decimal => v.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

(available ? describe : describe.skip)(
  'real orders → invoices created in the sandbox (real HTTP, spec-checked)',
  () => {
    let session: SandboxSession;
    beforeAll(async () => {
      session = await openSandbox();
    }, 60_000);
    afterAll(async () => {
      await session?.sandbox.close();
    });

    it.each([
      ['uk', '3'],
      ['uk', '4'],
      ['nz', '3'],
      ['nz', '4'],
    ] as const)(
      "%s organisation, OpenCart %s.x: every invoice it maps is accepted, Xero's Total is OpenCart's to the cent",
      async (seed, version) => {
        const tenant = session.sandbox.tenants.find((t) => t.name.toLowerCase().includes(seed))!;
        const get = async <T>(p: string, key: string): Promise<T[]> => {
          const res = await session.call<Record<string, T[]>>(tenant.tenantId, 'GET', p);
          expect(res.status).toBe(200);
          return res.body[key]!;
        };
        const [organisation] = await get<XeroOrganisation>('/Organisation', 'Organisations');
        const accounts = await get<XeroAccount>('/Accounts', 'Accounts');
        const taxRates = await get<XeroTaxRate>('/TaxRates', 'TaxRates');
        const currencies = await get<XeroCurrency>('/Currencies', 'Currencies');
        const fx = loadStoreFixture(version);
        const settings = {
          ...defaultSettings(),
          invoiceStatus: 'AUTHORISED' as const,
          invoiceNumberFormat: `OC${version}-{order_id}`,
          paymentAccountCodes: { cod: '090', bank_transfer: '090', cheque: '090' },
        };
        const built = buildMappingContext({
          settings,
          organisation: organisation!,
          accounts,
          xeroTaxRates: taxRates,
          storeDefaultCurrency: fx.defaultCurrency,
          ocCurrencies: fx.currencies,
          ocTaxRates: fx.taxRates,
          ocTaxRules: fx.taxRules,
          ocStatuses: fx.statuses,
          languageId: 1,
          xeroCurrencies: currencies,
        });
        if (!built.ok) throw new Error(JSON.stringify(built.errors));
        // Orders in a currency the organisation lacks (the NZ org has no GBP/EUR) are refused with the
        // reason, before any call (the dumps have no NZD rate to book them in the base currency
        // either); every other order is sent.
        const enabled = new Set(currencies.map((c) => c.Code));
        const orders = fx.orders.filter((o) => enabled.has(o.currency_code));
        for (const o of fx.orders.filter((x) => !enabled.has(x.currency_code))) {
          expect(() => mapOrderToInvoice(toOcOrder(o, fx), built.context)).toThrow(SyncError);
          expect(() => mapOrderToInvoice(toOcOrder(o, fx), built.context)).toThrow(
            `add ${o.currency_code} in Xero (Settings › Currencies)`,
          );
        }
        expect(orders.length).toBeGreaterThan(15);
        const plans: InvoicePlan[] = orders.map((o) => mapOrderToInvoice(toOcOrder(o, fx), built.context));

        const created: Array<Record<string, unknown>> = [];
        for (let i = 0; i < plans.length; i += 50) {
          const res = await session.call<{ Invoices: Array<Record<string, unknown>> }>(
            tenant.tenantId,
            'PUT',
            '/Invoices?summarizeErrors=false&unitdp=4',
            {
              Invoices: plans.slice(i, i + 50).map((p) => p.invoice),
            },
          );
          expect(res.status).toBe(200);
          created.push(...res.body.Invoices);
        }
        let worstTaxCents = 0;
        plans.forEach((plan, i) => {
          const inv = created[i]!;
          const truth = orders[i]!;
          const where = `${seed} ${version}.x order ${truth.order_id}`;
          expect({ where, status: inv.StatusAttributeString, errors: inv.ValidationErrors ?? [] }).toEqual({
            where,
            status: 'OK',
            errors: [],
          });
          const expectedTotal = r2(new Decimal(truth.total).times(truth.currency_value));
          expect({ where, total: new Decimal(inv.Total as number).toFixed(2) }).toEqual({
            where,
            total: expectedTotal.toFixed(2),
          });
          expect({ where, tax: new Decimal(inv.TotalTax as number).toFixed(2) }).toEqual({
            where,
            tax: plan.xeroTotals.tax,
          });
          worstTaxCents = Math.max(
            worstTaxCents,
            new Decimal(inv.TotalTax as number).minus(plan.expected.tax).abs().times(100).toNumber(),
          );
          expect(inv.CurrencyCode).toBe(truth.currency_code);
        });
        expect(worstTaxCents).toBe(0);

        // Payments where the method is mapped: in the invoice currency, clearing the invoice.
        const payments = plans
          .map((p, i) => ({ p, inv: created[i]! }))
          .filter(({ p }) => p.payment)
          .map(({ p, inv }) => ({
            Invoice: { InvoiceID: inv.InvoiceID },
            Account: { Code: p.payment!.accountCode },
            Date: p.payment!.date,
            Amount: p.payment!.amount,
            ...(p.payment!.currencyRate ? { CurrencyRate: p.payment!.currencyRate } : {}),
          }));
        expect(payments.length).toBeGreaterThan(10);
        const paid = await session.call<{ Payments: Array<Record<string, unknown>> }>(
          tenant.tenantId,
          'PUT',
          '/Payments?summarizeErrors=false',
          { Payments: payments },
        );
        expect(paid.status).toBe(200);
        for (const p of paid.body.Payments)
          expect({ status: p.StatusAttributeString, errors: p.ValidationErrors ?? [] }).toEqual({
            status: 'OK',
            errors: [],
          });
        console.log(
          `sandbox ${seed} org, OpenCart ${version}.x: ${created.length} invoices accepted (${fx.orders.length - orders.length} refused: currency not in the organisation), totals to the cent, worst tax diff ${worstTaxCents} ct, ${payments.length} payments applied`,
        );

        if (specAvailable()) {
          const violations = session.sandbox.violations();
          session.sandbox.resetViolations();
          expect(violations).toEqual([]);
        }
      },
      60_000,
    );
  },
);
