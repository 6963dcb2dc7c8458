import { DataSource } from 'typeorm';
import { SyncError, type SettingsStorePort } from '@oc-xero/sync-core';
import type { SecretCipher } from '../secret.cipher';
import { decryptSettingsSecrets, encryptSettingsSecrets, SettingsSecretError } from '../settings-secret.codec';
import { requireText, toJson, parseJsonObject } from './connector-sql.util';

/** The settings document of a scope; its secrets are encrypted at rest. */
export class SettingsRepository implements SettingsStorePort {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: SecretCipher,
  ) {}

  async loadSettings(scope: string): Promise<Record<string, unknown> | null> {
    const rows = (await this.dataSource.query('SELECT document FROM settings WHERE scope = ?', [
      scope,
    ])) as Array<{ document: string }>;
    if (rows.length === 0) return null;
    const stored = parseJsonObject(rows[0].document, 'settings document');
    try {
      return decryptSettingsSecrets(this.cipher, scope, stored);
    } catch (error) {
      if (error instanceof SettingsSecretError) {
        throw new SyncError(
          'config',
          error.message +
            (error.reason === 'wrong-key'
              ? '; use the key the settings were saved with, or enter the secret again'
              : ''),
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  }

  async saveSettings(scope: string, settings: Record<string, unknown>): Promise<void> {
    requireText(scope, 'scope', 191);
    if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
      throw new SyncError('validation', 'settings must be an object');
    }
    const document = toJson(encryptSettingsSecrets(this.cipher, scope, settings), 'settings');
    await this.dataSource.query(
      `INSERT INTO settings (scope, document, updated_at) VALUES (?, ?, UTC_TIMESTAMP(3))
       ON DUPLICATE KEY UPDATE document = VALUES(document), updated_at = VALUES(updated_at)`,
      [scope, document],
    );
  }
}
