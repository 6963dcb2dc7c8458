import { MAX_AUTO_RETRIES } from '@oc-xero/sync-core';
import { connectOpenCart, loadOpenCartDump } from '@oc-xero/opencart-db';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { API_DB, AuthService } from '../src/auth/auth.service';
import { hashCost, BCRYPT_COST } from '../src/auth/password.util';
import { OrderSyncQueueService } from '../src/orders/order-sync-queue.service';
import { fixturesAvailable, OPENCART_FIXTURES_DIR } from './support/fixtures';
import { dbUrl, dropDatabases, scratchName, SERVER_URL } from './support/scratch-db';
import { adminSession, apiKey, startTestApi, type AdminSession, type TestApi } from './support/test-api';

const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 8000) => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

const OWNER = { username: 'owner', password: 'Long passphrase ' + 'abcdefghij'.repeat(8) }; // 96 bytes

/** First run, sign-in hardening, scoped keys, settings keys, the SPA and 404s, over real HTTP and MariaDB. */
describe('first run and sign-in', () => {
  let api: TestApi;
  let printed = '';
  let spy: jest.SpyInstance;

  beforeAll(async () => {
    spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed += chunk.toString();
      return true;
    });
    // SETUP_CODE empty = unset: the service makes one and prints it (stderr, as LOG_LEVEL is silent here).
    api = await startTestApi({ env: { SETUP_CODE: '' } });
    spy.mockRestore();
  }, 60_000);
  afterAll(() => api?.close());

  const code = () => /setup code ([A-Z0-9-]{19})/.exec(printed)?.[1] ?? '';
  const setup = (body: object) => api.http.post('/api/auth/setup').set('Content-Type', 'application/json').send(body);

  it('prints a one-time setup code while no admin exists, and setup needs it', async () => {
    expect(code()).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(printed).toContain('http://connector.test/setup');
    await api.http.get('/api/auth/setup-status').expect(200, { open: true, needsSetupCode: true, hint: 'Enter the setup code the service printed in its log when it started.' });
    const wrong = await setup({ ...OWNER, setupCode: 'AAAA-BBBB-CCCC-DDDD' }).expect(403);
    expect(wrong.body.errors).toEqual([{ path: 'setupCode', message: expect.stringMatching(/service log/) }]);
    const [row] = await api.app.get(API_DB).query('SELECT code_hash FROM api_setup_code');
    expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/); // hashed, never the code itself
  });

  it('refuses weak passwords with a field error', async () => {
    const cases: Array<[string, RegExp]> = [
      ['short', /at least 10/],
      ['password123', /common passwords/],
      ['qwertyuiop', /common passwords/],
      ['owner-is-the-boss', /username/],
      ['aaaaaaaaaaaa', /common passwords|different characters/],
    ];
    for (const [password, message] of cases) {
      const res = await setup({ username: 'owner', password, setupCode: code() }).expect(400);
      expect(res.body.errors).toEqual([{ path: 'password', message: expect.stringMatching(message) }]);
    }
  });

  it('takes JSON only, and from a browser only from our own origin', async () => {
    await api.http.post('/api/auth/setup').type('form').send({ ...OWNER, setupCode: code() }).expect(415);
    await setup({ ...OWNER, setupCode: code() }).set('Origin', 'https://evil.example').expect(403);
    await setup({ ...OWNER, setupCode: code() }).set('Sec-Fetch-Site', 'cross-site').expect(403);
    await api.http.get('/api/auth/setup-status').expect(200).expect((r) => expect(r.body.open).toBe(true));
  });

  it('creates the admin with the code (single use); setup is then closed', async () => {
    await setup({ ...OWNER, setupCode: code().toLowerCase() }).set('Origin', 'http://connector.test').expect(201, { created: true, username: 'owner' });
    expect(Number((await api.app.get(API_DB).query('SELECT COUNT(*) AS n FROM api_setup_code'))[0].n)).toBe(0);
    await setup({ username: 'second', password: OWNER.password, setupCode: code() }).expect(409);
    await api.http.get('/api/auth/setup-status').expect(200).expect((r) => expect(r.body.open).toBe(false));
  });

  it('an unknown username costs a bcrypt of the same cost as a real one (no timing difference)', async () => {
    const [row] = await api.app.get(API_DB).query('SELECT password_hash FROM api_admin_user WHERE username = ?', ['owner']);
    const dummy = await api.app.get(AuthService).dummyPasswordHash();
    expect(hashCost(row.password_hash)).toBe(BCRYPT_COST);
    expect(hashCost(dummy)).toBe(hashCost(row.password_hash));
    expect(row.password_hash.startsWith('v2$')).toBe(dummy.startsWith('v2$'));
  });

  it('every byte of a long password counts (bcrypt alone reads 72)', async () => {
    const tail = OWNER.password.slice(0, -1) + 'X';
    expect(Buffer.byteLength(OWNER.password)).toBeGreaterThan(72);
    await api.http.post('/api/auth/login').send({ username: 'owner', password: tail }).expect(401);
    await api.http.post('/api/auth/login').send(OWNER).expect(200);
  });

  it('login checks the origin: ours and the request\'s own host pass, another site does not', async () => {
    await api.http.post('/api/auth/login').set('Origin', 'https://evil.example').send(OWNER).expect(403);
    await api.http.post('/api/auth/login').type('form').send(OWNER).expect(415);
    await api.http.post('/api/auth/login').set('Origin', 'http://connector.test').send(OWNER).expect(200);
    const own = await api.http.post('/api/auth/login').send(OWNER).expect(200);
    expect(own.body.csrfToken).toBeTruthy();
  });

  it('login failures are counted in the database, per username and client, across instances', async () => {
    const other = await startTestApi({ shareWith: api });
    try {
      for (let i = 0; i < 3; i++) await api.http.post('/api/auth/login').send({ username: 'owner', password: `wrong guess ${i}` }).expect(401);
      for (let i = 0; i < 2; i++) await other.http.post('/api/auth/login').send({ username: 'Owner', password: `wrong guess x${i}` }).expect(401);
      // The fifth failure was on the other instance: this one refuses even the right password now.
      const refused = await api.http.post('/api/auth/login').send(OWNER).expect(429);
      expect(refused.body.message).toMatch(/try again in \d+ minute/);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(800);
      await other.http.post('/api/auth/login').send(OWNER).expect(429);
      // Another username from the same client is not locked by it.
      await other.http.post('/api/auth/login').send({ username: 'someone-else', password: 'whatever it is' }).expect(401);
    } finally {
      await other.close();
    }
  }, 60_000);
});

