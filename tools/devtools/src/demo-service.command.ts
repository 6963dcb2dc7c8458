import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { createApp, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_DEV_ENCRYPTION_KEY } from '@oc-xero/api';
import { demoSettings, withDatabase } from './demo.command';

export interface DemoService {
  url: string;
  username: string;
  password: string;
  close(): Promise<void>;
}

const DEMO_USER = 'demo';

/** A request to the service as the demo admin (cookie + CSRF on writes). */
function client(base: string) {
  let cookie = '';
  let csrf = '';
  const call = async (method: string, path: string, body?: unknown, redirect: 'follow' | 'manual' = 'follow') => {
    const res = await fetch(`${base}${path}`, {
      method,
      redirect,
      headers: { 'content-type': 'application/json', origin: base, ...(cookie ? { cookie } : {}), ...(csrf && method !== 'GET' ? { 'x-csrf-token': csrf } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 400) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return res;
  };
  return {
    call,
    async login(username: string, password: string) {
      const res = await call('POST', '/api/auth/login', { username, password });
      cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function listen(app: INestApplication, port: number): Promise<void> {
  await app.listen(port, '127.0.0.1');
}

/**
 * The end of `npm run demo`: the real service on the demo's databases (the ledger of the sync
 * just made, so the SPA shows it), a demo admin made through the first-run setup with its
 * one-time code, and the sandbox organisation connected through the service's own OAuth flow
 * (consent → callback), the way a merchant connects. The built SPA is served at `/`.
 */
export async function startDemoService(o: { serverUrl: string; connectorDatabase: string; storeDatabase: string; sandboxUrl: string; port: number }): Promise<DemoService> {
  const setupCode = `DEMO-${randomBytes(6).toString('hex').toUpperCase()}`;
  // Random, and so neither common nor containing the username (the password rules apply to the demo too).
  const password = randomBytes(12).toString('base64url');
  const env = (port: number): NodeJS.ProcessEnv => ({
    ...process.env,
    CONNECTOR_DB_URL: withDatabase(o.serverUrl, o.connectorDatabase),
    OPENCART_DB_URL: withDatabase(o.serverUrl, o.storeDatabase),
    OPENCART_DB_PREFIX: 'oc_',
    ENCRYPTION_KEY: SANDBOX_DEV_ENCRYPTION_KEY,
    CONNECTOR_SCOPE: 'demo',
    XERO_SANDBOX_URL: o.sandboxUrl,
    XERO_CLIENT_ID: SANDBOX_CLIENT_ID,
    XERO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    SETUP_CODE: setupCode,
    LOG_LEVEL: process.env.DEMO_LOG_LEVEL ?? 'warn',
  });
  // PUBLIC_BASE_URL must name the real port (the OAuth redirect), so port 0 is resolved first.
  let port = o.port || (await freePort());
  let created = await createApp(env(port), { quiet: true });
  try {
    await listen(created.app, port);
  } catch (e) {
    if ((e as { code?: string }).code !== 'EADDRINUSE') throw e;
    await created.app.close();
    port = await freePort();
    created = await createApp(env(port), { quiet: true });
    await listen(created.app, port);
  }
  const base = `http://127.0.0.1:${port}`;
  try {
    const http = client(base);
    await http.call('POST', '/api/auth/setup', { username: DEMO_USER, password, setupCode });
    await http.login(DEMO_USER, password);
    await http.call('PUT', '/api/settings', demoSettings());
    // The OAuth flow as a browser follows it: our consent URL → the sandbox's consent → our callback.
    const { url } = (await (await http.call('GET', '/api/xero/connect?redirect=false')).json()) as { url: string };
    const consent = await fetch(url, { redirect: 'manual' });
    const callback = consent.headers.get('location');
    if (!callback) throw new Error(`the sandbox consent answered ${consent.status} without a redirect`);
    const landed = await http.call('GET', callback.replace(base, ''), undefined, 'manual');
    if ((landed.headers.get('location') ?? '').includes('choose-organisation=1')) {
      const tenants = (await (await http.call('GET', '/api/xero/tenants')).json()) as Array<{ tenantId: string; tenantName: string }>;
      const pick = tenants.find((t) => /UK/i.test(t.tenantName)) ?? tenants[0];
      await http.call('PUT', '/api/xero/tenant', { tenantId: pick.tenantId });
    }
  } catch (e) {
    await created.app.close();
    throw e;
  }
  return { url: base, username: DEMO_USER, password, close: () => created.app.close() };
}
