import { RunningSandbox } from '../src';
import {
  api,
  basic,
  connect,
  expectNoViolations,
  first,
  Json,
  messages,
  start,
  tokenRequest,
  useSandbox,
} from './sandbox.helper';

const invoice = (extra: Json = {}) => ({
  Type: 'ACCREC',
  Contact: { Name: 'Ann Lee' },
  Status: 'AUTHORISED',
  LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 10, AccountCode: '200', TaxType: 'OUTPUT2' }],
  ...extra,
});

describe('batches, summarizeErrors and Idempotency-Key', () => {
  const ctx = useSandbox({ now: () => new Date('2026-11-23T12:00:00Z') });
  const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    api(ctx.sandbox(), ctx.token(), method, path, body, { headers });

  it('summarizeErrors=false: 200 with a per-element StatusAttributeString and ValidationErrors, in input order', async () => {
    await call('PUT', '/Contacts', { Contacts: [{ Name: 'Taken' }] });
    const res = await call('PUT', '/Contacts?summarizeErrors=false', {
      Contacts: [{ Name: 'One' }, { Name: 'Taken' }, { Name: 'Two' }],
    });
    expect(res.status).toBe(200);
    const [a, b, c] = res.body.Contacts as Json[];
    expect([a.StatusAttributeString, b.StatusAttributeString, c.StatusAttributeString]).toEqual([
      'OK',
      'ERROR',
      'OK',
    ]);
    expect(typeof a.ContactID).toBe('string');
    expect(b.ContactID).toBeUndefined();
    expect(messages(b)).toEqual([
      'The contact name Taken is already assigned to another contact. The contact name must be unique across all active contacts.',
    ]);
  });

  it('default mode: 400 ValidationException listing the failed elements, yet the valid ones WERE created (no ids returned)', async () => {
    const res = await call('PUT', '/Invoices', {
      Invoices: [
        invoice({ InvoiceNumber: 'B-1' }),
        invoice({
          InvoiceNumber: 'B-2',
          LineItems: [{ Description: 'x', UnitAmount: 1, AccountCode: '999' }],
        }),
        invoice({ InvoiceNumber: 'B-3' }),
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      ErrorNumber: 10,
      Type: 'ValidationException',
      Message: 'A validation exception occurred',
    });
    const elements = res.body.Elements as Json[];
    expect(elements).toHaveLength(1);
    expect(elements[0].InvoiceNumber).toBe('B-2');
    expect(messages(elements[0])).toEqual(["Account code '999' is not a valid code for this document."]);
    expect(JSON.stringify(res.body)).not.toMatch(/InvoiceID/);
    const stored = await call('GET', '/Invoices?InvoiceNumbers=B-1,B-2,B-3');
    expect((stored.body.Invoices as Json[]).map((i) => i.InvoiceNumber)).toEqual(['B-1', 'B-3']);
  });

  it('Idempotency-Key: a replay within 6 minutes returns the first answer and writes nothing; after that it is a new request', async () => {
    const headers = { 'Idempotency-Key': 'order-42-attempt' };
    const firstRes = await call('PUT', '/Invoices?summarizeErrors=false', { Invoices: [invoice()] }, headers);
    const replay = await call('PUT', '/Invoices?summarizeErrors=false', { Invoices: [invoice()] }, headers);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(firstRes.body);
    expect((await call('GET', '/Invoices')).body.Invoices).toHaveLength(1);
    expect(ctx.sandbox().counters()['idempotency:replay']).toBe(1);
    ctx.sandbox().clock.advance(6 * 60_000 + 1000);
    const later = await call('PUT', '/Invoices?summarizeErrors=false', { Invoices: [invoice()] }, headers);
    expect(first<Json>(later.body, 'Invoices').InvoiceID).not.toBe(
      first<Json>(firstRes.body, 'Invoices').InvoiceID,
    );
    expect((await call('GET', '/Invoices')).body.Invoices).toHaveLength(2);
  });

  it('Idempotency-Key: a retry sent while the first request is still running waits for it and writes nothing', async () => {
    ctx.sandbox().faults.add({ kind: 'latency', method: 'PUT', latencyMs: 300 });
    const headers = { 'Idempotency-Key': 'slow-one' };
    const [a, b] = await Promise.all([
      call('PUT', '/Invoices?summarizeErrors=false', { Invoices: [invoice()] }, headers),
      new Promise((r) => setTimeout(r, 50)).then(() =>
        call('PUT', '/Invoices?summarizeErrors=false', { Invoices: [invoice()] }, headers),
      ),
    ]);
    expect(b.body).toEqual(a.body);
    expect((await call('GET', '/Invoices')).body.Invoices).toHaveLength(1);
  });
});

describe('request bodies', () => {
  const ctx = useSandbox();
  const raw = (body: string) =>
    fetch(`${ctx.sandbox().url}/api.xro/2.0/Contacts`, {
      method: 'PUT',
      headers: {
        Authorization: `Bearer ${ctx.token()}`,
        'xero-tenant-id': ctx.sandbox().tenants[0].tenantId,
        'Content-Type': 'application/json',
      },
      body,
    });

  it('answers malformed JSON with a 400 PostDataInvalidException and bodies over 3.5 MB with 413', async () => {
    const bad = await raw('{"Contacts": [');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      ErrorNumber: 14,
      Type: 'PostDataInvalidException',
      Message: 'Invalid Json data',
    });
    const huge = await raw(
      JSON.stringify({ Contacts: [{ Name: 'x', Website: 'y'.repeat(3.6 * 1024 * 1024) }] }),
    );
    expect(huge.status).toBe(413);
    expect(
      (ctx.sandbox().state() as { organisations: Array<{ Contacts: unknown[] }> }).organisations[0].Contacts,
    ).toEqual([]);
  });
});

