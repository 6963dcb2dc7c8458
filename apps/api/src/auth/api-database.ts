import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { StartupError } from '../common/startup-error';
import { ApiSecurity1764700000000 } from './api-security.migration';
import { ApiTables1763900000000 } from './api-tables.migration';

/** The connector database URL as it may be shown: no password. */
export const redactedDbUrl = (db: AppConfig['connectorDb']): string =>
  `mysql://${db.user}${db.password ? ':***' : ''}@${db.host}:${db.port}/${db.database}`;

const reason = (e: unknown): string => {
  const err = e as { code?: string; message?: string };
  if (err.code === 'ECONNREFUSED') return 'nothing answers at that host and port (is MariaDB/MySQL running?)';
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return 'the host name does not resolve';
  if (err.code === 'ER_ACCESS_DENIED_ERROR') return 'the user or password is refused';
  if (err.code === 'ER_DBACCESS_DENIED_ERROR') return 'the user may not use or create that database';
  if (err.code === 'ETIMEDOUT') return 'the connection timed out';
  return err.code ?? 'connection failed';
};

/**
 * Opens the API's own connection to the connector database, creating the database when missing
 * (so a fresh install starts with one command) and running the API's migrations.
 */
export async function openApiDatabase(config: AppConfig): Promise<DataSource> {
  const db = config.connectorDb;
  try {
    const admin = await createConnection({ host: db.host, port: db.port, user: db.user, password: db.password, connectTimeout: 5000 });
    try {
      await admin.query(`CREATE DATABASE IF NOT EXISTS \`${db.database.replace(/`/g, '``')}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    } finally {
      await admin.end();
    }
  } catch (e) {
    throw new StartupError(
      `CONNECTOR_DB_URL: cannot open the connector database ${redactedDbUrl(db)}: ${reason(e)}. ` +
        'Fix the URL (mysql://user:password@host:port/database) or start the database server.',
      e,
    );
  }
  const ds = new DataSource({
    type: 'mysql',
    host: db.host,
    port: db.port,
    username: db.user,
    password: db.password,
    database: db.database,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    synchronize: false,
    migrationsTableName: 'api_migrations',
    migrations: [ApiTables1763900000000, ApiSecurity1764700000000],
    connectTimeout: 5000,
  });
  try {
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
  } catch (e) {
    if (ds.isInitialized) await ds.destroy();
    throw new StartupError(`CONNECTOR_DB_URL: cannot prepare the API tables in ${redactedDbUrl(db)}: ${reason(e)}.`, e);
  }
  return ds;
}
