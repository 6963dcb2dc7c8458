import type { RunningSandbox } from '@oc-xero/xero-sandbox';
import { isSyncError } from '@oc-xero/sync-core';
import { GRANULAR_SCOPES, LEGACY_SCOPES, XeroGateway } from '../src';
import { MemoryTokenStore, authFor, authorize, clockOf, connect, countOf, describeWithSpec, startSpecSandbox } from './sandbox.harness';

const MINUTE = 60_000;
const tokenCalls = (sandbox: RunningSandbox) => countOf(sandbox, 'POST', /^\/connect\/token$/);

jest.setTimeout(60_000);

describeWithSpec('xero-client OAuth2 against the sandbox', () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    sandbox = await startSpecSandbox({ rateLimits: { perMinute: 1000, perDay: 100_000 } });
  });
  afterAll(() => sandbox?.close());
  beforeEach(() => {
    sandbox.reset();
    sandbox.resetViolations();
  });
  afterEach(() => {
    // No request of ours (and no answer of the sandbox) may break Xero's official spec.
    expect(sandbox.violations()).toEqual([]);
  });

  it('consent URL → authorize → callback → tenants → API calls', async () => {
    const store = new MemoryTokenStore();
    const auth = authFor(sandbox, store);
    const pending = auth.startConsent();
    const url = new URL(pending.url);
    expect(url.origin + url.pathname).toBe(`${sandbox.url}/identity/connect/authorize`);
    expect(url.searchParams.get('state')).toBe(pending.state);
    expect(url.searchParams.get('scope')).toBe(GRANULAR_SCOPES.join(' '));
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(pending.codeVerifier).toBeTruthy();

    const callback = await authorize(pending.url);
    expect(new URL(callback).searchParams.get('state')).toBe(pending.state);
    const { tenants, selected } = await auth.completeConsent('store-1', callback, pending);
    // The sandbox grants two organisations: the merchant has to choose.
    expect(tenants.map((t) => t.tenantId).sort()).toEqual(sandbox.tenants.map((t) => t.tenantId).sort());
    expect(selected).toBeNull();
    expect(store.tokens.get('store-1')?.refreshToken).toBeTruthy();

    const second = sandbox.tenants[1];
    await auth.selectTenant('store-1', second.tenantId);
    const gateway = await XeroGateway.forScope(auth, 'store-1', { clock: clockOf(sandbox) });
    const org = await gateway.getOrganisation();
    expect(org.Name).toBe(second.name);
    expect(store.tokens.get('store-1')).toMatchObject({ tenantId: second.tenantId, tenantName: second.name });
  });

  it('refuses a callback whose state is not ours, without calling the token endpoint', async () => {
    const store = new MemoryTokenStore();
    const auth = authFor(sandbox, store);
    const pending = auth.startConsent();
    const callback = await authorize(pending.url);
    const before = tokenCalls(sandbox);
    const error = await auth.completeConsent('store-1', callback, { ...pending, state: 'someone-elses-state' }).catch((e: unknown) => e);
    expect(isSyncError(error) && error.message).toMatch(/state mismatch/);
    expect(tokenCalls(sandbox)).toBe(before);
    expect(store.tokens.size).toBe(0);
  });

  it('with openId on, the id_token is checked against the jwks and the flow still works', async () => {
    const store = new MemoryTokenStore();
    const auth = authFor(sandbox, store, { openId: true });
    const pending = auth.startConsent();
    expect(new URL(pending.url).searchParams.get('scope')).toMatch(/^openid profile email offline_access /);
    const { selected } = await auth.completeConsent('store-1', await authorize(pending.url), pending, sandbox.tenants[0].tenantId);
    expect(selected?.tenantId).toBe(sandbox.tenants[0].tenantId);
    expect(countOf(sandbox, 'GET', /jwks$/)).toBeGreaterThanOrEqual(1);
  });

  it('legacy scopes work as an option', async () => {
    const store = new MemoryTokenStore();
    const auth = authFor(sandbox, store, { scopeSet: 'legacy' });
    const pending = auth.startConsent();
    expect(new URL(pending.url).searchParams.get('scope')).toBe(LEGACY_SCOPES.join(' '));
    await auth.completeConsent('store-1', await authorize(pending.url), pending, sandbox.tenants[0].tenantId);
    const gateway = await XeroGateway.forScope(auth, 'store-1');
    expect((await gateway.listAccounts()).length).toBeGreaterThan(0);
  });

  it('refreshes an expired access token, persisting the rotated refresh token before using the new access token', async () => {
    const store = new MemoryTokenStore();
    const { gateway } = await connect(sandbox, store);
    const first = store.tokens.get('store-1')!;
    sandbox.clock.advance(31 * MINUTE);
    const before = tokenCalls(sandbox);
    const savesBefore = store.saves.length;
    await gateway.listTaxRates();
    expect(tokenCalls(sandbox) - before).toBe(1);
    const second = store.tokens.get('store-1')!;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(store.saves.length).toBe(savesBefore + 1);

    // Rotation: once the 30-minute grace is over the old refresh token is dead, the new one works.
    sandbox.clock.advance(31 * MINUTE);
    const stale = new MemoryTokenStore();
    await stale.saveTokens({ ...first, expiresAt: new Date(0).toISOString() });
    const staleAuth = authFor(sandbox, stale);
    const error = await staleAuth.getAccessToken('store-1').catch((e: unknown) => e);
    expect(isSyncError(error) && error.kind).toBe('needs-reconnect');
    await gateway.listTaxRates();
    expect(store.tokens.get('store-1')!.refreshToken).not.toBe(second.refreshToken);
  });

  it('20 concurrent calls with an expired access token make exactly one refresh and no invalid_grant', async () => {
    const store = new MemoryTokenStore();
    const { gateway } = await connect(sandbox, store);
    sandbox.clock.advance(31 * MINUTE);
    const before = tokenCalls(sandbox);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => gateway.listCurrencies()));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(tokenCalls(sandbox) - before).toBe(1);
    expect(countOf(sandbox, 'GET', /\/Currencies$/)).toBe(20);
  });

  it('two workers (separate auth services, same store and lock) also refresh once', async () => {
    const store = new MemoryTokenStore();
    const { gateway } = await connect(sandbox, store);
    const other = await XeroGateway.forScope(authFor(sandbox, store), 'store-1', { clock: clockOf(sandbox) });
    sandbox.clock.advance(31 * MINUTE);
    const before = tokenCalls(sandbox);
    await Promise.all([...Array.from({ length: 5 }, () => gateway.listCurrencies()), ...Array.from({ length: 5 }, () => other.listCurrencies())]);
    expect(tokenCalls(sandbox) - before).toBe(1);
    expect(store.lockCalls).toBeGreaterThan(0);
  });

  // 'timeout-after-write' without latency: the server rotates, then the socket dies (the answer is
  // lost after rotation). 'drop': the socket dies before the server sees the request.
  it.each(['timeout-after-write', 'drop'] as const)('a lost refresh answer (%s) recovers within the grace', async (kind) => {
    const store = new MemoryTokenStore();
    const { gateway } = await connect(sandbox, store);
    const first = store.tokens.get('store-1')!;
    sandbox.clock.advance(31 * MINUTE);
    sandbox.faults.add({ method: 'POST', path: '/connect/token', kind, times: 1 });
    const before = tokenCalls(sandbox);
    const accounts = await gateway.listAccounts();
    expect(accounts.length).toBeGreaterThan(0);
    // One lost answer, one retry with the same (old) refresh token inside the grace.
    expect(tokenCalls(sandbox) - before).toBe(2);
    const now = store.tokens.get('store-1')!;
    expect(now.refreshToken).not.toBe(first.refreshToken);
    // The tokens we kept are the live ones: once the grace of the old one is over, refreshing works.
    sandbox.clock.advance(40 * MINUTE);
    await gateway.listAccounts();
    expect(store.tokens.get('store-1')!.refreshToken).not.toBe(now.refreshToken);
  });

  it('proactive refresh: nothing when fresh, a refresh when the tokens are old, so a quiet store never reaches 60 days', async () => {
    const store = new MemoryTokenStore();
    const { auth } = await connect(sandbox, store, 'store-1', { proactiveRefreshAfterDays: 7 });
    expect(await auth.refreshIfDue('store-1')).toMatchObject({ refreshed: false, reason: 'fresh' });
    expect(await auth.refreshIfDue('nobody')).toMatchObject({ refreshed: false, reason: 'not-connected' });
    // A quiet store: the scheduler calls refreshIfDue daily for 70 days, no API use at all.
    let refreshes = 0;
    for (let day = 1; day <= 70; day++) {
      sandbox.clock.advance(24 * 60 * MINUTE);
      if ((await auth.refreshIfDue('store-1')).refreshed) refreshes++;
    }
    expect(refreshes).toBe(10); // days 7, 14, … 70
    const gateway = await XeroGateway.forScope(auth, 'store-1', { clock: clockOf(sandbox) });
    expect((await gateway.getOrganisation()).Name).toBe(sandbox.tenants[0].name);
  });

  it('disconnect deletes the connection, revokes the token and forgets it', async () => {
    const store = new MemoryTokenStore();
    const { auth } = await connect(sandbox, store);
    const tokens = store.tokens.get('store-1')!;
    const result = await auth.disconnect('store-1');
    expect(result).toEqual({ connectionDeleted: true, revoked: true, problems: [] });
    expect(store.tokens.has('store-1')).toBe(false);
    expect(countOf(sandbox, 'DELETE', /^\/connections\//)).toBe(1);
    // The revoked refresh token no longer works.
    const replay = new MemoryTokenStore();
    await replay.saveTokens({ ...tokens, expiresAt: new Date(0).toISOString() });
    const error = await authFor(sandbox, replay).getAccessToken('store-1').catch((e: unknown) => e);
    expect(isSyncError(error) && error.kind).toBe('needs-reconnect');
  });

  it('disconnecting a connection Xero already dropped still forgets it locally and says what happened', async () => {
    const store = new MemoryTokenStore();
    const { auth } = await connect(sandbox, store);
    sandbox.clock.advance(61 * 24 * 60 * MINUTE); // the refresh token died unused
    const result = await auth.disconnect('store-1');
    expect(result.connectionDeleted).toBe(false);
    expect(result.problems.join(' ')).toMatch(/reconnect Xero in Settings/);
    expect(store.tokens.has('store-1')).toBe(false);
  });

  it('custom connection (client_credentials) as an option', async () => {
    const store = new MemoryTokenStore();
    const auth = authFor(sandbox, store, { grantType: 'client_credentials', redirectUri: undefined });
    const tenant = await auth.connectCustom('custom-1');
    expect(store.tokens.get('custom-1')).toMatchObject({ tenantId: tenant.tenantId, refreshToken: null });
    const gateway = await XeroGateway.forScope(auth, 'custom-1', { clock: clockOf(sandbox) });
    expect((await gateway.getOrganisation()).Name).toBe(tenant.tenantName);
    // Expired: a new client_credentials token, no refresh token involved.
    sandbox.clock.advance(31 * MINUTE);
    await gateway.listCurrencies();
  });
});
