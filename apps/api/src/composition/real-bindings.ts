import { Logger } from '@nestjs/common';
import { connectOpenCart, openConnectorStore } from '@oc-xero/opencart-db';
import { isSyncError } from '@oc-xero/sync-core';
import type { AppConfig } from '../config/app-config';
import { StartupError } from '../common/startup-error';
import type { PortBindings } from './ports.module';
import { createSyncCoreEngine } from './sync-core.engine';
import { syncCoreSettingsCodec } from './sync-core-settings.codec';
import { XeroClientConnector } from './xero-client.connector';

const why = (e: unknown): string => (isSyncError(e) || e instanceof Error ? e.message : String(e));

/**
 * THE composition root: the only place that wires opencart-db and xero-client into sync-core.
 * Each adapter that cannot open names its variable.
 */
export async function createRealBindings(config: AppConfig): Promise<PortBindings> {
  const logger = new Logger('Adapters');
  let connector: Awaited<ReturnType<typeof openConnectorStore>>;
  try {
    connector = await openConnectorStore({
      url: config.connectorDb.url,
      encryptionKey: config.encryptionKey,
      logger: { info: (m) => logger.log(m), warn: (m) => logger.warn(m) },
    });
  } catch (e) {
    throw new StartupError(`CONNECTOR_DB_URL: the connector store cannot open: ${why(e)}`, e);
  }
  let store: Awaited<ReturnType<typeof connectOpenCart>>;
  try {
    store = await connectOpenCart({
      url: config.opencartDb.url,
      prefix: config.opencartDb.prefix,
      logger: { warn: (obj, msg) => logger.warn({ msg, ...obj }), error: (obj, msg) => logger.error({ msg, ...obj }) },
    });
  } catch (e) {
    await connector.close();
    throw new StartupError(`OPENCART_DB_URL / OPENCART_DB_PREFIX: the OpenCart database cannot be read: ${why(e)}`, e);
  }
  const xeroLogger = new Logger('XeroClient');
  return {
    connectorStore: connector.store,
    reader: store.reader,
    writer: store.writer,
    xeroConnector: new XeroClientConnector(config, connector.store, {
      info: (m, d) => xeroLogger.log({ msg: m, ...d }),
      warn: (m, d) => xeroLogger.warn({ msg: m, ...d }),
    }),
    syncEngine: createSyncCoreEngine({ store: connector.store, reader: store.reader, writer: store.writer }),
    settingsCodec: syncCoreSettingsCodec,
    close: async () => {
      await store.close();
      await connector.close();
    },
  };
}
