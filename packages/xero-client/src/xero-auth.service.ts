import { randomUUID } from 'node:crypto';
import { BaseClient, Issuer, TokenSet, custom, generators } from 'openid-client';
import { XeroClient } from 'xero-node';
import { StoredXeroTokens, SyncError, isSyncError, type LockPort, type TokenStorePort } from '@oc-xero/sync-core';
import { XeroClientConfig, scopesOf } from './xero-client.config';
import { withXeroHttp } from './xero-http.context';
import { isRetryable, parseXeroNodeError, redactSecrets, toSyncError } from './xero-error.translator';
import { ClientClock, backoffDelayMs, systemClock } from './retry.policy';

/** Where tokens live (ConnectorStore implements it, encrypted at rest). */
export type XeroTokenStore = TokenStorePort;
/** A lock shared by every process of the connector (ConnectorStore.tryLock implements it). */
export type DistributedLock = LockPort;

/** Minimal logger; messages never carry tokens. */
export interface XeroClientLogger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
}

const silentLogger: XeroClientLogger = { info: () => undefined, warn: () => undefined };

/** A Xero organisation the user's consent covers. */
export interface XeroTenant {
  /** Id of the connection (for DELETE /connections/{id}). */
  connectionId: string;
  tenantId: string;
  tenantName: string;
  tenantType: string;
}

/** What the caller keeps (e.g. in the session) between the consent redirect and the callback. */
export interface PendingConsent {
  /** URL to send the merchant's browser to. */
  url: string;
  /** Must come back unchanged on the callback. */
  state: string;
  /** PKCE verifier, when PKCE is on. */
  codeVerifier?: string;
}

export interface XeroAuthDeps {
  store: XeroTokenStore;
  /** Optional lock across processes so two workers never refresh the same tokens at once. */
  lock?: DistributedLock;
  clock?: ClientClock;
  logger?: XeroClientLogger;
}

export interface RefreshCheck {
  /** Whether a refresh was made. */
  refreshed: boolean;
  /** Why (or why not). */
  reason: 'not-connected' | 'fresh' | 'old-tokens' | 'expiring';
  expiresAt?: string;
  refreshedAt?: string;
}

/** Serialises work per key inside this process. */
class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}

// One per process: every auth service instance refreshing the same scope queues on it.
const refreshMutex = new KeyedMutex();

/**
 * The connection side of Xero: consent, callback, tenants, tokens (refresh under lock, proactive
 * refresh), custom connections and disconnect. Tokens are persisted through the store; the new
 * refresh token is saved BEFORE the new access token is handed to anyone, because Xero rotates
 * it on every use and the old one dies 30 minutes later.
 */
export class XeroAuthService {
  private readonly openIdClient: BaseClient;
  private readonly clock: ClientClock;
  private readonly logger: XeroClientLogger;
  private readonly cache = new Map<string, StoredXeroTokens>();
  private readonly owner = `xero-auth:${randomUUID()}`;
  /** Token endpoint calls made by this instance (tests and diagnostics). */
  tokenCalls = 0;

