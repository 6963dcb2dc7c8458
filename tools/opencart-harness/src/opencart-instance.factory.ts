import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { AddressInfo, createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as mysql from 'mysql2/promise';
import { HttpSession, parseOpenCartJson } from './http-session.client';
import { assertPhp, cacheRoot, mysqlServer, releaseArchive } from './opencart-environment.util';
import {
  AdminSession,
  OpenCartInstance,
  PlaceOrderInput,
  PlacedOrder,
  StartOpenCartOptions,
} from './opencart-harness.types';
import { checkoutAsGuest, defaultCustomer } from './storefront-checkout.flow';

const run = promisify(execFile);
const ADMIN = { username: 'admin', password: 'Admin123!' };
/** The URL given to the installer in the cache; every instance rewrites it to its own port. */
const PLACEHOLDER_URL = 'http://127.0.0.1:1/';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function admin(): Promise<mysql.Connection> {
  const { host, port } = mysqlServer();
  return mysql.createConnection({ host, port, user: 'root', password: '', multipleStatements: false });
}

function mysqlArgs(): string[] {
  const { host, port } = mysqlServer();
  return ['-h', host, '-P', String(port), '-uroot'];
}

/** Pipes a file through a command's stdin (mysql < dump.sql) or its stdout into a file (mysqldump > dump.sql). */
function pipeCommand(
  command: string,
  args: string[],
  io: { stdin?: string; stdout?: string },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: [io.stdin ? 'pipe' : 'ignore', io.stdout ? 'pipe' : 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += String(d)));
    if (io.stdin) createReadStream(io.stdin).pipe(child.stdin!);
    if (io.stdout) child.stdout!.pipe(createWriteStream(io.stdout));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited ${code}: ${stderr.slice(0, 500)}`)),
    );
  });
}

function safePrefix(prefix: string): string {
  if (!/^[a-z][a-z0-9_]{0,15}$/.test(prefix))
    throw new Error(`Table prefix ${prefix} must be lower-case letters, digits and _`);
  return prefix;
}

const building = new Map<string, Promise<string>>();

/**
 * The cached install of one release and prefix: `<cache>/<version>-<prefix>/{upload/, dump.sql}`.
 * Built once per machine with OpenCart's own CLI installer; built in a scratch folder and renamed
 * into place, so parallel test processes never see half a cache.
 */
export function cachedInstall(version: StartOpenCartOptions['version'], prefix: string): Promise<string> {
  const key = `${version}-${prefix}`;
  let p = building.get(key);
  if (!p) {
    p = buildCache(version, prefix, key);
    building.set(key, p);
    p.catch(() => building.delete(key));
  }
  return p;
}

async function buildCache(
  version: StartOpenCartOptions['version'],
  prefix: string,
  key: string,
): Promise<string> {
  const final = path.join(cacheRoot(), key);
  if (existsSync(path.join(final, 'dump.sql'))) return final;
  const archive = releaseArchive(version);
  await assertPhp();
  const scratch = path.join(cacheRoot(), `.build-${key}-${randomBytes(4).toString('hex')}`);
  await mkdir(scratch, { recursive: true });
  const db = `ochb_${randomBytes(5).toString('hex')}`;
  const conn = await admin();
  try {
    await run('tar', ['-xzf', archive, '-C', scratch, 'upload']);
    const upload = path.join(scratch, 'upload');
    // 3.x reads both config files before it writes them; 4.x writes them itself.
    await cp(path.join(upload, 'config-dist.php'), path.join(upload, 'config.php'));
    await cp(path.join(upload, 'admin/config-dist.php'), path.join(upload, 'admin/config.php'));
    await conn.query(`CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4`);
    const { host, port } = mysqlServer();
    const args = [
      path.join(upload, 'install/cli_install.php'),
      'install',
      '--username',
      ADMIN.username,
      '--password',
      ADMIN.password,
      '--email',
      'admin@example.com',
      '--http_server',
      PLACEHOLDER_URL,
      '--language',
      'en-gb',
      '--db_driver',
      'mysqli',
      '--db_hostname',
      host,
      '--db_username',
      'root',
      '--db_password',
      '',
      '--db_database',
      db,
      '--db_port',
      String(port),
      '--db_prefix',
      prefix,
    ];
    const out = await run('php', args, { cwd: path.join(upload, 'install'), maxBuffer: 64 * 1024 * 1024 });
    if (!/SUCCESS/i.test(out.stdout))
      throw new Error(
        `OpenCart ${version} CLI install did not succeed: ${out.stdout.slice(-1500)} ${out.stderr.slice(-500)}`,
      );
    // The admin's order page calls the catalog API from the admin's own address; OpenCart refuses
    // any address missing from api_ip (the merchant adds it in the admin), so allow the loopback.
    const [apis] = await conn.query<mysql.RowDataPacket[]>(`SELECT api_id FROM \`${db}\`.\`${prefix}api\``);
    for (const a of apis)
      await conn.query(`INSERT INTO \`${db}\`.\`${prefix}api_ip\` SET api_id = ?, ip = '127.0.0.1'`, [
        a.api_id,
      ]);
    await pipeCommand('mysqldump', [...mysqlArgs(), '--single-transaction', '--skip-comments', db], {
      stdout: path.join(scratch, 'dump.sql'),
    });
    await writeFile(
      path.join(scratch, 'install.json'),
      JSON.stringify({ version, prefix, upload, db, at: new Date().toISOString() }),
    );
    try {
      await rename(scratch, final);
    } catch (e) {
      // Another process finished first: keep theirs.
      if (!existsSync(path.join(final, 'dump.sql'))) throw e;
      await rm(scratch, { recursive: true, force: true });
    }
    return final;
  } catch (e) {
    await rm(scratch, { recursive: true, force: true });
    throw e;
  } finally {
    await conn.query(`DROP DATABASE IF EXISTS \`${db}\``).catch(() => undefined);
    await conn.end();
  }
}

