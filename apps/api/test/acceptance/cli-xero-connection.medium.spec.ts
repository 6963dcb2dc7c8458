/**
 * The CLI against "real" Xero settings (XERO_*_URL pointed at the sandbox, no XERO_SANDBOX_URL):
 * it refuses to run until a connection is stored, then uses the connection the API stored (here
 * made the way the API would, through xero-client with the same store and key).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openConnectorStore } from '@oc-xero/opencart-db';
import { parseXeroClientConfig, XeroAuthService } from '@oc-xero/xero-client';
import type { RunningSandbox } from '@oc-xero/xero-sandbox';
import type { CliSyncSummary } from '../../src/cli/sync-summary.formatter';
import {
  dbUrl,
  dropDatabases,
  orgState,
  scratchName,
  startCheckedSandbox,
} from './support/acceptance.harness';
import { runCli } from './support/cli.process';
import { buildStore } from './support/sample-store.fixture';

jest.setTimeout(120_000);

const KEY = 'b'.repeat(64);

describe('CLI with Xero credentials and a stored connection', () => {
  const storeDb = scratchName('xstore');
  const connector = scratchName('xconn');
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    await buildStore(storeDb, { version: '4', orders: 40, seed: 2 });
    sandbox = await startCheckedSandbox();
  });
  afterAll(async () => {
    await sandbox?.close();
    await dropDatabases([storeDb, connector]);
  });

  it('refuses without a stored connection, then syncs with the one stored for its scope', async () => {
    const env: NodeJS.ProcessEnv = {
      OPENCART_DB_URL: dbUrl(storeDb),
      CONNECTOR_DB_URL: dbUrl(connector),
      ENCRYPTION_KEY: KEY,
      XERO_CLIENT_ID: 'sandbox-client-id',
      XERO_CLIENT_SECRET: 'sandbox-client-secret',
      XERO_LOGIN_URL: sandbox.url,
      XERO_IDENTITY_URL: sandbox.url,
      XERO_API_URL: sandbox.url,
      CONNECTOR_SCOPE: 'shop-1',
      LOG_LEVEL: 'silent',
    };
    const before = await runCli(['sync', '--json'], env);
    expect(before.code).toBe(2);
    expect(before.stderr).toMatch(/Xero is not connected for scope "shop-1"/);

    const noCredentials = await runCli(['sync', '--json'], {
      ...env,
      XERO_CLIENT_ID: '',
      XERO_CLIENT_SECRET: '',
    });
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.stderr).toMatch(/set XERO_CLIENT_ID and XERO_CLIENT_SECRET/);

    // What the API's "Connect to Xero" leaves behind: encrypted tokens for the scope, organisation chosen.
    const connectorStore = await openConnectorStore({ url: dbUrl(connector), encryptionKey: KEY });
    try {
      const auth = new XeroAuthService(
        parseXeroClientConfig({
          clientId: 'sandbox-client-id',
          clientSecret: 'sandbox-client-secret',
          grantType: 'client_credentials',
          loginUrl: sandbox.url,
          identityUrl: sandbox.url,
          apiUrl: sandbox.url,
        }),
        { store: connectorStore.store },
      );
      await auth.connectCustom('shop-1');
    } finally {
      await connectorStore.close();
    }
    const tokenCalls = sandbox.counters()['token:client_credentials'] ?? 0;

    const wrongKey = await runCli(['sync', '--json'], { ...env, ENCRYPTION_KEY: 'c'.repeat(64) });
    expect(wrongKey.code).not.toBe(0);
    expect(wrongKey.stderr).not.toMatch(/eyJ/); // no token in the message

    // Saved settings were never made: Status is off by default, so the CLI refuses (exit 2) and says why…
    const off = await runCli(['sync', '--orders', '--json'], env);
    expect({ code: off.code, stdout: off.stdout }).toEqual({ code: 2, stdout: '' });
    expect(off.stderr).toMatch(/"Status" is off.*\[connector-disabled\]/);
    // …and runs with Status switched on for this run (--settings), every other setting at its default.
    const on = path.join(mkdtempSync(path.join(tmpdir(), 'ocx-on-')), 'on.json');
    writeFileSync(on, JSON.stringify({ status: true }));
    const { code, stdout, stderr } = await runCli(['sync', '--orders', '--json', '--settings', on], env);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const summary = JSON.parse(stdout) as CliSyncSummary;
    expect(summary.status).toBe('completed');
    expect(summary.created.invoices).toBeGreaterThan(10);
    // The defaults apply (draft invoices, no payments).
    expect(orgState(sandbox).Invoices.every((i) => i.Status === 'DRAFT')).toBe(true);
    expect(summary.created.payments).toBe(0);
    // It used the stored connection; it did not connect by itself.
    expect(sandbox.counters()['token:client_credentials'] ?? 0).toBe(tokenCalls);
    expect(sandbox.violations()).toEqual([]);
  });
});
