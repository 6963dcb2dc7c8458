import { api, first, Json, messages, useSandbox } from './sandbox.helper';

// Xero's plans as the API shows them: multi-currency only on the top plan.
describe('a standard-plan organisation (no multi-currency)', () => {
  const ctx = useSandbox({ plan: 'standard', now: () => new Date('2026-11-23T12:00:00Z') });
  const call = (method: string, path: string, body?: unknown) => api(ctx.sandbox(), ctx.token(), method, path, body);

  it('lists its base currency only, says STANDARD, and refuses a currency or an invoice in another currency', async () => {
    const org = first<Json>((await call('GET', '/Organisation')).body, 'Organisations');
    expect(org).toMatchObject({ BaseCurrency: 'GBP', Class: 'STANDARD' });
    const currencies = (await call('GET', '/Currencies')).body.Currencies as Json[];
    expect(currencies.map((c) => c.Code)).toEqual(['GBP']);

    const added = await call('PUT', '/Currencies', { Currencies: [{ Code: 'EUR', Description: 'Euro' }] });
    expect(added.status).toBe(400);
    expect(JSON.stringify(added.body)).toContain("plan does not include multi-currency");
    expect(((await call('GET', '/Currencies')).body.Currencies as Json[]).map((c) => c.Code)).toEqual(['GBP']);

    const inv = (cur: string): Json => ({
      Type: 'ACCREC',
      Contact: { Name: 'Ann Lee' },
      Date: '2026-11-20',
      DueDate: '2026-12-20',
      Status: 'AUTHORISED',
      CurrencyCode: cur,
      LineItems: [{ Description: 'Widget', Quantity: 1, UnitAmount: 10, AccountCode: '200', TaxType: 'OUTPUT2' }],
    });
    const res = await call('PUT', '/Invoices?summarizeErrors=false', { Invoices: [inv('EUR'), inv('GBP')] });
    const [eur, gbp] = res.body.Invoices as Json[];
    expect(messages(eur!)).toEqual(['The currency EUR has not been added to this organisation.']);
    expect(gbp).toMatchObject({ StatusAttributeString: 'OK', CurrencyCode: 'GBP', Total: 12 });
  });
});

describe('a premium-plan organisation (the default)', () => {
  const ctx = useSandbox({ now: () => new Date('2026-11-23T12:00:00Z') });
  const call = (method: string, path: string, body?: unknown) => api(ctx.sandbox(), ctx.token(), method, path, body);

  it('lists its currencies and takes a new one', async () => {
    const org = first<Json>((await call('GET', '/Organisation')).body, 'Organisations');
    expect(org.Class).toBe('PREMIUM');
    expect(((await call('GET', '/Currencies')).body.Currencies as Json[]).map((c) => c.Code)).toEqual(['GBP', 'USD', 'EUR']);
    const added = await call('PUT', '/Currencies', { Currencies: [{ Code: 'AUD', Description: 'Australian Dollar' }] });
    expect(added.status).toBe(200);
    expect(((await call('GET', '/Currencies')).body.Currencies as Json[]).map((c) => c.Code)).toContain('AUD');
  });
});
