import { loadOpenCartDump } from '@oc-xero/opencart-db';
import { startSandbox, type RunningSandbox } from '@oc-xero/xero-sandbox';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { cloneOrdersUpTo } from '@oc-xero/sample-store';
import { LOCK_TTL_MS } from '../src/runs/run.service';
import { fixturesAvailable, freePort, OPENCART_FIXTURES_DIR, XERO_OPENAPI_DIR } from './support/fixtures';
import { dbUrl, dropDatabases, scratchName, SERVER_URL } from './support/scratch-db';
import { call, login, startService, until, type Answer, type ServiceProcess } from './support/service.process';
import { SETUP_CODE } from './support/test-api';

/**
 * Crash recovery and stopping, with the service as a real process on real MariaDB (a real
 * OpenCart 4 dump grown to ORDERS orders) against the sandbox over HTTP:
 * - SIGTERM mid-run: the process exits within seconds at a page boundary; the run reads interrupted.
 * - kill -9 mid-run: a new instance starts a run within a minute (the lease expired), the dead run
 *   reads interrupted and its event stream ends with a final event.
 * - the runs after both resume: every order is invoiced and paid once, nothing doubled.
 */
const d = fixturesAvailable() ? describe : describe.skip;
const ORDERS = 900;
const ADMIN = { username: 'owner', password: 'a very long password' };
jest.setTimeout(240_000);


