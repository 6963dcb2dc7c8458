export { createApp, DOCS_PATH, DOCS_JSON_PATH } from './bootstrap';
export type { CreateAppOptions, CreatedApp } from './bootstrap';
export { loadConfig, ConfigError, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_DEV_ENCRYPTION_KEY } from './config/app-config';
export type { AppConfig } from './config/app-config';
export { StartupError } from './common/startup-error';
export type { PortBindings } from './composition/ports.module';
export type { SyncEngine, RunRequest, RunContext } from './ports/sync-engine.port';
export type { XeroConnector, XeroCredentials } from './ports/xero-connector.port';
export type { SettingsCodec, RuntimeSettings, FieldError } from './ports/settings-codec.port';
// The command line's pieces, for the development tools (tools/devtools: demo, benchmark).
export { openSyncContext, createCliLogger, type SyncContext, type SyncContextOptions } from './cli/cli.composition';
export { runSync, mergeSummaries, exitCodeOf, EXIT_COMPLETED, EXIT_RUN_FAILED, EXIT_CANNOT_RUN } from './cli/sync.command';
export { formatSummaryText, toCliSummary, type CliSyncSummary } from './cli/sync-summary.formatter';