async function rewrite(file: string, pairs: Array<[string, string]>): Promise<void> {
  let text = await readFile(file, 'utf8');
  for (const [from, to] of pairs) text = text.split(from).join(to);
  // Break the hard link to the cache before writing.
  await rm(file);
  await writeFile(file, text);
}

async function waitForHttp(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`php -S exited ${server.exitCode}: ${log().slice(-1000)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      await res.text();
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`OpenCart at ${url} did not answer within 30 s: ${log().slice(-1000)}`);
}

/** Signals php -S and its workers (their process group). */
function killGroup(server: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (server.pid) process.kill(-server.pid, signal);
  } catch {
    // already gone
  }
}

let instanceCount = 0;

/**
 * Starts a real OpenCart: a fresh copy of the cached install (files + database), its config
 * pointed at a free port and a new database, served by `php -S`.
 */
export async function startOpenCart(options: StartOpenCartOptions): Promise<OpenCartInstance> {
  await assertPhp();
  const version = options.version;
  const prefix = safePrefix(options.prefix ?? 'shop7_');
  const cache = await cachedInstall(version, prefix);
  const meta = JSON.parse(await readFile(path.join(cache, 'install.json'), 'utf8')) as {
    upload: string;
    db: string;
  };
  const tag = (options.name ?? 'oc').replace(/[^a-zA-Z0-9_]/g, '').slice(0, 16) || 'oc';
  const id = `${tag}_${version.replace(/\./g, '')}_${randomBytes(4).toString('hex')}`;
  const dbName = `ocharness_${id}`.toLowerCase();
  const dir = path.join(os.tmpdir(), `oc-xero-opencart-${id}`);
  const rootDir = path.join(dir, 'upload');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}/`;
  const conn = await admin();
  let server: ChildProcess | null = null;
  try {
    await mkdir(dir, { recursive: true });
    // Hard links, not a copy: a copy of ~6,500-10,000 files took 17 s on a busy CI disk, links 2-4 s.
    // Safe because OpenCart only creates, renames and deletes files at runtime (cache, sessions,
    // logs, uploads, installed extensions); the two files we change are unlinked first (rewrite()).
    await run('cp', ['-al', path.join(cache, 'upload'), rootDir]);
    await conn.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4`);
    await pipeCommand('mysql', [...mysqlArgs(), dbName], { stdin: path.join(cache, 'dump.sql') });
    const pairs: Array<[string, string]> = [
      [PLACEHOLDER_URL, baseUrl],
      [meta.upload + '/', rootDir + '/'],
      [`'${meta.db}'`, `'${dbName}'`],
    ];
    await rewrite(path.join(rootDir, 'config.php'), pairs);
    await rewrite(path.join(rootDir, 'admin/config.php'), pairs);
    const [tzRows] = await conn.query<mysql.RowDataPacket[]>(
      `SELECT value FROM \`${dbName}\`.\`${prefix}setting\` WHERE store_id = 0 AND \`key\` = 'config_timezone'`,
    );
    let timezone = (tzRows[0]?.value as string | undefined) ?? 'UTC';
    if (options.timezone) {
      // Both lines read config_timezone at every request: 3.x in system/framework.php (then
      // SET time_zone = date('P')), 4.x in its startup (then the same SET time_zone).
      await conn.query(
        `DELETE FROM \`${dbName}\`.\`${prefix}setting\` WHERE store_id = 0 AND \`key\` = 'config_timezone'`,
      );
      await conn.query(
        `INSERT INTO \`${dbName}\`.\`${prefix}setting\` SET store_id = 0, \`code\` = 'config', \`key\` = 'config_timezone', value = ?, serialized = 0`,
        [options.timezone],
      );
      timezone = options.timezone;
    }
    let log = '';
    server = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', rootDir], {
      cwd: rootDir,
      env: { ...process.env, PHP_CLI_SERVER_WORKERS: '3' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: php -S forks PHP_CLI_SERVER_WORKERS workers that outlive a killed parent.
      detached: true,
    });
    // Keep only the tail of php -S's access log, for error messages.
    const keep = (d: Buffer): void => void (log = (log + String(d)).slice(-20_000));
    server.stdout!.on('data', keep);
    server.stderr!.on('data', keep);
    await waitForHttp(baseUrl, server, () => log);
    return new RunningOpenCart(version, baseUrl, dbName, prefix, rootDir, dir, timezone, server, conn);
  } catch (e) {
    if (server) killGroup(server, 'SIGKILL');
    await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``).catch(() => undefined);
    await conn.end().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

