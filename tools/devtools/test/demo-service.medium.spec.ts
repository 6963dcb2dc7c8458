/**
 * `npm run demo` without DEMO_EXIT: after the summary the connector SERVICE keeps running with the
 * admin page, a demo admin and the sandbox connected through the service's own OAuth flow; the
 * printed URL and login work over HTTP. The process is stopped with SIGTERM as Ctrl-C would.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { demoCommand, dropDatabases, scratchName } from './demo.process';

jest.setTimeout(240_000);

describe('oc-xero-demo leaves the service running', () => {
  const store = scratchName('demos');
  const connector = scratchName('demosc');
  afterAll(() => dropDatabases([store, connector]));

  it('prints the URL and the login; they open the connected dashboard and the synced orders', async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'ocx-demo-svc-'));
    const { command, args } = demoCommand();
    const child = spawn(command, [...args, '--port', '0', '--orders', '40', '--no-progress'], {
      env: { PATH: process.env.PATH, DEMO_STORE_DB: store, DEMO_CONNECTOR_DB: connector, DEMO_STATE_DIR: stateDir, DEMO_API_PORT: '0', XERO_OPENAPI_DIR: path.join(stateDir, 'none') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const end = Date.now() + 200_000;
      while (!stdout.includes('Ctrl-C to stop.') && Date.now() < end && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
      expect(stdout).toMatch(/Sync completed/);
      expect(stdout).toMatch(/cent check: .* worst difference 0\.00/);
      const url = /open +(http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout)?.[1];
      const login = /log in +username (\S+), password (\S+)/.exec(stdout);
      expect({ url, login: !!login, stderr }).toEqual({ url: expect.any(String), login: true, stderr: '' });
      const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: login![1], password: login![2] }) });
      expect(res.status).toBe(200);
      const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const dash = (await (await fetch(`${url}/api/dashboard`, { headers: { cookie } })).json()) as { connection: { connected: boolean; organisation: string; connectedSince: string | null } };
      expect(dash.connection).toMatchObject({ connected: true, organisation: expect.stringMatching(/UK/), connectedSince: expect.any(String) });
      const synced = (await (await fetch(`${url}/api/orders?state=synced`, { headers: { cookie } })).json()) as { total: number };
      expect(synced.total).toBeGreaterThan(0);
      // The admin page (or, before `npm run build` built it, the page saying so) answers at /.
      const home = await fetch(`${url}/`);
      expect([200, 503]).toContain(home.status);
      expect(home.headers.get('content-security-policy')).toContain("script-src 'self'");
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