d('crash recovery and stopping (service processes)', () => {
  const connectorDb = scratchName('crash');
  const storeDb = scratchName('crash_oc4');
  const encryptionKey = randomBytes(32).toString('hex');
  let sandbox: RunningSandbox;
  let service: ServiceProcess | undefined;
  const invoiceWrites = () =>
    Object.entries(sandbox.counters())
      .filter(([k]) => /^PUT \/api\.xro\/2\.0\/Invoices$/.test(k))
      .reduce((n, [, v]) => n + v, 0);

  async function boot(): Promise<string> {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    service = await startService({
      CONNECTOR_DB_URL: dbUrl(connectorDb),
      OPENCART_DB_URL: dbUrl(storeDb),
      OPENCART_DB_PREFIX: 'oc_',
      ENCRYPTION_KEY: encryptionKey,
      PORT: String(port),
      PUBLIC_BASE_URL: base,
      XERO_SANDBOX_URL: sandbox.url,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      SCHEDULER_ENABLED: 'false',
      SETUP_CODE,
    });
    return base;
  }

  async function ledgerCounts(): Promise<Record<string, number>> {
    const c = await createConnection({ uri: dbUrl(connectorDb) });
    try {
      const [rows] = await c.query(
        "SELECT CONCAT(entity_type, ':', status) AS k, COUNT(*) AS n FROM ledger GROUP BY entity_type, status",
      );
      return Object.fromEntries((rows as Array<{ k: string; n: number }>).map((r) => [r.k, Number(r.n)]));
    } finally {
      await c.end();
    }
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimits: false, spec: { dir: XERO_OPENAPI_DIR, mode: 'record' } });
    // Every write takes a while, so a run spans many seconds and a test can stop it in the middle.
    sandbox.faults.add({
      kind: 'latency',
      latencyMs: 500,
      probability: 1,
      method: 'PUT',
      path: /^\/api\.xro\/2\.0\/(Invoices|Payments)$/,
    });
    await loadOpenCartDump({
      serverUrl: SERVER_URL,
      database: storeDb,
      file: path.join(OPENCART_FIXTURES_DIR, 'opencart-4.sql'),
    });
    const store = await createConnection({ uri: dbUrl(storeDb) });
    await cloneOrdersUpTo(store, storeDb, 'oc_', ORDERS).finally(() => store.end());

    const base = await boot();
    const setup = await fetch(`${base}/api/auth/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...ADMIN, setupCode: SETUP_CODE }),
    });
    expect(setup.status).toBe(201);
    const h = await login(base, ADMIN);
    expect(
      (
        await call(h, 'PUT', '/api/settings', {
          clientId: 'sandbox-client-id',
          clientSecret: 'sandbox-client-secret',
        })
      ).status,
    ).toBe(200);
    // The consent redirect: follow it by hand (the sandbox consents at once and sends us to the callback).
    const location = (
      await fetch(`${base}/api/xero/connect`, { headers: { cookie: h.cookie }, redirect: 'manual' })
    ).headers.get('location')!;
    const callback = new URL((await fetch(location, { redirect: 'manual' })).headers.get('location')!);
    await fetch(`${base}${callback.pathname}${callback.search}`, {
      headers: { cookie: h.cookie },
      redirect: 'manual',
    });
    const tenants = await call(h, 'GET', '/api/xero/tenants');
    const uk = (tenants.body as Array<{ tenantId: string; tenantName: string }>).find((t) =>
      /UK/i.test(t.tenantName),
    )!;
    expect((await call(h, 'PUT', '/api/xero/tenant', { tenantId: uk.tenantId })).status).toBe(200);
    const saved = await call(h, 'PUT', '/api/settings', {
      status: true,
      invoiceStatus: 'AUTHORISED',
      exportCustomers: false,
      paymentAccountCodes: { cod: '090', bank_transfer: '090', cheque: '090' },
    });
    expect(saved.status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    if (service && service.child.exitCode === null && service.child.signalCode === null) {
      service.child.kill('SIGKILL');
      await service.exited;
    }
    await sandbox?.close();
    await dropDatabases([connectorDb, storeDb]);
  }, 60_000);

  let sigtermRunId: string;
  let killedRunId: string;

  it('SIGTERM mid-run: the process exits within seconds at a page boundary; the run reads interrupted', async () => {
    const h = await login(baseOf(), ADMIN);
    const start = await call(h, 'POST', '/api/runs', { kind: 'orders' });
    expect(start.status).toBe(202);
    sigtermRunId = start.body.runId;
    await until(() => invoiceWrites() >= 1, 60_000, 'the first invoice batch');
    const sentAt = Date.now();
    service!.child.kill('SIGTERM');
    const exit = await service!.exited;
    const tookMs = Date.now() - sentAt;
    // Nest closes the app, then re-raises the signal: the process ends by SIGTERM after a clean close.
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    // One page's writes at most (a few 500 ms calls), never the rest of the run.
    expect(tookMs).toBeLessThan(10_000);
    // Stopped at a page boundary: nothing left half-written in the ledger.
    const ledger = await ledgerCounts();
    expect(Object.keys(ledger).filter((k) => k.endsWith(':pending'))).toEqual([]);
    expect(ledger['invoice:done'] ?? 0).toBeGreaterThan(0);
    expect(ledger['invoice:done']).toBeLessThan(ORDERS / 2);

    await boot();
    const h2 = await login(baseOf(), ADMIN);
    const run = await call(h2, 'GET', `/api/runs/${sigtermRunId}`);
    expect(run.body).toMatchObject({ status: 'interrupted' });
    expect(run.body.error).toMatch(/SIGTERM.*page boundary/);
  });

  it('kill -9 mid-run: a new instance starts a run within a minute; the dead run reads interrupted and its stream ends', async () => {
    const h = await login(baseOf(), ADMIN);
    const start = await call(h, 'POST', '/api/runs', { kind: 'orders' });
    expect(start.status).toBe(202);
    killedRunId = start.body.runId;
    const writesBefore = invoiceWrites();
    await until(() => invoiceWrites() > writesBefore, 60_000, 'an invoice batch of the second run');
    service!.child.kill('SIGKILL');
    await service!.exited;
    const killedAt = Date.now();

    await boot();
    const h2 = await login(baseOf(), ADMIN);
    // Its lease has not expired yet: the dead run still reads running, and a start is refused…
    expect((await call(h2, 'GET', `/api/runs/${killedRunId}`)).body.status).toBe('running');
    // …its live event stream (served from the database) must end once the lease is found expired.
    const stream = fetch(`${baseOf()}/api/runs/${killedRunId}/events`, {
      headers: { cookie: h2.cookie },
    }).then((r) => r.text());
    let next: Answer | undefined;
    await until(
      async () => {
        next = await call(h2, 'POST', '/api/runs', { kind: 'orders' });
        if (next.status === 202) return true;
        expect(next.status).toBe(409);
        await new Promise((r) => setTimeout(r, 1000));
        return false;
      },
      60_000,
      'a new run to start',
    );
    const recoveredMs = Date.now() - killedAt;
    expect(recoveredMs).toBeLessThan(60_000);
    expect(recoveredMs).toBeGreaterThan(LOCK_TTL_MS / 3); // it waited for the lease, it did not ignore it
    const dead = await call(h2, 'GET', `/api/runs/${killedRunId}`);
    expect(dead.body).toMatchObject({ status: 'interrupted' });
    expect(dead.body.error).toMatch(/stopped without finishing/);
    const events = await stream;
    expect(events).toMatch(/event: finished\n(id: \d+\n)?data: \{[^\n]*"status":"interrupted"/);

    // The resumed run finishes the store: every exported order invoiced once, paid at most once.
    const runId = next!.body.runId as string;
    let run = next!.body.run;
    await until(
      async () => {
        run = (await call(h2, 'GET', `/api/runs/${runId}`)).body;
        return run.status !== 'running';
      },
      180_000,
      'the resumed run to finish',
    );
    expect(run.status).toBe('completed');
    // The UK organisation is listed first (the sandbox's default seed).
    const org = (
      sandbox.state() as {
        organisations: Array<{
          Invoices: Array<{ InvoiceNumber: string }>;
          Payments: Array<{ Invoice: { InvoiceID: string } }>;
        }>;
      }
    ).organisations[0]!;
    const numbers = org.Invoices.map((i) => i.InvoiceNumber);
    expect(new Set(numbers).size).toBe(numbers.length);
    const ledger = await ledgerCounts();
    expect(org.Invoices.length).toBe(ledger['invoice:done']);
    expect(Object.keys(ledger).filter((k) => k.endsWith(':pending') || k.endsWith(':failed'))).toEqual([]);
    const paid = org.Payments.map((p) => p.Invoice.InvoiceID);
    expect(new Set(paid).size).toBe(paid.length);
    expect(sandbox.violations().filter((v) => v.direction === 'request')).toEqual([]);
  });

  function baseOf(): string {
    const m = /listening on (http:\/\/\S+?) /.exec(service!.output());
    if (!m) throw new Error(`no listening line in:\n${service!.output()}`);
    return m[1]!;
  }
});