class RunningOpenCart implements OpenCartInstance {
  readonly adminUrl: string;
  readonly dbUrl: string;
  readonly admin = { ...ADMIN };
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    readonly version: OpenCartInstance['version'],
    readonly baseUrl: string,
    readonly dbName: string,
    readonly prefix: string,
    readonly rootDir: string,
    private readonly dir: string,
    readonly timezone: string,
    private readonly server: ChildProcess,
    private readonly conn: mysql.Connection,
  ) {
    this.adminUrl = `${baseUrl}admin/`;
    const { host, port } = mysqlServer();
    this.dbUrl = `mysql://root@${host}:${port}/${dbName}`;
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    await this.conn.query(`USE \`${this.dbName}\``);
    const [rows] = await this.conn.query(sql, params);
    return (Array.isArray(rows) ? rows : [rows]) as T[];
  }

  /** One checkout at a time per store, so the order it made is the one new order_id. */
  placeOrder(input: PlaceOrderInput): Promise<PlacedOrder> {
    const next = this.queue.then(() => this.placeOrderNow(input));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async placeOrderNow(input: PlaceOrderInput): Promise<PlacedOrder> {
    const t = this.prefix;
    const [before] = await this.query<{ id: number | null }>(`SELECT MAX(order_id) AS id FROM \`${t}order\``);
    const customer = { ...defaultCustomer(++instanceCount), ...input.customer };
    const [ship] = await this.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM \`${t}product\` WHERE shipping = 1 AND product_id IN (?)`,
      [input.products.map((p) => p.productId)],
    );
    await checkoutAsGuest(this.version, this.baseUrl, input, customer, Number(ship?.n) > 0);
    const rows = await this.query<{ order_id: number; order_status_id: number }>(
      `SELECT order_id, order_status_id FROM \`${t}order\` WHERE order_id > ? AND email = ? ORDER BY order_id DESC LIMIT 1`,
      [before?.id ?? 0, customer.email],
    );
    if (!rows.length)
      throw new Error(
        `OpenCart ${this.version}: the checkout finished but wrote no order for ${customer.email}`,
      );
    if (!rows[0].order_status_id)
      throw new Error(
        `OpenCart ${this.version}: order ${rows[0].order_id} was written but never confirmed (status 0)`,
      );
    return { orderId: Number(rows[0].order_id) };
  }

  async adminLogin(): Promise<AdminSession> {
    return (await this.adminSession()).session;
  }

  private async adminSession(): Promise<{ web: HttpSession; session: AdminSession }> {
    const web = new HttpSession();
    const url = `${this.adminUrl}index.php?route=common/login`;
    const page = await web.get(url);
    let token: string | null;
    if (this.version.startsWith('3.')) {
      const res = await web.post(url, [
        ['username', this.admin.username],
        ['password', this.admin.password],
      ]);
      token = /user_token=([A-Za-z0-9]+)/.exec(res.location ?? '')?.[1] ?? null;
    } else {
      const loginToken = /login_token=([A-Za-z0-9]+)/.exec(page.text)?.[1];
      if (!loginToken) throw new Error(`OpenCart ${this.version} admin login page has no login_token`);
      const res = await web.post(
        `${this.adminUrl}index.php?route=common/login.login&login_token=${loginToken}`,
        [
          ['username', this.admin.username],
          ['password', this.admin.password],
        ],
      );
      const json = parseOpenCartJson(res, 'admin login');
      token = /user_token=([A-Za-z0-9]+)/.exec(String(json.redirect ?? ''))?.[1] ?? null;
    }
    if (!token) throw new Error(`OpenCart ${this.version} admin login failed for ${this.admin.username}`);
    return { web, session: { token, cookie: await web.cookieHeader(this.adminUrl) } };
  }

  async setOrderStatus(orderId: number, statusId: number, comment = ''): Promise<void> {
    const { web, session } = await this.adminSession();
    const a = `${this.adminUrl}index.php?user_token=${session.token}`;
    const form: Array<[string, string]> = [
      ['order_id', String(orderId)],
      ['order_status_id', String(statusId)],
      ['comment', comment],
      ['notify', '0'],
      ['override', '0'],
    ];
    let json: Record<string, unknown>;
    if (this.version.startsWith('3.')) {
      // The admin order page opens an API session and posts to the catalog's api/order/history.
      const info = await web.get(`${a}&route=sale/order/info&order_id=${orderId}`);
      const apiToken = /api_token=([A-Za-z0-9]+)/.exec(info.text)?.[1];
      if (!apiToken)
        throw new Error(
          `OpenCart ${this.version}: the admin order page gave no api_token (API user or api_ip missing?)`,
        );
      json = parseOpenCartJson(
        await web.post(
          `${this.baseUrl}index.php?route=api/order/history&api_token=${apiToken}&store_id=0&order_id=${orderId}`,
          form,
        ),
        'api/order/history',
      );
    } else if (this.version.startsWith('4.0')) {
      // sale/order.info opens the API session that sale/order.call hands to the catalog's api/sale/order.
      await web.get(`${a}&route=sale/order.info&order_id=${orderId}`);
      json = parseOpenCartJson(
        await web.post(
          `${a}&route=sale/order.call&action=sale/order.addHistory&store_id=0&language=en-gb&order_id=${orderId}`,
          form,
        ),
        'sale/order.call addHistory',
      );
    } else {
      const [o] = await this.query<{ currency_code: string }>(
        `SELECT currency_code FROM \`${this.prefix}order\` WHERE order_id = ?`,
        [orderId],
      );
      json = parseOpenCartJson(
        await web.post(
          `${a}&route=sale/order.call&call=history_add&store_id=0&language=en-gb&currency=${o?.currency_code ?? 'USD'}&order_id=${orderId}`,
          form,
        ),
        'sale/order.call history_add',
      );
    }
    if (json.error)
      throw new Error(
        `OpenCart ${this.version} refused status ${statusId} on order ${orderId}: ${JSON.stringify(json.error)}`,
      );
    const [row] = await this.query<{ order_status_id: number }>(
      `SELECT order_status_id FROM \`${this.prefix}order\` WHERE order_id = ?`,
      [orderId],
    );
    if (Number(row?.order_status_id) !== statusId) {
      throw new Error(
        `OpenCart ${this.version}: order ${orderId} is at status ${row?.order_status_id}, not ${statusId}, after ${JSON.stringify(json)}`,
      );
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await new Promise<void>((resolve) => {
      if (this.server.exitCode !== null) return resolve();
      this.server.once('exit', () => resolve());
      killGroup(this.server, 'SIGTERM');
      setTimeout(() => killGroup(this.server, 'SIGKILL'), 3000);
    });
    await this.conn.query(`DROP DATABASE IF EXISTS \`${this.dbName}\``);
    await this.conn.end();
    await rm(this.dir, { recursive: true, force: true });
  }
}
