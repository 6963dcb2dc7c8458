import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, OpenCartAdmin, shot } from './admin';
import { diffSnapshots, snapshotStore, type StoreSnapshot } from './store-snapshot';
import { startConnector, type RunningConnector } from './connector';
import type { OpenCartInstance } from '@oc-xero/opencart-harness';

/** A shopper's order of one demo product (product 40 ships and needs no options in every release). */
const ONE_ITEM = { products: [{ productId: 40, quantity: 1 }] };

const root = path.resolve(__dirname, '../../..');

/** A sales clerk: orders and products, nothing else (set up before the extension exists). */
const CLERK = { username: 'clerk', password: 'Clerk-pass-2026' };
async function addClerk(oc: OpenCartInstance, major: 3 | 4): Promise<number> {
  const permission = JSON.stringify({
    access: ['sale/order', 'catalog/product'],
    modify: ['sale/order', 'catalog/product'],
  });
  await oc.query(`INSERT INTO \`${oc.prefix}user_group\` (name, permission) VALUES ('Clerk', ?)`, [
    permission,
  ]);
  const [{ id }] = await oc.query<{ id: number }>(
    `SELECT user_group_id AS id FROM \`${oc.prefix}user_group\` WHERE name = 'Clerk'`,
  );
  // The password as each release checks it: 3.x md5 (one of its accepted forms), 4.x password_verify.
  const hash =
    major === 3
      ? createHash('md5').update(CLERK.password).digest('hex')
      : execFileSync('php', ['-r', 'echo password_hash($argv[1], PASSWORD_DEFAULT);', CLERK.password], {
          encoding: 'utf8',
        });
  const columns = (await oc.query<{ Field: string }>(`SHOW COLUMNS FROM \`${oc.prefix}user\``)).map(
    (c) => c.Field,
  );
  const values: Record<string, unknown> = {
    user_group_id: id,
    username: CLERK.username,
    password: hash,
    salt: '',
    firstname: 'Sam',
    lastname: 'Clerk',
    email: 'clerk@example.com',
    image: '',
    code: '',
    ip: '',
    status: 1,
  };
  const use = Object.keys(values).filter((c) => columns.includes(c));
  await oc.query(
    `INSERT INTO \`${oc.prefix}user\` (${use.join(', ')}, date_added) VALUES (${use.map(() => '?').join(', ')}, NOW())`,
    use.map((c) => values[c]),
  );
  return id;
}

