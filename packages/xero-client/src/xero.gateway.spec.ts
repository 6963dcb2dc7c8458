import { ApiError } from 'xero-node/dist/model/ApiError';
import { ObjectSerializer } from 'xero-node';
import { isSyncError, type StoredXeroTokens, type XeroInvoiceDraft } from '@oc-xero/sync-core';
import { XeroGateway } from './xero.gateway';
import { XeroAuthService } from './xero-auth.service';
import { parseXeroClientConfig } from './xero-client.config';
import { ClientClock } from './retry.policy';

/** What xero-node's AccountingApi rejects with. */
const xeroNodeError = (status: number, data: unknown = '', headers: Record<string, string> = {}) =>
  JSON.stringify(new ApiError(status ? { message: 'x', response: { status, data, headers } } : { message: 'socket hang up' }).generateError());

function fakeClock(): ClientClock & { t: number; slept: number[] } {
  const c = { t: 1_700_000_000_000, slept: [] as number[], now: () => c.t, sleep: async (ms: number) => void (c.slept.push(ms), (c.t += ms)) };
  return c;
}

let tenantSeq = 0;

function setup(api: Record<string, jest.Mock>) {
  const config = parseXeroClientConfig({ clientId: 'id', clientSecret: 'secret', redirectUri: 'http://localhost/cb', apiUrl: 'http://fake.invalid', backoffBaseMs: 100, maxAttempts: 3 });
  let token = 'AT-1';
  const getAccessToken = jest.fn(async (_scope: string, rejected?: string) => {
    if (rejected === token) token = `AT-${Number(token.slice(3)) + 1}`;
    return { accessToken: token } as StoredXeroTokens;
  });
  const auth = { config, createXeroClient: () => ({ accountingApi: api }), getAccessToken } as unknown as XeroAuthService;
  const clock = fakeClock();
  const gateway = new XeroGateway(auth, { scope: 's', tenantId: `tenant-${++tenantSeq}`, tenantName: 'Demo Org', clock, random: () => 0.5 });
  return { gateway, getAccessToken, clock };
}

const invoice = (n: number): XeroInvoiceDraft => ({
  Type: 'ACCREC',
  Contact: { ContactID: 'c' },
  InvoiceNumber: `INV-${n}`,
  Date: '2024-01-01',
  DueDate: '2024-01-01',
  Status: 'AUTHORISED',
  LineAmountTypes: 'Exclusive',
  LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 1 }],
});

/** A summarizeErrors=false answer echoing the sent invoices, as xero-node hands it over. */
const echo = async (_t: string, body: { invoices: Array<{ invoiceNumber: string }> }) => ({
  body: ObjectSerializer.deserialize({ Invoices: body.invoices.map((i) => ({ InvoiceID: `id-${i.invoiceNumber}`, InvoiceNumber: i.invoiceNumber, Status: 'AUTHORISED', StatusAttributeString: 'OK', Total: 1 })) }, 'Invoices'),
});

