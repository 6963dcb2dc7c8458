import { spawn } from 'child_process';
import { createReadStream } from 'fs';
import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';
import { parseServerUrl } from '../../src/writer/sample-store.writer';

/** The test server: TEST_MYSQL_URL, default the CI MariaDB (root, no password). */
export const serverUrl = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

/** A fresh scratch database name for this run (our prefix, never anyone else's databases). */
export function scratchDatabase(tag: string): string {
  return `ocx_t_sample_${tag}_${process.pid}_${Date.now() % 1_000_000}`;
}

export async function connect(database?: string): Promise<Connection> {
  const address = parseServerUrl(serverUrl);
  // Every value as the text MySQL sends (decimals exactly, ints as strings), NULL as null.
  return mysql.createConnection({ ...address, database, charset: 'utf8mb4_unicode_ci', typeCast: (field) => field.string() });
}

export async function query<T = Record<string, unknown>>(connection: Connection, sql: string, params: unknown[] = []): Promise<T[]> {
  const [rows] = await connection.query<RowDataPacket[]>(sql, params);
  return rows as unknown as T[];
}

export async function dropDatabase(database: string): Promise<void> {
  if (!database.startsWith('ocx_t_sample_')) throw new Error(`refusing to drop ${database}: not a scratch database`);
  const connection = await connect();
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await connection.end();
  }
}

/** Creates `database` and pipes a .sql dump into the mysql client, as an operator would. */
export async function loadDump(database: string, file: string): Promise<void> {
  const { host, port, user, password } = parseServerUrl(serverUrl);
  const connection = await connect();
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await connection.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
  } finally {
    await connection.end();
  }
  await new Promise<void>((resolve, reject) => {
    const args = [`-h${host}`, `-P${port}`, `-u${user}`, database];
    const child = spawn('mysql', args, { stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, MYSQL_PWD: password } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => reject(new Error(`cannot run the mysql client to load ${file}: ${error.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`mysql exited with ${code} loading ${file}: ${stderr.trim()}`))));
    createReadStream(file).on('error', reject).pipe(child.stdin);
  });
}