export function extensionSuite(
  version: '3.0.5.0' | '4.0.2.3' | '4.1.0.3',
  start: () => Promise<OpenCartInstance>,
): void {
  const major = version.startsWith('3.') ? 3 : 4;
  const zip = path.join(
    root,
    'dist',
    major === 3 ? 'oc-xero-connector-3.ocmod.zip' : 'oc_xero_connector.ocmod.zip',
  );
  let oc: OpenCartInstance;
  let connector: RunningConnector;
  let browser: Browser;
  let page: Page;
  let admin: OpenCartAdmin;
  let key = '';
  let clerkGroupId = 0;
  let before: StoreSnapshot;
  const shots: string[] = [];
  const moduleRoute =
    major === 4 ? 'extension/oc_xero_connector/module/xero_connector' : 'extension/module/xero_connector';

  const orderState = async (orderId: number) => {
    const r = await connector.admin('GET', `/api/orders/status?ids=${orderId}`);
    return (
      r.body.items as Array<{
        orderId: number;
        state: string;
        marked: boolean;
        sync: { status: string; invoiceNumber: string | null };
      }>
    )[0];
  };
  const waitFor = async <T>(
    what: string,
    probe: () => Promise<T | undefined | false>,
    timeoutMs = 30_000,
  ): Promise<T> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    execFileSync('node', [path.join(root, 'scripts', 'build.mjs')], { cwd: root });
    oc = await start();
    // A fresh store has no orders: four storefront orders, placed before the extension exists (no nudge).
    for (let i = 0; i < 4; i++) await oc.placeOrder(ONE_ITEM);
    clerkGroupId = await addClerk(oc, major);
    connector = await startConnector({
      opencartDbUrl: oc.dbUrl,
      prefix: oc.prefix,
      connectorDb: `ocx_t_ext_${version.replace(/\./g, '')}_${process.pid}`,
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => console.warn(`[${version}] page error: ${e.message}`));
    admin = new OpenCartAdmin(page, oc.adminUrl, major);
    await admin.login(oc.admin.username, oc.admin.password);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await connector?.stop();
    await oc?.stop();
    if (shots.length) console.log(`[${version}] screenshots:\n${shots.join('\n')}`);
  }, 120_000);

  it('installs through Extensions > Installer and Extensions > Modules like a merchant', async () => {
    // OpenCart 4.1's installer page registers the example packages it ships on its first visit:
    // the store "as it was" is the store after a merchant has opened it.
    await page.goto(admin.url('marketplace/installer'), { waitUntil: 'networkidle' });
    if (major === 4) {
      // The 4.x installer rewrites system/vendor.php from the store's composer folder after every
      // install and uninstall (marketplace/installer.vendor); the shipped file is not byte for byte
      // what it writes. Run OpenCart's own step once so "as it was" compares like with like.
      const vendor = await page.request.get(admin.url('marketplace/installer.vendor'));
      expect(await vendor.json()).toHaveProperty('success');
    }
    before = await snapshotStore(oc);
    await admin.uploadExtension(zip);
    shots.push(await shot(page, version, '01-installer'));
    await admin.installModule();
    shots.push(await shot(page, version, '02-modules'));
  }, 120_000);

  it('settings: URL and key saved, key never shown again, Test connection shows the organisation', async () => {
    key = await connector.createKey(`OpenCart ${version}`, 'opencart-bridge');
    await page.goto(
      admin.url('extension/' + (major === 4 ? 'oc_xero_connector/' : '') + 'module/xero_connector'),
    );
    await page.fill('#input-url', connector.url);
    await page.fill('#input-key', key);
    await page.click('#button-save');
    if (major === 4) await page.waitForSelector('#alert .alert-success', { timeout: 15_000 });
    else await page.waitForSelector('#xero-settings-saved', { timeout: 15_000 });
    await page.goto(
      admin.url('extension/' + (major === 4 ? 'oc_xero_connector/' : '') + 'module/xero_connector'),
    );
    const html = await page.content();
    expect(html).not.toContain(key);
    expect(await page.inputValue('#input-key')).toBe('');
    expect(await page.locator('#xero-key-state').innerText()).toContain(key.slice(-4));
    await page.click('#button-xero-test');
    await page.waitForSelector('#xero-test-ok, #xero-test-error', { timeout: 15_000 });
    shots.push(await shot(page, version, '03-settings-test-connection'));
    expect(await page.locator('#xero-test-error').count()).toBe(0);
    expect(await page.locator('#xero-test-organisation').innerText()).toMatch(/UK/);
  }, 60_000);

  let firstOrderId = 0;

  it('order list: a Xero column for every order of the page', async () => {
    await page.goto(admin.url('sale/order'));
    const cells = page.locator('td.xero-connector-col[data-order-id]');
    await cells.first().waitFor({ timeout: 15_000 });
    shots.push(await shot(page, version, '04-order-list'));
    const rows = await page.locator('input[name="selected[]"]').count();
    expect(await cells.count()).toBe(rows);
    expect(await page.locator('.xero-connector-col span', { hasText: '?' }).count()).toBe(0);
    firstOrderId = Number(await cells.first().getAttribute('data-order-id'));
    expect(await cells.first().getAttribute('data-xero-status')).toBe('not_exported');
  }, 60_000);

  it('order page: the Xero panel, Sync now makes the invoice in the sandbox', async () => {
    await page.goto(admin.url('sale/order.info', `order_id=${firstOrderId}`));
    await page.waitForSelector('#xero-connector-status, #xero-connector-panel-error', { timeout: 15_000 });
    shots.push(await shot(page, version, '05-order-panel'));
    expect(await page.locator('#xero-connector-panel-error').count()).toBe(0);
    expect(await page.locator('#xero-connector-status').getAttribute('data-xero-status')).toBe(
      'not_exported',
    );
    await page.click('#xero-connector-preview');
    await page.waitForSelector('#xero-connector-preview-totals, #xero-connector-result.alert-danger', {
      timeout: 30_000,
    });
    shots.push(await shot(page, version, '05b-order-panel-preview'));
    expect(await page.locator('#xero-connector-result.alert-danger').count()).toBe(0);
    // OpenCart's total beside Xero's own arithmetic, to the cent
    const totals = await page
      .locator('#xero-connector-preview-totals tbody tr')
      .nth(1)
      .locator('td')
      .allInnerTexts();
    expect(parseFloat(totals[0])).toBeCloseTo(parseFloat(totals[1]), 2);
    expect(await page.locator('#xero-connector-xero-total').innerText()).toContain('(preview)');
    await page.click('#xero-connector-sync');
    const done = await waitFor('the invoice of order ' + firstOrderId, async () => {
      const s = await orderState(firstOrderId);
      return s?.state === 'synced' ? s : undefined;
    });
    expect(done.sync.invoiceNumber).toBeTruthy();
    await page.waitForFunction(
      () => document.querySelector('#xero-connector-status')?.getAttribute('data-xero-status') === 'exported',
      undefined,
      { timeout: 15_000 },
    );
    expect(await page.locator('#xero-connector-invoice').innerText()).toContain(done.sync.invoiceNumber!);
    // What Xero holds, read from Xero: its status and the total it posted, beside OpenCart's.
    expect(await page.locator('#xero-connector-xero-status').innerText()).toBe('AUTHORISED');
    expect(await page.locator('#xero-connector-xero-total').innerText()).toBe(
      await page.locator('#xero-connector-oc-total').innerText(),
    );
    expect(await page.locator('#xero-connector-difference').getAttribute('data-difference')).toBe('0.00');
    shots.push(await shot(page, version, '06-order-panel-exported'));
  }, 90_000);

  it('order list: bulk Mark selected marks the chosen orders', async () => {
    await page.goto(admin.url('sale/order'));
    const boxes = page.locator('input[name="selected[]"]');
    const ids = [
      Number(await boxes.nth(1).getAttribute('value')),
      Number(await boxes.nth(2).getAttribute('value')),
    ];
    await boxes.nth(1).check();
    await boxes.nth(2).check();
    await page.click('#xero-connector-bulk .dropdown-toggle');
    await page.click('#xero-connector-bulk-mark');
    await waitFor('the marks', async () => (await Promise.all(ids.map(orderState))).every((s) => s?.marked));
    await page.goto(admin.url('sale/order'));
    await page
      .locator(`td.xero-connector-col[data-order-id="${ids[0]}"][data-xero-status="marked"]`)
      .waitFor({ timeout: 15_000 });
    expect(
      await page
        .locator(`td.xero-connector-col[data-order-id="${firstOrderId}"]`)
        .getAttribute('data-xero-status'),
    ).toBe('exported');
    shots.push(await shot(page, version, '07-order-list-marked'));
  }, 60_000);

  it('product form: the Xero tab saves a sales account override to the API', async () => {
    const productId = 40;
    await page.goto(
      admin.url(major === 4 ? 'catalog/product.form' : 'catalog/product/edit', `product_id=${productId}`),
    );
    await page.click('#xero-connector-tab');
    await page.waitForSelector('#input-xero-sales', { timeout: 15_000 });
    const options = await page.locator('#input-xero-sales option').allTextContents();
    expect(options.length).toBeGreaterThan(1);
    await page.selectOption('#input-xero-sales', '200');
    await page.click('#xero-connector-product-save');
    await page.waitForSelector('#xero-connector-product-result.alert-success', { timeout: 15_000 });
    shots.push(await shot(page, version, '08-product-xero-tab'));
    const r = await connector.admin('GET', `/api/products?afterId=${productId - 1}&limit=1`);
    expect(r.body.items[0]).toMatchObject({ productId, override: { salesAccountCode: '200' } });
  }, 60_000);

  it("a user without the module's permission cannot open or call it; OpenCart's User Groups page grants it", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const cp = await context.newPage();
    const clerk = new OpenCartAdmin(cp, oc.adminUrl, major);
    await clerk.login(CLERK.username, CLERK.password);
    const target = (await connector.admin('GET', '/api/orders?state=not-exported&limit=1')).body.items[0]
      .orderId as number;
    await cp.goto(clerk.url('sale/order'));
    await cp.locator('input[name="selected[]"]').first().waitFor({ timeout: 15_000 });
    expect(await cp.locator('.xero-connector-col').count()).toBe(0);
    expect(await cp.locator('#xero-connector-bulk').count()).toBe(0);
    await cp.goto(clerk.url('sale/order.info', `order_id=${target}`));
    expect(await cp.locator('#xero-connector-panel').count()).toBe(0);
    await cp.goto(clerk.url(moduleRoute));
    expect(await cp.locator('#content').innerText()).toContain(
      'You do not have permission to access this page',
    );
    shots.push(await shot(cp, version, '10-clerk-permission-denied'));
    // Called directly, the module answers OpenCart's permission page and nothing reaches the connector.
    const refused = await (
      await cp.request.post(clerk.url(moduleRoute + '.sync', `order_id=${target}`))
    ).text();
    expect(refused).not.toContain('"success"');

    await admin.grantAccess(clerkGroupId, moduleRoute);
    shots.push(await shot(page, version, '11-user-group-granted'));
    await cp.goto(clerk.url('sale/order'));
    const cells = cp.locator('td.xero-connector-col[data-order-id]');
    await cells.first().waitFor({ timeout: 15_000 });
    expect(await cells.count()).toBe(await cp.locator('input[name="selected[]"]').count());
    expect(await cp.locator('#xero-connector-bulk').count()).toBe(0); // access, not modify
    await cp.goto(clerk.url('sale/order.info', `order_id=${target}`));
    await cp.waitForSelector('#xero-connector-status', { timeout: 15_000 });
    expect(await cp.locator('#xero-connector-sync').count()).toBe(0);
    shots.push(await shot(cp, version, '12-clerk-order-panel-read-only'));
    const json = await (await cp.request.post(clerk.url(moduleRoute + '.sync', `order_id=${target}`))).json();
    expect(json).toEqual({ error: 'Warning: you do not have permission to modify the Xero connector!' });
    expect((await orderState(target)).state).toBe('not-exported');
    await context.close();
  }, 90_000);

  it('a status change made in the admin fires the catalog order event: the order becomes an invoice within seconds', async () => {
    await page.goto(admin.url('sale/order'));
    const orderId = Number(
      await page
        .locator('td.xero-connector-col[data-xero-status="not_exported"]')
        .first()
        .getAttribute('data-order-id'),
    );
    await page.goto(admin.url('sale/order.info', `order_id=${orderId}`));
    await page.waitForSelector('#xero-connector-status', { timeout: 15_000 });
    await page.selectOption('#input-order-status', { label: 'Complete' });
    const t0 = Date.now();
    await page.click('#button-history');
    const done = await waitFor(
      `the invoice of order ${orderId}`,
      async () => {
        const s = await orderState(orderId);
        return s?.state === 'synced' ? s : undefined;
      },
      20_000,
    );
    const latencyMs = Date.now() - t0;
    console.log(
      `[${version}] LATENCY admin status change of order ${orderId} → Xero invoice ${done.sync.invoiceNumber} in ${latencyMs} ms (from the click)`,
    );
    await page.goto(admin.url('sale/order.info', `order_id=${orderId}`));
    await page.waitForSelector('#xero-connector-status[data-xero-status="exported"]', { timeout: 15_000 });
    // Complete is a paid status: Xero holds the payment, the invoice owes nothing.
    await page.locator('.xero-connector-payment').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.xero-connector-payment').count()).toBe(1);
    expect(await page.locator('#xero-connector-xero-status').innerText()).toBe('PAID');
    shots.push(await shot(page, version, '09-order-panel-after-status-change'));
    expect(latencyMs).toBeLessThan(10_000);
  }, 60_000);

  it('a storefront order becomes an invoice within seconds through the order event', async () => {
    const tCheckout = Date.now();
    const { orderId } = await oc.placeOrder(ONE_ITEM);
    const t0 = Date.now();
    expect(orderId).toBeGreaterThan(4);
    const done = await waitFor(
      `the invoice of storefront order ${orderId}`,
      async () => {
        const s = await orderState(orderId);
        return s?.state === 'synced' ? s : undefined;
      },
      20_000,
    );
    const latencyMs = Date.now() - t0;
    console.log(
      `[${version}] LATENCY storefront order ${orderId} → Xero invoice ${done.sync.invoiceNumber}: ${latencyMs} ms after the checkout's last answer (checkout itself took ${t0 - tCheckout} ms)`,
    );
    expect(done.sync.invoiceNumber).toBeTruthy();
    expect(latencyMs).toBeLessThan(10_000);
  }, 120_000);

  it('a refund in OpenCart shows in the panel as the credit note Xero holds, with its link', async () => {
    await page.goto(admin.url('sale/order.info', `order_id=${firstOrderId}`));
    await page.waitForSelector('#xero-connector-status[data-xero-status="exported"]', { timeout: 15_000 });
    await page.selectOption('#input-order-status', { label: 'Refunded' });
    await page.click('#button-history');
    // Wait on the ledger (GET /api/orders/:id), not on Xero: polling Xero would spend its rate limit.
    await waitFor(`the credit note of order ${firstOrderId}`, async () => {
      const r = await connector.admin('GET', `/api/orders/${firstOrderId}`);
      return r.body.creditNote?.status === 'done';
    });
    // Then what Xero holds once the credit note has settled the invoice (allocated when it was
    // unpaid, paid back out when it was paid): read every half second, not every 100 ms (Xero's limit).
    let xero = (await connector.admin('GET', `/api/orders/${firstOrderId}/xero`)).body;
    for (const until = Date.now() + 20_000; !(xero.creditNotes?.length && xero.invoice?.amountDue === '0.00') && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 500));
      xero = (await connector.admin('GET', `/api/orders/${firstOrderId}/xero`)).body;
    }
    await page.goto(admin.url('sale/order.info', `order_id=${firstOrderId}`));
    const note = page.locator('.xero-connector-credit-note a').first();
    await note.waitFor({ timeout: 15_000 });
    expect(await note.getAttribute('href')).toBe(xero.creditNotes[0].url);
    expect(xero.creditNotes[0].url).toContain(xero.creditNotes[0].creditNoteId);
    expect(xero.invoice.amountDue).toBe('0.00');
    shots.push(await shot(page, version, '09b-order-panel-credit-note'));
  }, 60_000);

  it('uninstalling through Extensions > Modules and Extensions > Installer leaves the store as it was', async () => {
    await admin.uninstallModule();
    shots.push(await shot(page, version, '13-modules-uninstalled'));
    await admin.removeExtension();
    shots.push(await shot(page, version, '14-installer-removed'));
    // Settings, events, extension records, modifications, permissions (also the clerk's grant), files.
    expect(diffSnapshots(before, await snapshotStore(oc))).toEqual([]);
    await page.goto(admin.url('sale/order'));
    await page.locator('input[name="selected[]"]').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.xero-connector-col').count()).toBe(0);
  }, 120_000);
}
