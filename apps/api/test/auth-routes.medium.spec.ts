import { createHmac } from 'node:crypto';
import { ADMIN, adminSession, apiKey, startTestApi, type AdminSession, type TestApi } from './support/test-api';

/**
 * EVERY route refuses a request without the right credential. The table below is the expected
 * rule per route; the test fails when the router has a route the table does not list (or the
 * other way round), so a new route cannot slip through unprotected.
 */
type Rule = 'admin' | 'session' | 'setup' | 'login' | 'public' | 'oauth-state' | 'cron-token' | 'xero-signature' | 'docs';

const ROUTES: Record<string, Rule> = {
  'GET /health': 'public',
  'GET /api/auth/setup-status': 'public',
  'POST /api/auth/setup': 'setup',
  'POST /api/auth/login': 'login',
  'POST /api/auth/logout': 'admin',
  'GET /api/auth/me': 'admin',
  'GET /api/auth/api-keys': 'session',
  'POST /api/auth/api-keys': 'session',
  'DELETE /api/auth/api-keys/:id': 'session',
  'GET /api/settings': 'admin',
  'PUT /api/settings': 'admin',
  'POST /api/settings/cron-token': 'admin',
  'GET /api/settings/contact-name-preview': 'admin',
  'GET /api/settings/fields': 'admin',
  'GET /api/xero/connect': 'admin',
  'GET /api/xero/callback': 'oauth-state',
  'GET /api/xero/tenants': 'admin',
  'PUT /api/xero/tenant': 'admin',
  'GET /api/xero/status': 'admin',
  'DELETE /api/xero/connection': 'admin',
  'GET /api/xero/accounts': 'admin',
  'GET /api/xero/tax-rates': 'admin',
  'GET /api/xero/tracking-categories': 'admin',
  'GET /api/opencart/info': 'admin',
  'GET /api/opencart/order-statuses': 'admin',
  'GET /api/opencart/payment-methods': 'admin',
  'GET /api/opencart/stores': 'admin',
  'GET /api/opencart/tax-rates': 'admin',
  'GET /api/opencart/currencies': 'admin',
  'GET /cron/sync': 'cron-token',
  'POST /cron/sync': 'cron-token',
  'POST /api/runs': 'admin',
  'GET /api/runs': 'admin',
  'GET /api/runs/:id': 'admin',
  'GET /api/runs/:id/events': 'admin',
  'POST /api/runs/:id/cancel': 'admin',
  'GET /api/dashboard': 'admin',
  'GET /api/orders': 'admin',
  'GET /api/orders/status': 'admin',
  'GET /api/orders/:id': 'admin',
  'POST /api/orders/sync-soon': 'admin',
  'POST /api/orders/mark-before': 'admin',
  'GET /api/orders/:id/preview': 'admin',
  'GET /api/orders/:id/xero': 'admin',
  'POST /api/orders/sync': 'admin',
  'POST /api/orders/:id/sync': 'admin',
  'PUT /api/orders/:id/mark': 'admin',
  'DELETE /api/orders/:id/mark': 'admin',
  'POST /api/orders/mark': 'admin',
  'POST /api/orders/unmark': 'admin',
  'GET /api/products': 'admin',
  'PUT /api/products/:id/override': 'admin',
  'GET /api/log': 'admin',
  'POST /webhooks/xero': 'xero-signature',
  'GET /api/docs': 'docs',
  'GET /api/docs/openapi.json': 'docs',
};

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Routes as the HTTP server really serves them (Express 5 router stack). */
function servedRoutes(api: TestApi): string[] {
  const express = api.app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } };
  const out: string[] = [];
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    // '/{*path}' mounts are Nest's route-scoped middleware (the pino-http request logger), not endpoints.
    if (layer.route.path === '/{*path}') continue;
    for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') out.push(`${method.toUpperCase()} ${layer.route.path}`);
  }
  return out;
}

const concrete = (path: string): string => path.replace(':id', '1');

