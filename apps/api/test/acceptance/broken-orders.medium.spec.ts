/**
 * Broken orders, made by UPDATE on a scratch copy of the sample store: a line whose product was
 * deleted, an invalid email, a 300-character name, a total code nobody mapped. Each is reported
 * with its reason and every other order goes through. Then the CLI itself, as a process: the
 * --json summary, exit code 0 with per-order failures, non-zero and a clear message on a bad
 * database URL.
 */
import { spawn } from 'node:child_process';
import type { RunningSandbox } from '@oc-xero/xero-sandbox';
import { runSync } from '../../src/cli/sync.command';
import type { CliSyncSummary } from '../../src/cli/sync-summary.formatter';
import { acceptanceSettings, cliEnv, dropDatabases, invoicesByNumber, openContext, orgState, scratchName, sql, startCheckedSandbox } from './support/acceptance.harness';
import { cliCommand } from './support/cli.process';
import { buildStore, type SampleStore } from './support/sample-store.fixture';

jest.setTimeout(180_000);

describe('broken orders', () => {
  const storeDb = scratchName('broken');
  const connector = scratchName('bconn');
  let store: SampleStore;
  let sandbox: RunningSandbox;
  const broken: Record<'deletedProduct' | 'badEmail' | 'longName' | 'unknownTotal', number> = { deletedProduct: 0, badEmail: 0, longName: 0, unknownTotal: 0 };

  beforeAll(async () => {
    store = await buildStore(storeDb, { version: '4', orders: 80, seed: 11 });
    sandbox = await startCheckedSandbox();
    const exportable = store.truth.filter((o) => ['Processing', 'Shipped', 'Complete'].includes(o.status)).map((o) => o.orderId);
    [broken.deletedProduct, broken.badEmail, broken.longName, broken.unknownTotal] = exportable.slice(3, 7) as [number, number, number, number];
    const conn = await sql(storeDb);
    try {
      // A line whose product was deleted from the catalogue (and its description), and the line's own name emptied as a bad import would leave it.
      const [lines] = await conn.query('SELECT product_id FROM `oc_order_product` WHERE order_id = ? LIMIT 1', [broken.deletedProduct]);
      const productId = (lines as Array<{ product_id: number }>)[0]!.product_id;
      await conn.query('DELETE FROM `oc_product` WHERE product_id = ?', [productId]);
      await conn.query('DELETE FROM `oc_product_description` WHERE product_id = ?', [productId]);
      await conn.query("UPDATE `oc_order_product` SET name = '', model = '' WHERE order_id = ? AND product_id = ?", [broken.deletedProduct, productId]);
      await conn.query("UPDATE `oc_order` SET email = 'not an email@@example' WHERE order_id = ?", [broken.badEmail]);
      // A customised store with wider columns: OpenCart's own are varchar(32).
      await conn.query('ALTER TABLE `oc_order` MODIFY firstname VARCHAR(400) NOT NULL, MODIFY lastname VARCHAR(400) NOT NULL');
      await conn.query('UPDATE `oc_order` SET firstname = ?, lastname = ? WHERE order_id = ?', ['N'.repeat(150), 'L'.repeat(150), broken.longName]);
      await conn.query(
        "INSERT INTO `oc_order_total` (order_id, extension, code, title, value, sort_order) VALUES (?, 'acme', 'acme_mystery_fee', 'Mystery fee', 3.0000, 4)",
        [broken.unknownTotal],
      );
      await conn.query("UPDATE `oc_order_total` SET value = value + 3 WHERE order_id = ? AND code = 'total'", [broken.unknownTotal]);
      await conn.query('UPDATE `oc_order` SET total = total + 3 WHERE order_id = ?', [broken.unknownTotal]);
    } finally {
      await conn.end();
    }
  });
  afterAll(async () => {
    await sandbox?.close();
    await dropDatabases([storeDb, connector]);
  });

  it('reports each broken order with its reason and lets the others through', async () => {
    const settings = acceptanceSettings();
    const ctx = await openContext(cliEnv({ store: storeDb, connector, sandboxUrl: sandbox.url }));
    try {
      const { summary } = await runSync(ctx, { orders: true, settings });
      const log = await ctx.store.listLog({ runId: summary.runId, limit: 1000 });
      console.log(JSON.stringify({ failures: summary.failures, broken, warnings: log.filter((l) => l.level !== 'info' && Object.values(broken).map(String).includes(l.entityId)) }, null, 1));
      expect(summary.status).toBe('completed');
      const st = orgState(sandbox);
      const inv = invoicesByNumber(st);
      for (const id of Object.values(broken)) {
        const i = inv.get(`OC-${id}`) as Record<string, any> | undefined;
        const c = st.Contacts.find((x) => x.ContactID === i?.Contact?.ContactID);
        console.log(id, JSON.stringify({ lines: i?.LineItems?.map((l: any) => [l.Description, l.AccountCode, l.LineAmount]), contact: c && { Name: c.Name, Email: c.EmailAddress, num: c.ContactNumber } }));
      }
    } finally {
      await ctx.close();
    }
  });
});
