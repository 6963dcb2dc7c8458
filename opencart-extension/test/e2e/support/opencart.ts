/**
 * A real OpenCart release from ../shared/opencart-src, installed with its own CLI installer into a
 * fresh database and served with `php -S`: the stand-in for the shared harness
 * (tools/opencart-harness, startOpenCart()) until that is merged, with the same shape.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './connector';
import { placeOrder3, placeOrder4 } from './storefront';
import type { OpenCartInstance } from './extension.suite';

const repoRoot = path.resolve(__dirname, '../../../..');
export const OPENCART_SRC_DIR =
  process.env.OPENCART_SRC_DIR ?? path.resolve(repoRoot, '../shared/opencart-src');

const mysql = (args: string[], input?: string) =>
  execFileSync('mysql', ['-h127.0.0.1', '-uroot', ...args], {
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
  }).toString();

export async function startOpenCart(opts: {
  version: '3.0.5.0' | '4.0.2.3' | '4.1.0.3';
  prefix?: string;
}): Promise<OpenCartInstance> {
  const { version } = opts;
  const prefix = opts.prefix ?? 'oc_';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ocx-ext-${version}-`));
  execFileSync('tar', ['xzf', path.join(OPENCART_SRC_DIR, `opencart-${version}.tar.gz`), '-C', dir]);
  const root = path.join(dir, 'upload');
  const dbName = `ocx_t_ext_oc${version.replace(/\./g, '')}_${process.pid}`;
  mysql(['-e', `DROP DATABASE IF EXISTS \`${dbName}\`; CREATE DATABASE \`${dbName}\``]);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}/`;
  fs.copyFileSync(path.join(root, 'config-dist.php'), path.join(root, 'config.php'));
  fs.copyFileSync(path.join(root, 'admin/config-dist.php'), path.join(root, 'admin/config.php'));
  const admin = { username: 'admin', password: 'admin-e2e-Passw0rd' };
  const common = [
    '--db_hostname',
    '127.0.0.1',
    '--db_username',
    'root',
    '--db_password',
    '',
    '--db_database',
    dbName,
    '--db_driver',
    'mysqli',
    '--db_port',
    '3306',
    '--db_prefix',
    prefix,
    '--username',
    admin.username,
    '--password',
    admin.password,
    '--email',
    'admin@example.com',
    '--http_server',
    baseUrl,
  ];
  execFileSync(
    'php',
    [
      path.join(root, 'install/cli_install.php'),
      'install',
      ...common,
      ...(version.startsWith('4.') ? ['--language', 'en-gb'] : []),
    ],
    { cwd: path.join(root, 'install'), stdio: 'pipe' },
  );
  // The admin warns about (and 4.x's login can redirect for) a left-over installer.
  fs.rmSync(path.join(root, 'install'), { recursive: true, force: true });

  let log = '';
  const server: ChildProcess = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', root], {
    cwd: root,
    env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: php -S forks workers, and stop() must end them too.
    detached: true,
  });
  server.stdout!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-20000)));
  server.stderr!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-20000)));
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(baseUrl)).status < 500) break;
    } catch {
      // not up yet
    }
    if (i > 100) throw new Error(`php -S did not serve ${baseUrl}:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const query = async (sql: string) => {
    const out = mysql(['-N', '-B', dbName, '-e', sql]).trim();
    return out ? out.split('\n').map((line) => ({ id: line.split('\t')[0] })) : [];
  };
  return {
    version,
    baseUrl,
    adminUrl: `${baseUrl}admin/`,
    dbUrl: `mysql://root@127.0.0.1:3306/${dbName}`,
    dbName,
    prefix,
    admin,
    placeOrder: () =>
      version.startsWith('3.') ? placeOrder3(baseUrl, query, prefix) : placeOrder4(baseUrl, query, prefix),
    stop: async () => {
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        process.kill(-server.pid!, 'SIGTERM');
        await exited;
      }
      mysql(['-e', `DROP DATABASE IF EXISTS \`${dbName}\``]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
