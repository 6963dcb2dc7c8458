export { createApp, DOCS_PATH, DOCS_JSON_PATH } from './bootstrap';
export type { CreateAppOptions, CreatedApp } from './bootstrap';
export { loadConfig, ConfigError } from './config/app-config';
export type { AppConfig } from './config/app-config';
export { StartupError } from './common/startup-error';
export type { PortBindings } from './composition/ports.module';
export type { SyncEngine, RunRequest, RunContext } from './ports/sync-engine.port';
export type { XeroConnector, XeroCredentials } from './ports/xero-connector.port';
export type { SettingsCodec, RuntimeSettings, FieldError } from './ports/settings-codec.port';
