import { RunningSandbox } from '../src';
import { api, connect, expectNoViolations, first, Json, start } from './sandbox.helper';

describe('seeded organisations (settings endpoints)', () => {
  let sandbox: RunningSandbox;
  let token: string;
  beforeAll(async () => {
    sandbox = await start();
    token = (await connect(sandbox)).accessToken;
  });
  afterAll(() => sandbox.close());
  afterEach(() => expectNoViolations(sandbox));
  const get = (path: string, tenant = 0) =>
    api(sandbox, token, 'GET', path, undefined, { tenantId: sandbox.tenants[tenant].tenantId });

  it('UK: GBP, GB, Version UK, the VAT rates and currencies a UK shop needs', async () => {
    expect(first((await get('/Organisation')).body, 'Organisations')).toMatchObject({
      BaseCurrency: 'GBP',
      CountryCode: 'GB',
      Version: 'UK',
      Name: 'Sandbox Trading UK',
    });
    const rates = (await get('/TaxRates')).body.TaxRates as Json[];
    const rate = (t: string) => rates.find((r) => r.TaxType === t);
    expect(rate('OUTPUT2')).toMatchObject({
      Name: '20% (VAT on Income)',
      EffectiveRate: 20,
      Status: 'ACTIVE',
    });
    expect(rate('RROUTPUT')).toMatchObject({ EffectiveRate: 5 });
    expect([
      rate('ZERORATEDOUTPUT')?.EffectiveRate,
      rate('EXEMPTOUTPUT')?.EffectiveRate,
      rate('NONE')?.EffectiveRate,
      rate('INPUT2')?.EffectiveRate,
    ]).toEqual([0, 0, 0, 20]);
    expect(((await get('/Currencies')).body.Currencies as Json[]).map((c) => c.Code)).toEqual([
      'GBP',
      'USD',
      'EUR',
    ]);
    const byType = await get(`/TaxRates?where=${encodeURIComponent('TaxType=="OUTPUT2"')}`);
    expect((byType.body.TaxRates as Json[]).map((r) => r.TaxType)).toEqual(['OUTPUT2']);
  });

  it('UK chart of accounts: bank, sales, revenue, COGS, freight, inventory, VAT, rounding, voucher liability, clearing with payments on', async () => {
    const accounts = (await get('/Accounts')).body.Accounts as Json[];
    const code = (c: string) => accounts.find((a) => a.Code === c);
    expect(code('090')).toMatchObject({ Name: 'Business Bank Account', Type: 'BANK' });
    expect(code('200')).toMatchObject({ Name: 'Sales', TaxType: 'OUTPUT2' });
    expect(code('260')).toMatchObject({ Name: 'Other Revenue' });
    expect(code('310')).toMatchObject({ Name: 'Cost of Goods Sold', Type: 'DIRECTCOSTS' });
    expect(code('425')).toMatchObject({ Name: 'Freight & Courier' });
    expect(code('630')).toMatchObject({ Name: 'Inventory', Type: 'INVENTORY' });
    expect(code('820')).toMatchObject({ Name: 'VAT', Type: 'CURRLIAB' });
    expect(code('860')).toMatchObject({ Name: 'Rounding', SystemAccount: 'ROUNDING' });
    expect(code('835')).toMatchObject({ Name: 'Gift Voucher Liability', Type: 'CURRLIAB' });
    expect(code('880')).toMatchObject({ Name: 'Payment Clearing', EnablePaymentsToAccount: true });
    const one = await get(`/Accounts/${String(code('090')?.AccountID)}`);
    expect(first(one.body, 'Accounts')).toMatchObject({ Code: '090' });
    const banks = await get(`/Accounts?where=${encodeURIComponent('Type=="BANK" AND Status=="ACTIVE"')}`);
    expect((banks.body.Accounts as Json[]).map((a) => a.Code)).toEqual(['090', '091', '092']);
  });

  it('NZ: NZD with GST 15% as OUTPUT2, and tracking categories in both', async () => {
    expect(first((await get('/Organisation', 1)).body, 'Organisations')).toMatchObject({
      BaseCurrency: 'NZD',
      CountryCode: 'NZ',
      Version: 'NZ',
    });
    const gst = ((await get('/TaxRates', 1)).body.TaxRates as Json[]).find((r) => r.TaxType === 'OUTPUT2');
    expect(gst).toMatchObject({ EffectiveRate: 15, Name: '15% GST on Income' });
    const tracking = (await get('/TrackingCategories')).body.TrackingCategories as Json[];
    expect(tracking[0]).toMatchObject({ Name: 'Sales Channel', Status: 'ACTIVE' });
    expect((tracking[0].Options as Json[]).map((o) => o.Name)).toEqual(['Web Store', 'Marketplace']);
  });

  it('PUT /Currencies adds a currency to the organisation', async () => {
    const res = await api(sandbox, token, 'PUT', '/Currencies', {
      Code: 'AUD',
      Description: 'Australian Dollar',
    });
    expect(res.status).toBe(200);
    expect(((await get('/Currencies')).body.Currencies as Json[]).map((c) => c.Code)).toContain('AUD');
  });
});
