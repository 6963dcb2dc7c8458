import 'reflect-metadata';
import { SyncError, type OcStoreInfo, type OpenCartReader, type OpenCartWriter } from '@oc-xero/sync-core';
import { DataSource } from 'typeorm';
import { connectError, describeServer, parseMysqlUrl } from './mysql-url.util';
import { detectOpenCartSchema, type OpenCartSchema } from './opencart-schema.detector';
import { OpenCartSetupRepository } from './opencart-setup.repository';
import { storeError } from './opencart-store.errors';
import { StoreQueryCounter, StoreTypeOrmLogger, type StoreLogger } from './opencart-store.logger';
import { OpenCartStoreReader } from './opencart-store.reader';
import { OpenCartStoreWriter } from './opencart-store.writer';

/** How to reach a store's database. */
export interface OpenCartConnectionOptions {
  /** mysql://user:password@host:3306/database — the database in the path. */
  url: string;
  /** The store's table prefix (DB_PREFIX in OpenCart's config.php), e.g. 'oc_'; may be ''. */
  prefix: string;
  /** Where warnings (unreadable method JSON, slow queries) go; never receives passwords or parameters. */
  logger?: StoreLogger;
  /** Connections in the pool (default 4). */
  poolSize?: number;
  /** How long to wait for the server on connect (default 10000). */
  connectTimeoutMs?: number;
  /** Called with every SQL statement sent (tests count them; nothing else needs it). */
  onQuery?: (sql: string) => void;
}

/** An open store: the port's two halves, what was detected, and a way to close it. */
export interface OpenCartConnection {
  reader: OpenCartReader;
  writer: OpenCartWriter;
  /** Version, prefix, default currency and admin language, detected at connect. */
  info: OcStoreInfo;
  /** The detected schema details (table naming, optional tables). */
  schema: OpenCartSchema;
  /** Statements sent since connect (all of them, including transaction control). */
  readonly queryCount: number;
  /** Closes the pool. */
  close(): Promise<void>;
}

/**
 * Opens a store's database, detects OpenCart 3.x/4.x from its schema and refuses, with a message
 * naming what is missing, when it is not OpenCart or the prefix is wrong.
 */
export async function connectOpenCart(options: OpenCartConnectionOptions): Promise<OpenCartConnection> {
  const parts = parseMysqlUrl(options.url);
  if (!parts.database) {
    throw new SyncError(
      'config',
      `the OpenCart database URL for ${describeServer(parts)} names no database: put it in the path, e.g. mysql://user:password@${describeServer(parts)}/opencart`,
    );
  }
  const counter = new StoreQueryCounter(options.onQuery);
  const ds = new DataSource({
    type: 'mysql',
    connectorPackage: 'mysql2',
    host: parts.host,
    port: parts.port,
    username: parts.user,
    password: parts.password,
    database: parts.database,
    // The dumps and live 4.x stores hold utf8mb4 text (emoji); read it as such.
    charset: 'utf8mb4_unicode_ci',
    // Dates stay the store clock's 'YYYY-MM-DD HH:MM:SS' strings: no time zone guessing.
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    poolSize: options.poolSize ?? 4,
    synchronize: false,
    entities: [],
    logger: new StoreTypeOrmLogger(counter, options.logger),
  });
  try {
    await ds.initialize();
  } catch (e) {
    throw connectError(e, parts);
  }
  try {
    const schema = await detectOpenCartSchema(ds, parts.database, options.prefix);
    const { info, settings } = await new OpenCartSetupRepository(schema).loadInfo((s, p) => ds.query(s, p));
    const reader = new OpenCartStoreReader(ds, schema, info, settings, options.logger);
    const writer = new OpenCartStoreWriter(ds, schema);
    return {
      reader,
      writer,
      info,
      schema,
      get queryCount() {
        return counter.queries;
      },
      close: async () => {
        if (ds.isInitialized) await ds.destroy();
      },
    };
  } catch (e) {
    await ds.destroy().catch(() => undefined);
    throw storeError(e, `reading the schema of \`${parts.database}\` on ${describeServer(parts)}`);
  }
}
