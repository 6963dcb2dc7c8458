/**
 * TEST HELPER: the service as a real process (what a merchant runs), so a test can kill -9 it or
 * send it SIGTERM. The built entry point (dist/main.js) when it is newer than the sources, else
 * src/main.ts through tsx, so a stale dist never hides a change.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

const apiRoot = path.resolve(__dirname, '../..');
const repoRoot = path.resolve(apiRoot, '../..');

function newest(dir: string, ext: string): number {
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) max = Math.max(max, newest(p, ext));
    else if (entry.name.endsWith(ext)) max = Math.max(max, statSync(p).mtimeMs);
  }
  return max;
}

function serviceCommand(): string[] {
  const dist = path.join(apiRoot, 'dist');
  if (
    existsSync(path.join(dist, 'main.js')) &&
    newest(dist, '.js') >= newest(path.join(apiRoot, 'src'), '.ts')
  )
    return [path.join(dist, 'main.js')];
  return [path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), path.join(apiRoot, 'src/main.ts')];
}

export interface ServiceProcess {
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the service with ONLY this environment (plus PATH) and waits until it listens. */
export async function startService(env: Record<string, string>, timeoutMs = 60_000): Promise<ServiceProcess> {
  const child = spawn(process.execPath, serviceCommand(), {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const end = Date.now() + timeoutMs;
  while (!/listening on/.test(out)) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the service exited before listening:\n${out}`);
    if (Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`the service did not listen within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => out, exited };
}

/** An admin session against a running service process (cookie + CSRF token). */
export type Http = { base: string; cookie: string; csrf: string };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Answer = { status: number; body: any };

/** Logs the admin in over real HTTP. */
export async function login(base: string, admin: { username: string; password: string }): Promise<Http> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  if (res.status !== 200) throw new Error(`login answered ${res.status}`);
  const body = (await res.json()) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { base, cookie, csrf: body.csrfToken };
}

/** One API call with the session; the body parsed when it is JSON (else the text: a redirect…). */
export async function call(h: Http, method: string, route: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${h.base}${route}`, {
    method,
    redirect: 'manual',
    headers: { cookie: h.cookie, 'x-csrf-token': h.csrf, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (a redirect)
  }
  return { status: res.status, body: parsed };
}

/** Waits until `check` holds, polling every `intervalMs`; fails naming `what` after `timeoutMs`. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string, intervalMs = 100): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
