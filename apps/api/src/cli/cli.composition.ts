/**
 * The command line's composition root: opens the store, the connector's own database and the Xero
 * connection from a CliConfig and wires them into sync-core's SyncRunner. The CLI, the demo, the
 * benchmark and the acceptance tests all go through here, so what the tests prove is what ships.
 * Each step that cannot open says which variable to look at.
 */
import {
  connectOpenCart,
  openConnectorStore,
  type OpenCartConnection,
  type OpenConnectorStore,
} from '@oc-xero/opencart-db';
import {
  SyncRunner,
  isSyncError,
  systemClock,
  toDbTime,
  type Clock,
  type ConnectorStore,
  type SyncLogger,
  type XeroPort,
} from '@oc-xero/sync-core';
import {
  parseXeroClientConfig,
  XeroAuthService,
  XeroGateway,
  type ClientClock,
  type XeroClientConfigInput,
  type XeroClientLogger,
} from '@oc-xero/xero-client';
import { createConnection } from 'mysql2/promise';
import pino, { type Logger } from 'pino';
import type { CliConfig } from './cli-env.config';

/** The run could not start: the message says why and what to fix (never a secret). */
export class CliStartupError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'CliStartupError';
  }
}

export interface SyncContextOptions {
  /** Diagnostics (stderr by default). */
  logger?: Logger;
  /** Extra Xero client settings (limits, timeouts) — the benchmark and tests use it. */
  xero?: Partial<XeroClientConfigInput>;
  /** The clock the Xero client counts its rolling minute with (the benchmark follows a fast sandbox clock). */
  xeroClock?: ClientClock;
  /** The run clock (tests pin it). */
  clock?: Clock;
  /** Called with every SQL statement sent to the store. */
  onStoreQuery?: (sql: string) => void;
}

export interface SyncContext {
  config: CliConfig;
  openCart: OpenCartConnection;
  connector: OpenConnectorStore;
  store: ConnectorStore;
  xero: XeroPort;
  auth: XeroAuthService;
  /** Organisation synced with. */
  tenant: { tenantId: string; tenantName: string };
  runner: SyncRunner;
  /** Seconds the store database's clock is ahead of UTC (its NOW() − UTC_TIMESTAMP()). */
  storeClockOffsetSeconds: number;
  close(): Promise<void>;
}

const why = (e: unknown): string => (isSyncError(e) || e instanceof Error ? e.message : String(e));

/** Diagnostics go to stderr, so stdout stays the summary (and --json stays parseable). */
export function createCliLogger(level: string): Logger {
  return pino({ level, base: undefined }, pino.destination(2));
}

export function syncLoggerOf(logger: Logger): SyncLogger {
  return {
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    error: (message, fields) => logger.error(fields ?? {}, message),
  };
}

function xeroLoggerOf(logger: Logger): XeroClientLogger {
  return { info: (m, d) => logger.debug(d ?? {}, m), warn: (m, d) => logger.warn(d ?? {}, m) };
}

/**
 * Reads how far the store database's clock is from UTC. OpenCart writes date_modified with the
 * database's NOW(), and the run's upper bound must be on that clock.
 */
async function storeClockOffsetSeconds(url: string): Promise<number> {
  const conn = await createConnection({ uri: url, connectTimeout: 10_000 });
  try {
    const [rows] = await conn.query('SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW()) AS offset_s');
    return Number((rows as Array<{ offset_s: number | string }>)[0]?.offset_s ?? 0);
  } finally {
    await conn.end();
  }
}

/**
 * The run's `until` bound in the store's clock, one second back: dates are stored to the second
 * and the bound is inclusive, so an order changed later in the current second would otherwise be
 * read now and again next run; one second back leaves it wholly to the next run.
 */
export function storeTimeFormatter(offsetSeconds: number): (date: Date) => string {
  return (date) => toDbTime(new Date(date.getTime() + offsetSeconds * 1000 - 1000));
}

