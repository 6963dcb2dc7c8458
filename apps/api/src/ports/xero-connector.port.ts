import type { XeroPort } from '@oc-xero/sync-core';

/** The app's Xero client credentials, from the environment or the settings. */
export interface XeroCredentials {
  clientId: string;
  clientSecret: string;
}

/** An organisation the merchant granted access to. */
export interface XeroTenant {
  tenantId: string;
  tenantName: string;
}

/**
 * What the API needs from xero-client: the OAuth2 dance, token upkeep and a gateway bound to the
 * scope's organisation. Tokens live in the ConnectorStore; the adapter refreshes them under the
 * store's lock and saves the rotated refresh token before using the access token.
 */
export interface XeroConnector {
  /** The consent URL, and the state (+ PKCE verifier) to keep until the callback. */
  startConsent(credentials: XeroCredentials, redirectUri: string): Promise<{ url: string; state: string; codeVerifier?: string }>;
  /** Trades the code of the callback URL for tokens and saves them; selects the organisation when only one was granted. */
  completeConsent(
    credentials: XeroCredentials,
    redirectUri: string,
    scope: string,
    callbackUrl: string,
    expected: { state: string; codeVerifier?: string },
  ): Promise<{ tenants: XeroTenant[]; selected: XeroTenant | null }>;
  /** Organisations the stored tokens reach. */
  listTenants(credentials: XeroCredentials, redirectUri: string, scope: string): Promise<XeroTenant[]>;
  /** Chooses the organisation this scope syncs with. */
  selectTenant(credentials: XeroCredentials, redirectUri: string, scope: string, tenantId: string): Promise<XeroTenant>;
  /** Proactive refresh when due; true when a refresh was made. */
  refreshIfDue(credentials: XeroCredentials, redirectUri: string, scope: string): Promise<boolean>;
  /** Disconnects at Xero (best effort) and forgets the tokens. */
  disconnect(credentials: XeroCredentials, redirectUri: string, scope: string): Promise<{ problems: string[] }>;
  /** A gateway for the scope's organisation (fresh tokens on every call). */
  gateway(credentials: XeroCredentials, redirectUri: string, scope: string): Promise<XeroPort>;
}
