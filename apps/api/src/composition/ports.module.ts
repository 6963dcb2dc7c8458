import { DynamicModule, Global, Module } from '@nestjs/common';
import type { ConnectorStore, OpenCartReader, OpenCartWriter } from '@oc-xero/sync-core';
import type { AppConfig } from '../config/app-config';
import type { SettingsCodec } from '../ports/settings-codec.port';
import type { SyncEngine } from '../ports/sync-engine.port';
import type { XeroConnector } from '../ports/xero-connector.port';
import { APP_CONFIG, CONNECTOR_STORE, OPENCART_READER, OPENCART_WRITER, SETTINGS_CODEC, SYNC_ENGINE, XERO_CONNECTOR } from '../ports/tokens';

/** The adapters behind the ports, made once per process (see real-bindings.ts; tests pass fakes). */
export interface PortBindings {
  connectorStore: ConnectorStore;
  reader: OpenCartReader;
  writer: OpenCartWriter;
  xeroConnector: XeroConnector;
  syncEngine: SyncEngine;
  settingsCodec: SettingsCodec;
  /** Closes database pools and the like. */
  close(): Promise<void>;
}

/** The composition root's Nest face: binds every port token to its adapter. */
@Global()
@Module({})
export class PortsModule {
  static register(config: AppConfig, b: PortBindings): DynamicModule {
    const providers = [
      { provide: APP_CONFIG, useValue: config },
      { provide: CONNECTOR_STORE, useValue: b.connectorStore },
      { provide: OPENCART_READER, useValue: b.reader },
      { provide: OPENCART_WRITER, useValue: b.writer },
      { provide: XERO_CONNECTOR, useValue: b.xeroConnector },
      { provide: SYNC_ENGINE, useValue: b.syncEngine },
      { provide: SETTINGS_CODEC, useValue: b.settingsCodec },
    ];
    return { module: PortsModule, providers, exports: providers.map((p) => p.provide) };
  }
}
