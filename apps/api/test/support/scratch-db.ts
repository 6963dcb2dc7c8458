import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

/** The MySQL server of the medium tests (TEST_MYSQL_URL, root on 127.0.0.1 by default). */
export const SERVER_URL = (process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
const PREFIX = 'ocx_t_api_';

/** A fresh scratch database name of this package (created by whoever opens it first). */
export const scratchName = (what: string): string => `${PREFIX}${what}_${randomBytes(4).toString('hex')}`;

export const dbUrl = (database: string): string => `${SERVER_URL}/${database}`;

/** Drops scratch databases; only ever names with this package's prefix. */
export async function dropDatabases(names: string[]): Promise<void> {
  const u = new URL(SERVER_URL);
  const c = await createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username || 'root'), password: decodeURIComponent(u.password) });
  try {
    for (const name of names) {
      if (!name.startsWith(PREFIX)) throw new Error(`refusing to drop ${name}: not a scratch database of this suite`);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
    }
  } finally {
    await c.end();
  }
}
