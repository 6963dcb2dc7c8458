// @vitest-environment node
/**
 * The merchant's path in real Chromium against the real service (built apps/api/dist, started as
 * a process like `npm start`), a sample OpenCart 4 store in MariaDB and the Xero sandbox:
 * first run with the setup code from the log → login → connect through the sandbox's consent →
 * choose the organisation → configure with pickers → dry run → real sync watched live → an
 * order's preview, mark, retry → the log. Elements are found by role and label; every screen is
 * saved under test-output/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import mysql from 'mysql2/promise';
import { buildSampleStore } from '@oc-xero/sample-store';
import { startSandbox } from '@oc-xero/xero-sandbox';
import { dbUrl, dropDatabases, scratchName, SERVER_URL } from '../../../api/test/support/scratch-db';
import { freePort, XERO_OPENAPI_DIR } from '../../../api/test/support/fixtures';

const here = path.dirname(new URL(import.meta.url).pathname);
const apiMain = path.resolve(here, '../../../api/dist/main.js');
const shots = path.resolve(here, '../../test-output/screenshots');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('admin SPA in Chromium', () => {
  const storeDb = scratchName('adm_store');
  const connectorDb = scratchName('adm_conn');
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let service: ChildProcess;
  let browser: BrowserContext;
  let page: Page;
  let base = '';
  let userDir = '';
  let logText = '';
  const shot = async (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  const PASSWORD = 'plum tractor velvet 42 lantern';

  /**
   * axe-core on the page as it is; serious and critical violations (each named with its nodes) are
   * collected per screen and asserted empty by the last test, so one run names them all.
   */
  const axeFound: string[] = [];
  const axeScreens: string[] = [];
  const axe = async (screen: string) => {
    // colours are judged at rest: let running CSS transitions (Naive UI fades feedback in) finish
    await page.evaluate(() =>
      Promise.all(
        document
          .getAnimations()
          .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity) // not spinners
          .map((a) => a.finished.catch(() => undefined)),
      ),
    );
    const result = await new AxeBuilder({ page }).analyze();
    axeScreens.push(screen);
    axeFound.push(
      ...result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`),
    );
  };

  /** What has the keyboard focus, as a person hears it: role and accessible name. */
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const labelled = el.getAttribute('aria-labelledby');
      const name =
        el.getAttribute('aria-label') ??
        (labelled ? document.getElementById(labelled)?.textContent : null) ??
        ((el as HTMLInputElement).labels?.[0]?.textContent || null) ??
        el.textContent ??
        '';
      return `${el.getAttribute('role') ?? el.tagName.toLowerCase()}: ${name.trim().replace(/\s+/g, ' ')}`;
    });
  /** Presses Tab (only Tab) until the focused element matches; fails naming what it passed. */
  const tabTo = async (target: RegExp, max = 80) => {
    const seen: string[] = [];
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      const now = await focused();
      if (target.test(now)) return now;
      seen.push(now);
    }
    throw new Error(`Tab never reached ${target}; passed: ${seen.join(' / ')}`);
  };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    await buildSampleStore({ serverUrl: SERVER_URL, database: storeDb, version: '4', orders: 40, seed: 8, force: true });
    sandbox = await startSandbox({ spec: { dir: XERO_OPENAPI_DIR, mode: 'record' } });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = spawn(process.execPath, [apiMain], {
      env: {
        ...process.env,
        CONNECTOR_DB_URL: dbUrl(connectorDb),
        OPENCART_DB_URL: dbUrl(storeDb),
        ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        PORT: String(port),
        PUBLIC_BASE_URL: base,
        XERO_SANDBOX_URL: sandbox.url,
        XERO_CLIENT_ID: 'sandbox-client-id',
        XERO_CLIENT_SECRET: 'sandbox-client-secret',
        SCHEDULER_ENABLED: 'false',
        LOG_LEVEL: 'info',
        SETUP_CODE: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    service.stdout!.on('data', (c: Buffer) => (logText += c.toString()));
    service.stderr!.on('data', (c: Buffer) => (logText += c.toString()));
    for (let i = 0; i < 120 && !/listening on/.test(logText); i++) await new Promise((r) => setTimeout(r, 500));
    expect(logText).toMatch(/listening on/);
    userDir = mkdtempSync(path.join(tmpdir(), 'ocx-admin-chromium-'));
    // A fresh user-data-dir per run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(userDir, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: FLAGS,
      headless: true,
      viewport: { width: 1360, height: 900 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    service?.kill('SIGTERM');
    await sandbox?.close();
    if (userDir) rmSync(userDir, { recursive: true, force: true });
    await dropDatabases([storeDb, connectorDb]);
  }, 60_000);

  it('first run with the setup code from the service log, then login and logout', async () => {
    const code = /setup code (\S+)/.exec(logText)?.[1];
    expect(code).toBeTruthy();
    await page.goto(`${base}/`);
    await page.waitForURL(/\/setup$/);
    await page.getByLabel('Setup code').fill(code!);
    await page.getByLabel('Username').fill('merchant');
    await page.getByLabel('Password').fill(PASSWORD);
    await axe('setup');
    await shot('01-setup');
    await page.getByRole('button', { name: 'Create admin' }).click();
    await page.waitForURL(/\/settings\/connection/);
    await page.getByRole('button', { name: /Log out/ }).click();
    await page.waitForURL(/\/login/);
    await page.getByLabel('Username').fill('merchant');
    await page.getByLabel('Password').fill('wrong password entirely');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: /wrong|invalid|incorrect|password/i }).first().waitFor();
    await axe('login');
    await shot('02-login-error');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await axe('dashboard (not connected)');
    await shot('03-dashboard-not-connected');
  }, 60_000);

  it('connects through the sandbox consent and chooses the organisation', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Connect to Xero' }).click();
    await page.waitForURL(/choose-organisation=1/, { timeout: 30_000 });
    await page.getByRole('combobox', { name: 'Organisation' }).click();
    await expect.poll(() => page.getByRole('combobox', { name: 'Organisation' }).getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('listbox', { name: 'Organisation options' }).waitFor();
    await axe('settings, organisation list open');
    await shot('04-choose-organisation');
    await page.getByRole('option', { name: /UK/ }).first().click();
    await page.getByRole('button', { name: 'Use this organisation' }).click();
    await page.getByText(/Connected to/).first().waitFor();
    await page.getByRole('button', { name: 'Generate token', exact: true }).click();
    await page.getByRole('button', { name: 'Regenerate token' }).waitFor();
    await page.getByRole('button', { name: 'Copy command' }).and(page.locator(':not([disabled])')).waitFor();
    await axe('settings, connection');
    await shot('05-settings-connection');
  }, 60_000);

  it('keyboard only: log in, switch Status on in the settings, save, start a run (Tab, Enter, Space)', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await tabTo(/^button: Log out/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/login/);
    await tabTo(/^input: Username$/);
    await page.keyboard.type('merchant');
    await tabTo(/^input: Password$/);
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await tabTo(/^a: Settings$/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/settings\/connection/);
    const statusSwitch = page.getByRole('switch', { name: 'Status' });
    expect(await statusSwitch.getAttribute('aria-checked')).toBe('false');
    await tabTo(/^switch: Status$/);
    await page.keyboard.press('Space');
    expect(await statusSwitch.getAttribute('aria-checked')).toBe('true');
    await shot('05k-keyboard-status-on');
    await tabTo(/^button: Save settings$/);
    await page.keyboard.press('Enter');
    await page.getByText('Settings saved').waitFor();
    // the tabs are reached the same way: Tab to one, Enter shows it
    await tabTo(/^tab: Invoices$/);
    await page.keyboard.press('Enter');
    expect(await page.getByRole('tab', { name: 'Invoices' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('switch', { name: 'Export Invoices' }).waitFor();
    await tabTo(/^a: Runs and log$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Runs and log' }).waitFor();
    await tabTo(/^checkbox: Dry run/);
    await page.keyboard.press('Space');
    expect(await page.getByRole('checkbox', { name: /Dry run/ }).getAttribute('aria-checked')).toBe('true');
    await tabTo(/^button: Start run$/);
    await page.keyboard.press('Enter');
    await page.getByRole('cell', { name: /dry run/ }).first().waitFor({ timeout: 30_000 });
    await shot('05l-keyboard-run-started');
    await page.locator('button:has-text("Start run"):not([disabled])').waitFor({ timeout: 120_000 });
  }, 240_000);

  it('configures accounts with the pickers and saves; every tab renders', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Accounts' }).click();
    await page.getByRole('combobox', { name: 'Sales Account Code' }).click();
    await page.getByRole('option', { name: /^200 — / }).first().waitFor();
    await axe('settings, accounts with a picker open');
    await shot('06-settings-accounts');
    await page.getByRole('option', { name: /^200 — / }).first().click();
    expect(await page.getByRole('combobox', { name: 'Sales Account Code' }).getAttribute('aria-expanded')).toBe('false');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved').waitFor();
    for (const [tab, name] of [['Customers', '07-settings-customers'], ['Items', '08-settings-items'], ['Invoices', '09-settings-invoices'], ['Tax mapping', '10-settings-taxes'], ['Stores', '11-settings-stores'], ['API keys', '12-settings-api-keys']] as const) {
      await page.getByRole('tab', { name: tab }).click();
      await page.waitForTimeout(300);
      await axe(`settings, ${tab}`);
      await shot(name);
    }
  }, 120_000);

  it('a field the service refuses shows its error under that field', async () => {
    await page.getByRole('tab', { name: 'Invoices' }).click();
    const input = page.getByLabel('Invoice number format');
    await input.fill('INV-{id}');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('alert').filter({ hasText: 'Some fields are not valid.' }).waitFor();
    // the service's message for invoiceNumberFormat, in the element the input is described by, in the same form item
    await expect.poll(() => input.getAttribute('aria-describedby')).toContain('s-invoiceNumberFormat-error');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    const error = page.locator('#s-invoiceNumberFormat-error');
    expect(await error.textContent()).toMatch(/must contain \{order_id\}/);
    const sameItem = await error.evaluate((el) => el.closest('.n-form-item')?.contains(document.getElementById('s-invoiceNumberFormat')) ?? false);
    expect(sameItem).toBe(true);
    await axe('settings, field error');
    await shot('12b-settings-field-error');
    await input.fill('OC-{order_id}');
    expect(await page.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);
  }, 60_000);

  /** Settings → Connection → Status to `on`, saved. */
  async function switchStatus(on: boolean): Promise<void> {
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('tab', { name: 'Connection' }).click();
    const sw = page.getByRole('switch', { name: 'Status' });
    await sw.waitFor();
    if ((await sw.getAttribute('aria-checked')) !== String(on)) await sw.click();
    expect(await sw.getAttribute('aria-checked')).toBe(String(on));
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved').first().waitFor();
  }

  it('dry run, then a real sync watched live', async () => {
    await page.getByRole('link', { name: 'Runs and log' }).click();
    // A run the service refuses says so, with the service's reason, where the merchant started it.
    await page.getByLabel('From').first().fill('2026-02-30');
    await page.getByRole('button', { name: 'Start run' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'The run did not start' });
    await refused.waitFor();
    expect((await refused.textContent())!.replace('The run did not start', '').trim().length).toBeGreaterThan(5);
    await shot('12c-run-refused');
    await page.getByLabel('From').first().fill('');
    await page.getByText('Dry run (nothing written to Xero)').click();
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.getByRole('cell', { name: /dry run/ }).first().waitFor();
    await page.getByRole('button', { name: 'Start run' }).and(page.locator(':not([disabled])')).waitFor({ timeout: 60_000 });
    // A real run while Status is off: refused (409), and the page says why and which setting.
    await switchStatus(false);
    await page.getByRole('link', { name: 'Runs and log' }).click();
    await page.getByRole('button', { name: 'Start run' }).waitFor();
    const dry = page.getByRole('checkbox', { name: /Dry run/ });
    if ((await dry.getAttribute('aria-checked')) === 'true') await dry.click();
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.getByRole('alert').filter({ hasText: /switched off \(setting "Status" is off\)/ }).first().waitFor();
    await shot('13a-runs-status-off');
    // Status on again (Settings → Connection), then the real run.
    await switchStatus(true);
    await page.getByRole('link', { name: 'Runs and log' }).click();
    await page.getByRole('button', { name: 'Start run' }).waitFor();
    if ((await dry.getAttribute('aria-checked')) === 'true') await dry.click();
    // Xero refuses the first invoice of the real run (a validation error, as Xero answers it), so the
    // run has a failure to show, explain and retry; the fault is spent after one answer.
    for (const method of ['PUT', 'POST']) sandbox.faults.add({ method, path: /\/Invoices$/, kind: 'validation', elementIndexes: [0], times: 1 });
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.getByRole('status').first().waitFor({ timeout: 30_000 }).catch(() => undefined);
    await shot('13-runs-live');
    await page.locator('button:has-text("Start run"):not([disabled])').waitFor({ timeout: 120_000 });
    await page.reload();
    await page.getByText('completed').first().waitFor();
    await shot('14-runs-history-log');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByText('Last 30 days').waitFor();
    await page.waitForTimeout(500);
    await axe('dashboard');
    await shot('15-dashboard');
  }, 240_000);

  it('orders: preview, mark, retry; products', async () => {
    await page.getByRole('link', { name: 'Orders' }).click();
    const previewButton = page.getByRole('button', { name: /^Preview #/ }).first();
    await previewButton.waitFor();
    await axe('orders');
    await shot('16-orders');
    await previewButton.click();
    await page.getByText(/OpenCart vs Xero/).waitFor();
    await page.getByText('Difference').waitFor({ timeout: 30_000 });
    await shot('17-order-preview');
    await page.keyboard.press('Escape');
    const markButton = page.getByRole('button', { name: /^Mark #/ }).first();
    await markButton.click();
    await page.getByRole('button', { name: /^Unmark #/ }).first().waitFor();
    const retry = page.getByRole('button', { name: /^(Retry|Sync now) #/ }).first();
    await retry.click();
    await page.getByText(/started|run holds|running/i).first().waitFor({ timeout: 30_000 });
    await shot('18-orders-after-mark-retry');
    // The order Xero refused: listed as failed with its reason, and retried from the list.
    await page.goto(`${base}/orders?state=failed`);
    const retryFailed = page.getByRole('button', { name: /^Retry #\d+$/ }).first();
    await retryFailed.waitFor();
    await shot('18b-orders-failed');
    await retryFailed.click();
    await page.getByText(/started|run holds|running/i).first().waitFor({ timeout: 30_000 });
    // The same failure in the log, with the reason Xero gave and a Retry beside it.
    await page.getByRole('link', { name: 'Runs and log' }).click();
    await page.getByRole('button', { name: /^Retry order \d+$/ }).first().waitFor();
    await shot('18c-log-failure');
    await page.getByRole('link', { name: 'Products' }).click();
    await page.getByRole('button', { name: 'Next page' }).waitFor();
    await shot('19-products');
  }, 120_000);

  it('when the session expires the SPA goes to the login with a message, and back to the page after login', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    // The session runs out: the service's row passes its expiry, and the browser drops the cookie as its Expires says.
    const db = await mysql.createConnection(dbUrl(connectorDb));
    try {
      await db.query('UPDATE api_session SET expires_at = ?', [new Date(Date.now() - 60_000)]);
    } finally {
      await db.end();
    }
    await browser.clearCookies({ name: 'ocx_session' });
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.waitForURL(/\/login\?.*expired=1/);
    expect(new URL(page.url()).searchParams.get('next')).toBe('/orders');
    await page.getByText(/Your session ended/).waitFor();
    await shot('20-session-expired');
    await page.getByLabel('Username').fill('merchant');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/orders$/);
    await page.getByRole('button', { name: /^Preview #/ }).first().waitFor();
  }, 60_000);

  it('axe-core: no serious or critical accessibility violation on any screen checked', () => {
    for (const screen of ['setup', 'login', 'dashboard', 'settings, connection', 'settings, accounts with a picker open', 'settings, field error', 'orders']) {
      expect(axeScreens).toContain(screen);
    }
    expect(axeFound).toEqual([]);
  });
});