describe('scoped keys, settings keys, the SPA, 404s and the dashboard', () => {
  let api: TestApi;
  let missing: TestApi;
  let s: AdminSession;
  let bridge: string;
  const dist = mkdtempSync(path.join(tmpdir(), 'ocx-admin-dist-'));

  beforeAll(async () => {
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><html><body><div id="app"></div><script type="module" src="/assets/app-1234.js"></script></body></html>');
    writeFileSync(path.join(dist, 'assets', 'app-1234.js'), 'console.log("spa")');
    api = await startTestApi({ env: { ADMIN_DIST_DIR: dist } });
    missing = await startTestApi({ shareWith: api, env: { ADMIN_DIST_DIR: path.join(dist, 'no-such-dir') } });
    s = await adminSession(api);
    bridge = await apiKey(api, s, 'OpenCart bridge', 'opencart-bridge');
  }, 60_000);
  afterAll(async () => {
    await missing?.close();
    await api?.close();
  });

  const asBridge = (method: 'get' | 'put' | 'post' | 'delete', p: string) => api.http[method](p).set('Authorization', `Bearer ${bridge}`);

  it('saves account codes with a notice when Xero cannot be asked (not connected), never silently', async () => {
    const put = (body: Record<string, unknown>) => api.http.put('/api/settings').set('Cookie', s.cookie).set('x-csrf-token', s.csrf).send(body);
    const res = await put({ feeAccountCode: '200' }).expect(200);
    expect(res.body.settings.feeAccountCode).toBe('200');
    expect(res.body.notices).toEqual([expect.stringMatching(/^Account codes \(feeAccountCode\) were saved without checking them against Xero's chart of accounts: .+\. Save again once Xero is reachable/)]);
    // Unknown keys are still refused without Xero, at any depth.
    const unknown = await put({ stores: { '0': { feeAccountCode: '200' } } }).expect(400);
    expect(unknown.body.errors).toEqual([{ path: 'stores.0.feeAccountCode', message: 'Unknown setting "feeAccountCode": check its spelling.' }]);
    expect((await put({ feeAccountCode: '' }).expect(200)).body.notices).toEqual([]);
  });

  it('an opencart-bridge key reaches its routes and is refused the rest with 403 naming its scope', async () => {
    await asBridge('get', '/api/auth/me').expect(200, { kind: 'api-key', name: 'OpenCart bridge', scope: 'opencart-bridge' });
    await asBridge('get', '/api/xero/status').expect(200, { connected: false });
    await asBridge('post', '/api/orders/sync-soon').send({ orderIds: [] }).expect(400); // let in, then validated
    for (const [m, p] of [
      ['get', '/api/settings'],
      ['put', '/api/settings'],
      ['post', '/api/settings/cron-token'],
      ['delete', '/api/xero/connection'],
      ['get', '/api/xero/connect'],
      ['put', '/api/xero/tenant'],
      ['post', '/api/runs'],
      ['get', '/api/dashboard'],
      ['get', '/api/log'],
    ] as const) {
      const res = await asBridge(m, p).send({});
      expect([p, res.status]).toEqual([p, 403]);
      expect(res.body.message).toContain('"opencart-bridge"');
    }
    await asBridge('get', '/api/docs/openapi.json').expect(403);
    await asBridge('get', '/api/auth/api-keys').expect(401); // keys are managed by a person
    const keys = await api.http.get('/api/auth/api-keys').set('Cookie', s.cookie).expect(200);
    expect(keys.body.map((k: { scope: string }) => k.scope)).toContain('opencart-bridge');
    await api.http.post('/api/auth/api-keys').set('Cookie', s.cookie).set('x-csrf-token', s.csrf).send({ name: 'x', scope: 'root' }).expect(400);
  });

  it('PUT /api/settings refuses unknown keys with a field error each, and saves nothing', async () => {
    const res = await api.http
      .put('/api/settings')
      .set('Cookie', s.cookie)
      .set('x-csrf-token', s.csrf)
      .send({ salesAcountCode: '200', debug: true, stores: { '0': { salesAccountCode: '200', bogus: 1 } }, paymentAccountCodes: { cod: '090' } })
      .expect(400);
    expect(res.body.errors).toEqual([
      { path: 'salesAcountCode', message: 'Unknown setting "salesAcountCode": check its spelling.' },
      { path: 'stores.0.bogus', message: 'Unknown setting "bogus": check its spelling.' },
    ]);
    const saved = await api.http.get('/api/settings').set('Cookie', s.cookie).expect(200);
    expect(saved.body.settings.debug).toBe(false);
  });

  it('GET /api/settings/fields labels every key of the settings document, grouped as the seed', async () => {
    const [fields, doc] = await Promise.all([
      api.http.get('/api/settings/fields').set('Cookie', s.cookie).expect(200),
      api.http.get('/api/settings').set('Cookie', s.cookie).expect(200),
    ]);
    const byKey = new Map((fields.body.fields as Array<{ key: string; label: string; group: string }>).map((f) => [f.key, f]));
    expect(Object.keys(doc.body.settings).filter((k) => !byKey.has(k))).toEqual([]);
    expect(byKey.get('shippingAccountCode')).toMatchObject({ label: 'Shipping Account Code', group: 'accounts', kind: 'account-picker', accountKind: 'sales' });
    expect((fields.body.groups as Array<{ label: string }>).map((g) => g.label).slice(0, 7)).toEqual(['Connection', 'Cron', 'Debug', 'Accounts', 'Customers', 'Items', 'Invoices']);
  });

  it('serves the SPA at / with a CSP, falls back to index.html for client routes, and leaves the service paths alone', async () => {
    const home = await api.http.get('/').expect(200).expect('Content-Type', /html/);
    expect(home.text).toContain('<div id="app">');
    const csp = home.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    for (const route of ['/settings/connection?connected=Demo', '/orders/42', '/setup']) {
      expect((await api.http.get(route).expect(200)).text).toContain('<div id="app">');
    }
    const js = await api.http.get('/assets/app-1234.js').expect(200).expect('Content-Type', /javascript/);
    expect(js.headers['cache-control']).toContain('immutable');
    await api.http.get('/assets/missing-1.js').expect(404);
    await api.http.get('/api/no-such-route').expect(404).expect('Content-Type', /json/);
    await api.http.get('/health').expect(200, { status: 'ok' });
    await api.http.get('/api/auth/me').expect(401);
  });

  it('without a built SPA, / says how to build it', async () => {
    const res = await missing.http.get('/').expect(503);
    expect(res.text).toContain('npm run build');
    expect(res.text).toContain('ADMIN_DIST_DIR');
  });

  it('a 404 never echoes the query (a cron token sent to a wrong path)', async () => {
    const res = await api.http.get('/cron/synk?token=SECRET-CRON-TOKEN-123&token[]=SECRET2').expect(404);
    expect(res.text).not.toContain('SECRET');
    expect(res.body.message).toBe('Cannot GET /cron/synk');
    const post = await api.http.post('/api/nope?token=SECRET-X').expect(404);
    expect(post.text).not.toContain('SECRET');
  });

  it('the dashboard says what needs the merchant and has 30 days of figures', async () => {
    const res = await api.http.get('/api/dashboard').set('Cookie', s.cookie).expect(200);
    expect(res.body.connection).toMatchObject({ connected: false, organisation: null, refreshTokenDaysLeft: null });
    expect(res.body.daily).toHaveLength(30);
    expect(res.body.daily[29].day).toBe(new Date().toISOString().slice(0, 10));
    expect(res.body.xeroCalls).toMatchObject({ today: 0, dayLimit: 5000, minuteLimit: 60 });
    expect(res.body.needsAttention.map((n: { kind: string }) => n.kind)).toEqual(expect.arrayContaining(['reconnect', 'settings']));
  });
});

describe('sync soon: bursts coalesce into one run', () => {
  let api: TestApi;
  let s: AdminSession;

  beforeAll(async () => {
    api = await startTestApi();
    s = await adminSession(api);
    // Connect (the fake Xero consents at once).
    const redirect = await api.http.get('/api/xero/connect').set('Cookie', s.cookie).expect(302);
    const state = new URL(redirect.headers.location).searchParams.get('state')!;
    await api.http.get('/api/xero/callback').query({ code: 'good-code', state }).expect(302);
  }, 60_000);
  afterAll(() => api?.close());

  it('the consent callback sends the browser to the SPA with the reason when declined or failed', async () => {
    const state = async () => new URL((await api.http.get('/api/xero/connect').set('Cookie', s.cookie).expect(302)).headers.location).searchParams.get('state')!;
    const declined = await api.http.get('/api/xero/callback').query({ error: 'access_denied', state: await state() }).expect(302);
    expect(declined.headers.location).toBe('http://connector.test/settings/connection?error=access_denied');
    const failed = await api.http.get('/api/xero/callback').query({ code: 'bad-code', state: await state() }).expect(302);
    expect(failed.headers.location).toBe('http://connector.test/settings/connection?error=bad%20code');
    await api.http.get('/api/xero/callback').query({ error: 'access_denied', state: 'forged' }).expect(400);
  });

  it('ten calls in a second make one run with every order; calls while it runs join the next one', async () => {
    const key = await apiKey(api, s, 'bridge', 'opencart-bridge');
    // Status off: refused at once with the reason, nothing queued.
    const off = await api.http.post('/api/orders/sync-soon').set('Authorization', `Bearer ${key}`).send({ orderIds: [1] }).expect(409);
    expect(off.body).toMatchObject({ code: 'connector-disabled', setting: 'status' });
    expect(api.engine.calls).toHaveLength(0);
    await api.http.put('/api/settings').set('Cookie', s.cookie).set('x-csrf-token', s.csrf).send({ status: true }).expect(200);
    const answers = [];
    for (let id = 1; id <= 10; id++) {
      const t0 = Date.now();
      answers.push((await api.http.post('/api/orders/sync-soon').set('Authorization', `Bearer ${key}`).send({ orderIds: [id] }).expect(202)).body);
      expect(Date.now() - t0).toBeLessThan(500); // answered at once
    }
    expect(new Set(answers.map((a) => a.startsAt)).size).toBe(1); // all joined the first call's run
    expect(answers[9].waiting).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await until(() => api.engine.calls.length >= 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(api.engine.calls).toHaveLength(1);
    expect(api.engine.calls[0].request).toMatchObject({ kind: 'orders', dryRun: false, orderIds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
    expect(api.engine.calls[0].trigger).toBe('opencart');
    // The run is still going (gated): a later nudge waits for the lock, then runs.
    await api.http.post('/api/orders/sync-soon').set('Authorization', `Bearer ${key}`).send({ orderIds: [11, 12] }).expect(202);
    await new Promise((r) => setTimeout(r, 1500));
    expect(api.engine.calls).toHaveLength(1);
    api.engine.open();
    await until(() => api.engine.calls.length === 2, 10_000);
    expect(api.engine.calls[1].request.orderIds).toEqual([11, 12]);
    // The queue records the run id once the run has started, a moment after the engine is called.
    await until(() => api.app.get(OrderSyncQueueService).startedRunIds.length === 2, 10_000);
    expect(api.app.get(OrderSyncQueueService).startedRunIds).toHaveLength(2);
    api.engine.open();
  }, 30_000);
});

const d = fixturesAvailable() ? describe : describe.skip;

d('the order list on a real OpenCart 3 store', () => {
  const storeDb = scratchName('oclist');
  let api: TestApi;
  let s: AdminSession;
  let closeStore: () => Promise<void>;
  const get = (p: string, q: Record<string, unknown> = {}) => api.http.get(p).query(q).set('Cookie', s.cookie);

  beforeAll(async () => {
    await loadOpenCartDump({ serverUrl: SERVER_URL, database: storeDb, file: path.join(OPENCART_FIXTURES_DIR, 'opencart-3.sql') });
    const store = await connectOpenCart({ url: dbUrl(storeDb), prefix: 'oc_' });
    closeStore = () => store.close();
    api = await startTestApi({ reader: store.reader, opencartUrl: dbUrl(storeDb) });
    s = await adminSession(api);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await closeStore?.();
    await dropDatabases([storeDb]);
  });

  it('pages newest first with a total, amounts in the order currency', async () => {
    const all = await get('/api/orders', { limit: 200 }).expect(200);
    expect(all.body.total).toBeGreaterThan(5);
    expect(all.body.items).toHaveLength(Math.min(200, all.body.total));
    const added = all.body.items.map((o: { dateAdded: string }) => o.dateAdded);
    expect([...added].sort().reverse()).toEqual(added);
    const page2 = await get('/api/orders', { limit: 2, page: 2 }).expect(200);
    expect(page2.body.items.map((o: { orderId: number }) => o.orderId)).toEqual(all.body.items.slice(2, 4).map((o: { orderId: number }) => o.orderId));
    const foreign = all.body.items.find((o: { currencyCode: string }) => o.currencyCode !== 'USD');
    expect(foreign).toBeDefined();
    const expected = (Math.round(Number(foreign.storeTotal) * Number(foreign.currencyValue) * 100) / 100).toFixed(2);
    expect(foreign.total).toBe(expected);
    expect(foreign.total).not.toBe(Number(foreign.storeTotal).toFixed(2));
    for (const o of all.body.items) expect(o).toMatchObject({ state: 'not-exported', marked: false, sync: { status: 'not synced', xeroUrl: null } });
  });

  it('filters by search, store, dates and state', async () => {
    const all = (await get('/api/orders', { limit: 200 }).expect(200)).body.items as Array<{ orderId: number; email: string; customer: string; dateAdded: string; storeId: number }>;
    const one = all[3];
    const byId = await get('/api/orders', { q: String(one.orderId) }).expect(200);
    expect(byId.body.items.map((o: { orderId: number }) => o.orderId)).toContain(one.orderId);
    const byEmail = await get('/api/orders', { q: one.email.slice(0, 6), limit: 200 }).expect(200);
    expect(byEmail.body.items.every((o: { email: string; customer: string }) => o.email.includes(one.email.slice(0, 6)) || o.customer.includes(one.email.slice(0, 6)))).toBe(true);
    const day = one.dateAdded.slice(0, 10);
    const onDay = await get('/api/orders', { from: day, to: day, limit: 200 }).expect(200);
    expect(onDay.body.total).toBe(all.filter((o) => o.dateAdded.startsWith(day)).length);
    const store0 = await get('/api/orders', { storeId: 0, limit: 200 }).expect(200);
    expect(store0.body.total).toBe(all.filter((o) => o.storeId === 0).length);
    await get('/api/orders', { from: '2025-02-02', to: '2025-01-01' }).expect(400);
    await get('/api/orders', { state: 'exported' }).expect(400);

    await api.http.post('/api/orders/mark').set('Cookie', s.cookie).set('x-csrf-token', s.csrf).send({ orderIds: [all[0].orderId, all[1].orderId] }).expect(201);
    await api.store.reserve(api.config.scope, 'invoice', [{ entityKey: `order:${all[2].orderId}`, payloadHash: 'h' }]);
    await api.store.record(api.config.scope, 'invoice', [{ entityKey: `order:${all[2].orderId}`, status: 'done', xeroId: '11111111-2222-3333-4444-555555555555', xeroNumber: 'OC-X' }]);
    const marked = await get('/api/orders', { state: 'marked' }).expect(200);
    expect(marked.body.items.map((o: { orderId: number }) => o.orderId).sort()).toEqual([all[0].orderId, all[1].orderId].sort());
    const synced = await get('/api/orders', { state: 'synced' }).expect(200);
    expect(synced.body.items).toHaveLength(1);
    expect(synced.body.items[0].sync).toMatchObject({ invoiceNumber: 'OC-X', xeroUrl: 'https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=11111111-2222-3333-4444-555555555555' });
    const notExported = await get('/api/orders', { state: 'not-exported', limit: 200 }).expect(200);
    expect(notExported.body.total).toBe(all.length - 3);
  });

  it('lists the orders that need the merchant (?needsAttention=true): conflicts, and failures that stopped retrying on their own', async () => {
    const all = (await get('/api/orders', { limit: 200 }).expect(200)).body.items as Array<{ orderId: number }>;
    const [gaveUp, conflict, stillTrying] = [all[4].orderId, all[5].orderId, all[6].orderId];
    for (let n = 0; n < MAX_AUTO_RETRIES; n++) await api.store.record(api.config.scope, 'payment', [{ entityKey: `order:${gaveUp}`, status: 'failed', lastError: 'Payments can only be made against Authorised documents' }]);
    for (let n = 0; n < 3; n++) await api.store.record(api.config.scope, 'payment', [{ entityKey: `order:${stillTrying}`, status: 'failed', lastError: 'timeout' }]);
    await api.store.record(api.config.scope, 'invoice-update', [{ entityKey: `order:${conflict}`, status: 'conflict', lastError: 'order changed after its invoice was paid: credit note the old invoice and re-invoice the order, or revert the order in OpenCart' }]);

    const needs = (await get('/api/orders', { needsAttention: 'true', limit: 200 }).expect(200)).body;
    expect(needs.items.map((o: { orderId: number }) => o.orderId).sort((a: number, b: number) => a - b)).toEqual([gaveUp, conflict].sort((a, b) => a - b));
    const byId = new Map(needs.items.map((o: { orderId: number }) => [o.orderId, o]));
    expect(byId.get(gaveUp)).toMatchObject({ needsAttention: true, attention: 'Payments can only be made against Authorised documents' });
    expect(byId.get(conflict)).toMatchObject({ needsAttention: true, attention: expect.stringContaining('credit note the old invoice and re-invoice') });
    const others = (await get('/api/orders', { needsAttention: 'false', limit: 200 }).expect(200)).body;
    expect(others.total).toBe(all.length - 2);
    expect(others.items.every((o: { needsAttention: boolean }) => !o.needsAttention)).toBe(true);
    expect((await get('/api/orders', { needsAttention: 'true', state: 'marked' }).expect(200)).body.items).toEqual([]);
    await get('/api/orders', { needsAttention: 'yes' }).expect(400);

    // A manual retry starts the count again: the order is retried automatically, no longer waiting for the merchant.
    await api.store.record(api.config.scope, 'payment', [{ entityKey: `order:${gaveUp}`, status: 'failed', lastError: 'still refused', resetAttempts: true }]);
    const after = (await get('/api/orders', { needsAttention: 'true' }).expect(200)).body.items.map((o: { orderId: number }) => o.orderId);
    expect(after).toEqual([conflict]);
    // The dashboard's banner says so and links to that list.
    const dash = (await api.http.get('/api/dashboard').set('Cookie', s.cookie).expect(200)).body;
    expect(dash.needsAttention).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining('1 order(s) need you'), link: '/orders?needsAttention=true' })]));
  });

  it('answers the sync state of a page of orders in one call (for the OpenCart order list)', async () => {
    const s2 = await apiKey(api, s, 'bridge', 'opencart-bridge');
    const all = (await get('/api/orders', { limit: 5 }).expect(200)).body.items as Array<{ orderId: number; state: string }>;
    const ids = [...all.map((o) => o.orderId), 999999];
    const res = await api.http.get('/api/orders/status').query({ ids: ids.join(',') }).set('Authorization', `Bearer ${s2}`).expect(200);
    expect(res.body.items.map((o: { orderId: number }) => o.orderId).sort()).toEqual(all.map((o) => o.orderId).sort());
    for (const item of res.body.items) expect(item.state).toBe(all.find((o) => o.orderId === item.orderId)!.state);
    await api.http.get('/api/orders/status').query({ ids: 'a,b' }).set('Authorization', `Bearer ${s2}`).expect(400);
  });

  it('lists products with their Xero item (code and state) for the Products screen and the product tab', async () => {
    const key = await apiKey(api, s, 'bridge', 'opencart-bridge');
    const page = (await api.http.get('/api/products').query({ limit: 3 }).set('Authorization', `Bearer ${key}`).expect(200)).body.items as Array<{ productId: number; item: unknown }>;
    expect(page.every((p) => p.item === null)).toBe(true);
    await api.store.reserve(api.config.scope, 'item', [{ entityKey: `product:${page[0].productId}`, payloadHash: 'i', xeroNumber: 'SKU-1' }]);
    await api.store.record(api.config.scope, 'item', [{ entityKey: `product:${page[0].productId}`, status: 'done', xeroId: 'item-1', xeroNumber: 'SKU-1' }]);
    const again = (await api.http.get('/api/products').query({ limit: 3 }).set('Authorization', `Bearer ${key}`).expect(200)).body.items;
    expect(again[0].item).toMatchObject({ status: 'done', code: 'SKU-1', xeroId: 'item-1' });
    await api.http.put(`/api/products/${page[0].productId}/override`).set('Authorization', `Bearer ${key}`).send({ salesAccountCode: '200' }).expect(200);
  });

  it("previews the Contact Format on the store's real customers", async () => {
    const res = await get('/api/settings/contact-name-preview', { contactFormat: '{lastname}, {firstname}' }).expect(200);
    expect(res.body.samples.length).toBeGreaterThan(0);
    // The formatted name: Make Customer Unique adds the customer number at export only when the name is taken.
    for (const c of res.body.samples) expect(c.name).toBe(`${c.lastname}, ${c.firstname}`);
    await get('/api/settings/contact-name-preview').expect(400);
  });

  it('answers one order for the OpenCart order page: invoice, payment, credit note, removal and its log', async () => {
    const key = await apiKey(api, s, 'bridge', 'opencart-bridge');
    const synced = (await get('/api/orders', { state: 'synced' }).expect(200)).body.items[0] as { orderId: number; total: string };
    await api.store.reserve(api.config.scope, 'payment', [{ entityKey: `order:${synced.orderId}`, payloadHash: 'p' }]);
    await api.store.record(api.config.scope, 'payment', [{ entityKey: `order:${synced.orderId}`, status: 'done', xeroId: 'pay-1' }]);
    const res = await api.http.get(`/api/orders/${synced.orderId}`).set('Authorization', `Bearer ${key}`).expect(200);
    expect(res.body).toMatchObject({
      orderId: synced.orderId,
      state: 'synced',
      total: synced.total,
      sync: { invoiceNumber: 'OC-X' },
      payment: { status: 'done', xeroId: 'pay-1' },
      creditNote: null,
      removal: null,
      log: [],
    });
    await api.http.get('/api/orders/999999').set('Authorization', `Bearer ${key}`).expect(404);
    await api.http.get('/api/orders/abc').set('Authorization', `Bearer ${key}`).expect(400);
  });
});
