import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';
import { type Row, SAMPLE_STORE_MARKER_KEY } from '../generator/sample-store.generator';
import { createTableStatements, type ColumnLayout, tableLayout, tableNames } from '../schema/opencart.schema';
import type { OpenCartVersion } from '../sample-store.types';

const NAME_PATTERN = /^[A-Za-z0-9_]{1,64}$/;
const PREFIX_PATTERN = /^[A-Za-z0-9_]{0,32}$/;
const ROWS_PER_INSERT = 500;

/** Where and how to connect, parsed from a mysql:// URL; the password never reaches a message. */
export interface ServerAddress {
  host: string;
  port: number;
  user: string;
  password: string;
}

export function parseServerUrl(serverUrl: string): ServerAddress {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    throw new Error('The database server URL is not a URL: expected mysql://user[:password]@host[:port], e.g. mysql://root@127.0.0.1:3306');
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw new Error(`The database server URL must start with mysql:// (got ${url.protocol}//)`);
  }
  return {
    host: url.hostname || '127.0.0.1',
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
  };
}

export function assertDatabaseName(database: string): void {
  if (!NAME_PATTERN.test(database)) {
    throw new Error(`Database name "${database}" is not allowed: use 1–64 letters, digits or underscores`);
  }
}

export function assertPrefix(prefix: string): void {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new Error(`Table prefix "${prefix}" is not allowed: OpenCart's DB_PREFIX holds only letters, digits and underscores (e.g. oc_)`);
  }
}

export async function connectToServer(address: ServerAddress): Promise<Connection> {
  try {
    return await mysql.createConnection({ ...address, charset: 'utf8mb4_unicode_ci', dateStrings: true });
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).message;
    throw new Error(`Cannot connect to MySQL/MariaDB at ${address.host}:${address.port} as ${address.user}: ${code}`);
  }
}


/**
 * Dropping someone's real store by a typo in --database would lose everything: only replace an
 * empty database or one this builder made, unless forced.
 */
async function refuseForeignDatabase(connection: Connection, database: string, force: boolean): Promise<void> {
  if (force) return;
  const [tables] = await connection.query<RowDataPacket[]>('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [database]);
  if (tables.length === 0) return;
  for (const { name } of tables.filter((t) => String(t.name).endsWith('setting'))) {
    const [marker] = await connection.query<RowDataPacket[]>(`SELECT 1 FROM \`${database}\`.\`${String(name)}\` WHERE \`key\` = ? LIMIT 1`, [SAMPLE_STORE_MARKER_KEY]);
    if (marker.length > 0) return;
  }
  throw new Error(
    `Database ${database} already holds ${tables.length} tables and was not built by the sample-store builder: ` +
      'refusing to drop it. Choose another database name, or pass force (CLI: --force) to replace it.',
  );
}

/** Value for a column the generator left out: what OpenCart's INSERT would have produced. */
function fillValue(column: ColumnLayout): string | number | null {
  if (column.defaultValue !== undefined) return column.defaultValue.replace(/^'(.*)'$/, '$1');
  if (!column.notNull) return null;
  if (/int|decimal|double/.test(column.type)) return 0;
  if (column.type === 'datetime') return '0000-00-00 00:00:00';
  if (column.type === 'date') return '0000-00-00';
  return '';
}

/** Drops and re-creates the database, creates the version's tables under the prefix, and inserts the rows. */
export async function writeSampleStore(
  connection: Connection,
  target: { database: string; prefix: string; version: OpenCartVersion; force?: boolean },
  tables: Record<string, Row[]>,
): Promise<Record<string, number>> {
  const { database, prefix, version, force } = target;
  assertDatabaseName(database);
  assertPrefix(prefix);
  const known = new Set(tableNames(version));
  const unknown = Object.keys(tables).filter((t) => !known.has(t));
  if (unknown.length) throw new Error(`Rows generated for tables the ${version}.x schema does not have: ${unknown.join(', ')}`);

  await refuseForeignDatabase(connection, database, force ?? false);
  await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await connection.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await connection.query(`USE \`${database}\``);
  for (const statement of createTableStatements(version, prefix)) await connection.query(statement);

  const counts: Record<string, number> = {};
  await connection.beginTransaction();
  try {
    for (const table of tableNames(version)) {
      const rows = tables[table] ?? [];
      counts[table] = rows.length;
      if (rows.length === 0) continue;
      const layout = tableLayout(version, table);
      const columnNames = new Set(layout.map((c) => c.name));
      for (const row of rows) {
        const extra = Object.keys(row).filter((k) => !columnNames.has(k));
        if (extra.length) throw new Error(`Generated row for ${table} has columns the ${version}.x schema lacks: ${extra.join(', ')}`);
      }
      const columnsSql = layout.map((c) => `\`${c.name}\``).join(', ');
      for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
        const values = rows.slice(start, start + ROWS_PER_INSERT).map((row) => layout.map((c) => (c.name in row ? row[c.name] : fillValue(c))));
        await connection.query(`INSERT INTO \`${prefix}${table}\` (${columnsSql}) VALUES ?`, [values]);
      }
    }
    await connection.commit();
  } catch (error) {
    await connection.rollback();
    throw error;
  }
  return counts;
}