async function connectXero(
  config: CliConfig,
  store: ConnectorStore,
  options: SyncContextOptions,
  logger: Logger,
): Promise<{ auth: XeroAuthService; xero: XeroGateway }> {
  const x = config.xero;
  const xeroLogger = xeroLoggerOf(logger.child({ component: 'XeroClient' }));
  if (x.mode === 'sandbox') {
    const clientConfig = parseXeroClientConfig({
      clientId: x.clientId,
      clientSecret: x.clientSecret,
      grantType: 'client_credentials',
      loginUrl: x.url,
      identityUrl: x.url,
      apiUrl: x.url,
      ...options.xero,
    });
    const auth = new XeroAuthService(clientConfig, {
      store,
      lock: store,
      logger: xeroLogger,
      clock: options.xeroClock,
    });
    try {
      // The sandbox's client_credentials connects its first organisation (the one --seed lists first).
      await auth.connectCustom(config.scope);
    } catch (e) {
      throw new CliStartupError(
        `XERO_SANDBOX_URL: cannot connect to the Xero sandbox at ${x.url}: ${why(e)} (is \`npx xero-sandbox --port N\` running there?)`,
        e,
      );
    }
    return { auth, xero: await XeroGateway.forScope(auth, config.scope, { clock: options.xeroClock }) };
  }

  // Real Xero: the connection is made in the connector's admin page (the API) and stored; the CLI
  // uses those tokens. The app's credentials come from the environment or the saved settings.
  let saved: Record<string, unknown> | null = null;
  try {
    saved = await store.loadSettings(config.scope);
  } catch (e) {
    throw new CliStartupError(`CONNECTOR_DB_URL: the saved settings cannot be read: ${why(e)}`, e);
  }
  const clientId = x.clientId ?? (typeof saved?.clientId === 'string' ? saved.clientId : '');
  const clientSecret = x.clientSecret ?? (typeof saved?.clientSecret === 'string' ? saved.clientSecret : '');
  if (!clientId || !clientSecret) {
    throw new CliStartupError(
      'No Xero app credentials: set XERO_CLIENT_ID and XERO_CLIENT_SECRET (or save them in the connector settings), or set XERO_SANDBOX_URL to sync with a local sandbox.',
    );
  }
  // The CLI never runs the consent (the API does); the redirect URI only has to be the app's, the
  // same one the API registers, for the configuration to be complete.
  const clientConfig = parseXeroClientConfig({
    clientId,
    clientSecret,
    redirectUri: `${x.publicBaseUrl}/api/xero/callback`,
    loginUrl: x.loginUrl,
    identityUrl: x.identityUrl,
    apiUrl: x.apiUrl,
    ...options.xero,
  });
  const auth = new XeroAuthService(clientConfig, {
    store,
    lock: store,
    logger: xeroLogger,
    clock: options.xeroClock,
  });
  const tokens = await store.loadTokens(config.scope);
  if (!tokens) {
    throw new CliStartupError(
      `Xero is not connected for scope "${config.scope}": connect it in the connector's admin page (Settings → Connect to Xero), then run the CLI again.`,
    );
  }
  try {
    return { auth, xero: await XeroGateway.forScope(auth, config.scope, { clock: options.xeroClock }) };
  } catch (e) {
    throw new CliStartupError(`Xero: ${why(e)}`, e);
  }
}

/** Opens everything a run needs; close() releases it. Throws CliStartupError naming what to fix. */
export async function openSyncContext(
  config: CliConfig,
  options: SyncContextOptions = {},
): Promise<SyncContext> {
  const logger = options.logger ?? createCliLogger(config.logLevel);
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async (): Promise<void> => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    let openCart: OpenCartConnection;
    try {
      openCart = await connectOpenCart({
        url: config.opencartDbUrl,
        prefix: config.opencartDbPrefix,
        onQuery: options.onStoreQuery,
        logger: { warn: (o, m) => logger.warn(o, m), error: (o, m) => logger.error(o, m) },
      });
    } catch (e) {
      throw new CliStartupError(
        `OPENCART_DB_URL / OPENCART_DB_PREFIX: the OpenCart database cannot be used: ${why(e)}`,
        e,
      );
    }
    closers.push(() => openCart.close());

    let offset: number;
    try {
      offset = await storeClockOffsetSeconds(config.opencartDbUrl);
    } catch (e) {
      throw new CliStartupError(`OPENCART_DB_URL: cannot read the store database's clock: ${why(e)}`, e);
    }

    let connector: OpenConnectorStore;
    try {
      connector = await openConnectorStore({
        url: config.connectorDbUrl,
        encryptionKey: config.encryptionKey,
        logger: { info: (m) => logger.debug(m), warn: (m) => logger.warn(m) },
      });
    } catch (e) {
      throw new CliStartupError(`CONNECTOR_DB_URL: the connector's database cannot be opened: ${why(e)}`, e);
    }
    closers.push(() => connector.close());

    const { auth, xero } = await connectXero(config, connector.store, options, logger);
    const tokens = await connector.store.loadTokens(config.scope);
    const runner = new SyncRunner({
      reader: openCart.reader,
      writer: openCart.writer,
      xero,
      store: connector.store,
      logger: syncLoggerOf(logger.child({ component: 'SyncRunner' })),
      clock: options.clock ?? systemClock,
    });
    return {
      config,
      openCart,
      connector,
      store: connector.store,
      xero,
      auth,
      tenant: { tenantId: tokens?.tenantId ?? '', tenantName: tokens?.tenantName ?? '' },
      runner,
      storeClockOffsetSeconds: offset,
      close: closeAll,
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
