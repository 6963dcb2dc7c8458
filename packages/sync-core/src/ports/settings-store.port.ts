/** The settings document of a scope (opencart-db: settings.repository.ts). */
export interface SettingsStorePort {
  /** Settings document of a scope, null when never saved. */
  loadSettings(scope: string): Promise<Record<string, unknown> | null>;
  /** Save the settings document (secrets inside are encrypted by the adapter). */
  saveSettings(scope: string, settings: Record<string, unknown>): Promise<void>;
}
