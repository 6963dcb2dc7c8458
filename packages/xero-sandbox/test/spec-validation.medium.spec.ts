import { RunningSandbox } from '../src';
import { SpecValidator } from '../src/spec.validator';
import { api, connect, first, Json, SPEC_AVAILABLE, SPEC_DIR, start } from './sandbox.helper';

// The sandbox validates every request and response with openapi-backend against Xero's own spec.
// These tests prove the validator is live (it catches what breaks the spec) and how the modes act.

if (!SPEC_AVAILABLE && process.env.CI)
  throw new Error(`Xero OpenAPI spec not found at ${SPEC_DIR}: set XERO_OPENAPI_DIR (required in CI)`);
if (!SPEC_AVAILABLE)
  console.warn(
    `Skipping spec-validation tests: Xero OpenAPI spec not found at ${SPEC_DIR} (set XERO_OPENAPI_DIR).`,
  );
const describeWithSpec = SPEC_AVAILABLE ? describe : describe.skip;

const badInvoice = {
  Type: 'ACCREC',
  Contact: { Name: 'Ann' },
  Status: 'AUTHORISED',
  LineAmountTypes: 'Gross',
  LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 5, AccountCode: '200' }],
};

describeWithSpec('spec validation (openapi-backend, quick mode, Xero OpenAPI 16.1.0)', () => {
  describe("mode 'record'", () => {
    let sandbox: RunningSandbox;
    let token: string;
    beforeAll(async () => {
      sandbox = await start({ spec: { dir: SPEC_DIR, mode: 'record' } });
      token = (await connect(sandbox)).accessToken;
    });
    afterAll(() => sandbox.close());
    beforeEach(() => sandbox.resetViolations());

    it('records a request that breaks the spec (enum) and still answers as Xero would', async () => {
      const res = await api(sandbox, token, 'PUT', '/Invoices?summarizeErrors=false', {
        Invoices: [badInvoice],
      });
      expect(res.status).toBe(200);
      expect(first<Json>(res.body, 'Invoices').StatusAttributeString).toBe('ERROR');
      const violations = sandbox.violations();
      expect(violations.map((v) => [v.direction, v.method, v.path])).toContainEqual([
        'request',
        'PUT',
        '/api.xro/2.0/Invoices',
      ]);
      const requestErrors = violations.find((v) => v.direction === 'request')?.errors as Array<Json>;
      expect(requestErrors).toContainEqual(
        expect.objectContaining({ keyword: 'enum', instancePath: '/requestBody/Invoices/0/LineAmountTypes' }),
      );
    });

    it('allows the one known newer parameter (allowBackorders) but not unknown query parameters', async () => {
      const ok = await api(sandbox, token, 'PUT', '/Invoices?summarizeErrors=false&allowBackorders=true', {
        Invoices: [{ ...badInvoice, LineAmountTypes: 'Exclusive' }],
      });
      expect(ok.status).toBe(200);
      expect(sandbox.violations()).toEqual([]);
      await api(sandbox, token, 'GET', '/Invoices?bogus=1');
      expect(sandbox.violations()).toEqual([
        expect.objectContaining({
          direction: 'request',
          errors: [
            expect.objectContaining({
              keyword: 'additionalProperties',
              params: { additionalProperty: 'bogus' },
            }),
          ],
        }),
      ]);
    });

    it('validates /connections against the identity spec', async () => {
      const res = await fetch(`${sandbox.url}/connections?authEventId=not-a-uuid`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      expect(sandbox.violations()).toEqual([
        expect.objectContaining({
          direction: 'request',
          path: '/connections',
          errors: [expect.objectContaining({ keyword: 'format', params: { format: 'uuid' } })],
        }),
      ]);
    });
  });

  it("mode 'reject' answers a spec-breaking request with a 400 ValidationException and writes nothing", async () => {
    const sandbox = await start({ spec: { dir: SPEC_DIR, mode: 'reject' } });
    try {
      const { accessToken } = await connect(sandbox);
      const res = await api(sandbox, accessToken, 'PUT', '/Invoices', { Invoices: [badInvoice] });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ ErrorNumber: 10, Type: 'ValidationException' });
      const message = (first<Json>(res.body, 'Elements').ValidationErrors as Array<{ Message: string }>)[0]
        .Message;
      expect(message).toMatch(
        /^Request does not conform to the Xero OpenAPI spec: \/requestBody\/Invoices\/0\/LineAmountTypes must be equal to one of the allowed values/,
      );
      expect(
        (sandbox.state() as { organisations: Array<{ Invoices: Json[] }> }).organisations[0].Invoices,
      ).toEqual([]);
      expect((await api(sandbox, accessToken, 'GET', '/Organisation')).status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });

  it('checks responses too: a body that breaks the response schema is reported', async () => {
    const validator = await SpecValidator.create(SPEC_DIR);
    const bad = validator.validateResponse('/api.xro/2.0/Invoices', 'getInvoices', 200, {
      Invoices: [{ InvoiceID: 'x', Total: '14.82', Status: 'SENT' }],
    });
    expect(bad).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ instancePath: '/Invoices/0/Total', keyword: 'type' }),
        expect.objectContaining({ instancePath: '/Invoices/0/Status', keyword: 'enum' }),
        expect.objectContaining({ instancePath: '/Invoices/0/InvoiceID', keyword: 'format' }),
      ]),
    );
    expect(
      validator.validateResponse('/api.xro/2.0/Invoices', 'getInvoices', 200, {
        Invoices: [{ Total: 14.82, Status: 'AUTHORISED' }],
      }),
    ).toBeUndefined();
  });
});

describeWithSpec('token answers against the identity spec', () => {
  it('checks /connect/token bodies against the AccessToken schema', async () => {
    const validator = await SpecValidator.create(SPEC_DIR);
    expect(
      validator.validateTokenResponse({
        access_token: 'a',
        expires_in: 1800,
        token_type: 'Bearer',
        refresh_token: 'r',
      }),
    ).toBeUndefined();
    expect(validator.validateTokenResponse({ access_token: 'a', expires_in: '1800' })).toEqual([
      expect.objectContaining({ instancePath: '/expires_in', keyword: 'type' }),
    ]);
  });
});
