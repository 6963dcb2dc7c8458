import type { OcOrder, OpenCartReader, OpenCartWriter } from '@oc-xero/sync-core';
import { createHmac } from 'node:crypto';
import { CRON_MIN_INTERVAL_MS } from '../src/cron/cron.service';
import { SyncSchedulerService } from '../src/scheduler/sync-scheduler.service';
import { adminSession, apiKey, startTestApi, WEBHOOK_KEY, type AdminSession, type TestApi } from './support/test-api';

const sign = (body: string, key = WEBHOOK_KEY) => createHmac('sha256', key).update(body).digest('base64');
const until = async (check: () => Promise<boolean>, timeoutMs = 5000) => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** A store double for the webhook: two statuses, one order, and a writer that records. */
const order42 = { orderId: 42, orderStatusId: 2 } as OcOrder;
const history: Array<{ orderId: number; orderStatusId: number; comment: string; notify: boolean }> = [];
const reader = {
  listOrderStatuses: async () => [
    { orderStatusId: 2, languageId: 1, name: 'Processing' },
    { orderStatusId: 5, languageId: 1, name: 'Complete' },
  ],
  getOrder: async (id: number) => (id === 42 ? order42 : null),
} as unknown as OpenCartReader;
const writer = {
  addOrderHistory: async (e: (typeof history)[number]) => {
    history.push(e);
    order42.orderStatusId = e.orderStatusId;
  },
} as unknown as OpenCartWriter;

