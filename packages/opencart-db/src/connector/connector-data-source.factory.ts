import 'reflect-metadata';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { SyncError } from '@oc-xero/sync-core';
import { CONNECTOR_ENTITIES } from './entities';
import { InitialConnectorSchema1763900000000 } from './migrations/1763900000000-initial-connector-schema.migration';
import { SecretCipher } from './secret.cipher';
import { TypeormConnectorStore } from './typeorm-connector.store';

/** The database the connector keeps its own tables in when the URL names none. */
export const DEFAULT_CONNECTOR_DATABASE = 'oc_xero_connector';

/** TypeORM's bookkeeping table for our migrations. */
export const CONNECTOR_MIGRATIONS_TABLE = 'connector_migrations';

/** All migrations of the connector's database, oldest first. */
export const CONNECTOR_MIGRATIONS = [InitialConnectorSchema1763900000000];

/** What the connector tells its operator about its database (pino and most loggers fit). */
export interface ConnectorLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface ConnectorDatabaseOptions {
  /** mysql://user:password@host:port/database; the database defaults to oc_xero_connector. */
  url: string;
  /** Create the database when it does not exist (default true). */
  createDatabase?: boolean;
  /** Run pending migrations on start (default true). */
  runMigrations?: boolean;
  /** Connections in the pool (default 5). */
  poolSize?: number;
  /** Where to say what happened (migrations applied, database created). */
  logger?: ConnectorLogger;
}

export interface ConnectorStoreOptions extends ConnectorDatabaseOptions {
  /** 32-byte key, hex or base64, that encrypts tokens and secret settings at rest. */
  encryptionKey: string | Buffer;
}

interface ParsedUrl {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** Splits a connector database URL; the password never appears in an error message. */
export function parseConnectorDatabaseUrl(url: string): ParsedUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SyncError(
      'config',
      'The connector database URL is not a valid URL; expected mysql://user:password@host:3306/oc_xero_connector',
    );
  }
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new SyncError(
      'config',
      `The connector database URL must start with mysql:// (got ${parsed.protocol}//)`,
    );
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || DEFAULT_CONNECTOR_DATABASE;
  // The name goes into CREATE DATABASE, so only plain identifiers are accepted.
  if (!/^[A-Za-z0-9_$]{1,64}$/.test(database)) {
    throw new SyncError(
      'config',
      `The connector database name "${database}" is not allowed: use letters, digits and _ (at most 64).`,
    );
  }
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password),
    database,
  };
}

/**
 * The default home of the connector's tables: the store's own server (same host, port, user and
 * password as the store URL), in a database of its own.
 */
export function connectorDatabaseUrlFromStoreUrl(
  storeUrl: string,
  database = DEFAULT_CONNECTOR_DATABASE,
): string {
  let parsed: URL;
  try {
    parsed = new URL(storeUrl);
  } catch {
    throw new SyncError(
      'config',
      'The store database URL is not a valid URL; expected mysql://user:password@host:3306/opencart',
    );
  }
  parsed.pathname = `/${encodeURIComponent(database)}`;
  parsed.search = '';
  parsed.hash = '';
  return parsed.toString();
}

function describeConnectError(error: unknown, target: ParsedUrl): SyncError {
  const code = (error as { code?: string }).code ?? '';
  const where = `${target.host}:${target.port}`;
  const reasons: Record<string, string> = {
    ECONNREFUSED: `cannot reach the connector database at ${where}: connection refused (is MySQL/MariaDB running there?)`,
    ENOTFOUND: `cannot reach the connector database: host ${target.host} not found`,
    ETIMEDOUT: `cannot reach the connector database at ${where}: timed out`,
    ER_ACCESS_DENIED_ERROR: `the connector database at ${where} refused user "${target.user}": check the user and password in the URL`,
    ER_DBACCESS_DENIED_ERROR: `user "${target.user}" may not use or create database "${target.database}": create it and grant access, or use another database name`,
    ER_BAD_DB_ERROR: `the connector database "${target.database}" does not exist at ${where}`,
  };
  const message =
    reasons[code] ?? `cannot open the connector database at ${where} (${code || (error as Error).message})`;
  // A server that is down or slow may come back; a wrong host, user or name will not.
  const kind = code === 'ECONNREFUSED' || code === 'ETIMEDOUT' ? 'transient' : 'config';
  return new SyncError(kind, message, { cause: error });
}

