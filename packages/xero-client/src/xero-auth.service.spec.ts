import { TokenSet } from 'openid-client';
import { isSyncError, type StoredXeroTokens } from '@oc-xero/sync-core';
import { XeroAuthService } from './xero-auth.service';
import { parseXeroClientConfig } from './xero-client.config';

const NOW = Date.parse('2026-01-10T10:00:00Z');

function setup(stored: Partial<StoredXeroTokens> = {}) {
  const events: string[] = [];
  let tokens: StoredXeroTokens | null = {
    scope: 's',
    tenantId: 't',
    tenantName: 'Demo Org',
    accessToken: 'AT-old',
    refreshToken: 'RT-old',
    expiresAt: new Date(NOW - 1000).toISOString(),
    refreshedAt: new Date(NOW - 30 * 60_000).toISOString(),
    scopes: 'offline_access',
    ...stored,
  };
  const store = {
    loadTokens: jest.fn(async () => (tokens ? { ...tokens } : null)),
    saveTokens: jest.fn(async (t: StoredXeroTokens) => {
      events.push(`save ${t.refreshToken}`);
      tokens = { ...t };
    }),
    deleteTokens: jest.fn(async () => void (tokens = null)),
  };
  const config = parseXeroClientConfig({ clientId: 'id', clientSecret: 'secret', redirectUri: 'http://localhost/cb', backoffBaseMs: 1, backoffMaxMs: 2 });
  const auth = new XeroAuthService(config, { store, clock: { now: () => NOW, sleep: async () => undefined } });
  let n = 0;
  const refresh = jest.fn(async (rt: string) => {
    events.push(`refresh ${rt}`);
    await new Promise((r) => setTimeout(r, 5));
    n++;
    return new TokenSet({ access_token: `AT-${n}`, refresh_token: `RT-${n}`, expires_in: 1800, token_type: 'Bearer' });
  });
  (auth as unknown as { openIdClient: { refresh: typeof refresh } }).openIdClient.refresh = refresh;
  return { auth, store, refresh, events, current: () => tokens };
}

describe('XeroAuthService tokens', () => {
  it('refreshes an expired token and saves the new refresh token before handing out the access token', async () => {
    const { auth, events } = setup();
    const t = await auth.getAccessToken('s');
    events.push(`use ${t.accessToken}`);
    expect(events).toEqual(['refresh RT-old', 'save RT-1', 'use AT-1']);
    expect(t.expiresAt).toBe(new Date(NOW + 1800_000).toISOString());
  });

  it('20 concurrent callers → one refresh', async () => {
    const { auth, refresh } = setup();
    const all = await Promise.all(Array.from({ length: 20 }, () => auth.getAccessToken('s')));
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(new Set(all.map((t) => t.accessToken))).toEqual(new Set(['AT-1']));
  });

  it('a fresh token is used without refreshing', async () => {
    const { auth, refresh } = setup({ expiresAt: new Date(NOW + 20 * 60_000).toISOString() });
    expect((await auth.getAccessToken('s')).accessToken).toBe('AT-old');
    expect(refresh).not.toHaveBeenCalled();
  });

  it('when saving the new tokens fails, the new access token is not used', async () => {
    const { auth, store } = setup();
    store.saveTokens.mockRejectedValueOnce(new Error('db down'));
    await expect(auth.getAccessToken('s')).rejects.toThrow('db down');
    // Next attempt refreshes again with the old refresh token (still inside Xero's grace).
    const t = await auth.getAccessToken('s');
    expect(t.accessToken).toBe('AT-2');
  });

  it('a lost answer is retried with the same refresh token', async () => {
    const { auth, refresh, events } = setup();
    refresh.mockImplementationOnce(async () => {
      events.push('refresh lost');
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    });
    expect((await auth.getAccessToken('s')).accessToken).toBe('AT-1');
    expect(refresh.mock.calls.map((c) => c[0])).toEqual(['RT-old', 'RT-old']);
  });

  it('invalid_grant means reconnect, with no token in the message', async () => {
    const { auth, refresh } = setup();
    refresh.mockRejectedValueOnce(Object.assign(new Error('invalid_grant'), { error: 'invalid_grant' }));
    const e = await auth.getAccessToken('s').catch((x: unknown) => x);
    expect(isSyncError(e) && e.kind).toBe('needs-reconnect');
    expect(isSyncError(e) && e.message).not.toMatch(/RT-old|AT-old/);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('another process holding the lock refreshed meanwhile: its tokens are used, no second refresh', async () => {
    const { store, refresh } = setup();
    const config = parseXeroClientConfig({ clientId: 'id', clientSecret: 'secret', redirectUri: 'http://localhost/cb' });
    let attempts = 0;
    const lock = {
      tryLock: jest.fn(async () => {
        attempts++;
        if (attempts === 1) {
          // The other worker finishes its refresh while we wait for the lock.
          await store.saveTokens({ ...(await store.loadTokens())!, accessToken: 'AT-other', refreshToken: 'RT-other', expiresAt: new Date(NOW + 1800_000).toISOString() });
          return false;
        }
        return true;
      }),
      unlock: jest.fn(async () => undefined),
    };
    const auth = new XeroAuthService(config, { store, lock, clock: { now: () => NOW, sleep: async () => undefined } });
    (auth as unknown as { openIdClient: { refresh: typeof refresh } }).openIdClient.refresh = refresh;
    expect((await auth.getAccessToken('s')).accessToken).toBe('AT-other');
    expect(refresh).not.toHaveBeenCalled();
    expect(lock.unlock).not.toHaveBeenCalled();
  });

  it('the lock is taken for the refresh and released after it', async () => {
    const { store, refresh } = setup();
    const config = parseXeroClientConfig({ clientId: 'id', clientSecret: 'secret', redirectUri: 'http://localhost/cb' });
    const lock = { tryLock: jest.fn(async (_name: string, _owner: string, _ttlMs: number) => true), unlock: jest.fn(async () => undefined) };
    const auth = new XeroAuthService(config, { store, lock, clock: { now: () => NOW, sleep: async () => undefined } });
    (auth as unknown as { openIdClient: { refresh: typeof refresh } }).openIdClient.refresh = refresh;
    await auth.getAccessToken('s');
    expect(lock.tryLock).toHaveBeenCalledWith('xero-token-refresh:s', expect.any(String), expect.any(Number));
    expect(lock.tryLock.mock.calls[0][2]).toBeGreaterThanOrEqual(4 * 30_000);
    expect(lock.unlock).toHaveBeenCalledTimes(1);
  });

  it('not connected → needs-reconnect', async () => {
    const { auth, store } = setup();
    store.loadTokens.mockResolvedValue(null);
    await expect(auth.getAccessToken('other')).rejects.toMatchObject({ kind: 'needs-reconnect' });
  });

  it('consent URL carries state, PKCE and the granular scopes; a foreign state is refused', async () => {
    const { auth } = setup();
    const pending = auth.startConsent();
    const url = new URL(pending.url);
    expect(url.origin).toBe('https://login.xero.com');
    expect(url.searchParams.get('scope')).toBe('offline_access accounting.contacts accounting.invoices accounting.payments accounting.settings');
    expect(url.searchParams.get('code_challenge')).toHaveLength(43);
    await expect(auth.completeConsent('s', `http://localhost/cb?code=abc&state=evil`, pending)).rejects.toMatchObject({ kind: 'config' });
  });
});
