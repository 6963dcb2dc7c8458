// A full `oc-xero sync` (the CLI, as a process) from each real OpenCart release into the Xero
// sandbox (checked against Xero's spec): every exported order's invoice total equals the total
// OpenCart computed, to the cent.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox, type RunningSandbox } from '@oc-xero/xero-sandbox';
import { OPENCART_VERSIONS, startOpenCart, type OpenCartInstance } from '../src';
import { describeOpenCart } from './opencart-release.fixture';

jest.setTimeout(300_000);

const repoRoot = path.resolve(__dirname, '../../..');
const apiRoot = path.join(repoRoot, 'apps/api');
const specDir = process.env.XERO_OPENAPI_DIR ?? path.resolve(repoRoot, '../shared/xero-openapi');
const cents = (v: unknown): number => Math.round(Number(v) * 100);

/** The built CLI when there is one, else its entry point from source through tsx (as the acceptance suites do). */
function cli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const built = path.join(apiRoot, 'dist/cli/main.js');
  const base = existsSync(built)
    ? [path.join(apiRoot, 'bin/oc-xero.js')]
    : [path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), path.join(apiRoot, 'src/cli/main.ts')];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...base, ...args], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describeOpenCart.each(OPENCART_VERSIONS.map((version) => ({ version })))(
  'oc-xero sync from OpenCart $version into the sandbox',
  ({ version }) => {
    let oc: OpenCartInstance;
    let sandbox: RunningSandbox;
    const connector = `ocharness_conn_${version.replace(/\./g, '')}_${process.pid}`;

    beforeAll(async () => {
      oc = await startOpenCart({ version, prefix: 'shop7_', name: 'sync' });
      await oc.query(
        `UPDATE \`${oc.prefix}coupon\` SET status = 1, date_end = '2099-12-31' WHERE code = '2222'`,
      );
      await oc.placeOrder({ products: [{ productId: 40, quantity: 3 }] });
      await oc.placeOrder({
        products: [
          { productId: 47, quantity: 2, options: { 225: '2011-04-22' } },
          { productId: 45, quantity: 1 },
        ],
        coupon: '2222',
      });
      const { orderId } = await oc.placeOrder({
        products: [
          { productId: 43, quantity: 1 },
          { productId: 40, quantity: 1 },
        ],
        customer: { city: 'Berlin', postcode: '10115', countryId: 81, zoneId: 1256 },
      });
      await oc.setOrderStatus(orderId, 5, 'Complete');
      // A run reads orders changed up to one second before it starts (dates are stored to the
      // second); an order changed in that second is left to the next run. Wait it out, as a
      // merchant's next cron tick would, so this one run sees all three.
      await new Promise((r) => setTimeout(r, 2_100));
      await oc.query(`CREATE DATABASE \`${connector}\``);
      sandbox = await startSandbox({
        seed: 'uk',
        spec: existsSync(path.join(specDir, 'xero_accounting.yaml'))
          ? { dir: specDir, mode: 'record' }
          : undefined,
      });
    });

    afterAll(async () => {
      await sandbox?.close();
      await oc?.query(`DROP DATABASE IF EXISTS \`${connector}\``).catch(() => undefined);
      await oc?.stop();
    });

    it('exports every order with its OpenCart total to the cent', async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'oc-harness-sync-'));
      const settings = path.join(dir, 'settings.json');
      writeFileSync(
        settings,
        JSON.stringify({
          status: true,
          invoiceStatus: 'AUTHORISED',
          exportCustomers: true,
          exportStatuses: ['Pending', 'Processing', 'Complete'],
          paymentAccountCodes: { cod: '090' },
        }),
      );
      const run = await cli(['sync', '--all', '--json', '--settings', settings], {
        OPENCART_DB_URL: oc.dbUrl,
        OPENCART_DB_PREFIX: oc.prefix,
        CONNECTOR_DB_URL: oc.dbUrl.replace(/\/[^/]+$/, `/${connector}`),
        XERO_SANDBOX_URL: sandbox.url,
        CONNECTOR_SCOPE: 'harness',
        LOG_LEVEL: 'silent',
      });
      if (run.code !== 0) throw new Error(`oc-xero sync exited ${run.code}: ${run.stderr.slice(-2000)}`);
      const summary = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
        failures: unknown[];
        orders: { exported: number };
      };
      expect(summary.failures).toEqual([]);

      const orders = await oc.query<{ order_id: number; total: string; currency_value: string }>(
        `SELECT order_id, total, currency_value FROM \`${oc.prefix}order\` WHERE order_status_id > 0 ORDER BY order_id`,
      );
      const state = sandbox.state() as { organisations: Array<{ Invoices: Array<Record<string, unknown>> }> };
      const invoices = state.organisations[0]!.Invoices;
      expect(summary.orders.exported).toBe(orders.length);
      expect(invoices).toHaveLength(orders.length);
      for (const o of orders) {
        const inv = invoices.find(
          (i) =>
            String(i.InvoiceNumber).endsWith(`-${o.order_id}`) ||
            String(i.Reference ?? '').includes(String(o.order_id)),
        );
        expect({ order: o.order_id, total: inv && cents(inv.Total) }).toEqual({
          order: o.order_id,
          total: cents(Number(o.total) * Number(o.currency_value)),
        });
      }
      expect(sandbox.violations()).toEqual([]);
    });
  },
);
