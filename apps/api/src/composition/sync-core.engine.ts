import { SyncError, type ConnectorStore, type OpenCartReader, type OpenCartWriter } from '@oc-xero/sync-core';
import type { SyncEngine } from '../ports/sync-engine.port';

/** The SyncEngine over sync-core's use cases. */
export function createSyncCoreEngine(_deps: { store: ConnectorStore; reader: OpenCartReader; writer: OpenCartWriter }): SyncEngine {
  const missing = () => new SyncError('config', "sync-core's SyncRunner is not wired into this build yet; runs cannot execute.");
  return {
    execute: async () => {
      throw missing();
    },
    previewOrders: async () => {
      throw missing();
    },
  };
}
