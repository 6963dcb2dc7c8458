import { randomBytes } from 'node:crypto';
import { Connection, createConnection } from 'mysql2/promise';

/** The test server; CI and the README use root without a password on 127.0.0.1:3306. */
export const TEST_SERVER_URL = (process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(
  /\/+$/,
  '',
);

/** A fresh scratch database name with this suite's prefix (never an existing database). */
export function scratchDatabaseName(label: string): string {
  return `ocx_t_conn_${label}_${process.pid}_${randomBytes(3).toString('hex')}`.slice(0, 64);
}

export function databaseUrl(database: string): string {
  return `${TEST_SERVER_URL}/${database}`;
}

/** A plain connection to the server, for raw checks the store must not influence. */
export async function serverConnection(database?: string): Promise<Connection> {
  const url = new URL(TEST_SERVER_URL);
  return createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    database,
    dateStrings: true,
  });
}

export async function dropDatabase(database: string): Promise<void> {
  if (!database.startsWith('ocx_t_conn_'))
    throw new Error(`refusing to drop ${database}: not a scratch database of this suite`);
  const connection = await serverConnection();
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await connection.end();
  }
}

export async function tableNames(database: string): Promise<string[]> {
  const connection = await serverConnection();
  try {
    const [rows] = await connection.query(
      'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
      [database],
    );
    return (rows as Array<{ name: string }>).map((row) => row.name);
  } finally {
    await connection.end();
  }
}
