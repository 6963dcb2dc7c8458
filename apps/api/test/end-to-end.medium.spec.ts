import type { INestApplication } from '@nestjs/common';
import { loadOpenCartDump } from '@oc-xero/opencart-db';
import { startSandbox, type RunningSandbox } from '@oc-xero/xero-sandbox';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../src/bootstrap';
import { XeroConnectionService } from '../src/xero/xero-connection.service';
import { fixturesAvailable, freePort, OPENCART_FIXTURES_DIR, XERO_OPENAPI_DIR } from './support/fixtures';
import { dbUrl, dropDatabases, scratchName, SERVER_URL } from './support/scratch-db';

/**
 * Connect → configure → sync → read the log, end to end: the real app with the REAL adapters
 * (opencart-db on a real OpenCart 3.0.5.0 dump, the connector store, xero-client) against the Xero
 * sandbox, which holds every request to Xero's official OpenAPI spec.
 */
const d = fixturesAvailable() ? describe : describe.skip;

d('end to end: connect, configure, sync, read the log', () => {
  const connectorDb = scratchName('e2e');
  const storeDb = scratchName('oc3');
  let sandbox: RunningSandbox;
  let app: INestApplication;
  let base: string;
  let http: ReturnType<typeof request>;
  let cookie: string[];
  let csrf: string;
  const put = (p: string) => http.put(p).set('Cookie', cookie).set('x-csrf-token', csrf);
  const post = (p: string) => http.post(p).set('Cookie', cookie).set('x-csrf-token', csrf);
  const get = (p: string) => http.get(p).set('Cookie', cookie);

  beforeAll(async () => {
    sandbox = await startSandbox({ spec: { dir: XERO_OPENAPI_DIR, mode: 'record' } });
    await loadOpenCartDump({ serverUrl: SERVER_URL, database: storeDb, file: path.join(OPENCART_FIXTURES_DIR, 'opencart-3.sql') });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    ({ app } = await createApp(
      {
        CONNECTOR_DB_URL: dbUrl(connectorDb),
        OPENCART_DB_URL: dbUrl(storeDb),
        OPENCART_DB_PREFIX: 'oc_',
        ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        PORT: String(port),
        PUBLIC_BASE_URL: base,
        XERO_SANDBOX_URL: sandbox.url,
        // TEST_LOG_LEVEL=info shows the service's JSON log lines (run ids, redaction) while debugging.
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
        SCHEDULER_ENABLED: 'false',
        SETUP_CODE: 'E2E-SETUP-CODE-0001',
      },
      { quiet: true },
    ));
    await app.listen(port, '127.0.0.1');
    http = request(base);
    await http.post('/api/auth/setup').send({ username: 'owner', password: 'a very long password', setupCode: 'E2E-SETUP-CODE-0001' }).expect(201);
    const login = await http.post('/api/auth/login').send({ username: 'owner', password: 'a very long password' }).expect(200);
    cookie = ([] as string[]).concat(login.headers['set-cookie']);
    csrf = login.body.csrfToken;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await sandbox?.close();
    await dropDatabases([connectorDb, storeDb]);
  }, 60_000);

  it('connects to the sandbox organisation through the OAuth consent and callback', async () => {
    await put('/api/settings').send({ clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' }).expect(200);
    const consent = await get('/api/xero/connect').expect(302);
    expect(consent.headers.location.startsWith(`${sandbox.url}/identity/connect/authorize?`)).toBe(true);
    // The sandbox consents at once and sends the browser back to our callback.
    const back = await fetch(consent.headers.location, { redirect: 'manual' });
    const callback = new URL(back.headers.get('location')!);
    expect(`${callback.origin}${callback.pathname}`).toBe(`${base}/api/xero/callback`);
    const done = await http.get(`${callback.pathname}${callback.search}`).expect(302);
    // The sandbox grants two organisations (UK and NZ): the admin chooses one.
    expect(done.headers.location).toBe(`${base}/settings/connection?choose-organisation=1`);
    const tenants = await get('/api/xero/tenants').expect(200);
    const uk = tenants.body.find((t: { tenantName: string }) => /UK/i.test(t.tenantName));
    expect(uk).toBeDefined();
    await put('/api/xero/tenant').send({ tenantId: uk.tenantId }).expect(200);
    const status = await get('/api/xero/status').expect(200);
    expect(status.body).toMatchObject({ connected: true, organisation: { tenantId: uk.tenantId } });
    expect(Date.parse(status.body.tokenExpiresAt)).toBeGreaterThan(Date.now());
  }, 60_000);

  it('configures: lookups from both sides feed the settings, field errors come back field by field', async () => {
    const accounts = await get('/api/xero/accounts').expect(200);
    expect(accounts.body.some((a: { Code?: string }) => a.Code === '200')).toBe(true);
    const taxRates = await get('/api/xero/tax-rates').expect(200);
    expect(taxRates.body.length).toBeGreaterThan(0);
    await get('/api/xero/tracking-categories').expect(200);
    const statuses = await get('/api/opencart/order-statuses').expect(200);
    expect(statuses.body.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(['Pending', 'Processing', 'Complete']));
    for (const p of ['payment-methods', 'stores', 'tax-rates', 'currencies']) {
      const res = await get(`/api/opencart/${p}`).expect(200);
      expect(res.body.length).toBeGreaterThan(0);
    }
    const bad = await put('/api/settings').send({ syncIntervalMinutes: 0, salesAccountCode: 'WAY-TOO-LONG-CODE', invoiceStatus: 'PAID' }).expect(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['invoiceStatus', 'salesAccountCode', 'syncIntervalMinutes']);
    for (const e of bad.body.errors) expect(e.message.length).toBeGreaterThan(3);
    // Rules across fields answer on the field they are about.
    const format = await put('/api/settings').send({ invoiceNumberFormat: 'INV-{nope}' }).expect(400);
    expect(format.body.errors.map((e: { path: string }) => e.path)).toEqual(['invoiceNumberFormat', 'invoiceNumberFormat']);
    expect(format.body.errors.map((e: { message: string }) => e.message).join(' ')).toMatch(/unknown placeholder \{nope\}.*must contain \{order_id\}/);
    // Nothing of the refused document was saved.
    const saved = await get('/api/settings').expect(200);
    expect(saved.body.settings.syncIntervalMinutes).toBe(5);
    const ok = await put('/api/settings').send({ status: true, invoiceStatus: 'AUTHORISED', markPaidStatus: 'Complete' }).expect(200);
    expect(ok.body.settings).toMatchObject({ status: true, invoiceStatus: 'AUTHORISED', clientSecret: 'set', cronToken: 'not set' });
    expect(JSON.stringify(ok.body)).not.toContain('sandbox-client-secret');
  }, 60_000);

  it('previews an order without writing, then syncs the orders and reads the log', async () => {
    const list = await get('/api/orders').query({ limit: 200 }).expect(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    const first = list.body.items[0];
    expect(first.sync.status).toBe('not synced');
    const preview = await get(`/api/orders/${first.orderId}/preview`).expect(200);
    expect(preview.body.count).toBe(1);
    const before = sandbox.counters();
    expect(Object.keys(before).filter((k) => /^(PUT|POST) \/api\.xro\/2\.0\/Invoices/.test(k))).toHaveLength(0);

    const start = await post('/api/runs').send({ kind: 'orders' }).expect(202);
    const runId = start.body.runId as string;
    let run = start.body.run;
    for (let i = 0; i < 240 && run.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      run = (await get(`/api/runs/${runId}`).expect(200)).body;
    }
    expect(run.status).toBe('completed');
    expect(run.summary.ordersExported).toBeGreaterThan(0);

    const log = await get('/api/log').query({ runId, limit: 500 }).expect(200);
    expect(log.body.items.length).toBeGreaterThan(0);
    const exported = log.body.items.filter((l: { entityType: string; status: string }) => l.entityType === 'order' && l.status === 'exported');
    expect(exported.length).toBe(run.summary.ordersExported);
    // Every failure carries its reason.
    const failed = await get('/api/log').query({ runId, level: 'error', limit: 500 }).expect(200);
    for (const f of failed.body.items) expect(f.message).toMatch(/\w{5,}/);

    const after = await get('/api/orders').query({ limit: 200 }).expect(200);
    const synced = after.body.items.filter((o: { sync: { status: string } }) => o.sync.status === 'done');
    expect(synced.length).toBe(run.summary.ordersExported);
    expect(synced[0].sync.xeroUrl).toMatch(/^https:\/\/go\.xero\.com\/AccountsReceivable\/View\.aspx\?InvoiceID=[0-9a-f-]{36}$/);
    expect(sandbox.violations().filter((v) => v.direction === 'request')).toEqual([]);
  }, 120_000);

  it('GET /api/orders/:id/xero answers what Xero holds: the posted total vs OpenCart, payments and credit notes with links', async () => {
    const key = (await post('/api/auth/api-keys').send({ name: 'OpenCart bridge', scope: 'opencart-bridge' }).expect(201)).body.key as string;
    const asBridge = (p: string) => http.get(p).set('Authorization', `Bearer ${key}`);
    const list = await get('/api/orders').query({ state: 'synced', limit: 200 }).expect(200);
    const order = list.body.items.find((o: { total: string }) => Number(o.total) > 5) as { orderId: number; total: string; currencyCode: string; sync: { invoiceNumber: string; xeroId: string } };
    const before = (await asBridge(`/api/orders/${order.orderId}/xero`).expect(200)).body;
    expect(before).toMatchObject({
      orderId: order.orderId,
      opencartTotal: order.total,
      ledger: { invoice: { status: 'done', number: order.sync.invoiceNumber, xeroId: order.sync.xeroId } },
      invoice: { invoiceId: order.sync.xeroId, number: order.sync.invoiceNumber, status: 'AUTHORISED', total: order.total, difference: '0.00', url: `https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=${order.sync.xeroId}` },
      xeroError: null,
    });
    // A bookkeeper takes a 1.00 payment and allocates a 1.00 credit note in Xero.
    const xero = await app.get(XeroConnectionService).gateway();
    const invoice = (await xero.getInvoice(order.sync.xeroId))!;
    const bank = (await xero.listAccounts()).find((a) => a.Type === 'BANK')!;
    const today = new Date().toISOString().slice(0, 10);
    const [paid] = await xero.createPayments([{ Invoice: { InvoiceID: invoice.InvoiceID }, Account: { Code: bank.Code }, Date: today, Amount: 1 }]);
    expect(paid.ok).toBe(true);
    const [note] = await xero.createCreditNotes([
      { Type: 'ACCRECCREDIT', Contact: { ContactID: invoice.Contact!.ContactID }, CreditNoteNumber: `CN-${order.orderId}`, Date: today, Status: 'AUTHORISED', LineAmountTypes: 'NoTax', CurrencyCode: invoice.CurrencyCode, LineItems: [{ Description: 'Goodwill', Quantity: 1, UnitAmount: 1, AccountCode: '200' }] },
    ]);
    if (!note.ok) throw new Error(note.errors.join(' '));
    await xero.allocateCreditNote(note.value.CreditNoteID, invoice.InvoiceID, 1, today);
    const after = (await asBridge(`/api/orders/${order.orderId}/xero`).expect(200)).body;
    const cents = (s: string) => Math.round(Number(s) * 100);
    expect(cents(after.invoice.amountDue)).toBe(cents(before.invoice.amountDue) - 200);
    expect(after.payments.map((p: { amount: string }) => p.amount)).toEqual([...before.payments.map((p: { amount: string }) => p.amount), '1.00']);
    for (const p of after.payments) expect(p.url).toBe(before.invoice.url);
    expect(after.creditNotes).toEqual([
      { creditNoteId: note.value.CreditNoteID, number: `CN-${order.orderId}`, total: '1.00', applied: '1.00', url: `https://go.xero.com/AccountsReceivable/ViewCreditNote.aspx?creditNoteID=${note.value.CreditNoteID}` },
    ]);
    // An order without an invoice makes no Xero call; an unknown one is a 404.
    const counters = sandbox.counters();
    const notSynced = (await get('/api/orders').query({ state: 'not-exported', limit: 1 }).expect(200)).body.items[0];
    if (notSynced) expect((await asBridge(`/api/orders/${notSynced.orderId}/xero`).expect(200)).body).toMatchObject({ invoice: null, payments: [], creditNotes: [], xeroError: null });
    expect(sandbox.counters()).toEqual(counters);
    await asBridge('/api/orders/999999/xero').expect(404);
    expect(sandbox.violations().filter((v) => v.direction === 'request')).toEqual([]);
  }, 60_000);

  it('"sync now" runs one order again without posting it twice, and its events end with the run', async () => {
    const list = await get('/api/orders').query({ limit: 200 }).expect(200);
    const done = list.body.items.find((o: { sync: { status: string } }) => o.sync.status === 'done');
    const invoicesBefore = Object.entries(sandbox.counters()).filter(([k]) => /^(PUT|POST) \/api\.xro\/2\.0\/Invoices/.test(k)).reduce((n, [, v]) => n + v, 0);
    expect(invoicesBefore).toBeGreaterThan(0); // the full run above created them
    const start = await post(`/api/orders/${done.orderId}/sync`).expect(202);
    const events = await get(`/api/runs/${start.body.runId}/events`).buffer(true).parse((res, cb) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => cb(null, text));
    });
    expect(events.body).toMatch(/event: finished\n(id: \d+\n)?data: \{[^\n]*"status":"completed"/);
    const run = (await get(`/api/runs/${start.body.runId}`).expect(200)).body;
    expect(run).toMatchObject({ status: 'completed', trigger: 'manual', kind: 'orders' });
    expect(run.summary.ordersExported).toBe(0);
    const invoicesAfter = Object.entries(sandbox.counters()).filter(([k]) => /^(PUT|POST) \/api\.xro\/2\.0\/Invoices/.test(k)).reduce((n, [, v]) => n + v, 0);
    expect(invoicesAfter).toBe(invoicesBefore);
    const lines = await get('/api/log').query({ runId: start.body.runId, entityType: 'order', entityId: String(done.orderId) }).expect(200);
    expect(lines.body.items.length).toBeGreaterThan(0);
  }, 60_000);

  it('marks orders and sets a product override', async () => {
    const list = await get('/api/orders').query({ limit: 3 }).expect(200);
    const ids = list.body.items.map((o: { orderId: number }) => o.orderId);
    await post('/api/orders/mark').send({ orderIds: ids }).expect(201);
    const marked = await get('/api/orders').query({ limit: 3 }).expect(200);
    expect(marked.body.items.every((o: { marked: boolean }) => o.marked)).toBe(true);
    await http.delete(`/api/orders/${ids[0]}/mark`).set('Cookie', cookie).set('x-csrf-token', csrf).expect(200);
    const products = await get('/api/products').query({ q: 'iphone', limit: 5 }).expect(200);
    expect(products.body.items.length).toBeGreaterThan(0);
    for (const p of products.body.items) expect(`${p.name} ${p.model}`.toLowerCase()).toContain('iphone');
    const id = products.body.items[0].productId;
    await put(`/api/products/${id}/override`).send({ salesAccountCode: '200', purchaseAccountCode: null }).expect(200);
    const again = await get('/api/products').query({ q: 'iphone', limit: 5 }).expect(200);
    expect(again.body.items[0].override).toEqual({ salesAccountCode: '200', purchaseAccountCode: null });
    const bad = await put(`/api/products/${id}/override`).send({ salesAccountCode: 'no spaces allowed' }).expect(400);
    expect(bad.body.errors[0].path).toBe('salesAccountCode');
  }, 60_000);

  it('disconnects: the tokens are forgotten and runs refuse until Xero is connected again', async () => {
    const res = await http.delete('/api/xero/connection').set('Cookie', cookie).set('x-csrf-token', csrf).expect(200);
    expect(res.body).toMatchObject({ disconnected: true });
    await get('/api/xero/status').expect(200, { connected: false });
    const refused = await post('/api/runs').send({ kind: 'orders' }).expect(409);
    expect(refused.body).toMatchObject({ kind: 'needs-reconnect' });
  }, 60_000);
});
