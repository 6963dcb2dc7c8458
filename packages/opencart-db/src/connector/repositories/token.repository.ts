import { DataSource } from 'typeorm';
import { SyncError, type StoredXeroTokens, type TokenStorePort } from '@oc-xero/sync-core';
import type { SecretCipher } from '../secret.cipher';
import { SecretDecryptError } from '../secret.cipher';
import { toDbTime, fromDbTime, requireText } from './connector-sql.util';

interface TokensRow {
  scope: string;
  tenant_id: string;
  tenant_name: string;
  access_token_encrypted: string;
  refresh_token_encrypted: string | null;
  expires_at: string;
  refreshed_at: string;
  scopes: string;
}

/** OAuth tokens of a connection, encrypted at rest. */
export class TokenRepository implements TokenStorePort {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: SecretCipher,
  ) {}

  async loadTokens(scope: string): Promise<StoredXeroTokens | null> {
    const rows = (await this.dataSource.query('SELECT * FROM xero_tokens WHERE scope = ?', [
      scope,
    ])) as TokensRow[];
    const row = rows[0];
    if (!row) return null;
    try {
      return {
        scope: row.scope,
        tenantId: row.tenant_id,
        tenantName: row.tenant_name,
        accessToken: this.cipher.decrypt(row.access_token_encrypted, tokenContext(scope, 'access')),
        refreshToken:
          row.refresh_token_encrypted === null
            ? null
            : this.cipher.decrypt(row.refresh_token_encrypted, tokenContext(scope, 'refresh')),
        expiresAt: fromDbTime(row.expires_at),
        refreshedAt: fromDbTime(row.refreshed_at),
        scopes: row.scopes,
      };
    } catch (error) {
      if (error instanceof SecretDecryptError) {
        if (error.reason === 'wrong-key') {
          throw new SyncError(
            'config',
            'cannot decrypt stored Xero tokens: the encryption key differs from the one they were saved with',
            { cause: error },
          );
        }
        throw new SyncError(
          'needs-reconnect',
          `cannot decrypt stored Xero tokens: ${error.message}; reconnect to Xero`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  async saveTokens(tokens: StoredXeroTokens): Promise<void> {
    requireText(tokens.scope, 'scope', 191);
    requireText(tokens.accessToken, 'accessToken', 1_000_000);
    const scope = tokens.scope;
    await this.dataSource.query(
      `INSERT INTO xero_tokens (scope, tenant_id, tenant_name, access_token_encrypted, refresh_token_encrypted, expires_at, refreshed_at, scopes, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))
       ON DUPLICATE KEY UPDATE tenant_id = VALUES(tenant_id), tenant_name = VALUES(tenant_name),
         access_token_encrypted = VALUES(access_token_encrypted), refresh_token_encrypted = VALUES(refresh_token_encrypted),
         expires_at = VALUES(expires_at), refreshed_at = VALUES(refreshed_at), scopes = VALUES(scopes), updated_at = VALUES(updated_at)`,
      [
        scope,
        // '' = connected, organisation not chosen yet: xero-client saves the tokens before it
        // lists the organisations (consent and Custom Connection alike), then selects one.
        tokens.tenantId === '' ? '' : requireText(tokens.tenantId, 'tenantId', 64),
        tokens.tenantName ?? '',
        this.cipher.encrypt(tokens.accessToken, tokenContext(scope, 'access')),
        tokens.refreshToken == null
          ? null
          : this.cipher.encrypt(tokens.refreshToken, tokenContext(scope, 'refresh')),
        toDbTime(tokens.expiresAt, 'expiresAt'),
        toDbTime(tokens.refreshedAt, 'refreshedAt'),
        tokens.scopes ?? '',
      ],
    );
  }

  async deleteTokens(scope: string): Promise<void> {
    await this.dataSource.query('DELETE FROM xero_tokens WHERE scope = ?', [scope]);
  }
}

function tokenContext(scope: string, which: 'access' | 'refresh'): string {
  return `xero_tokens:${scope}:${which}`;
}
