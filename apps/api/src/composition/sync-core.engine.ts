import { Logger } from '@nestjs/common';
import {
  PreviewOrdersUseCase,
  SyncRunner,
  systemClock,
  type ConnectorStore,
  type OpenCartReader,
  type OpenCartWriter,
  type Settings,
  type SyncLogger,
  type SyncRun,
} from '@oc-xero/sync-core';
import type { SyncEngine } from '../ports/sync-engine.port';

/** sync-core's logger port over Nest's (pino) logger: fields stay structured, the run id among them. */
export function nestSyncLogger(context: string): SyncLogger {
  const logger = new Logger(context);
  return {
    info: (msg, fields) => logger.log({ msg, ...fields }),
    warn: (msg, fields) => logger.warn({ msg, ...fields }),
    error: (msg, fields) => logger.error({ msg, ...fields }),
  };
}

/** The store as the runner sees it, telling the API the moment the run record exists. */
function announcingStore(store: ConnectorStore, onStarted: (run: SyncRun) => void): ConnectorStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'startRun') {
        return async (input: Parameters<ConnectorStore['startRun']>[0]) => {
          const run = await target.startRun(input);
          onStarted(run);
          return run;
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The SyncEngine over sync-core's SyncRunner and PreviewOrdersUseCase. */
export function createSyncCoreEngine(deps: { store: ConnectorStore; reader: OpenCartReader; writer: OpenCartWriter }): SyncEngine {
  const logger = nestSyncLogger('SyncRunner');
  return {
    async execute(ctx) {
      const runner = new SyncRunner({
        reader: deps.reader,
        writer: deps.writer,
        xero: ctx.xero,
        store: announcingStore(deps.store, ctx.onStarted),
        logger,
        clock: systemClock,
      });
      const summary = await runner.run({
        scope: ctx.scope,
        kind: ctx.request.kind,
        trigger: ctx.trigger,
        dryRun: ctx.request.dryRun,
        from: ctx.request.from,
        to: ctx.request.to,
        orderIds: ctx.request.orderIds,
        confirmStock: ctx.request.confirmStock,
        settings: ctx.settings as unknown as Settings,
        signal: ctx.signal,
        onProgress: (event) => ctx.progress({ ...event }),
      });
      return summary as unknown as Record<string, unknown>;
    },
    async previewOrders(input) {
      const preview = new PreviewOrdersUseCase({ reader: deps.reader, xero: input.xero, store: deps.store, logger, clock: systemClock });
      return preview.execute({ scope: input.scope, orderIds: input.orderIds, settings: input.settings as unknown as Settings });
    },
  };
}
