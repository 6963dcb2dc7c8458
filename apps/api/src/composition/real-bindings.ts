import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { openAdapters } from './adapters.root';
import type { PortBindings } from './ports.module';
import { createSyncCoreEngine } from './sync-core.engine';
import { syncCoreSettingsCodec } from './sync-core-settings.codec';

/** The service's face of the composition root (adapters.root.ts): the adapters bound to the Nest ports. */
export async function createRealBindings(config: AppConfig): Promise<PortBindings> {
  const logger = new Logger('Adapters');
  const adapters = await openAdapters(config, {
    logger: {
      info: (msg, fields) => logger.log({ msg, ...fields }),
      warn: (msg, fields) => logger.warn({ msg, ...fields }),
      error: (msg, fields) => logger.error({ msg, ...fields }),
    },
  });
  const { openCart, connector } = adapters;
  return {
    connectorStore: connector.store,
    reader: openCart.reader,
    writer: openCart.writer,
    xeroConnector: adapters.xero,
    syncEngine: createSyncCoreEngine({ store: connector.store, reader: openCart.reader, writer: openCart.writer }),
    settingsCodec: syncCoreSettingsCodec,
    close: adapters.close,
  };
}