describe('every route refuses a request without the right credential', () => {
  let api: TestApi;
  let session: AdminSession;
  let key: string;

  beforeAll(async () => {
    api = await startTestApi();
    session = await adminSession(api);
    key = await apiKey(api, session);
  }, 60_000);
  afterAll(() => api?.close());

  it('the table lists exactly the routes the server serves and the OpenAPI document describes', async () => {
    const served = servedRoutes(api).filter((r) => !r.startsWith('GET /api/docs'));
    const table = Object.keys(ROUTES).filter((r) => !r.startsWith('GET /api/docs'));
    expect([...new Set(served)].sort()).toEqual([...table].sort());
    const doc = (await api.http.get('/api/docs/openapi.json').set('Authorization', `Bearer ${key}`).expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`));
    expect(documented.sort()).toEqual([...table].sort());
    // Request bodies are documented from the same zod schemas that validate them.
    const runBody = (doc.paths['/api/runs'].post as { requestBody: { content: Record<string, { schema: { properties: Record<string, { enum?: string[] }> } }> } }).requestBody;
    expect(runBody.content['application/json'].schema.properties.kind.enum).toEqual(['orders', 'customers', 'items', 'stock', 'all']);
    // ...and every answer too, so the SPA's generated types are real (no body: redirects, the webhook, 204s).
    const noBody = new Set(['GET /api/xero/callback', 'POST /webhooks/xero']);
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops as Record<string, { responses: Record<string, { content?: Record<string, { schema?: object }> }> }>)) {
        const route = `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`;
        const ok = Object.entries(op.responses).filter(([code]) => /^[23]/.test(code));
        expect([route, ok.length > 0]).toEqual([route, true]);
        if (noBody.has(route) || ok.some(([code]) => code === '204')) continue;
        expect([route, ok.some(([, r]) => Object.values(r.content ?? {}).some((c) => c.schema))]).toEqual([route, true]);
      }
    }
  });

  it('an unknown path is a plain 404', async () => {
    await api.http.get('/api/no-such-route').expect(404);
  });

  it.each(Object.entries(ROUTES))('%s (%s) without credentials is refused', async (route, rule) => {
    const [method, path] = route.split(' ');
    // Setup and login get well-formed bodies, so what refuses them is the rule, not validation.
    const body = rule === 'setup' ? { username: 'intruder', password: 'a long enough password', setupCode: 'WRONG-CODE' } : rule === 'login' ? { username: 'admin', password: 'guessed password' } : {};
    const res = await api.http[method.toLowerCase() as 'get'](concrete(path)).send(method === 'GET' ? undefined : body);
    const expected: Record<Rule, number> = {
      admin: 401,
      session: 401,
      docs: 401,
      setup: 409, // an admin exists: setup is closed for good
      login: 401, // wrong password
      'oauth-state': 400,
      'cron-token': 401,
      'xero-signature': 401,
      public: 200,
    };
    expect(res.status).toBe(expected[rule]);
    if (route === 'GET /health') expect(res.body).toEqual({ status: 'ok' });
  });

  it.each(Object.entries(ROUTES).filter(([, r]) => r === 'admin' || r === 'session'))('%s refuses a wrong API key and a bogus session', async (route) => {
    const [method, path] = route.split(' ');
    const m = method.toLowerCase() as 'get';
    expect((await api.http[m](concrete(path)).set('Authorization', 'Bearer ocx_not-a-real-key')).status).toBe(401);
    expect((await api.http[m](concrete(path)).set('Cookie', 'ocx_session=forged')).status).toBe(401);
  });

  it.each(Object.entries(ROUTES).filter(([r, rule]) => (rule === 'admin' || rule === 'session') && UNSAFE.has(r.split(' ')[0])))(
    '%s with a session but no CSRF header is refused (403)',
    async (route) => {
      const [method, path] = route.split(' ');
      const res = await api.http[method.toLowerCase() as 'post'](concrete(path)).set('Cookie', session.cookie).send({});
      expect(res.status).toBe(403);
      const wrong = await api.http[method.toLowerCase() as 'post'](concrete(path)).set('Cookie', session.cookie).set('x-csrf-token', 'wrong').send({});
      expect(wrong.status).toBe(403);
    },
  );

  it.each(Object.entries(ROUTES).filter(([, r]) => r === 'session'))('%s refuses a valid API key: managing keys needs a person', async (route) => {
    const [method, path] = route.split(' ');
    const res = await api.http[method.toLowerCase() as 'get'](concrete(path)).set('Authorization', `Bearer ${key}`).send({});
    expect(res.status).toBe(401);
  });

  it('the right credentials open the door: a session, an API key, and a revoked key no longer', async () => {
    await api.http.get('/api/auth/me').set('Cookie', session.cookie).expect(200, { kind: 'session', name: 'admin', scope: 'admin' });
    await api.http.get('/api/auth/me').set('Authorization', `Bearer ${key}`).expect(200, { kind: 'api-key', name: 'OpenCart admin', scope: 'admin' });
    const list = await api.http.get('/api/auth/api-keys').set('Cookie', session.cookie).expect(200);
    expect(list.body[0]).toMatchObject({ name: 'OpenCart admin', revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(key);
    await api.http.delete(`/api/auth/api-keys/${list.body[0].id}`).set('Cookie', session.cookie).set('x-csrf-token', session.csrf).expect(204);
    await api.http.get('/api/auth/me').set('Authorization', `Bearer ${key}`).expect(401);
    await api.http.post('/api/auth/login').send({ username: 'admin', password: 'wrong password!' }).expect(401);
  });

  it('guessing passwords is cut off (5 failures per username and client, held in the database)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await api.http.post('/api/auth/login').send({ username: 'admin', password: `guess ${i}` })).status);
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    // Even the right password waits out the minute.
    await api.http.post('/api/auth/login').send(ADMIN).expect(429);
  }, 60_000);

  it('the webhook with a correct signature is let in (sanity check of the refusal above)', async () => {
    const body = JSON.stringify({ events: [], firstEventSequence: 0, lastEventSequence: 0, entropy: 'x' });
    const sig = createHmac('sha256', 'test-webhook-key-0123456789').update(body).digest('base64');
    await api.http.post('/webhooks/xero').set('Content-Type', 'application/json').set('x-xero-signature', sig).send(body).expect(200);
  });
});