describe('cron URL, Xero connection, webhook and runs over HTTP', () => {
  let api: TestApi;
  let s: AdminSession;
  let key: string;
  const write = (method: 'post' | 'put' | 'delete', path: string) => api.http[method](path).set('Cookie', s.cookie).set('x-csrf-token', s.csrf);

  beforeAll(async () => {
    api = await startTestApi({ reader, writer });
    s = await adminSession(api);
    key = await apiKey(api, s);
  }, 60_000);
  afterAll(() => api?.close());

  it('connects to Xero: consent redirect, callback with the issued state only once', async () => {
    await api.http.get('/api/xero/status').set('Authorization', `Bearer ${key}`).expect(200, { connected: false });
    const redirect = await api.http.get('/api/xero/connect').set('Cookie', s.cookie).expect(302);
    expect(redirect.headers.location).toMatch(/^https:\/\/login\.example\/authorize\?client_id=client-id&redirect_uri=http%3A%2F%2Fconnector\.test%2Fapi%2Fxero%2Fcallback&state=/);
    const state = new URL(redirect.headers.location).searchParams.get('state')!;
    await api.http.get('/api/xero/callback').query({ code: 'good-code', state: 'forged-state' }).expect(400);
    const cb = await api.http.get('/api/xero/callback').query({ code: 'good-code', state }).expect(302);
    expect(cb.headers.location).toBe('http://connector.test/settings/connection?connected=Demo%20Company%20(UK)');
    await api.http.get('/api/xero/callback').query({ code: 'good-code', state }).expect(400); // single use
    const status = await api.http.get('/api/xero/status').set('Authorization', `Bearer ${key}`).expect(200);
    expect(status.body).toMatchObject({ connected: true, organisation: { tenantId: 'tenant-1', name: 'Demo Company (UK)' } });
    expect(JSON.stringify(status.body)).not.toMatch(/access-token-secret|refresh-token-secret/);
    const accounts = await api.http.get('/api/xero/accounts').set('Authorization', `Bearer ${key}`).expect(200);
    expect(accounts.body[0]).toMatchObject({ Code: '200', Type: 'REVENUE' });
  });

  describe('cron URL', () => {
    let token: string;
    beforeAll(async () => {
      const res = await write('post', '/api/settings/cron-token').expect(201);
      token = new URL(res.body.cron.url).searchParams.get('token')!;
      expect(res.body.cron.line).toBe(`*/5 * * * * curl -fsS "http://connector.test/cron/sync?token=${encodeURIComponent(token)}"`);
      expect(res.body.settings.cronToken).toBe('set');
    });

    it('refuses a missing or wrong token with 401 and starts nothing', async () => {
      await api.http.get('/cron/sync').expect(401);
      await api.http.post('/cron/sync').query({ token: `${token}x` }).expect(401);
      await api.http.get('/cron/sync').query({ token: token.slice(0, -1) }).expect(401);
      await api.http.get('/cron/sync').query({ token: '' }).expect(401);
      expect(api.engine.calls).toHaveLength(0);
    });

    it('answers 409 with the code and the setting while Status is off, and starts nothing', async () => {
      const off = await api.http.get('/cron/sync').query({ token }).expect(409);
      expect(off.body).toMatchObject({ statusCode: 409, code: 'connector-disabled', setting: 'status', message: expect.stringContaining('"Status" is off') });
      await api.http.post('/cron/sync').query({ token }).expect(409);
      expect(api.engine.calls).toHaveLength(0);
      await write('put', '/api/settings').send({ status: true }).expect(200);
    });

    it('two concurrent cron calls (GET and POST) start ONE run; the other gets its id', async () => {
      const [a, b] = await Promise.all([api.http.get('/cron/sync').query({ token }), api.http.post('/cron/sync').query({ token })]);
      expect([a.status, b.status]).toEqual([200, 200]);
      const started = [a.body, b.body].filter((x) => x.started);
      const refused = [a.body, b.body].filter((x) => !x.started);
      expect(started).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0].runId).toBe(started[0].runId);
      await until(async () => api.engine.calls.length === 1);
      expect(api.engine.calls[0].request).toMatchObject({ kind: 'all', dryRun: false });
      expect(api.engine.calls[0].trigger).toBe('cron');
      // While it runs, a manual start is a 409 naming the running run.
      const busy = await write('post', '/api/runs').send({ kind: 'orders' }).expect(409);
      expect(busy.body.runningRunId).toBe(started[0].runId);
      api.engine.open();
      await until(async () => (await api.store.getRun(started[0].runId))?.status === 'completed');
      // The lock is free again, but cron runs keep their minimum interval…
      const soon = await api.http.get('/cron/sync').query({ token }).expect(200);
      expect(soon.body).toMatchObject({ started: false, reason: expect.stringMatching(/at most once every 60 s/) });
      // …after which the next cron call starts a new run.
      const realNow = Date.now();
      jest.spyOn(Date, 'now').mockImplementation(() => realNow + CRON_MIN_INTERVAL_MS + 1000);
      let next;
      try {
        next = await api.http.get('/cron/sync').query({ token }).expect(200);
      } finally {
        jest.restoreAllMocks();
      }
      expect(next.body.started).toBe(true);
      expect(next.body.runId).not.toBe(started[0].runId);
      api.engine.open();
      await until(async () => (await api.store.getRun(next.body.runId))?.status === 'completed');
    });

    it('two API instances on one connector database never run the same sync', async () => {
      const second = await startTestApi({ reader, writer, shareWith: api });
      // Past the cron minimum interval of the runs above.
      const realNow = Date.now();
      jest.spyOn(Date, 'now').mockImplementation(() => realNow + 2 * CRON_MIN_INTERVAL_MS);
      try {
        const calls = [...Array(3)].flatMap(() => [api.http.get('/cron/sync').query({ token }), second.http.post('/cron/sync').query({ token })]);
        const answers = await Promise.all(calls);
        expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
        const started = answers.filter((a) => a.body.started);
        expect(started).toHaveLength(1);
        for (const a of answers) expect(a.body.runId).toBe(started[0].body.runId);
        expect(api.engine.calls.length + second.engine.calls.length).toBe(2 + 1); // the two cron runs above + this one
        api.engine.open();
        second.engine.open();
        await until(async () => (await api.store.getRun(started[0].body.runId))?.status === 'completed');
      } finally {
        jest.restoreAllMocks();
        await second.close();
      }
    }, 30_000);
  });

  describe('scheduler', () => {
    it('starts the incremental sync only when enabled and due, under the same lock', async () => {
      const scheduler = api.app.get(SyncSchedulerService);
      await write('put', '/api/settings').send({ status: false }).expect(200);
      expect(await scheduler.tick()).toBe('disabled'); // settings status is off
      await write('put', '/api/settings').send({ status: true, syncIntervalMinutes: 5 }).expect(200);
      // The cron runs above started less than 5 minutes ago.
      expect(await scheduler.tick()).toBe('not-due');
      await write('put', '/api/settings').send({ syncIntervalMinutes: 1 }).expect(200);
      const [last] = await api.store.listRuns(api.config.scope, { limit: 1 });
      jest.spyOn(Date, 'now').mockReturnValue(Date.parse(last.startedAt) + 61_000);
      try {
        expect(await scheduler.tick()).toBe('started');
      } finally {
        jest.restoreAllMocks();
      }
      expect(api.engine.calls.at(-1)).toMatchObject({ trigger: 'schedule', request: { kind: 'all', dryRun: false } });
      // While that run holds the lock, another tick cannot start one.
      jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 3600_000);
      try {
        expect(await scheduler.tick()).toBe('busy');
      } finally {
        jest.restoreAllMocks();
      }
      const running = api.engine.calls.length;
      api.engine.open();
      await until(async () => (await api.store.listRuns(api.config.scope, { limit: 1 }))[0].status === 'completed');
      expect(api.engine.calls).toHaveLength(running);
      await write('put', '/api/settings').send({ status: false }).expect(200);
    });
  });

  describe('runs', () => {
    beforeAll(async () => {
      await write('put', '/api/settings').send({ status: true }).expect(200);
    });

    it('validates the start body field by field', async () => {
      const res = await write('post', '/api/runs').send({ kind: 'everything', from: '2024-13', to: 'x' }).expect(400);
      expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['from', 'kind', 'to']);
    });

    it('streams progress as server-sent events until the run finishes, then shows in history', async () => {
      const start = await write('post', '/api/runs').send({ kind: 'orders', from: '2024-01-01', to: '2024-12-31', dryRun: true }).expect(202);
      const runId = start.body.runId as string;
      expect(api.engine.calls.at(-1)?.request).toMatchObject({ kind: 'orders', from: '2024-01-01', to: '2024-12-31', dryRun: true });
      const stream = api.http.get(`/api/runs/${runId}/events`).set('Authorization', `Bearer ${key}`).buffer(true).parse((res, cb) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => cb(null, text));
      });
      setTimeout(() => api.engine.open(), 300);
      const res = await stream;
      expect(res.headers['content-type']).toMatch(/text\/event-stream/);
      const events = (res.body as string).split('\n\n').filter(Boolean).map((block) => block.match(/^event: (\w+)$/m)?.[1]);
      expect(events[0]).toBe('progress');
      expect(events.at(-1)).toBe('finished');
      expect(events.filter((e) => e === 'finished')).toHaveLength(1);
      expect(res.body).toMatch(/event: progress\n(id: \d+\n)?data: \{"runId":"[0-9a-f-]{36}","phase":"orders","processed":1,"total":null,"message":null,"at":"[0-9T:.Z-]+","counts":\{[^}]*\},"startedAt":"[0-9T:.Z-]+"\}/);
      expect(res.body).toMatch(/event: finished\n(id: \d+\n)?data: \{[^\n]*"status":"completed"/);
      const run = await api.http.get(`/api/runs/${runId}`).set('Authorization', `Bearer ${key}`).expect(200);
      expect(run.body).toMatchObject({ id: runId, kind: 'orders', dryRun: true, status: 'completed', trigger: 'manual' });
      const hist = await api.http.get('/api/runs').query({ limit: 2 }).set('Authorization', `Bearer ${key}`).expect(200);
      expect(hist.body[0].id).toBe(runId);
    });

    it('cancels a running run', async () => {
      const start = await write('post', '/api/runs').send({ kind: 'customers' }).expect(202);
      const runId = start.body.runId as string;
      await write('post', `/api/runs/${runId}/cancel`).expect(202, { id: runId, cancelling: true });
      await until(async () => (await api.store.getRun(runId))?.status === 'cancelled');
      await write('post', `/api/runs/${runId}/cancel`).expect(409);
      await api.http.get('/api/runs/no-such-run').set('Authorization', `Bearer ${key}`).expect(404);
    });
  });

  describe('Xero webhook', () => {
    it('answers the intent-to-receive check: 200 when signed right, 401 otherwise', async () => {
      const body = JSON.stringify({ events: [], firstEventSequence: 1, lastEventSequence: 1, entropy: 'ABCDEF' });
      await api.http.post('/webhooks/xero').set('Content-Type', 'application/json').set('x-xero-signature', sign(body)).send(body).expect(200);
      await api.http.post('/webhooks/xero').set('Content-Type', 'application/json').set('x-xero-signature', sign(body, 'another-key')).send(body).expect(401);
      await api.http.post('/webhooks/xero').set('Content-Type', 'application/json').send(body).expect(401);
      // The signature covers the RAW bytes: the same JSON re-serialised differently no longer matches.
      await api.http.post('/webhooks/xero').set('Content-Type', 'application/json').set('x-xero-signature', sign(body)).send(JSON.stringify(JSON.parse(body), null, 2)).expect(401);
    });

    it('"invoice paid in Xero" adds an order history entry with the configured status, once', async () => {
      await write('put', '/api/settings').send({ markPaidStatus: 'Complete' }).expect(200);
      await api.store.reserve(api.config.scope, 'invoice', [{ entityKey: 'order:42', payloadHash: 'h', xeroNumber: 'OC-42' }]);
      await api.store.record(api.config.scope, 'invoice', [{ entityKey: 'order:42', status: 'done', xeroId: 'inv-42', xeroNumber: 'OC-42' }]);
      api.xero.gatewayImpl.invoices.set('inv-42', { InvoiceID: 'inv-42', InvoiceNumber: 'OC-42', Status: 'PAID', SubTotal: 10, TotalTax: 2, Total: 12, AmountDue: 0, AmountPaid: 12 });
      api.xero.gatewayImpl.invoices.set('inv-other', { InvoiceID: 'inv-other', InvoiceNumber: 'X-1', Status: 'PAID', SubTotal: 1, TotalTax: 0, Total: 1, AmountDue: 0, AmountPaid: 1 });
      const event = (id: string, tenantId = 'tenant-1') => ({ resourceId: id, eventCategory: 'INVOICE', eventType: 'UPDATE', tenantId, resourceUrl: '', eventDateUtc: '2026-11-23T20:00:00' });
      const body = JSON.stringify({ events: [event('inv-42'), event('inv-other'), event('inv-42', 'someone-else')], firstEventSequence: 2, lastEventSequence: 4, entropy: 'X' });
      await api.http.post('/webhooks/xero').set('Content-Type', 'application/json').set('x-xero-signature', sign(body)).send(body).expect(200);
      await until(async () => history.length === 1);
      expect(history[0]).toEqual({ orderId: 42, orderStatusId: 5, comment: 'Paid in Xero (invoice OC-42).', notify: false });
      // Xero delivers again: the order is already Complete, nothing is added.
      await api.http.post('/webhooks/xero').set('Content-Type', 'application/json').set('x-xero-signature', sign(body)).send(body).expect(200);
      await new Promise((r) => setTimeout(r, 300));
      expect(history).toHaveLength(1);
      const log = await api.http.get('/api/log').query({ entityType: 'order', entityId: '42', status: 'paid' }).set('Authorization', `Bearer ${key}`).expect(200);
      expect(log.body.items).toHaveLength(1);
      expect(log.body.items[0].message).toBe('Invoice OC-42 was paid in Xero: order set to "Complete".');
    });
  });
});
