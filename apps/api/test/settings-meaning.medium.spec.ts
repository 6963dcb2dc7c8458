import { loadOpenCartDump } from '@oc-xero/opencart-db';
import { startSandbox, type RunningSandbox } from '@oc-xero/xero-sandbox';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { fixturesAvailable, freePort, OPENCART_FIXTURES_DIR, XERO_OPENAPI_DIR } from './support/fixtures';
import { dbUrl, dropDatabases, scratchName, SERVER_URL } from './support/scratch-db';
import { call, login, startService, until, type Http, type ServiceProcess } from './support/service.process';
import { SETUP_CODE } from './support/test-api';

/**
 * Issue 11 §6, "settings that mean what they say", with the service as a real process on a real
 * OpenCart 4 dump (MariaDB) against the sandbox over HTTP (spec-validated):
 * - Status off refuses every trigger (runs API, sync now, sync soon, cron URL) with 409
 *   connector-disabled naming the setting; a dry run still runs.
 * - Saving settings holds account codes against the organisation's chart (a bank account as the
 *   sales account, an archived code), statuses against the store, and refuses unknown keys at any depth.
 * - Debug writes Xero's requests and responses to the run's log, redacted.
 * - Contact names carry the Make Customer Unique suffix only where they clash.
 * - Cash on delivery is paid at Complete, not at Processing (paidStatusesByPaymentMethod).
 */
const d = fixturesAvailable() ? describe : describe.skip;
const ADMIN = { username: 'owner', password: 'a very long password' };
jest.setTimeout(240_000);


interface TruthOrder {
  order_id: number;
  order_status: string;
  customer_id?: number;
  payment: { code: string } | null;
}

