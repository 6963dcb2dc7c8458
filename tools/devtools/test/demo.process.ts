/**
 * TEST HELPER: the demo as a process, the way `npm run demo` starts it — the built tool when
 * `npm run build` has run since its sources last changed, else the same entry point from source
 * through tsx, so a stale dist never hides a change — and the scratch databases it is given.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { createConnection } from 'mysql2/promise';

export const toolRoot = path.resolve(__dirname, '..');
export const repoRoot = path.resolve(toolRoot, '../..');
const serverUrl = (process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
export const fixturesDir = (): string => process.env.OPENCART_FIXTURES_DIR ?? path.resolve(repoRoot, '../shared/opencart');

/** Whether the real dumps are there; when not, says so (and fails under CI). */
export function requireDumps(): boolean {
  const files = ['opencart-3.sql', 'opencart-4.sql'];
  const ok = files.every((f) => existsSync(path.join(fixturesDir(), f)));
  if (!ok) {
    const msg = `OpenCart dumps not found in ${fixturesDir()}: set OPENCART_FIXTURES_DIR to the folder holding ${files.join(', ')}`;
    if (process.env.CI) throw new Error(msg);
    console.warn(`SKIPPED: ${msg}`);
  }
  return ok;
}

/** A fresh scratch database name under this suite's prefix. */
export const scratchName = (tag: string): string => `ocx_t_dev_${tag}_${randomBytes(3).toString('hex')}`;

export async function dropDatabases(names: string[]): Promise<void> {
  const conn = await createConnection({ uri: serverUrl });
  try {
    for (const n of names) if (/^ocx_t_dev_\w+$/.test(n)) await conn.query(`DROP DATABASE IF EXISTS \`${n}\``);
  } finally {
    await conn.end();
  }
}

const newest = (dir: string, ext: string): number =>
  Math.max(0, ...readdirSync(dir).filter((f) => f.endsWith(ext)).map((f) => statSync(path.join(dir, f)).mtimeMs));

export function demoCommand(): { command: string; args: string[] } {
  const dist = path.join(toolRoot, 'dist');
  const src = path.join(toolRoot, 'src');
  if (existsSync(path.join(dist, 'demo.main.js')) && newest(dist, '.js') >= newest(src, '.ts'))
    return { command: process.execPath, args: [path.join(toolRoot, 'bin/oc-xero-demo.js')] };
  return {
    command: process.execPath,
    args: [path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), path.join(src, 'demo.main.ts')],
  };
}

export interface DemoResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the demo with these arguments and ONLY this environment (plus PATH), to its end. */
export function runDemo(args: string[], env: NodeJS.ProcessEnv): Promise<DemoResult> {
  const { command, args: base } = demoCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...base, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
