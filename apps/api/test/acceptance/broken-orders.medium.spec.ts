/**
 * Broken orders, made by UPDATE on a scratch copy of the sample store: a line whose product was
 * deleted, an invalid email, a 300-character name, a total code nobody mapped, and an order in a
 * currency the organisation does not have. Each is reported with its reason and every other order
 * goes through. Then the CLI itself, as a process: the --json summary, exit code 0 with per-order
 * failures, --settings field errors, and non-zero with a clear message when it cannot run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { RunningSandbox } from '@oc-xero/xero-sandbox';
import { runSync } from '../../src/cli/sync.command';
import type { CliSyncSummary } from '../../src/cli/sync-summary.formatter';
import {
  acceptanceSettings,
  cliEnv,
  dropDatabases,
  invoicesByNumber,
  openContext,
  orgState,
  scratchName,
  sql,
  startCheckedSandbox,
} from './support/acceptance.harness';
import { runCli } from './support/cli.process';
import { buildStore, type SampleStore } from './support/sample-store.fixture';

jest.setTimeout(180_000);

type Broken = 'deletedProduct' | 'badEmail' | 'longName' | 'unknownTotal' | 'foreignCurrency';

describe('broken orders', () => {
  const storeDb = scratchName('broken');
  const connector = scratchName('bconn');
  const cliConnector = scratchName('bcli');
  let store: SampleStore;
  let sandbox: RunningSandbox;
  const broken = {} as Record<Broken, number>;
  let deletedProductId = 0;

  beforeAll(async () => {
    store = await buildStore(storeDb, { version: '4', orders: 80, seed: 11 });
    sandbox = await startCheckedSandbox();
    const conn = await sql(storeDb);
    try {
      const exportIds = ['Processing', 'Shipped', 'Complete'].map((n) => store.statusIds.get(n));
      const [guestRows] = await conn.query(
        'SELECT order_id FROM `oc_order` WHERE customer_id = 0 AND order_status_id IN (?) ORDER BY order_id',
        [exportIds],
      );
      const [memberRows] = await conn.query(
        'SELECT order_id FROM `oc_order` WHERE customer_id > 0 AND order_status_id IN (?) ORDER BY order_id',
        [exportIds],
      );
      const guests = (guestRows as Array<{ order_id: number }>).map((r) => r.order_id);
      const members = (memberRows as Array<{ order_id: number }>).map((r) => r.order_id);
      expect(guests.length).toBeGreaterThan(3);
      [broken.badEmail, broken.longName] = guests.slice(1, 3) as [number, number];
      [broken.deletedProduct, broken.unknownTotal, broken.foreignCurrency] = members.slice(1, 4) as [
        number,
        number,
        number,
      ];

      const [lines] = await conn.query(
        'SELECT product_id FROM `oc_order_product` WHERE order_id = ? LIMIT 1',
        [broken.deletedProduct],
      );
      deletedProductId = (lines as Array<{ product_id: number }>)[0]!.product_id;
      await conn.query('DELETE FROM `oc_product` WHERE product_id = ?', [deletedProductId]);
      await conn.query('DELETE FROM `oc_product_description` WHERE product_id = ?', [deletedProductId]);
      await conn.query("UPDATE `oc_order` SET email = 'not an email@@example' WHERE order_id = ?", [
        broken.badEmail,
      ]);
      // A customised store with wider columns (OpenCart's own are varchar(32)) holding a 300-character name.
      await conn.query(
        'ALTER TABLE `oc_order` MODIFY firstname VARCHAR(400) NOT NULL, MODIFY lastname VARCHAR(400) NOT NULL',
      );
      await conn.query('UPDATE `oc_order` SET firstname = ?, lastname = ? WHERE order_id = ?', [
        'N'.repeat(150),
        'L'.repeat(149),
        broken.longName,
      ]);
      await conn.query(
        "INSERT INTO `oc_order_total` (order_id, extension, code, title, value, sort_order) VALUES (?, 'acme', 'acme_mystery_fee', 'Mystery fee', 3.0000, 4)",
        [broken.unknownTotal],
      );
      await conn.query(
        "UPDATE `oc_order_total` SET value = value + 3 WHERE order_id = ? AND code = 'total'",
        [broken.unknownTotal],
      );
      await conn.query('UPDATE `oc_order` SET total = total + 3 WHERE order_id = ?', [broken.unknownTotal]);
      await conn.query(
        "UPDATE `oc_order` SET currency_code = 'JPY', currency_value = 150 WHERE order_id = ?",
        [broken.foreignCurrency],
      );
    } finally {
      await conn.end();
    }
  });
  afterAll(async () => {
    await sandbox?.close();
    await dropDatabases([storeDb, connector, cliConnector]);
  });

  it('reports each broken order with its reason and lets the others through', async () => {
    // Invoiced in the order's own currency (the 'auto' default would book the JPY order in GBP).
    const settings = acceptanceSettings({ foreignCurrencyInvoices: 'order' });
    const ctx = await openContext(cliEnv({ store: storeDb, connector, sandboxUrl: sandbox.url }));
    let summary: CliSyncSummary;
    try {
      ({ summary } = await runSync(ctx, { orders: true, settings }));
    } finally {
      await ctx.close();
    }
    expect(summary.status).toBe('completed');
    const warningOf = (id: number): string =>
      summary.warnings
        .filter((w) => w.orderId === id)
        .map((w) => w.message)
        .join(' ');
    const failureOf = (id: number): string =>
      summary.failures
        .filter((f) => f.orderId === id)
        .map((f) => f.reason)
        .join(' ');

    // Worked around and said so: the invoice goes to Xero.
    expect(warningOf(broken.deletedProduct)).toMatch(
      new RegExp(`product ${deletedProductId} no longer exists`),
    );
    expect(warningOf(broken.badEmail)).toMatch(/email "not an email@@example" is not valid/);
    expect(warningOf(broken.unknownTotal)).toMatch(/Mystery fee.*acme_mystery_fee.*no mapping/);
    // Refused with what to do: only this order.
    expect(failureOf(broken.foreignCurrency)).toMatch(/JPY/);
    expect(summary.failures.map((f) => f.orderId)).toEqual([broken.foreignCurrency]);

    const state = orgState(sandbox);
    const invoices = invoicesByNumber(state);
    expect(invoices.has(`OC-${broken.foreignCurrency}`)).toBe(false);
    const contactOf = (id: number) =>
      state.Contacts.find(
        (c) => c.ContactID === (invoices.get(`OC-${id}`)!.Contact as { ContactID: string }).ContactID,
      )!;
    expect(contactOf(broken.badEmail).EmailAddress ?? '').toBe('');
    const longName = String(contactOf(broken.longName).Name);
    expect(longName.length).toBeLessThanOrEqual(255);
    expect(longName.startsWith('NNNNNNNNNN')).toBe(true);
    const feeLine = (
      invoices.get(`OC-${broken.unknownTotal}`)!.LineItems as Array<Record<string, unknown>>
    ).find((l) => l.Description === 'Mystery fee');
    const rate = Number(store.truth.find((o) => o.orderId === broken.unknownTotal)!.currencyValue);
    expect(feeLine?.LineAmount).toBe(Math.round(3 * rate * 100) / 100);

    // Every other order in an export status went through.
    const exportable = store.truth
      .filter((o) => settings.exportStatuses.includes(o.status))
      .map((o) => o.orderId);
    for (const id of exportable)
      if (id !== broken.foreignCurrency)
        expect({ id, found: invoices.has(`OC-${id}`) }).toEqual({ id, found: true });
    expect(summary.orders.exported).toBe(exportable.length - 1);
    expect(sandbox.violations()).toEqual([]);
  });

  it('CLI: --json summary, exit 0 with per-order failures, and a clear refusal of bad settings', async () => {
    const cliSandbox = await startCheckedSandbox();
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'ocx-cli-'));
      const settingsFile = path.join(dir, 'settings.json');
      writeFileSync(
        settingsFile,
        JSON.stringify({
          status: true,
          invoiceStatus: 'AUTHORISED',
          paymentAccountCodes: { cod: '090', bank_transfer: '090' },
          foreignCurrencyInvoices: 'order',
        }),
      );
      const env = cliEnv({
        store: storeDb,
        connector: cliConnector,
        sandboxUrl: cliSandbox.url,
        scope: 'cli',
      });

      const bad = path.join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ invoiceStatus: 'PAID', dueDays: -3, colour: 'blue' }));
      const refused = await runCli(['sync', '--orders', '--json', '--settings', bad], env);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toMatch(/colour: unknown setting/);
      const refused2 = await runCli(
        [
          'sync',
          '--orders',
          '--settings',
          (writeFileSync(bad, JSON.stringify({ invoiceStatus: 'PAID', dueDays: -3 })), bad),
        ],
        env,
      );
      expect(refused2.code).toBe(2);
      expect(refused2.stderr).toMatch(/invoiceStatus: /);
      expect(refused2.stderr).toMatch(/dueDays: /);
      expect(Object.keys(orgState(cliSandbox).Invoices)).toHaveLength(0);
      // Status off (nothing saved, the file leaves it off): exit 2 with the reason (the dry run below runs with it off).
      const offFile = path.join(dir, 'off.json');
      writeFileSync(offFile, JSON.stringify({ invoiceStatus: 'AUTHORISED' }));
      const off = await runCli(['sync', '--orders', '--json', '--settings', offFile], env);
      expect({ code: off.code, stdout: off.stdout }).toEqual({ code: 2, stdout: '' });
      expect(off.stderr).toMatch(/switched off \(setting "Status" is off\).*\[connector-disabled\]/);
      expect(Object.keys(orgState(cliSandbox).Invoices)).toHaveLength(0);

      const { code, stdout, stderr } = await runCli(
        ['sync', '--orders', '--json', '--settings', settingsFile],
        env,
      );
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      const lines = stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      const summary = JSON.parse(lines[0]!) as CliSyncSummary;
      expect(summary).toEqual(
        expect.objectContaining({
          status: 'completed',
          error: null,
          dryRun: false,
          orders: expect.objectContaining({ exported: expect.any(Number), seen: expect.any(Number) }),
          created: {
            invoices: expect.any(Number),
            payments: expect.any(Number),
            contacts: expect.any(Number),
            items: 0,
            creditNotes: 0,
            refunds: 0,
          },
          xero: expect.objectContaining({ calls: expect.any(Number), callsPerOrder: expect.any(Number) }),
        }),
      );
      const state = orgState(cliSandbox);
      expect(summary.created.invoices).toBe(state.Invoices.length);
      expect(summary.created.payments).toBe(state.Payments.length);
      expect(summary.created.contacts).toBe(state.Contacts.length);
      expect(summary.created.payments).toBeGreaterThan(5);
      expect(summary.failures).toEqual([
        expect.objectContaining({
          orderId: broken.foreignCurrency,
          entityType: 'order',
          reason: expect.stringMatching(/JPY/),
        }),
      ]);
      expect(summary.xero.calls).toBe(cliSandbox.counters()['api.calls']);

      // A dry run writes nothing and says so; it runs although Status is off (nothing was saved).
      const dry = await runCli(['sync', '--all', '--dry-run', '--json'], env);
      expect(dry.code).toBe(0);
      expect(JSON.parse(dry.stdout).dryRun).toBe(true);
      expect(orgState(cliSandbox).Invoices).toHaveLength(state.Invoices.length);
      expect(cliSandbox.violations()).toEqual([]);
    } finally {
      await cliSandbox.close();
    }
  });

  it('CLI: non-zero with a clear reason when it cannot run', async () => {
    const base = cliEnv({ store: storeDb, connector: cliConnector, sandboxUrl: sandbox.url, scope: 'cli' });
    const refused = await runCli(['sync', '--json'], {
      ...base,
      OPENCART_DB_URL: 'mysql://root@127.0.0.1:1/shop',
    });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/OPENCART_DB_URL.*127\.0\.0\.1:1.*refused/s);

    const notOpenCart = await runCli(['sync', '--json'], { ...base, OPENCART_DB_URL: base.CONNECTOR_DB_URL });
    expect(notOpenCart.code).toBe(2);
    expect(notOpenCart.stderr).toMatch(/not an OpenCart database/);

    const malformed = await runCli(['sync'], {
      ...base,
      OPENCART_DB_URL: 'postgres://x',
      ENCRYPTION_KEY: '',
      XERO_SANDBOX_URL: '',
    });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/OPENCART_DB_URL must be a MySQL\/MariaDB URL/);
    expect(malformed.stderr).toMatch(/ENCRYPTION_KEY is required/);

    const noXero = await runCli(['sync', '--json'], { ...base, XERO_SANDBOX_URL: 'http://127.0.0.1:1' });
    expect(noXero.code).toBe(2);
    expect(noXero.stderr).toMatch(/XERO_SANDBOX_URL: cannot connect to the Xero sandbox/);

    const badDate = await runCli(['sync', '--from', '2025-13-01'], base);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/--from must be a date as YYYY-MM-DD/);
  });
});