describe('rate limits (per tenant, on the sandbox clock)', () => {
  let sandbox: RunningSandbox;
  let clockMs = Date.parse('2026-11-23T12:00:00Z');
  beforeAll(async () => {
    sandbox = await start({ now: () => new Date(clockMs), rateLimits: { perDay: 70 } });
  });
  afterAll(() => sandbox.close());
  afterEach(() => expectNoViolations(sandbox));

  it('counts down X-MinLimit/X-DayLimit/X-AppMinLimit-Remaining, answers 429 with Retry-After after 60 calls a minute, per tenant', async () => {
    sandbox.reset();
    const { accessToken } = await connect(sandbox);
    const get = (tenantId = sandbox.tenants[0].tenantId) =>
      api(sandbox, accessToken, 'GET', '/TaxRates', undefined, { tenantId });
    const r1 = await get();
    expect(r1.headers.get('x-minlimit-remaining')).toBe('59');
    expect(r1.headers.get('x-daylimit-remaining')).toBe('69');
    expect(r1.headers.get('x-appminlimit-remaining')).toBe('9999');
    for (let i = 0; i < 59; i++) expect((await get()).status).toBe(200);
    clockMs += 30_000;
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.text).toBe('');
    expect(limited.headers.get('x-rate-limit-problem')).toBe('minute');
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(limited.headers.get('x-minlimit-remaining')).toBe('0');
    expect((await get(sandbox.tenants[1].tenantId)).status).toBe(200);
    clockMs += 30_000;
    const after = await get();
    expect(after.status).toBe(200);
    expect(after.headers.get('x-daylimit-remaining')).toBe('9');
    for (let i = 0; i < 9; i++) expect((await get()).status).toBe(200);
    const day = await get();
    expect(day.status).toBe(429);
    expect(day.headers.get('x-rate-limit-problem')).toBe('day');
    expect(Number(day.headers.get('retry-after'))).toBe(24 * 3600 - 60);
  });

  it('limits are per app and organisation: a second app has its own minute budget', async () => {
    const twoApps = await start({
      now: () => new Date(clockMs),
      apps: [
        { clientId: 'app-a', clientSecret: 'a' },
        { clientId: 'app-b', clientSecret: 'b', name: 'App B' },
      ],
      rateLimits: { perMinute: 2 },
    });
    try {
      const tokenOf = async (id: string, secret: string) =>
        String(
          (await tokenRequest(twoApps, { grant_type: 'client_credentials' }, basic(id, secret))).body
            .access_token,
        );
      const a = await tokenOf('app-a', 'a');
      const b = await tokenOf('app-b', 'b');
      const statuses = [];
      for (const token of [a, a, a, b])
        statuses.push((await api(twoApps, token, 'GET', '/Currencies')).status);
      expect(statuses).toEqual([200, 200, 429, 200]);
      const named = await api(twoApps, b, 'GET', '/Currencies');
      expect(named.status).toBe(200);
      expect(named.body.ProviderName).toBe('App B');
      expectNoViolations(twoApps);
    } finally {
      await twoApps.close();
    }
  });

  it('allows 5 concurrent calls per tenant; the 6th in flight gets 429 concurrent', async () => {
    sandbox.reset();
    const { accessToken } = await connect(sandbox);
    sandbox.faults.add({ kind: 'latency', path: '/api.xro/2.0/Accounts', latencyMs: 400, times: 6 });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => api(sandbox, accessToken, 'GET', '/Accounts')),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(results.find((r) => r.status === 429)?.headers.get('x-rate-limit-problem')).toBe('concurrent');
  });

  it('a client that hangs up during a slow call still frees its concurrency slot', async () => {
    sandbox.reset();
    const { accessToken } = await connect(sandbox);
    sandbox.faults.add({ kind: 'latency', path: '/api.xro/2.0/Accounts', latencyMs: 300, times: 5 });
    const abandoned = Array.from({ length: 5 }, () =>
      fetch(`${sandbox.url}/api.xro/2.0/Accounts`, {
        headers: { Authorization: `Bearer ${accessToken}`, 'xero-tenant-id': sandbox.tenants[0].tenantId },
        signal: AbortSignal.timeout(50),
      }).catch((e: Error) => e.name),
    );
    expect(await Promise.all(abandoned)).toEqual(Array(5).fill('TimeoutError'));
    await new Promise((r) => setTimeout(r, 400));
    expect((await api(sandbox, accessToken, 'GET', '/Accounts')).status).toBe(200);
  });
});

