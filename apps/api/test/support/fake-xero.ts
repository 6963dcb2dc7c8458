import { SyncError, type StoredXeroTokens, type XeroInvoice, type XeroPort } from '@oc-xero/sync-core';
import type { XeroConnector, XeroCredentials } from '../../src/ports/xero-connector.port';

/**
 * A Xero double for the API's own tests: just the lookups and invoices the API reads directly.
 * The end-to-end test uses the real xero-client against the sandbox instead.
 */
export class FakeXeroGateway implements Partial<XeroPort> {
  readonly invoices = new Map<string, XeroInvoice>();
  async listAccounts() {
    return [{ AccountID: 'a-200', Code: '200', Name: 'Sales', Type: 'REVENUE' }];
  }
  async listTaxRates() {
    return [{ Name: '20% (VAT on Income)', TaxType: 'OUTPUT2', EffectiveRate: 20 }];
  }
  async listTrackingCategories() {
    return [];
  }
  async getInvoice(id: string) {
    return this.invoices.get(id) ?? null;
  }
  usage() {
    return { calls: 0, callsByEndpoint: {}, minuteRemaining: 59, dayRemaining: 4999 };
  }
}

/** Consent goes to a fake host; completing it saves tokens for one organisation. */
export class FakeXeroConnector implements XeroConnector {
  readonly gatewayImpl = new FakeXeroGateway();
  readonly started: Array<{ state: string; codeVerifier?: string }> = [];
  saveTokens: ((t: StoredXeroTokens) => Promise<void>) | null = null;

  async startConsent(credentials: XeroCredentials, redirectUri: string) {
    const state = `state-${this.started.length + 1}-${Math.random().toString(36).slice(2)}`;
    this.started.push({ state, codeVerifier: 'verifier' });
    return { url: `https://login.example/authorize?client_id=${credentials.clientId}&redirect_uri=${encodeURIComponent(redirectUri)}&state=${state}`, state, codeVerifier: 'verifier' };
  }

  async completeConsent(_c: XeroCredentials, _r: string, scope: string, callbackUrl: string, expected: { state: string }) {
    const code = new URL(callbackUrl).searchParams.get('code');
    if (code !== 'good-code' || new URL(callbackUrl).searchParams.get('state') !== expected.state) throw new SyncError('config', 'bad code');
    await this.saveTokens!(fakeTokens(scope));
    const tenant = { tenantId: 'tenant-1', tenantName: 'Demo Company (UK)' };
    return { tenants: [tenant], selected: tenant };
  }

  async listTenants() {
    return [{ tenantId: 'tenant-1', tenantName: 'Demo Company (UK)' }];
  }

  async selectTenant(_c: XeroCredentials, _r: string, _s: string, tenantId: string) {
    if (tenantId !== 'tenant-1') throw new SyncError('config', `The organisation ${tenantId} is not among those granted in Xero`);
    return { tenantId, tenantName: 'Demo Company (UK)' };
  }

  async refreshIfDue() {
    return false;
  }

  async disconnect() {
    return { problems: [] };
  }

  async gateway(): Promise<XeroPort> {
    return this.gatewayImpl as unknown as XeroPort;
  }
}

export const fakeTokens = (scope: string): StoredXeroTokens => ({
  scope,
  tenantId: 'tenant-1',
  tenantName: 'Demo Company (UK)',
  accessToken: 'access-token-secret',
  refreshToken: 'refresh-token-secret',
  expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
  refreshedAt: new Date().toISOString(),
  scopes: 'offline_access accounting.invoices',
});
