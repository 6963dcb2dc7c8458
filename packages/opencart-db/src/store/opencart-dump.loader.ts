import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, promises as fs } from 'node:fs';
import { SyncError } from '@oc-xero/sync-core';
import { createConnection, type Connection } from 'mysql2/promise';
import { connectError, describeServer, parseMysqlUrl, type MysqlUrlParts } from './mysql-url.util';

/** What to load where. */
export interface LoadOpenCartDumpOptions {
  /** mysql://user:password@host:3306 — the server; a database in the path is ignored. */
  serverUrl: string;
  /** Database to create; it must not exist yet unless `replace` is set. */
  database: string;
  /** Path of the .sql dump (mysqldump output of an OpenCart database). */
  file: string;
  /** Rename every table from `sourcePrefix` to this prefix after loading (default: keep). */
  prefix?: string;
  /** Prefix the dump's tables carry (default 'oc_', OpenCart's installer default). */
  sourcePrefix?: string;
  /** Drop an existing database of that name first (default false: refuse). */
  replace?: boolean;
  /** 'cli' = the mysql client, 'driver' = mysql2 with multipleStatements, 'auto' = cli when installed. */
  client?: 'auto' | 'cli' | 'driver';
}

/** What was loaded. */
export interface LoadOpenCartDumpResult {
  database: string;
  /** Prefix the tables have now. */
  prefix: string;
  /** Number of tables in the database after loading. */
  tables: number;
  /** Which client loaded it. */
  client: 'cli' | 'driver';
  elapsedMs: number;
}

const NAME = /^[A-Za-z0-9_]+$/;
const PREFIX = /^[A-Za-z0-9_]*$/;

/**
 * Creates a fresh database and loads an OpenCart dump into it, optionally renaming every table to
 * another prefix (a store's DB_PREFIX need not be oc_). Used by tests and the demo.
 */
export async function loadOpenCartDump(options: LoadOpenCartDumpOptions): Promise<LoadOpenCartDumpResult> {
  const started = Date.now();
  const server = parseMysqlUrl(options.serverUrl, 'MySQL server URL');
  const sourcePrefix = options.sourcePrefix ?? 'oc_';
  const prefix = options.prefix ?? sourcePrefix;
  if (!NAME.test(options.database)) {
    throw new SyncError(
      'config',
      `database name \`${options.database}\` may hold only letters, digits and underscores`,
    );
  }
  if (!PREFIX.test(prefix) || !PREFIX.test(sourcePrefix)) {
    throw new SyncError('config', `table prefix \`${prefix}\` may hold only letters, digits and underscores`);
  }
  if (!existsSync(options.file)) {
    throw new SyncError(
      'config',
      `OpenCart dump ${options.file} does not exist (set OPENCART_FIXTURES_DIR to the folder holding opencart-3.sql / opencart-4.sql)`,
    );
  }
  const client =
    options.client === 'driver' || (options.client !== 'cli' && !mysqlCliAvailable()) ? 'driver' : 'cli';

  let conn: Connection;
  try {
    conn = await createConnection({
      host: server.host,
      port: server.port,
      user: server.user,
      password: server.password,
      charset: 'utf8mb4_unicode_ci',
      multipleStatements: client === 'driver',
    });
  } catch (e) {
    throw connectError(e, { ...server, database: options.database });
  }
  try {
    const [existing] = await conn.query(
      'SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [options.database],
    );
    if ((existing as unknown[]).length > 0) {
      if (!options.replace) {
        throw new SyncError(
          'config',
          `database \`${options.database}\` already exists on ${describeServer(server)}: drop it first or pass replace: true`,
        );
      }
      await conn.query(`DROP DATABASE \`${options.database}\``);
    }
    await conn.query(
      `CREATE DATABASE \`${options.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    if (client === 'cli') await loadWithCli(server, options.database, options.file);
    else {
      await conn.query(`USE \`${options.database}\``);
      await conn.query(await fs.readFile(options.file, 'utf8'));
    }
    if (prefix !== sourcePrefix) await renameTables(conn, options.database, sourcePrefix, prefix);
    const [count] = await conn.query(
      'SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
      [options.database],
    );
    return {
      database: options.database,
      prefix,
      tables: Number((count as Array<{ n: number }>)[0].n),
      client,
      elapsedMs: Date.now() - started,
    };
  } finally {
    await conn.end();
  }
}

function mysqlCliAvailable(): boolean {
  const r = spawnSync('mysql', ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

function loadWithCli(server: MysqlUrlParts, database: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // The password goes through MYSQL_PWD so it never shows in `ps`.
    const child = spawn(
      'mysql',
      [
        '-h',
        server.host,
        '-P',
        String(server.port),
        '-u',
        server.user,
        '--default-character-set=utf8mb4',
        database,
      ],
      { env: { ...process.env, MYSQL_PWD: server.password }, stdio: ['pipe', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) =>
      reject(new SyncError('config', `cannot run the mysql client: ${e.message}`, { cause: e })),
    );
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new SyncError(
            'unexpected',
            `loading ${file} into \`${database}\` failed (mysql exit ${code}): ${stderr.trim().slice(0, 500)}`,
          ),
        );
    });
    const input = createReadStream(file);
    input.on('error', (e) => {
      child.kill();
      reject(new SyncError('config', `cannot read ${file}: ${e.message}`, { cause: e }));
    });
    input.pipe(child.stdin);
  });
}

async function renameTables(conn: Connection, database: string, from: string, to: string): Promise<void> {
  const [rows] = await conn.query(
    'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
    [database],
  );
  const names = (rows as Array<{ name: string }>).map((r) => r.name).filter((n) => n.startsWith(from));
  if (names.length === 0) {
    throw new SyncError(
      'config',
      `the dump loaded into \`${database}\` has no tables with prefix \`${from}\` to rename`,
    );
  }
  // One RENAME TABLE statement renames them all atomically.
  const pairs = names.map(
    (n) => `\`${database}\`.\`${n}\` TO \`${database}\`.\`${to}${n.slice(from.length)}\``,
  );
  await conn.query(`RENAME TABLE ${pairs.join(', ')}`);
}