describe('fault injection', () => {
  const ctx = useSandbox();
  const call = (method: string, path: string, body?: unknown, init: { signal?: AbortSignal } = {}) =>
    init.signal
      ? fetch(`${ctx.sandbox().url}/api.xro/2.0${path}`, {
          method,
          signal: init.signal,
          headers: {
            Authorization: `Bearer ${ctx.token()}`,
            'xero-tenant-id': ctx.sandbox().tenants[0].tenantId,
            'Content-Type': 'application/json',
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
      : api(ctx.sandbox(), ctx.token(), method, path, body);
  const invoicesInState = () =>
    (ctx.sandbox().state() as { organisations: Array<{ Invoices: Json[] }> }).organisations[0].Invoices
      .length;

  it('500 and 503 hit `times` matching requests only (method + path), then the API answers again', async () => {
    ctx.sandbox().faults.add({ kind: '500', method: 'GET', path: '/api.xro/2.0/Contacts', times: 2 });
    expect((await api(ctx.sandbox(), ctx.token(), 'GET', '/Accounts')).status).toBe(200);
    expect((await api(ctx.sandbox(), ctx.token(), 'GET', '/Contacts')).status).toBe(500);
    expect((await api(ctx.sandbox(), ctx.token(), 'GET', '/Contacts')).status).toBe(500);
    expect((await api(ctx.sandbox(), ctx.token(), 'GET', '/Contacts')).status).toBe(200);
    ctx.sandbox().faults.add({ kind: '503', path: /Organisation$/ });
    const unavailable = await api(ctx.sandbox(), ctx.token(), 'GET', '/Organisation');
    expect(unavailable.status).toBe(503);
    expect(ctx.sandbox().counters()['fault:500']).toBe(2);
  });

  it('429-minute and 429-day faults answer like Xero: empty body, Retry-After, X-Rate-Limit-Problem', async () => {
    ctx.sandbox().faults.add({ kind: '429-minute', retryAfterSeconds: 7 });
    const minute = await api(ctx.sandbox(), ctx.token(), 'GET', '/Contacts');
    expect([
      minute.status,
      minute.text,
      minute.headers.get('retry-after'),
      minute.headers.get('x-rate-limit-problem'),
    ]).toEqual([429, '', '7', 'minute']);
    ctx.sandbox().faults.add({ kind: '429-day' });
    const day = await api(ctx.sandbox(), ctx.token(), 'GET', '/Contacts');
    expect([
      day.status,
      day.headers.get('retry-after'),
      day.headers.get('x-rate-limit-problem'),
      day.headers.get('x-daylimit-remaining'),
    ]).toEqual([429, '3600', 'day', '0']);
  });

  it('latency delays the answer; drop closes the socket without an answer', async () => {
    ctx.sandbox().faults.add({ kind: 'latency', latencyMs: 300 });
    const t0 = Date.now();
    expect((await api(ctx.sandbox(), ctx.token(), 'GET', '/Organisation')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    ctx.sandbox().faults.add({ kind: 'drop', method: 'PUT' });
    await expect(call('PUT', '/Invoices', { Invoices: [invoice()] })).rejects.toThrow();
    expect(invoicesInState()).toBe(0);
  });

  it('timeout-after-write applies the write, then destroys the socket (or answers too late)', async () => {
    ctx.sandbox().faults.add({ kind: 'timeout-after-write', method: 'PUT', path: '/api.xro/2.0/Invoices' });
    await expect(
      call('PUT', '/Invoices', { Invoices: [invoice({ InvoiceNumber: 'TW-1' })] }),
    ).rejects.toThrow();
    expect(invoicesInState()).toBe(1);
    ctx.sandbox().faults.add({ kind: 'timeout-after-write', method: 'PUT', latencyMs: 1500 });
    await expect(
      call(
        'PUT',
        '/Invoices',
        { Invoices: [invoice({ InvoiceNumber: 'TW-2' })] },
        { signal: AbortSignal.timeout(200) },
      ),
    ).rejects.toThrow();
    expect(invoicesInState()).toBe(2);
    // The retry (same number) finds the first write: Xero's duplicate rule, not a second invoice.
    const retry = await api(ctx.sandbox(), ctx.token(), 'PUT', '/Invoices?summarizeErrors=false', {
      Invoices: [invoice({ InvoiceNumber: 'TW-1' })],
    });
    expect(messages(first(retry.body, 'Invoices'))).toEqual(['Invoice # must be unique.']);
    await new Promise((r) => setTimeout(r, 1500));
  });

  it('validation faults fail the chosen batch elements only', async () => {
    ctx.sandbox().faults.add({ kind: 'validation', path: '/api.xro/2.0/Contacts', elementIndexes: [1] });
    const res = await api(ctx.sandbox(), ctx.token(), 'PUT', '/Contacts?summarizeErrors=false', {
      Contacts: [{ Name: 'A' }, { Name: 'B' }, { Name: 'C' }],
    });
    expect((res.body.Contacts as Json[]).map((c) => c.StatusAttributeString)).toEqual(['OK', 'ERROR', 'OK']);
    expect(messages((res.body.Contacts as Json[])[1])).toEqual([
      'Sandbox fault: injected validation error for this element.',
    ]);
  });

  it('probability 0 never fires; faults.clear() removes armed rules', async () => {
    ctx.sandbox().faults.add({ kind: '500', probability: 0 });
    ctx.sandbox().faults.add({ kind: '503', path: '/api.xro/2.0/Items', times: 5 });
    expect((await api(ctx.sandbox(), ctx.token(), 'GET', '/Contacts')).status).toBe(200);
    ctx.sandbox().faults.clear();
    expect((await api(ctx.sandbox(), ctx.token(), 'GET', '/Items')).status).toBe(200);
  });
});

describe('control API over HTTP (/__sandbox)', () => {
  const ctx = useSandbox();
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${ctx.sandbox().url}/__sandbox${path}`, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: res.status === 204 ? undefined : ((await res.json()) as Json) };
  };

  it('counters, state, faults, clock and reset work over HTTP', async () => {
    await api(ctx.sandbox(), ctx.token(), 'PUT', '/Invoices', { Invoices: [invoice()] });
    const counters = (await control('GET', '/counters')).body as Record<string, number>;
    expect(counters['PUT /api.xro/2.0/Invoices']).toBe(1);
    expect(counters['token:authorization_code']).toBe(1);
    const state = (await control('GET', '/state')).body as {
      organisations: Array<{ Invoices: Json[]; Contacts: Json[] }>;
    };
    expect(state.organisations[0].Invoices).toHaveLength(1);
    expect(state.organisations[0].Contacts.map((c) => c.Name)).toEqual(['Ann Lee']);

    expect(
      (await control('POST', '/faults', { kind: '503', path: '/api.xro/2.0/Organisation' })).status,
    ).toBe(201);
    expect((await control('POST', '/faults', { kind: 'bogus' })).status).toBe(400);
    expect((await api(ctx.sandbox(), ctx.token(), 'GET', '/Organisation')).status).toBe(503);
    await control('POST', '/faults', { kind: '500', pathRegex: 'Accounts$', times: 3 });
    expect((await control('DELETE', '/faults')).status).toBe(204);
    expect((await api(ctx.sandbox(), ctx.token(), 'GET', '/Accounts')).status).toBe(200);

    const before = ctx.sandbox().clock.now().getTime();
    const advanced = await control('POST', '/clock', { advanceMs: 31 * 60_000 });
    expect(Date.parse(String(advanced.body?.now)) - before).toBeGreaterThanOrEqual(31 * 60_000);
    expect((await api(ctx.sandbox(), ctx.token(), 'GET', '/Organisation')).status).toBe(401);
    const set = await control('POST', '/clock', { set: '2030-01-01T00:00:00Z' });
    expect(String(set.body?.now).startsWith('2030-01-01T00:00:0')).toBe(true);
    expect((await control('POST', '/clock', {})).status).toBe(400);

    expect((await control('POST', '/reset')).status).toBe(200);
    const fresh = (await control('GET', '/state')).body as { organisations: Array<{ Invoices: Json[] }> };
    expect(fresh.organisations[0].Invoices).toEqual([]);
    expect((await control('GET', '/counters')).body).toEqual({});
    expect((await control('GET', '/violations')).body).toEqual([]);
  });
});