  constructor(
    readonly config: XeroClientConfig,
    private readonly deps: XeroAuthDeps,
  ) {
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? silentLogger;
    // Built by hand instead of xero-node's initialize(): that one discovers identity.xero.com.
    const issuer = new Issuer({
      issuer: config.issuer ?? config.identityUrl,
      authorization_endpoint: `${config.loginUrl}/identity/connect/authorize`,
      token_endpoint: `${config.identityUrl}/connect/token`,
      revocation_endpoint: `${config.identityUrl}/connect/revocation`,
      jwks_uri: `${config.identityUrl}/.well-known/openid-configuration/jwks`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      code_challenge_methods_supported: ['S256'],
    });
    this.openIdClient = new issuer.Client({
      client_id: config.clientId,
      client_secret: config.clientSecret,
      redirect_uris: config.redirectUri ? [config.redirectUri] : [],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    this.openIdClient[custom.http_options] = (_url, options) => ({ ...options, timeout: config.timeoutMs });
    this.openIdClient[custom.clock_tolerance] = 5;
  }

  /** A xero-node client wired to the configured hosts (its openIdClient and accounting base path). */
  createXeroClient(): XeroClient {
    const xero = new XeroClient({
      clientId: this.config.clientId,
      clientSecret: this.config.clientSecret,
      redirectUris: this.config.redirectUri ? [this.config.redirectUri] : [],
      scopes: scopesOf(this.config),
      httpTimeout: this.config.timeoutMs,
      grantType: this.config.grantType,
    });
    xero.openIdClient = this.openIdClient as XeroClient['openIdClient'];
    xero.accountingApi.basePath = `${this.config.apiUrl}/api.xro/2.0`;
    return xero;
  }

  /** Run a xero-node call with our hosts, deadline and (optionally) a bearer token. */
  http<T>(fn: () => Promise<T>, accessToken?: string): Promise<T> {
    return withXeroHttp({ identityUrl: this.config.identityUrl, apiUrl: this.config.apiUrl, timeoutMs: this.config.timeoutMs, accessToken }, fn);
  }

  /** Start the consent: the URL to redirect to, and the state (+ PKCE verifier) to keep until the callback. */
  startConsent(): PendingConsent {
    if (this.config.grantType !== 'authorization_code' || !this.config.redirectUri) {
      throw new SyncError('config', 'This connection uses a Xero Custom Connection (client credentials); there is no consent page to open.');
    }
    const state = generators.state();
    const params: Record<string, string> = { redirect_uri: this.config.redirectUri, scope: scopesOf(this.config).join(' '), state, response_type: 'code' };
    let codeVerifier: string | undefined;
    if (this.config.pkce) {
      codeVerifier = generators.codeVerifier();
      params.code_challenge = generators.codeChallenge(codeVerifier);
      params.code_challenge_method = 'S256';
    }
    return { url: this.openIdClient.authorizationUrl(params), state, codeVerifier };
  }

  /**
   * Finish the consent: check the state, exchange the code, save the tokens at once, list the
   * organisations. When exactly one organisation was granted (or `tenantId` names one) it is
   * selected; otherwise call selectTenant next.
   */
  async completeConsent(scope: string, callbackUrl: string, expected: { state: string; codeVerifier?: string }, tenantId?: string): Promise<{ tenants: XeroTenant[]; selected: XeroTenant | null }> {
    const redirectUri = this.config.redirectUri;
    if (!redirectUri) throw new SyncError('config', 'No redirect URI is configured for the Xero app.');
    const params = this.openIdClient.callbackParams(callbackUrl);
    if (params.error) {
      throw new SyncError('needs-reconnect', `Xero did not grant access (${params.error}${params.error_description ? `: ${redactSecrets(params.error_description)}` : ''}); start the connection again from Settings.`);
    }
    if (!params.state || params.state !== expected.state) {
      throw new SyncError('config', 'The answer from Xero does not belong to the connection attempt started here (state mismatch); start the connection again from Settings.');
    }
    const checks = { state: expected.state, code_verifier: expected.codeVerifier, response_type: 'code' };
    let tokenSet: TokenSet;
    try {
      this.tokenCalls++;
      tokenSet = this.config.openId ? await this.openIdClient.callback(redirectUri, params, checks) : await this.openIdClient.oauthCallback(redirectUri, params, checks);
    } catch (e) {
      throw toSyncError(e, { orgName: 'Xero', what: 'finishing the connection' });
    }
    const tokens = this.storedFrom(scope, tokenSet, null);
    await this.deps.store.saveTokens(tokens);
    this.cache.set(scope, tokens);
    const tenants = await this.listTenants(scope);
    const chosen = tenantId ? tenants.find((t) => t.tenantId === tenantId) : tenants.length === 1 ? tenants[0] : undefined;
    if (tenantId && !chosen) throw new SyncError('config', `The organisation ${tenantId} is not among those granted in Xero; choose one of: ${tenants.map((t) => t.tenantName).join(', ')}.`);
    if (chosen) await this.selectTenant(scope, chosen.tenantId, tenants);
    this.logger.info('Xero connected', { scope, tenants: tenants.length, selected: chosen?.tenantName ?? null });
    return { tenants, selected: chosen ?? null };
  }

  /** Xero Custom Connection: a client_credentials token for the one organisation of the app. */
  async connectCustom(scope: string): Promise<XeroTenant> {
    const tokenSet = await this.clientCredentialsToken();
    const tokens = this.storedFrom(scope, tokenSet, null);
    await this.deps.store.saveTokens(tokens);
    this.cache.set(scope, tokens);
    const tenants = await this.listTenants(scope);
    if (tenants.length === 0) throw new SyncError('config', 'The Xero Custom Connection is not linked to any organisation yet; finish its setup in the Xero developer portal.');
    await this.selectTenant(scope, tenants[0].tenantId, tenants);
    return tenants[0];
  }

  /** Organisations the stored tokens give access to (GET /connections). */
  async listTenants(scope: string): Promise<XeroTenant[]> {
    const tokens = await this.getAccessToken(scope);
    const xero = this.createXeroClient();
    try {
      const connections = (await this.http(() => xero.updateTenants(false), tokens.accessToken)) as Array<Record<string, string>>;
      return connections
        .filter((c) => !c.tenantType || c.tenantType === 'ORGANISATION')
        .map((c) => ({ connectionId: c.id, tenantId: c.tenantId, tenantName: c.tenantName, tenantType: c.tenantType }));
    } catch (e) {
      throw toSyncError(e, { orgName: tokens.tenantName, what: 'listing the connected organisations' });
    }
  }

  /** Choose the organisation this scope syncs with. */
  async selectTenant(scope: string, tenantId: string, known?: XeroTenant[]): Promise<StoredXeroTokens> {
    const tenants = known ?? (await this.listTenants(scope));
    const tenant = tenants.find((t) => t.tenantId === tenantId);
    if (!tenant) throw new SyncError('config', `The organisation ${tenantId} is not among those granted in Xero; reconnect and tick it on Xero's consent page.`);
    return refreshMutex.run(scope, async () => {
      const current = await this.load(scope);
      const tokens = { ...current, tenantId: tenant.tenantId, tenantName: tenant.tenantName };
      await this.deps.store.saveTokens(tokens);
      this.cache.set(scope, tokens);
      return tokens;
    });
  }

  /**
   * Valid tokens for scope, refreshed first when they expire soon. `rejectedAccessToken`: Xero
   * answered 401 to this token, so refresh unless someone already replaced it.
   */
  async getAccessToken(scope: string, rejectedAccessToken?: string): Promise<StoredXeroTokens> {
    const cached = this.cache.get(scope) ?? (await this.load(scope));
    const needs = (t: StoredXeroTokens) => this.expiresSoon(t, this.config.refreshSkewSeconds * 1000) || (rejectedAccessToken !== undefined && t.accessToken === rejectedAccessToken);
    if (!needs(cached)) return cached;
    return this.refreshLocked(scope, needs);
  }

  /**
   * For the scheduler (e.g. hourly or daily): refresh when the tokens are older than
   * proactiveRefreshAfterDays, or the access token is about to expire (within
   * proactiveRefreshBeforeExpiryMinutes), so a quiet store never lets its refresh token reach
   * Xero's 60 days unused.
   */
  async refreshIfDue(scope: string): Promise<RefreshCheck> {
    const tokens = await this.deps.store.loadTokens(scope);
    if (!tokens) return { refreshed: false, reason: 'not-connected' };
    const old = (t: StoredXeroTokens) => this.clock.now() - Date.parse(t.refreshedAt) >= this.config.proactiveRefreshAfterDays * 86_400_000;
    // An access token that already expired is renewed on demand by the next call; refreshing it
    // here would only spend token calls. Ahead of expiry, a refresh keeps a busy store warm.
    const expiring = (t: StoredXeroTokens) => {
      const leftMs = Date.parse(t.expiresAt) - this.clock.now();
      return leftMs > 0 && leftMs <= this.config.proactiveRefreshBeforeExpiryMinutes * 60_000;
    };
    if (!old(tokens) && !expiring(tokens)) return { refreshed: false, reason: 'fresh', expiresAt: tokens.expiresAt, refreshedAt: tokens.refreshedAt };
    const reason = old(tokens) ? 'old-tokens' : 'expiring';
    const before = tokens.refreshedAt;
    const after = await this.refreshLocked(scope, (t) => old(t) || expiring(t));
    return { refreshed: after.refreshedAt !== before, reason, expiresAt: after.expiresAt, refreshedAt: after.refreshedAt };
  }

  /**
   * Disconnect: DELETE /connections/{id} for the organisation, revoke the refresh token, forget
   * the stored tokens. Remote steps that fail are reported, the local tokens are deleted anyway.
   */
  async disconnect(scope: string): Promise<{ connectionDeleted: boolean; revoked: boolean; problems: string[] }> {
    const problems: string[] = [];
    let connectionDeleted = false;
    let revoked = false;
    const stored = await this.deps.store.loadTokens(scope);
    if (stored) {
      try {
        const tokens = await this.getAccessToken(scope);
        const tenants = await this.listTenants(scope);
        const connection = tenants.find((t) => t.tenantId === tokens.tenantId);
        const xero = this.createXeroClient();
        xero.setTokenSet(this.tokenSetOf(tokens));
        if (connection) {
          await this.http(() => xero.disconnect(connection.connectionId), tokens.accessToken);
          connectionDeleted = true;
        }
        if (tokens.refreshToken) {
          await xero.revokeToken();
          revoked = true;
        }
      } catch (e) {
        const err = toSyncError(e, { orgName: stored.tenantName, what: 'disconnecting' });
        problems.push(err.message);
        this.logger.warn('Xero disconnect incomplete', { scope, kind: err.kind });
      }
    }
    await refreshMutex.run(scope, () => this.deps.store.deleteTokens(scope));
    this.cache.delete(scope);
    return { connectionDeleted, revoked, problems };
  }

  private expiresSoon(t: StoredXeroTokens, withinMs: number): boolean {
    return Date.parse(t.expiresAt) - this.clock.now() <= withinMs;
  }

  private async load(scope: string): Promise<StoredXeroTokens> {
    const tokens = await this.deps.store.loadTokens(scope);
    if (!tokens) throw new SyncError('needs-reconnect', 'The connector is not connected to Xero; connect it in Settings.');
    this.cache.set(scope, tokens);
    return tokens;
  }

  private async refreshLocked(scope: string, stillNeeded: (t: StoredXeroTokens) => boolean): Promise<StoredXeroTokens> {
    return refreshMutex.run(scope, async () => {
      // Another worker (or process) may have refreshed while we queued: the store is the truth.
      let tokens = await this.load(scope);
      if (!stillNeeded(tokens)) return tokens;
      const lockName = `xero-token-refresh:${scope}`;
      const lock = this.deps.lock;
      if (lock) {
        const deadline = this.clock.now() + this.config.refreshLockWaitMs;
        // The lock must outlive our slowest refresh (every attempt timing out), or a second
        // refresher could start with the refresh token we are about to rotate.
        const c = this.config;
        const ttlMs = Math.max(c.refreshLockTtlMs, c.maxAttempts * (c.timeoutMs + c.backoffMaxMs));
        while (!(await lock.tryLock(lockName, this.owner, ttlMs))) {
          tokens = await this.load(scope);
          if (!stillNeeded(tokens)) return tokens;
          if (this.clock.now() > deadline) throw new SyncError('transient', 'Another worker is renewing the Xero connection and did not finish in time; this will be retried.', { retryAfterMs: 5_000 });
          await this.clock.sleep(250);
        }
      }
      try {
        tokens = await this.load(scope);
        if (!stillNeeded(tokens)) return tokens;
        const fresh = await this.refreshWithRetry(tokens);
        // Persist first: if this fails, nobody uses tokens whose refresh token we could lose.
        await this.deps.store.saveTokens(fresh);
        this.cache.set(scope, fresh);
        this.logger.info('Xero tokens refreshed', { scope, expiresAt: fresh.expiresAt });
        return fresh;
      } finally {
        if (lock) await lock.unlock(lockName, this.owner);
      }
    });
  }

  private async refreshWithRetry(tokens: StoredXeroTokens): Promise<StoredXeroTokens> {
    for (let attempt = 1; ; attempt++) {
      try {
        // Custom connections have no refresh token: they simply ask for a new one.
        const tokenSet = tokens.refreshToken ? await this.refreshTokenCall(tokens.refreshToken) : await this.clientCredentialsToken();
        return this.storedFrom(tokens.scope, tokenSet, tokens);
      } catch (e) {
        const f = parseXeroNodeError(e);
        // A lost answer (the server rotated, we never heard): the old refresh token stays valid
        // for Xero's 30-minute grace, so retrying with it is safe.
        if (!f.oauthError && isRetryable(f) && attempt < this.config.maxAttempts) {
          this.logger.warn('Xero token refresh failed, retrying', { scope: tokens.scope, attempt, status: f.status });
          await this.clock.sleep(backoffDelayMs(attempt, this.config.backoffBaseMs, this.config.backoffMaxMs));
          continue;
        }
        throw isSyncError(e) ? e : toSyncError(e, { orgName: tokens.tenantName, what: 'renewing the Xero connection' });
      }
    }
  }

  private refreshTokenCall(refreshToken: string): Promise<TokenSet> {
    this.tokenCalls++;
    return this.openIdClient.refresh(refreshToken);
  }

  private async clientCredentialsToken(): Promise<TokenSet> {
    this.tokenCalls++;
    try {
      return await this.openIdClient.grant({ grant_type: 'client_credentials', scope: scopesOf(this.config).join(' ') });
    } catch (e) {
      throw toSyncError(e, { orgName: 'Xero', what: 'connecting with the Custom Connection' });
    }
  }

  private storedFrom(scope: string, tokenSet: TokenSet, previous: StoredXeroTokens | null): StoredXeroTokens {
    if (!tokenSet.access_token) throw new SyncError('unexpected', 'Xero answered without an access token.');
    const now = this.clock.now();
    const expiresInS = typeof tokenSet.expires_in === 'number' ? tokenSet.expires_in : 1800;
    return {
      scope,
      tenantId: previous?.tenantId ?? '',
      tenantName: previous?.tenantName ?? '',
      accessToken: tokenSet.access_token,
      refreshToken: tokenSet.refresh_token ?? (previous?.refreshToken && this.config.grantType === 'authorization_code' ? previous.refreshToken : null),
      expiresAt: new Date(now + expiresInS * 1000).toISOString(),
      refreshedAt: new Date(now).toISOString(),
      scopes: typeof tokenSet.scope === 'string' ? tokenSet.scope : (previous?.scopes ?? scopesOf(this.config).join(' ')),
    };
  }

  private tokenSetOf(tokens: StoredXeroTokens): TokenSet {
    return new TokenSet({
      access_token: tokens.accessToken,
      refresh_token: tokens.refreshToken ?? undefined,
      token_type: 'Bearer',
      expires_at: Math.floor(Date.parse(tokens.expiresAt) / 1000),
    });
  }
}
