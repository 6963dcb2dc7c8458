/** OAuth tokens of a connection (opencart-db: token.repository.ts, encrypted at rest). */

/** Stored OAuth tokens of a connection (the adapter encrypts them at rest). */
export interface StoredXeroTokens {
  /** Connection scope. */
  scope: string;
  /** Xero tenant (organisation) id. */
  tenantId: string;
  /** Organisation name for display. */
  tenantName: string;
  /** Access token. */
  accessToken: string;
  /** Refresh token (absent for client_credentials). */
  refreshToken: string | null;
  /** Access token expiry (ISO). */
  expiresAt: string;
  /** When the tokens were last refreshed (ISO). */
  refreshedAt: string;
  /** Granted scopes. */
  scopes: string;
}

/** Where tokens live. */
export interface TokenStorePort {
  /** Tokens of the connection, decrypted; null when not connected. */
  loadTokens(scope: string): Promise<StoredXeroTokens | null>;
  /** Save tokens (encrypted at rest). */
  saveTokens(tokens: StoredXeroTokens): Promise<void>;
  /** Forget the connection's tokens. */
  deleteTokens(scope: string): Promise<void>;
}
