/**
 * TEST HELPER: how to start the CLI as a process. The built one (bin/oc-xero.js → dist) when
 * `npm run build` has been run since the CLI's sources last changed; otherwise the same entry
 * point from source through tsx, so a stale dist never hides a change.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { apiRoot, repoRoot } from './acceptance.harness';

const newest = (dir: string, ext: string): number =>
  Math.max(
    0,
    ...readdirSync(dir)
      .filter((f) => f.endsWith(ext))
      .map((f) => statSync(path.join(dir, f)).mtimeMs),
  );

export function cliCommand(): { command: string; args: string[]; built: boolean } {
  const dist = path.join(apiRoot, 'dist/cli');
  const src = path.join(apiRoot, 'src/cli');
  if (existsSync(path.join(dist, 'main.js')) && newest(dist, '.js') >= newest(src, '.ts')) {
    return { command: process.execPath, args: [path.join(apiRoot, 'bin/oc-xero.js')], built: true };
  }
  return {
    command: process.execPath,
    args: [path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), path.join(src, 'main.ts')],
    built: false,
  };
}

/** What a finished CLI process left: its exit code and everything it printed. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with these arguments and ONLY this environment (plus PATH), to its end. */
export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const { command, args: base } = cliCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...base, ...args], {
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
