import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

// The CLI as the demo runs it (through tsx, so no build is needed for the test).
const PACKAGE_DIR = path.resolve(__dirname, '..');

function run(args: string[]): ChildProcess {
  return spawn(process.execPath, [require.resolve('tsx/cli'), 'src/cli.ts', ...args], {
    cwd: PACKAGE_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function output(child: ChildProcess, until: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (until.test(text)) resolve(text);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', () => resolve(text));
    child.on('error', reject);
  });
}

describe('xero-sandbox CLI', () => {
  it('starts on the given port with the chosen seed first, prints URL and credentials, stops on SIGTERM', async () => {
    const child = run([
      '--port',
      '0',
      '--seed',
      'nz',
      '--no-rate-limits',
      '--client-id',
      'demo-id',
      '--client-secret',
      'demo-secret',
    ]);
    try {
      const text = await output(child, /control API/);
      expect(text).toContain('client id:     demo-id');
      expect(text).toContain('client secret: demo-secret');
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
      expect(url).toBeDefined();
      const discovery = (await (await fetch(`${url}/.well-known/openid-configuration`)).json()) as Record<
        string,
        string
      >;
      expect(discovery.token_endpoint).toBe(`${url}/connect/token`);
      const info = (await (await fetch(`${url}/__sandbox/`)).json()) as { tenants: Array<{ name: string }> };
      expect(info.tenants.map((t) => t.name)).toEqual(['Sandbox Trading NZ', 'Sandbox Trading UK']);
      const token = await fetch(`${url}/connect/token`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from('demo-id:demo-secret').toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      expect(token.status).toBe(200);
    } finally {
      const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('refuses a bad --seed with a clear message and a non-zero exit', async () => {
    const child = run(['--port', '0', '--seed', 'au']);
    const exit = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    const text = await output(child, /seed/);
    expect(text).toContain('--seed must be uk or nz');
    expect(await exit).not.toBe(0);
  });
});