d('settings that mean what they say (service process, real OpenCart 4 dump, sandbox)', () => {
  const connectorDb = scratchName('meaning');
  const storeDb = scratchName('meaning_oc4');
  let sandbox: RunningSandbox;
  let service: ServiceProcess | undefined;
  let h: Http;
  const truth = (JSON.parse(readFileSync(path.join(OPENCART_FIXTURES_DIR, 'orders-4.json'), 'utf8')) as { orders: TruthOrder[] }).orders;
  const xeroWrites = () => Object.entries(sandbox.counters()).filter(([k]) => /^(PUT|POST) \/api\.xro\/2\.0\//.test(k)).reduce((n, [, v]) => n + v, 0);
  let tenantId = '';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const org = (): any => (sandbox.state() as { organisations: Array<{ tenantId: string }> }).organisations.find((o) => o.tenantId === tenantId);
  let clashing: number[] = [];
  let dryRunId = '';

  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimits: false, spec: { dir: XERO_OPENAPI_DIR, mode: 'record' } });
    await loadOpenCartDump({ serverUrl: SERVER_URL, database: storeDb, file: path.join(OPENCART_FIXTURES_DIR, 'opencart-4.sql') });
    // Two registered customers who share a name: the one clash the contact names must resolve.
    const store = await createConnection({ uri: dbUrl(storeDb) });
    try {
      const [rows] = await store.query('SELECT customer_id FROM oc_customer ORDER BY customer_id LIMIT 2');
      clashing = (rows as Array<{ customer_id: number }>).map((r) => Number(r.customer_id));
      expect(clashing).toHaveLength(2);
      await store.query("UPDATE oc_customer SET firstname = 'Sam', lastname = 'Taylor' WHERE customer_id IN (?)", [clashing]);
    } finally {
      await store.end();
    }
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    service = await startService({
      CONNECTOR_DB_URL: dbUrl(connectorDb),
      OPENCART_DB_URL: dbUrl(storeDb),
      OPENCART_DB_PREFIX: 'oc_',
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      PORT: String(port),
      PUBLIC_BASE_URL: base,
      XERO_SANDBOX_URL: sandbox.url,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      SCHEDULER_ENABLED: 'false',
      SETUP_CODE,
    });
    const setup = await fetch(`${base}/api/auth/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...ADMIN, setupCode: SETUP_CODE }) });
    expect(setup.status).toBe(201);
    h = await login(base, ADMIN);
    expect((await call(h, 'PUT', '/api/settings', { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' })).status).toBe(200);
    const location = (await fetch(`${base}/api/xero/connect`, { headers: { cookie: h.cookie }, redirect: 'manual' })).headers.get('location')!;
    const callback = new URL((await fetch(location, { redirect: 'manual' })).headers.get('location')!);
    await fetch(`${base}${callback.pathname}${callback.search}`, { headers: { cookie: h.cookie }, redirect: 'manual' });
    const tenants = await call(h, 'GET', '/api/xero/tenants');
    const uk = (tenants.body as Array<{ tenantId: string; tenantName: string }>).find((t) => /UK/i.test(t.tenantName))!;
    tenantId = uk.tenantId;
    expect((await call(h, 'PUT', '/api/xero/tenant', { tenantId })).status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    if (service && service.child.exitCode === null && service.child.signalCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    await sandbox?.close();
    await dropDatabases([connectorDb, storeDb]);
  });

  it('Status off: runs API, sync now, sync soon and the cron URL answer 409 connector-disabled naming the setting; a dry run still runs', async () => {
    const cron = await call(h, 'POST', '/api/settings/cron-token');
    const token = new URL(cron.body.cron.url).searchParams.get('token')!;
    const writesBefore = xeroWrites();
    const refusals = [
      await call(h, 'POST', '/api/runs', { kind: 'all' }),
      await call(h, 'POST', '/api/orders/sync', { orderIds: [1] }),
      await call(h, 'POST', '/api/orders/1/sync'),
      await call(h, 'POST', '/api/orders/sync-soon', { orderIds: [1] }),
      await call(h, 'GET', `/cron/sync?token=${encodeURIComponent(token)}`),
      await call(h, 'POST', `/cron/sync?token=${encodeURIComponent(token)}`),
    ];
    for (const r of refusals) {
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ code: 'connector-disabled', setting: 'status', message: expect.stringContaining('"Status" is off') });
    }
    expect((await call(h, 'GET', '/api/runs?limit=5')).body).toEqual([]);
    const dry = await call(h, 'POST', '/api/runs', { kind: 'orders', dryRun: true });
    expect(dry.status).toBe(202);
    dryRunId = dry.body.runId as string;
    await until(async () => (await call(h, 'GET', `/api/runs/${dry.body.runId}`)).body.status !== 'running', 60_000, 'the dry run', 200);
    expect((await call(h, 'GET', `/api/runs/${dry.body.runId}`)).body).toMatchObject({ status: 'completed', dryRun: true });
    expect(xeroWrites()).toBe(writesBefore);
  });

  it("refuses account codes that do not fit the chart, statuses the store does not have and unknown keys, field by field", async () => {
    const bankAsSales = await call(h, 'PUT', '/api/settings', { salesAccountCode: '090' });
    expect(bankAsSales.status).toBe(400);
    expect(bankAsSales.body.errors).toEqual([{ path: 'salesAccountCode', message: expect.stringMatching(/090 \(Business Bank Account\) is of type BANK; this account must be Revenue, Sales or Other Income/) }]);
    const archived = await call(h, 'PUT', '/api/settings', { stores: { '0': { salesAccountCode: '201' } } });
    expect(archived.status).toBe(400);
    expect(archived.body.errors).toEqual([{ path: 'stores.0.salesAccountCode', message: expect.stringMatching(/201 .* is archived in Xero/) }]);
    const notPayable = await call(h, 'PUT', '/api/settings', { paymentAccountCodes: { cod: '200' }, inventoryAccountCode: '999' });
    expect(notPayable.status).toBe(400);
    expect(notPayable.body.errors.map((e: { path: string }) => e.path)).toEqual(['inventoryAccountCode', 'paymentAccountCodes.cod']);
    const statuses = await call(h, 'PUT', '/api/settings', { exportStatuses: ['Processing', 'Dispatched'], paidStatusesByPaymentMethod: { cod: ['Delivered'] } });
    expect(statuses.status).toBe(400);
    expect(statuses.body.errors.map((e: { path: string }) => e.path)).toEqual(['exportStatuses', 'paidStatusesByPaymentMethod.cod']);
    expect(statuses.body.errors[0].message).toMatch(/"Dispatched" is not an order status of this store; its statuses are: .*Complete/);
    const unknown = await call(h, 'PUT', '/api/settings', { stores: { '0': { colour: 'blue' } }, taxRateMapping: { '1': { taxType: '', acount: '200' } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((e: { path: string }) => e.path)).toEqual(['stores.0.colour', 'taxRateMapping.1.acount']);
    // Nothing of the refused saves was kept.
    expect((await call(h, 'GET', '/api/settings')).body.settings).toMatchObject({ salesAccountCode: '', paymentAccountCodes: {}, exportStatuses: ['Processing', 'Shipped', 'Complete'] });
    // Codes that fit are saved, without notices (Xero was asked).
    const ok = await call(h, 'PUT', '/api/settings', {
      status: true,
      debug: true,
      invoiceStatus: 'AUTHORISED',
      salesAccountCode: '200',
      paymentAccountCodes: { cod: '090', bank_transfer: '090' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.notices).toEqual([]);
  });

  it('a real run with Debug on: redacted Xero exchanges in its log; names suffixed only on a clash; COD paid at Complete, not at Processing', async () => {
    const start = await call(h, 'POST', '/api/runs', { kind: 'all' });
    expect(start.status).toBe(202);
    const runId = start.body.runId as string;
    await until(async () => (await call(h, 'GET', `/api/runs/${runId}`)).body.status !== 'running', 180_000, 'the run', 200);
    expect((await call(h, 'GET', `/api/runs/${runId}`)).body).toMatchObject({ status: 'completed' });

    // ---- Debug ----
    const log = await call(h, 'GET', `/api/log?runId=${runId}&level=debug&limit=500`);
    const lines = log.body.items as Array<{ message: string; details: { request: { headers: Record<string, string>; body: string | null }; response: { status: number; body: string | null } } }>;
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.some((l) => /^Xero PUT \/api\.xro\/2\.0\/Invoices → 200 in \d+ ms$/.test(l.message))).toBe(true);
    const invoicePut = lines.find((l) => l.message.startsWith('Xero PUT /api.xro/2.0/Invoices'))!;
    expect(invoicePut.details.request.body).toContain('"InvoiceNumber":"OC-');
    expect(invoicePut.details.response.body).toContain('"InvoiceID"');
    expect(invoicePut.details.request.headers['xero-tenant-id']).toBeTruthy();
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/authorization/i);
    expect(text).not.toMatch(/Bearer\s+[A-Za-z0-9]/);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/); // no JWT (access token) anywhere
    expect(text).not.toContain('sandbox-client-secret');
    // Every email address is masked (j***@e***.com).
    expect(text).toMatch(/\*\*\*@/);
    expect(text).not.toMatch(/[A-Za-z0-9._%+-]{2}@[A-Za-z0-9-]{2}/);
    // The dry run (Debug still off then) read from Xero too, and logged no exchange.
    expect((await call(h, 'GET', `/api/log?runId=${dryRunId}&level=debug&limit=5`)).body.items).toEqual([]);

    // ---- contact names ----
    const state = org();
    const contacts = (state.Contacts as Array<{ Name: string; ContactNumber?: string; ContactStatus?: string }>).filter((c) => c.ContactStatus !== 'ARCHIVED');
    expect(contacts.length).toBeGreaterThan(10);
    const baseOf = (c: { Name: string; ContactNumber?: string }) => (c.ContactNumber && c.Name.endsWith(` (${c.ContactNumber})`) ? c.Name.slice(0, -(c.ContactNumber.length + 3)) : c.Name);
    const groups = new Map<string, typeof contacts>();
    for (const c of contacts) groups.set(baseOf(c).toLowerCase(), [...(groups.get(baseOf(c).toLowerCase()) ?? []), c]);
    for (const [name, group] of groups) {
      // One contact keeps the plain name; only the others of a clash carry their ContactNumber.
      expect({ name, plain: group.filter((c) => c.Name === baseOf(c)).length }).toEqual({ name, plain: 1 });
    }
    const suffixed = contacts.filter((c) => c.Name !== baseOf(c));
    expect(suffixed.length).toBe([...groups.values()].reduce((n, g) => n + g.length - 1, 0));
    expect(groups.get('sam taylor')!.map((c) => c.Name).sort()).toEqual(['Sam Taylor', `Sam Taylor (C${clashing[1]})`]);
    expect(suffixed.length).toBeLessThan(contacts.length / 2); // today every contact carried one

    // ---- COD paid at Complete, not at Processing; bank transfer paid at Processing ----
    const invoices = state.Invoices as Array<{ InvoiceID: string; InvoiceNumber: string; Status: string }>;
    const payments = state.Payments as Array<{ Invoice?: { InvoiceID: string }; Status?: string }>;
    const paidOf = (orderId: number) => {
      const inv = invoices.find((i) => i.InvoiceNumber === `OC-${orderId}`)!;
      expect(inv).toBeDefined();
      return payments.filter((p) => p.Invoice?.InvoiceID === inv.InvoiceID && p.Status !== 'DELETED').length;
    };
    const of = (code: string, status: string) => truth.filter((o) => (o.payment?.code ?? '').split('.')[0] === code && o.order_status === status).map((o) => o.order_id);
    expect(of('cod', 'Processing').length).toBeGreaterThan(0);
    for (const id of of('cod', 'Processing')) expect({ id, payments: paidOf(id) }).toEqual({ id, payments: 0 });
    for (const id of of('cod', 'Shipped')) expect({ id, payments: paidOf(id) }).toEqual({ id, payments: 0 });
    for (const id of of('cod', 'Complete')) expect({ id, payments: paidOf(id) }).toEqual({ id, payments: 1 });
    for (const id of of('bank_transfer', 'Processing')) expect({ id, payments: paidOf(id) }).toEqual({ id, payments: 1 });

    expect(sandbox.violations()).toEqual([]);
  });
});
