import { CRON_MIN_INTERVAL_MS } from '../src/cron/cron.service';
import { adminSession, startTestApi, type AdminSession, type TestApi } from './support/test-api';

/**
 * What may start a run, over real HTTP on a real connector database: a burst on the cron URL
 * starts one run (a leaked cron URL once fired 335 times in 20 s and started 8 runs), and an
 * impossible date is refused field by field instead of being read as "all orders".
 */
describe('run guards: cron burst, impossible dates', () => {
  let api: TestApi;
  let s: AdminSession;
  let token: string;
  const write = (method: 'post' | 'put', path: string) =>
    api.http[method](path).set('Cookie', s.cookie).set('x-csrf-token', s.csrf);

  beforeAll(async () => {
    api = await startTestApi();
    s = await adminSession(api);
    // Connect the (fake) organisation: runs need a tenant.
    const redirect = await api.http.get('/api/xero/connect').set('Cookie', s.cookie).expect(302);
    const state = new URL(redirect.headers.location).searchParams.get('state')!;
    await api.http.get('/api/xero/callback').query({ code: 'good-code', state }).expect(302);
    const res = await write('post', '/api/settings/cron-token').expect(201);
    token = new URL(res.body.cron.url).searchParams.get('token')!;
    await write('put', '/api/settings').send({ status: true }).expect(200); // runs start only with Status on
  }, 60_000);
  afterAll(() => api?.close());

  it('a burst of 120 cron calls over ~3 s, runs finishing in between, starts ONE run; the rest are told why', async () => {
    // Every run ends as soon as it starts, so the lock alone would let the next call start another.
    let bursting = true;
    const opener = (async () => {
      while (bursting) {
        api.engine.open();
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const answers: Array<{
      status: number;
      body: { started: boolean; reason?: string; runId?: string | null };
    }> = [];
    try {
      for (let wave = 0; wave < 30; wave++) {
        const wave4 = await Promise.all(
          [...Array(4)].map((_, i) =>
            (i % 2 ? api.http.post('/cron/sync') : api.http.get('/cron/sync')).query({ token }),
          ),
        );
        answers.push(...wave4.map((a) => ({ status: a.status, body: a.body })));
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      bursting = false;
      await opener;
    }
    expect(answers.map((a) => a.status)).toEqual(Array(120).fill(200));
    const started = answers.filter((a) => a.body.started);
    expect(started).toHaveLength(1);
    expect(api.engine.calls).toHaveLength(1);
    expect(api.engine.calls[0].trigger).toBe('cron');
    const refused = answers.filter((a) => !a.body.started);
    expect(refused).toHaveLength(119);
    for (const r of refused) expect(r.body.reason).toMatch(/already running|at most once every 60 s/);
    // Once the first run has ended, the answer names the interval, not a running run.
    expect(refused.at(-1)!.body.reason).toMatch(/cron runs start at most once every 60 s \(next in \d+ s\)/);
    const runs = await api.store.listRuns(api.config.scope, { limit: 50 });
    expect(runs.filter((r) => r.trigger === 'cron')).toHaveLength(1);
    expect(CRON_MIN_INTERVAL_MS).toBe(60_000);
  }, 60_000);

  it.each([
    [{ from: '2024-02-31' }, ['from']],
    [{ from: '0000-00-00' }, ['from']],
    [{ to: '2023-02-29' }, ['to']],
    [{ from: '2024-04-31', to: '2024-00-10' }, ['from', 'to']],
  ])('refuses the impossible day %j with a field error and starts nothing', async (dates, paths) => {
    const before = api.engine.calls.length;
    const res = await write('post', '/api/runs')
      .send({ kind: 'orders', ...dates })
      .expect(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(paths);
    for (const e of res.body.errors) expect(e.message).toBe('use YYYY-MM-DD, a real calendar day');
    expect(api.engine.calls.length).toBe(before);
  });

  it('POST /api/runs passes confirmStock to the run (the stock zero guard asks for it); a non-boolean is refused', async () => {
    await write('post', '/api/runs').send({ kind: 'stock', confirmStock: 'yes' }).expect(400);
    const res = await write('post', '/api/runs').send({ kind: 'stock', confirmStock: true }).expect(202);
    expect(api.engine.calls.at(-1)?.request).toMatchObject({ kind: 'stock', confirmStock: true });
    api.engine.open();
    const until = Date.now() + 5000;
    while ((await api.store.getRun(res.body.runId))?.status === 'running' && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    expect((await api.store.getRun(res.body.runId))?.status).toBe('completed');
  });

  it('takes a real leap day', async () => {
    const res = await write('post', '/api/runs')
      .send({ kind: 'orders', from: '2024-02-29', to: '2024-03-01', dryRun: true })
      .expect(202);
    expect(api.engine.calls.at(-1)?.request).toMatchObject({ from: '2024-02-29', to: '2024-03-01' });
    api.engine.open();
    const until = Date.now() + 5000;
    while ((await api.store.getRun(res.body.runId))?.status === 'running' && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    expect((await api.store.getRun(res.body.runId))?.status).toBe('completed');
  });
});
