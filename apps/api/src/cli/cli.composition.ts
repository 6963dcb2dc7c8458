/**
 * The command line's face of the composition root (composition/adapters.root.ts, shared with the
 * service): opens the adapters from the one configuration and wires them into sync-core's
 * SyncRunner. The CLI, the demo, the benchmark and the acceptance tests all go through here, so
 * what the tests prove is what ships. Each step that cannot open says which variable to look at.
 */
import type { OpenCartConnection, OpenConnectorStore } from '@oc-xero/opencart-db';
import {
  SyncRunner,
  isSyncError,
  systemClock,
  type Clock,
  type ConnectorStore,
  type SyncLogger,
  type XeroPort,
} from '@oc-xero/sync-core';
import type { ClientClock, XeroClientConfigInput } from '@oc-xero/xero-client';
import pino, { type Logger } from 'pino';
import { StartupError } from '../common/startup-error';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, type AppConfig } from '../config/app-config';
import { openAdapters, type AdapterLogger, type Adapters } from '../composition/adapters.root';

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
  config: AppConfig;
  openCart: OpenCartConnection;
  connector: OpenConnectorStore;
  store: ConnectorStore;
  xero: XeroPort;
  /** Organisation synced with. */
  tenant: { tenantId: string; tenantName: string };
  runner: SyncRunner;
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

/** The adapters' chatter (pool opened, token refreshed) is debug on the command line; problems stay warnings. */
function adapterLoggerOf(logger: Logger): AdapterLogger {
  return {
    info: (m, d) => logger.debug(d ?? {}, m),
    warn: (m, d) => logger.warn(d ?? {}, m),
    error: (m, d) => logger.error(d ?? {}, m),
  };
}

async function connectXero(config: AppConfig, adapters: Adapters): Promise<{ xero: XeroPort; tenant: { tenantId: string; tenantName: string } }> {
  const x = config.xero;
  if (x.sandbox) {
    try {
      // The sandbox's default app, unless told otherwise; its client_credentials connects its first
      // organisation (the one --seed lists first).
      const credentials = { clientId: x.clientId ?? SANDBOX_CLIENT_ID, clientSecret: x.clientSecret ?? SANDBOX_CLIENT_SECRET };
      return await adapters.xero.connectCustom(credentials, config.scope);
    } catch (e) {
      throw new StartupError(
        `XERO_SANDBOX_URL: cannot connect to the Xero sandbox at ${x.apiUrl}: ${why(e)} (is \`npx xero-sandbox --port N\` running there?)`,
        e,
      );
    }
  }

  // Real Xero: the connection is made in the connector's admin page (the API) and stored; the CLI
  // uses those tokens. The app's credentials come from the environment or the saved settings.
  const store = adapters.connector.store;
  let saved: Record<string, unknown> | null = null;
  try {
    saved = await store.loadSettings(config.scope);
  } catch (e) {
    throw new StartupError(`CONNECTOR_DB_URL: the saved settings cannot be read: ${why(e)}`, e);
  }
  const clientId = x.clientId ?? (typeof saved?.clientId === 'string' ? saved.clientId : '');
  const clientSecret = x.clientSecret ?? (typeof saved?.clientSecret === 'string' ? saved.clientSecret : '');
  if (!clientId || !clientSecret) {
    throw new StartupError(
      'No Xero app credentials: set XERO_CLIENT_ID and XERO_CLIENT_SECRET (or save them in the connector settings), or set XERO_SANDBOX_URL to sync with a local sandbox.',
    );
  }
  const tokens = await store.loadTokens(config.scope);
  if (!tokens) {
    throw new StartupError(
      `Xero is not connected for scope "${config.scope}": connect it in the connector's admin page (Settings → Connect to Xero), then run the CLI again.`,
    );
  }
  // The CLI never runs the consent (the API does); the redirect URI is the one the API registers.
  try {
    const xero = await adapters.xero.gateway({ clientId, clientSecret }, `${config.publicBaseUrl}/api/xero/callback`, config.scope);
    return { xero, tenant: { tenantId: tokens.tenantId ?? '', tenantName: tokens.tenantName ?? '' } };
  } catch (e) {
    throw new StartupError(`Xero: ${why(e)}`, e);
  }
}

/** Opens everything a run needs; close() releases it. Throws StartupError naming what to fix. */
export async function openSyncContext(config: AppConfig, options: SyncContextOptions = {}): Promise<SyncContext> {
  const logger = options.logger ?? createCliLogger(config.logLevel);
  const adapters = await openAdapters(config, {
    logger: adapterLoggerOf(logger.child({ component: 'Adapters' })),
    onStoreQuery: options.onStoreQuery,
    xero: options.xero,
    xeroClock: options.xeroClock,
  });
  try {
    const { xero, tenant } = await connectXero(config, adapters);
    const { openCart, connector } = adapters;
    const runner = new SyncRunner({
      reader: openCart.reader,
      writer: openCart.writer,
      xero,
      store: connector.store,
      logger: syncLoggerOf(logger.child({ component: 'SyncRunner' })),
      clock: options.clock ?? systemClock,
    });
    return { config, openCart, connector, store: connector.store, xero, tenant, runner, close: adapters.close };
  } catch (e) {
    await adapters.close();
    throw e;
  }
}
