import type { ConnectorStore, XeroPort } from '@oc-xero/sync-core';
import {
  parseXeroClientConfig,
  XeroAuthService,
  XeroGateway,
  type ClientClock,
  type XeroClientConfigInput,
  type XeroClientLogger,
} from '@oc-xero/xero-client';
import { createHash } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import type { XeroConnector, XeroCredentials, XeroTenant } from '../ports/xero-connector.port';

const plainTenant = (t: { tenantId: string; tenantName: string }) => ({ tenantId: t.tenantId, tenantName: t.tenantName });

/**
 * XeroConnector over xero-client. The credentials may change when the merchant edits the
 * settings, so one auth service is kept per credentials (and redirect URI).
 */
export class XeroClientConnector implements XeroConnector {
  private readonly services = new Map<string, XeroAuthService>();

  constructor(
    private readonly config: AppConfig,
    private readonly store: ConnectorStore,
    private readonly logger: XeroClientLogger,
    /** Extra client settings (limits, timeouts) and the clock of the rolling minute: the benchmark and tests set them. */
    private readonly tuning: { client?: Partial<XeroClientConfigInput>; clock?: ClientClock } = {},
  ) {}

  private auth(credentials: XeroCredentials, redirectUri?: string): XeroAuthService {
    const key = createHash('sha256').update(`${credentials.clientId}\n${credentials.clientSecret}\n${redirectUri}`).digest('hex');
    let service = this.services.get(key);
    if (!service) {
      const config = parseXeroClientConfig({
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        redirectUri,
        loginUrl: this.config.xero.loginUrl,
        identityUrl: this.config.xero.identityUrl,
        apiUrl: this.config.xero.apiUrl,
        ...(redirectUri === undefined ? { grantType: 'client_credentials' as const } : {}),
        ...this.tuning.client,
      });
      service = new XeroAuthService(config, { store: this.store, lock: this.store, logger: this.logger, clock: this.tuning.clock });
      this.services.clear(); // old credentials are dead weight
      this.services.set(key, service);
    }
    return service;
  }

  async startConsent(credentials: XeroCredentials, redirectUri: string) {
    return this.auth(credentials, redirectUri).startConsent();
  }

  async completeConsent(credentials: XeroCredentials, redirectUri: string, scope: string, callbackUrl: string, expected: { state: string; codeVerifier?: string }) {
    const { tenants, selected } = await this.auth(credentials, redirectUri).completeConsent(scope, callbackUrl, expected);
    return { tenants: tenants.map(plainTenant), selected: selected ? plainTenant(selected) : null };
  }

  async listTenants(credentials: XeroCredentials, redirectUri: string, scope: string) {
    return (await this.auth(credentials, redirectUri).listTenants(scope)).map(plainTenant);
  }

  async selectTenant(credentials: XeroCredentials, redirectUri: string, scope: string, tenantId: string) {
    const tokens = await this.auth(credentials, redirectUri).selectTenant(scope, tenantId);
    return { tenantId: tokens.tenantId, tenantName: tokens.tenantName };
  }

  async refreshIfDue(credentials: XeroCredentials, redirectUri: string, scope: string) {
    return (await this.auth(credentials, redirectUri).refreshIfDue(scope)).refreshed;
  }

  async disconnect(credentials: XeroCredentials, redirectUri: string, scope: string) {
    const { problems } = await this.auth(credentials, redirectUri).disconnect(scope);
    return { problems };
  }

  async gateway(credentials: XeroCredentials, redirectUri: string, scope: string): Promise<XeroPort> {
    return XeroGateway.forScope(this.auth(credentials, redirectUri), scope, { clock: this.tuning.clock });
  }

  /**
   * A custom connection (client_credentials, no consent): what the sandbox's default app is, and
   * how the command line reaches it. Connects the app's organisation and returns its gateway.
   */
  async connectCustom(credentials: XeroCredentials, scope: string): Promise<{ tenant: XeroTenant; xero: XeroPort }> {
    const auth = this.auth(credentials);
    const tenant = await auth.connectCustom(scope);
    return { tenant: plainTenant(tenant), xero: await XeroGateway.forScope(auth, scope, { clock: this.tuning.clock }) };
  }
}
