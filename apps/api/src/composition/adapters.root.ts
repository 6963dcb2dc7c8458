import {
  connectOpenCart,
  openConnectorStore,
  type OpenCartConnection,
  type OpenConnectorStore,
} from '@oc-xero/opencart-db';
import { isSyncError } from '@oc-xero/sync-core';
import type { ClientClock, XeroClientConfigInput, XeroClientLogger } from '@oc-xero/xero-client';
import { StartupError } from '../common/startup-error';
import type { AppConfig } from '../config/app-config';
import { XeroClientConnector } from './xero-client.connector';

/** Where the adapters report while they open and work (Nest's logger in the service, pino on stderr in the CLI). */
export interface AdapterLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface AdapterOptions {
  logger: AdapterLogger;
  /** Called with every SQL statement sent to the store (the benchmark counts them). */
  onStoreQuery?: (sql: string) => void;
  /** Extra Xero client settings (limits, timeouts): the benchmark and tests use them. */
  xero?: Partial<XeroClientConfigInput>;
  /** The clock the Xero client counts its rolling minute with (the benchmark follows a fast sandbox clock). */
  xeroClock?: ClientClock;
}

/** The opened adapters: the store, the connector's own database and the Xero side. */
export interface Adapters {
  openCart: OpenCartConnection;
  connector: OpenConnectorStore;
  xero: XeroClientConnector;
  /** Closes both database pools. */
  close(): Promise<void>;
}

const why = (e: unknown): string => (isSyncError(e) || e instanceof Error ? e.message : String(e));

/**
 * THE composition root of the adapters: the only place that opens opencart-db and xero-client
 * from the configuration. The service (real-bindings.ts) and the command line (cli.composition.ts,
 * and so the demo, the benchmark and the acceptance tests) both start here, so they cannot drift.
 * Each adapter that cannot open names its variable.
 */
export async function openAdapters(config: AppConfig, options: AdapterOptions): Promise<Adapters> {
  const { logger } = options;
  let connector: OpenConnectorStore;
  try {
    connector = await openConnectorStore({
      url: config.connectorDb.url,
      encryptionKey: config.encryptionKey,
      logger: { info: (m) => logger.info(m), warn: (m) => logger.warn(m) },
    });
  } catch (e) {
    throw new StartupError(`CONNECTOR_DB_URL: the connector's database cannot be opened: ${why(e)}`, e);
  }
  let openCart: OpenCartConnection;
  try {
    openCart = await connectOpenCart({
      url: config.opencartDb.url,
      prefix: config.opencartDb.prefix,
      onQuery: options.onStoreQuery,
      logger: { warn: (obj, msg) => logger.warn(msg ?? '', obj), error: (obj, msg) => logger.error(msg ?? '', obj) },
    });
  } catch (e) {
    await connector.close().catch(() => undefined);
    throw new StartupError(`OPENCART_DB_URL / OPENCART_DB_PREFIX: the OpenCart database cannot be used: ${why(e)}`, e);
  }
  const xeroLogger: XeroClientLogger = {
    info: (m, d) => logger.info(m, d),
    warn: (m, d) => logger.warn(m, d),
  };
  return {
    openCart,
    connector,
    xero: new XeroClientConnector(config, connector.store, xeroLogger, { client: options.xero, clock: options.xeroClock }),
    close: async () => {
      await openCart.close().catch(() => undefined);
      await connector.close().catch(() => undefined);
    },
  };
}