describe('XeroGateway call policy (xero-node faked)', () => {
  it('retries 5xx and lost answers with backoff, keeping the same Idempotency-Key', async () => {
    const createInvoices = jest.fn().mockRejectedValueOnce(xeroNodeError(503)).mockRejectedValueOnce(xeroNodeError(0)).mockImplementation(echo);
    const { gateway, clock } = setup({ createInvoices });
    const [r] = await gateway.createInvoices([invoice(1)]);
    expect(r.ok).toBe(true);
    expect(createInvoices).toHaveBeenCalledTimes(3);
    const keys = createInvoices.mock.calls.map((c) => c[4]);
    expect(new Set(keys).size).toBe(1);
    expect(createInvoices.mock.calls[0].slice(2, 4)).toEqual([false, 4]); // summarizeErrors=false, unitdp=4
    expect(clock.slept).toEqual([75, 150]);
  });

  it('sends allowBackorders=true only when asked (Xero refuses going below zero by default)', async () => {
    const createInvoices = jest.fn().mockImplementation(echo);
    const { gateway } = setup({ createInvoices });
    await gateway.createInvoices([invoice(1)]);
    await gateway.createInvoices([invoice(2)], { allowBackorders: true });
    expect(createInvoices.mock.calls.map((c) => c[5])).toEqual([undefined, true]);
  });

  it('gives up after maxAttempts with a transient error', async () => {
    const getAccounts = jest.fn().mockRejectedValue(xeroNodeError(500, { Message: 'boom' }));
    const { gateway } = setup({ getAccounts });
    const e = await gateway.listAccounts().catch((x: unknown) => x);
    expect(isSyncError(e) && e.kind).toBe('transient');
    expect(getAccounts).toHaveBeenCalledTimes(3);
  });

  it('a 401 refreshes the token once and repeats the call', async () => {
    const getCurrencies = jest.fn().mockRejectedValueOnce(xeroNodeError(401, { Title: 'Unauthorized', Detail: 'TokenExpired' })).mockResolvedValue({ body: { currencies: [] } });
    const { gateway, getAccessToken } = setup({ getCurrencies });
    await expect(gateway.listCurrencies()).resolves.toEqual([]);
    expect(getAccessToken).toHaveBeenCalledWith('s', 'AT-1');
  });

  it('a second 401 after refreshing means reconnect', async () => {
    const getCurrencies = jest.fn().mockRejectedValue(xeroNodeError(401, { Title: 'Unauthorized' }));
    const { gateway } = setup({ getCurrencies });
    const e = await gateway.listCurrencies().catch((x: unknown) => x);
    expect(isSyncError(e) && e.kind).toBe('needs-reconnect');
    expect(getCurrencies).toHaveBeenCalledTimes(2);
  });

  it('a minute 429 waits Retry-After (not counted as an attempt) and succeeds', async () => {
    const getTaxRates = jest
      .fn()
      .mockRejectedValueOnce(xeroNodeError(429, '', { 'retry-after': '7', 'x-rate-limit-problem': 'minute' }))
      .mockResolvedValue({ body: { taxRates: [] } });
    const { gateway, clock } = setup({ getTaxRates });
    await expect(gateway.listTaxRates()).resolves.toEqual([]);
    expect(clock.slept).toEqual([7000]);
  });

  it('a day 429 throws transient with retryAfterMs and blocks later calls without calling', async () => {
    const getTaxRates = jest.fn().mockRejectedValue(xeroNodeError(429, '', { 'retry-after': '5000', 'x-rate-limit-problem': 'day' }));
    const getAccounts = jest.fn();
    const { gateway } = setup({ getTaxRates, getAccounts });
    const e = await gateway.listTaxRates().catch((x: unknown) => x);
    expect(isSyncError(e) && e.details.retryAfterMs).toBe(5_000_000);
    const again = await gateway.listAccounts().catch((x: unknown) => x);
    expect(isSyncError(again) && again.kind).toBe('transient');
    expect(getAccounts).not.toHaveBeenCalled();
    expect(getTaxRates).toHaveBeenCalledTimes(1);
  });

  it('when a later chunk fails as a whole, earlier results are kept and the rest are marked, not thrown', async () => {
    const createInvoices = jest.fn().mockImplementationOnce(echo).mockRejectedValue(xeroNodeError(403, { Title: 'Forbidden', Detail: 'AuthenticationUnsuccessful' }));
    const { gateway } = setup({ createInvoices });
    const results = await gateway.createInvoices(Array.from({ length: 120 }, (_, i) => invoice(i)));
    expect(results).toHaveLength(120);
    expect(results.slice(0, 50).every((r) => r.ok)).toBe(true);
    expect(results.slice(50).every((r) => !r.ok && r.kind === 'needs-reconnect')).toBe(true);
    expect(createInvoices).toHaveBeenCalledTimes(2); // the third chunk is not sent
  });

  it('the chunks of one wave go at once; one failing as a whole does not lose the answer of the other', async () => {
    let inFlight = 0;
    let most = 0;
    const createInvoices = jest.fn(async (t: string, body: { invoices: Array<{ invoiceNumber: string }> }) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight -= 1;
      if (body.invoices[0]!.invoiceNumber === 'INV-0') throw xeroNodeError(403, { Title: 'Forbidden', Detail: 'AuthenticationUnsuccessful' });
      return echo(t, body);
    });
    const { gateway } = setup({ createInvoices });
    const results = await gateway.createInvoices(Array.from({ length: 100 }, (_, i) => invoice(i)));
    expect(most).toBe(2);
    expect(results.slice(0, 50).every((r) => !r.ok && r.kind === 'needs-reconnect')).toBe(true);
    expect(results.slice(50).every((r) => r.ok)).toBe(true);
  });

  it('when the first chunk fails as a whole, the call throws', async () => {
    const createInvoices = jest.fn().mockRejectedValue(xeroNodeError(403, { Title: 'Forbidden' }));
    const { gateway } = setup({ createInvoices });
    await expect(gateway.createInvoices([invoice(1)])).rejects.toMatchObject({ kind: 'needs-reconnect' });
  });

  it('a 400 refusing the whole chunk maps Xero’s Elements to the elements', async () => {
    const body = { Type: 'ValidationException', Elements: [{ ValidationErrors: [] }, { ValidationErrors: [{ Message: 'Invoice # must be unique.' }] }] };
    const createInvoices = jest.fn().mockRejectedValue(xeroNodeError(400, body));
    const { gateway } = setup({ createInvoices });
    const [a, b] = await gateway.createInvoices([invoice(1), invoice(2)]);
    expect(a).toMatchObject({ ok: false, kind: 'transient' });
    expect(b).toEqual({ ok: false, kind: 'validation', errors: ['Invoice # must be unique.'] });
  });

  it('lookups put at most 50 numbers in one URL and ask for every status', async () => {
    const getInvoices = jest.fn().mockResolvedValue({ body: { invoices: [] } });
    const { gateway } = setup({ getInvoices });
    await gateway.findInvoicesByNumbers(Array.from({ length: 101 }, (_, i) => `INV-${i}`));
    expect(getInvoices.mock.calls.map((c) => c[5].length)).toEqual([50, 50, 1]);
    expect(getInvoices.mock.calls[0][7]).toEqual(['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID', 'VOIDED', 'DELETED']);
  });
});
