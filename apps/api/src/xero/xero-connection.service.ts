import { BadRequestException, ConflictException, Inject, Injectable, Logger } from '@nestjs/common';
import { SyncError, type ConnectorStore, type XeroPort } from '@oc-xero/sync-core';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { sha256 } from '../common/crypto.util';
import { API_DB } from '../auth/auth.service';
import type { XeroConnector, XeroCredentials, XeroTenant } from '../ports/xero-connector.port';
import { APP_CONFIG, CONNECTOR_STORE, XERO_CONNECTOR } from '../ports/tokens';
import { SettingsService } from '../settings/settings.service';

const STATE_TTL_MS = 10 * 60_000;

/**
 * The one Xero connection of this scope: consent (state kept server-side, single use, 10 minutes),
 * callback, status, disconnect, and the gateway. Token refresh and its lock are xero-client's.
 */
@Injectable()
export class XeroConnectionService {
  private readonly logger = new Logger(XeroConnectionService.name);
  private cached: { key: string; gateway: XeroPort } | null = null;

  constructor(
    @Inject(CONNECTOR_STORE) private readonly store: ConnectorStore,
    @Inject(XERO_CONNECTOR) private readonly connector: XeroConnector,
    @Inject(API_DB) private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: SettingsService,
  ) {}

  get redirectUri(): string {
    return `${this.config.publicBaseUrl}/api/xero/callback`;
  }

  async credentials(): Promise<XeroCredentials> {
    const rt = await this.settings.runtime();
    const clientId = this.config.xero.clientId ?? rt.xeroClientId;
    const clientSecret = this.config.xero.clientSecret ?? rt.xeroClientSecret;
    if (!clientId || !clientSecret) {
      throw new ConflictException("Set the Xero app's client id and client secret first (settings clientId/clientSecret, or XERO_CLIENT_ID/XERO_CLIENT_SECRET).");
    }
    return { clientId, clientSecret };
  }

  /** The consent URL; its state is kept (hashed) in the database so any instance can take the callback. */
  async consentUrl(): Promise<string> {
    const consent = await this.connector.startConsent(await this.credentials(), this.redirectUri);
    await this.db.query('DELETE FROM api_oauth_state WHERE expires_at < ?', [new Date()]);
    await this.db.query('INSERT INTO api_oauth_state (state_hash, code_verifier, expires_at) VALUES (?, ?, ?)', [
      sha256(consent.state),
      consent.codeVerifier ?? null,
      new Date(Date.now() + STATE_TTL_MS),
    ]);
    return consent.url;
  }

  /** Consumes a state once; null when unknown, used or expired. */
  private async consumeState(state: string | undefined): Promise<{ codeVerifier?: string } | null> {
    if (!state || state.length > 200) return null;
    return this.db.transaction(async (m) => {
      const rows: Array<{ code_verifier: string | null }> = await m.query(
        'SELECT code_verifier FROM api_oauth_state WHERE state_hash = ? AND expires_at > ? FOR UPDATE',
        [sha256(state), new Date()],
      );
      if (rows.length === 0) return null;
      await m.query('DELETE FROM api_oauth_state WHERE state_hash = ?', [sha256(state)]);
      return { codeVerifier: rows[0].code_verifier ?? undefined };
    });
  }

  /** The merchant declined at Xero (?error=…): the state is still checked and used up. */
  async declineConsent(state: string | undefined): Promise<void> {
    if (!(await this.consumeState(state))) throw new BadRequestException('Unknown, used or expired OAuth state: start the connection again from the admin page.');
    this.logger.log('The Xero consent was declined');
  }

  /** The OAuth callback: the state is checked first; nothing else happens without it. */
  async callback(originalUrl: string, query: { state?: string }): Promise<{ tenantName: string | null; tenants: XeroTenant[] }> {
    const pending = await this.consumeState(query.state);
    if (!pending) throw new BadRequestException('Unknown, used or expired OAuth state: start the connection again from the admin page.');
    const callbackUrl = `${this.config.publicBaseUrl}${originalUrl}`;
    const { tenants, selected } = await this.connector.completeConsent(await this.credentials(), this.redirectUri, this.config.scope, callbackUrl, {
      state: query.state!,
      codeVerifier: pending.codeVerifier,
    });
    this.cached = null;
    await this.db.query(
      'INSERT INTO api_xero_connection (scope, tenant_name, connected_at) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE tenant_name = VALUES(tenant_name), connected_at = VALUES(connected_at)',
      [this.config.scope, selected?.tenantName ?? null, new Date()],
    );
    if (selected) this.logger.log(`Connected to Xero organisation "${selected.tenantName}"`);
    else this.logger.log(`Connected to Xero; ${tenants.length} organisations granted, waiting for the admin to choose one`);
    return { tenantName: selected?.tenantName ?? null, tenants };
  }