/** Connects to the server (no database), creates ours when asked, and says whether it is MariaDB. */
async function inspectServer(
  target: ParsedUrl,
  createDatabase: boolean,
  logger?: ConnectorLogger,
): Promise<{ mariaDb: boolean }> {
  let connection;
  try {
    connection = await createConnection({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      connectTimeout: 10_000,
    });
  } catch (error) {
    throw describeConnectError(error, target);
  }
  try {
    const [versionRows] = await connection.query('SELECT VERSION() AS version');
    const mariaDb = /mariadb/i.test(String((versionRows as Array<{ version: string }>)[0]?.version));
    if (!createDatabase) return { mariaDb };
    const [rows] = await connection.query(
      'SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [target.database],
    );
    if ((rows as unknown[]).length === 0) {
      await connection.query(
        `CREATE DATABASE IF NOT EXISTS \`${target.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
      );
      logger?.info(`created the connector database ${target.database}`);
    }
    return { mariaDb };
  } catch (error) {
    throw describeConnectError(error, target);
  } finally {
    await connection.end();
  }
}

/**
 * Opens the connector's own database: creates it when missing, connects TypeORM (mysql2,
 * synchronize off, DATETIMEs as strings) and applies pending migrations. Two processes starting
 * together serialise their migrations on a server-side named lock.
 */
export async function createConnectorDataSource(options: ConnectorDatabaseOptions): Promise<DataSource> {
  const target = parseConnectorDatabaseUrl(options.url);
  const server = await inspectServer(target, options.createDatabase ?? true, options.logger);
  const dataSource = new DataSource({
    // TypeORM reads column defaults differently on MariaDB; the right type keeps its schema
    // comparison (and any future generated migration) honest. Both use the mysql2 driver.
    type: server.mariaDb ? 'mariadb' : 'mysql',
    host: target.host,
    port: target.port,
    username: target.user,
    password: target.password,
    database: target.database,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    synchronize: false,
    migrationsRun: false,
    entities: CONNECTOR_ENTITIES,
    migrations: CONNECTOR_MIGRATIONS,
    migrationsTableName: CONNECTOR_MIGRATIONS_TABLE,
    poolSize: options.poolSize ?? 5,
    logging: false,
  });
  try {
    await dataSource.initialize();
  } catch (error) {
    throw describeConnectError(error, target);
  }
  if (options.runMigrations ?? true) {
    try {
      await runConnectorMigrations(dataSource, options.logger);
    } catch (error) {
      await dataSource.destroy();
      throw error;
    }
  }
  return dataSource;
}

/** Applies pending migrations under a named server lock; returns the names applied. */
export async function runConnectorMigrations(
  dataSource: DataSource,
  logger?: ConnectorLogger,
): Promise<string[]> {
  const lockName = `oc_xero_migrations:${dataSource.options.database as string}`;
  const runner = dataSource.createQueryRunner();
  try {
    const [{ acquired }] = await runner.query('SELECT GET_LOCK(?, 60) AS acquired', [lockName]);
    if (Number(acquired) !== 1) {
      throw new SyncError(
        'transient',
        'another process has been migrating the connector database for over 60 s; try again shortly',
      );
    }
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      for (const migration of applied) {
        logger?.info(`applied connector migration ${migration.name}`);
      }
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [lockName]);
    }
  } finally {
    await runner.release();
  }
}

/** A ready connector store with its data source; close() ends the pool. */
export interface OpenConnectorStore {
  store: TypeormConnectorStore;
  dataSource: DataSource;
  close(): Promise<void>;
}

/** Validates the key first (no connection is made with a bad key), then opens the database. */
export async function openConnectorStore(options: ConnectorStoreOptions): Promise<OpenConnectorStore> {
  const cipher = new SecretCipher(options.encryptionKey);
  const dataSource = await createConnectorDataSource(options);
  return {
    store: new TypeormConnectorStore(dataSource, cipher),
    dataSource,
    close: () => dataSource.destroy(),
  };
}
