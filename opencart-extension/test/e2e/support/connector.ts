import { startSandbox, type RunningSandbox } from '@oc-xero/xero-sandbox';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../../..');
export const XERO_OPENAPI_DIR =
  process.env.XERO_OPENAPI_DIR ?? path.resolve(repoRoot, '../shared/xero-openapi');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const SETUP_CODE = 'EXT-E2E-SETUP-CODE-01';

export interface RunningConnector {
  url: string;
  sandbox: RunningSandbox;
  /** Admin-session calls (cookie + CSRF), for set-up and for reading what the extension did. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's answers, read by each test
  admin(method: string, p: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** A new API key; scope given when the API knows scopes. */
  createKey(name: string, scope?: string): Promise<string>;
  stop(): Promise<void>;
  log(): string;
}

/**
 * The real connector as a merchant runs it: apps/api's built service in its own process on the store's
 * database, connected to the Xero sandbox (every request checked against Xero's spec) through the OAuth flow.
 */
export async function startConnector(opts: {
  opencartDbUrl: string;
  prefix: string;
  connectorDb: string;
}): Promise<RunningConnector> {
  const sandbox = await startSandbox({ spec: { dir: XERO_OPENAPI_DIR, mode: 'record' } });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'apps/api/dist/main.js')], {
    env: {
      PATH: process.env.PATH,
      CONNECTOR_DB_URL: `mysql://root@127.0.0.1:3306/${opts.connectorDb}`,
      OPENCART_DB_URL: opts.opencartDbUrl,
      OPENCART_DB_PREFIX: opts.prefix,
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      PORT: String(port),
      PUBLIC_BASE_URL: url,
      XERO_SANDBOX_URL: sandbox.url,
      XERO_CLIENT_ID: 'sandbox-client-id',
      XERO_CLIENT_SECRET: 'sandbox-client-secret',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      // Only the extension's nudge (and "sync now") may make the invoices in these tests.
      SCHEDULER_ENABLED: 'false',
      SETUP_CODE: SETUP_CODE,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`${url}/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || i > 300) {
      if (child.exitCode === null) child.kill('SIGTERM');
      await sandbox.close();
      spawnSync('mysql', ['-h127.0.0.1', '-uroot', '-e', `DROP DATABASE IF EXISTS \`${opts.connectorDb}\``]);
      throw new Error(`the connector API did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  let cookie = '';
  let csrf = '';
  const call = async (method: string, p: string, body?: unknown) => {
    const send = () =>
      fetch(url + p, {
        method,
        redirect: 'manual',
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(cookie ? { cookie, 'x-csrf-token': csrf } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    // A kept-alive socket the server closes as it is reused fails the request ("other side closed");
    // a read (GET) is safe to send again.
    const r = await send().catch((e: unknown) => {
      if (method === 'GET') return send();
      throw e;
    });
    const text = await r.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    return { status: r.status, body: parsed, headers: r.headers };
  };
  const admin = { username: 'owner', password: 'a very long password for tests' };
  const setup = await call('POST', '/api/auth/setup', { ...admin, setupCode: SETUP_CODE });
  if (setup.status !== 201) throw new Error(`setup answered ${setup.status}: ${JSON.stringify(setup.body)}`);
  const login = await call('POST', '/api/auth/login', admin);
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  csrf = login.body.csrfToken;

  // Connect the sandbox's UK organisation the way the SPA does: consent, callback, choose.
  const consent = await call('GET', '/api/xero/connect');
  const back = await fetch(consent.headers.get('location')!, { redirect: 'manual' });
  const cb = new URL(back.headers.get('location')!);
  const done = await call('GET', cb.pathname + cb.search);
  if (done.status !== 302) throw new Error(`OAuth callback answered ${done.status}`);
  const tenants = await call('GET', '/api/xero/tenants');
  const uk = tenants.body.find((t: { tenantName: string }) => /UK/i.test(t.tenantName));
  await call('PUT', '/api/xero/tenant', { tenantId: uk.tenantId });
  const settings = await call('PUT', '/api/settings', {
    status: true,
    invoiceStatus: 'AUTHORISED',
    exportStatuses: ['Pending', 'Processing', 'Shipped', 'Complete'],
    // Paid statuses (Complete, …) get a payment into the bank account, as a merchant maps it.
    defaultPaymentAccountCode: '090',
  });
  if (settings.status !== 200)
    throw new Error(`settings answered ${settings.status}: ${JSON.stringify(settings.body)}`);

  return {
    url,
    sandbox,
    admin: (method, p, body) => call(method, p, body),
    createKey: async (name, scope) => {
      const r = await call('POST', '/api/auth/api-keys', scope ? { name, scope } : { name });
      if (r.status !== 201) throw new Error(`api-keys answered ${r.status}: ${JSON.stringify(r.body)}`);
      return r.body.key as string;
    },
    log: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await sandbox.close();
      spawnSync('mysql', ['-h127.0.0.1', '-uroot', '-e', `DROP DATABASE IF EXISTS \`${opts.connectorDb}\``]);
    },
  };
}