  /** Organisations the connection reaches (to choose from when several were granted). */
  async tenants(): Promise<XeroTenant[]> {
    if (!(await this.store.loadTokens(this.config.scope))) throw new SyncError('needs-reconnect', 'Xero is not connected: connect it from the admin page.');
    return this.connector.listTenants(await this.credentials(), this.redirectUri, this.config.scope);
  }

  async selectTenant(tenantId: string): Promise<XeroTenant> {
    if (!(await this.store.loadTokens(this.config.scope))) throw new SyncError('needs-reconnect', 'Xero is not connected: connect it from the admin page.');
    const tenant = await this.connector.selectTenant(await this.credentials(), this.redirectUri, this.config.scope, tenantId);
    this.cached = null;
    this.logger.log(`Xero organisation "${tenant.tenantName}" selected`);
    return tenant;
  }

  async status() {
    const tokens = await this.store.loadTokens(this.config.scope);
    if (!tokens) return { connected: false as const };
    const usage = this.cached?.gateway.usage();
    return {
      connected: true as const,
      // null until the admin chooses among several granted organisations (GET /api/xero/tenants).
      organisation: tokens.tenantId ? { tenantId: tokens.tenantId, name: tokens.tenantName } : null,
      tokenExpiresAt: tokens.expiresAt,
      lastRefreshAt: tokens.refreshedAt,
      scopes: tokens.scopes,
      quota: { minuteRemaining: usage?.minuteRemaining ?? null, dayRemaining: usage?.dayRemaining ?? null, callsSinceStart: usage?.calls ?? 0 },
    };
  }

  async disconnect(): Promise<{ disconnected: boolean; problems: string[] }> {
    const tokens = await this.store.loadTokens(this.config.scope);
    this.cached = null;
    if (!tokens) return { disconnected: false, problems: [] };
    let credentials: XeroCredentials | null = null;
    try {
      credentials = await this.credentials();
    } catch {
      // Without credentials Xero cannot be told; the local tokens still go.
    }
    if (!credentials) {
      await this.store.deleteTokens(this.config.scope);
      await this.db.query('DELETE FROM api_xero_connection WHERE scope = ?', [this.config.scope]);
      return { disconnected: true, problems: ['No client credentials: the connection was forgotten here but not revoked at Xero.'] };
    }
    const { problems } = await this.connector.disconnect(credentials, this.redirectUri, this.config.scope);
    await this.db.query('DELETE FROM api_xero_connection WHERE scope = ?', [this.config.scope]);
    return { disconnected: true, problems };
  }

  /** When the organisation was connected through the consent (null when not, or before this was recorded). */
  async connectedSince(): Promise<string | null> {
    const rows: Array<{ connected_at: Date }> = await this.db.query('SELECT connected_at FROM api_xero_connection WHERE scope = ?', [this.config.scope]);
    return rows[0] ? new Date(rows[0].connected_at).toISOString() : null;
  }

  /** Usage seen by the gateway of this instance, when one was made. */
  usage() {
    return this.cached?.gateway.usage() ?? null;
  }

  /** Tenant id of the connection, null when not connected. */
  async tenantId(): Promise<string | null> {
    return (await this.store.loadTokens(this.config.scope))?.tenantId || null;
  }

  /** The gateway of the connected organisation; needs-reconnect when there is none. */
  async gateway(): Promise<XeroPort> {
    const tokens = await this.store.loadTokens(this.config.scope);
    if (!tokens) throw new SyncError('needs-reconnect', 'Xero is not connected: connect it from the admin page.');
    if (!tokens.tenantId) throw new SyncError('config', 'Xero is connected but no organisation is chosen yet: choose one on the admin page.');
    const credentials = await this.credentials();
    const key = `${tokens.tenantId}|${credentials.clientId}|${sha256(credentials.clientSecret)}`;
    if (this.cached?.key !== key) this.cached = { key, gateway: await this.connector.gateway(credentials, this.redirectUri, this.config.scope) };
    return this.cached.gateway;
  }

  /** Proactive refresh so a quiet store never lets the refresh token die. */
  async keepAlive(): Promise<'refreshed' | 'fresh' | 'not-connected'> {
    if (!(await this.store.loadTokens(this.config.scope))) return 'not-connected';
    return (await this.connector.refreshIfDue(await this.credentials(), this.redirectUri, this.config.scope)) ? 'refreshed' : 'fresh';
  }
}
