import { createHash } from 'node:crypto';
import { Issuer, generators } from 'openid-client';
import { RunningSandbox } from '../src';
import {
  api,
  authorize,
  basic,
  CLIENT_ID,
  CLIENT_SECRET,
  connect,
  expectNoViolations,
  expectOnlyMissingTenantHeader,
  REDIRECT_URI,
  SCOPES,
  start,
  tokenRequest,
} from './sandbox.helper';

const MINUTE = 60_000;

describe('identity (login.xero.com / identity.xero.com / api.xero.com/connections)', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await start({ now: () => new Date('2026-11-23T12:00:00Z') });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());
  afterEach(() => expectNoViolations(sandbox));

  it('authorize echoes state and the code is single-use', async () => {
    const redirect = await authorize(sandbox, { state: 'state-with spaces&x' });
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
    expect(redirect.searchParams.get('state')).toBe('state-with spaces&x');
    const code = redirect.searchParams.get('code') as string;
    const first = await tokenRequest(sandbox, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ expires_in: 1800, token_type: 'Bearer', scope: SCOPES });
    expect(typeof first.body.refresh_token).toBe('string');
    expect(typeof first.body.id_token).toBe('string');
    const again = await tokenRequest(sandbox, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
    });
    expect(again).toEqual({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('a code expires after 5 minutes and must come back with the same redirect_uri', async () => {
    const late = (await authorize(sandbox)).searchParams.get('code') as string;
    sandbox.clock.advance(5 * MINUTE + 1000);
    expect(
      (
        await tokenRequest(sandbox, {
          grant_type: 'authorization_code',
          code: late,
          redirect_uri: REDIRECT_URI,
        })
      ).body,
    ).toEqual({ error: 'invalid_grant' });
    const code = (await authorize(sandbox)).searchParams.get('code') as string;
    expect(
      (
        await tokenRequest(sandbox, {
          grant_type: 'authorization_code',
          code,
          redirect_uri: 'http://127.0.0.1:5999/other',
        })
      ).body,
    ).toEqual({ error: 'invalid_grant' });
  });

  it('rejects unknown redirect URIs and unknown clients before redirecting', async () => {
    const bad = await fetch(
      `${sandbox.url}/identity/connect/authorize?response_type=code&client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&scope=openid`,
      { redirect: 'manual' },
    );
    expect(bad.status).toBe(400);
    const unknown = await fetch(
      `${sandbox.url}/identity/connect/authorize?response_type=code&client_id=nope&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&scope=openid`,
      { redirect: 'manual' },
    );
    expect(unknown.status).toBe(400);
  });

  it('authenticates the client with a Basic header or with the body, and refuses a wrong secret', async () => {
    const code1 = (await authorize(sandbox)).searchParams.get('code') as string;
    const viaBody = await tokenRequest(
      sandbox,
      {
        grant_type: 'authorization_code',
        code: code1,
        redirect_uri: REDIRECT_URI,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      },
      undefined,
    );
    expect(viaBody.status).toBe(200);
    const code2 = (await authorize(sandbox)).searchParams.get('code') as string;
    const wrong = await tokenRequest(
      sandbox,
      { grant_type: 'authorization_code', code: code2, redirect_uri: REDIRECT_URI },
      basic(CLIENT_ID, 'wrong'),
    );
    expect(wrong).toEqual({ status: 400, body: { error: 'invalid_client' } });
  });

  it('supports PKCE (S256) for a public client without a secret', async () => {
    const verifier = generators.codeVerifier();
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const code = (
      await authorize(sandbox, { code_challenge: challenge, code_challenge_method: 'S256' })
    ).searchParams.get('code') as string;
    const badVerifier = await tokenRequest(
      sandbox,
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        client_id: CLIENT_ID,
        code_verifier: 'x'.repeat(43),
      },
      undefined,
    );
    expect(badVerifier.body).toEqual({ error: 'invalid_grant' });
    const code2 = (
      await authorize(sandbox, { code_challenge: challenge, code_challenge_method: 'S256' })
    ).searchParams.get('code') as string;
    const ok = await tokenRequest(
      sandbox,
      {
        grant_type: 'authorization_code',
        code: code2,
        redirect_uri: REDIRECT_URI,
        client_id: CLIENT_ID,
        code_verifier: verifier,
      },
      undefined,
    );
    expect(ok.status).toBe(200);
  });

  it('access tokens expire after 30 minutes with Xero 401 TokenExpired', async () => {
    const s = await connect(sandbox);
    sandbox.clock.advance(29 * MINUTE);
    expect((await api(sandbox, s.accessToken, 'GET', '/Organisation')).status).toBe(200);
    sandbox.clock.advance(MINUTE + 1000);
    const expired = await api(sandbox, s.accessToken, 'GET', '/Organisation');
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ Type: null, Title: 'Unauthorized', Status: 401, Extensions: {} });
    expect(expired.body.Detail).toBe('TokenExpired: token expired at 11/23/2026 12:30:00');
    const garbage = await api(sandbox, 'not-a-token', 'GET', '/Organisation');
    expect(garbage.status).toBe(401);
    expect(garbage.body.Detail).toBe('AuthenticationUnsuccessful');
  });

  it('rotates the refresh token on every use; the old one returns the SAME new pair for 30 minutes, then invalid_grant', async () => {
    const s = await connect(sandbox);
    sandbox.clock.advance(40 * MINUTE);
    const first = await tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: s.refreshToken });
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(s.refreshToken);
    expect(first.body.expires_in).toBe(1800);
    sandbox.clock.advance(29 * MINUTE);
    const replay = await tokenRequest(sandbox, {
      grant_type: 'refresh_token',
      refresh_token: s.refreshToken,
    });
    expect(replay).toEqual(first);
    expect((await api(sandbox, String(first.body.access_token), 'GET', '/Organisation')).status).toBe(200);
    sandbox.clock.advance(2 * MINUTE);
    expect(
      await tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: s.refreshToken }),
    ).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    // The new token works and rotates in turn.
    const second = await tokenRequest(sandbox, {
      grant_type: 'refresh_token',
      refresh_token: String(first.body.refresh_token),
    });
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
  });

  it('a refresh answer lost on the way (timeout-after-write) is recovered by retrying the old token within the grace', async () => {
    const s = await connect(sandbox);
    sandbox.faults.add({ kind: 'timeout-after-write', method: 'POST', path: '/connect/token' });
    await expect(
      tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: s.refreshToken }),
    ).rejects.toThrow();
    const retry = await tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: s.refreshToken });
    expect(retry.status).toBe(200);
    expect(sandbox.counters()['token:refresh_token']).toBe(2);
    expect((await api(sandbox, String(retry.body.access_token), 'GET', '/Organisation')).status).toBe(200);
    expect(
      (
        await tokenRequest(sandbox, {
          grant_type: 'refresh_token',
          refresh_token: String(retry.body.refresh_token),
        })
      ).status,
    ).toBe(200);
  });

  it('a refresh token unused for 60 days is dead', async () => {
    const s = await connect(sandbox);
    sandbox.clock.advance(59 * 24 * 60 * MINUTE);
    const stillAlive = await tokenRequest(sandbox, {
      grant_type: 'refresh_token',
      refresh_token: s.refreshToken,
    });
    expect(stillAlive.status).toBe(200);
    sandbox.clock.advance(60 * 24 * 60 * MINUTE + 1000);
    expect(
      await tokenRequest(sandbox, {
        grant_type: 'refresh_token',
        refresh_token: String(stillAlive.body.refresh_token),
      }),
    ).toEqual({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('client_credentials: a custom connection gets one tenant, no refresh token, and may omit xero-tenant-id', async () => {
    const { status, body } = await tokenRequest(sandbox, { grant_type: 'client_credentials' });
    expect(status).toBe(200);
    expect(body.refresh_token).toBeUndefined();
    expect(body.expires_in).toBe(1800);
    const token = String(body.access_token);
    const res = await fetch(`${sandbox.url}/connections`, { headers: { Authorization: `Bearer ${token}` } });
    const connections = (await res.json()) as Array<{ tenantId: string }>;
    expect(connections.map((c) => c.tenantId)).toEqual([sandbox.tenants[0].tenantId]);
    const org = await api(sandbox, token, 'GET', '/Organisation', undefined, { tenantId: null });
    expect(org.status).toBe(200);
    expect((org.body.Organisations as Array<{ OrganisationID: string }>)[0].OrganisationID).toBe(
      sandbox.tenants[0].tenantId,
    );
    // Xero accepts a custom-connection call without the header although the spec requires it.
    expectOnlyMissingTenantHeader(sandbox, 1);
    expect(
      (
        await api(sandbox, token, 'GET', '/Organisation', undefined, {
          tenantId: sandbox.tenants[1].tenantId,
        })
      ).status,
    ).toBe(403);
  });

  it('/connections lists every consented tenant; selecting by xero-tenant-id; DELETE disconnects one (then 403)', async () => {
    const s = await connect(sandbox);
    const res = await fetch(`${sandbox.url}/connections`, {
      headers: { Authorization: `Bearer ${s.accessToken}` },
    });
    const connections = (await res.json()) as Array<Record<string, string>>;
    expect(connections.map((c) => c.tenantId)).toEqual(sandbox.tenants.map((t) => t.tenantId));
    expect(
      connections.every((c) => c.tenantType === 'ORGANISATION' && c.id && c.authEventId && c.createdDateUtc),
    ).toBe(true);
    const nz = await api(sandbox, s.accessToken, 'GET', '/Organisation', undefined, {
      tenantId: sandbox.tenants[1].tenantId,
    });
    expect((nz.body.Organisations as Array<Record<string, string>>)[0]).toMatchObject({
      BaseCurrency: 'NZD',
      CountryCode: 'NZ',
    });
    const missing = await api(sandbox, s.accessToken, 'GET', '/Organisation', undefined, { tenantId: null });
    expect(missing.status).toBe(403);
    expect(missing.body).toMatchObject({
      Title: 'Forbidden',
      Status: 403,
      Detail: 'AuthenticationUnsuccessful',
    });
    expectOnlyMissingTenantHeader(sandbox, 1);
    expect(
      (
        await api(sandbox, s.accessToken, 'GET', '/Organisation', undefined, {
          tenantId: '00000000-0000-0000-0000-000000000000',
        })
      ).status,
    ).toBe(403);
    const del = await fetch(`${sandbox.url}/connections/${connections[1].id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${s.accessToken}` },
    });
    expect(del.status).toBe(204);
    expect(
      (
        await api(sandbox, s.accessToken, 'GET', '/Organisation', undefined, {
          tenantId: sandbox.tenants[1].tenantId,
        })
      ).status,
    ).toBe(403);
    expect((await api(sandbox, s.accessToken, 'GET', '/Organisation')).status).toBe(200);
    const again = await fetch(`${sandbox.url}/connections/${connections[1].id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${s.accessToken}` },
    });
    expect(again.status).toBe(404);
  });

  it('revocation kills the refresh token, its access tokens and its connections', async () => {
    const s = await connect(sandbox);
    const res = await fetch(`${sandbox.url}/connect/revocation`, {
      method: 'POST',
      headers: { Authorization: basic(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: s.refreshToken }).toString(),
    });
    expect(res.status).toBe(200);
    expect(
      await tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: s.refreshToken }),
    ).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    expect((await api(sandbox, s.accessToken, 'GET', '/Organisation')).status).toBe(401);
  });

  it('enforces scopes: a token without accounting.contacts cannot read contacts', async () => {
    const s = await connect(sandbox, 'offline_access accounting.settings');
    expect((await api(sandbox, s.accessToken, 'GET', '/Accounts')).status).toBe(200);
    const denied = await api(sandbox, s.accessToken, 'GET', '/Contacts');
    expect(denied.status).toBe(403);
    expect(denied.body.Detail).toBe('AuthorizationUnsuccessful');
  });

  it('serves an OpenID discovery document whose endpoints point at the sandbox itself', async () => {
    const issuer = await Issuer.discover(sandbox.url);
    expect(issuer.metadata.authorization_endpoint).toBe(`${sandbox.url}/identity/connect/authorize`);
    expect(issuer.metadata.token_endpoint).toBe(`${sandbox.url}/connect/token`);
    expect(issuer.metadata.jwks_uri).toBe(`${sandbox.url}/.well-known/openid-configuration/jwks`);
    expect(issuer.metadata.revocation_endpoint).toBe(`${sandbox.url}/connect/revocation`);
  });
});

describe('identity with the real clock (openid-client checks id_token times against it)', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await start();
  });
  afterAll(() => sandbox.close());
  afterEach(() => expectNoViolations(sandbox));

  it('openid-client exchanges the code and validates the signed id_token (iss, aud, nonce, signature)', async () => {
    const issuer = await Issuer.discover(sandbox.url);
    const client = new issuer.Client({
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [REDIRECT_URI],
      response_types: ['code'],
    });
    const nonce = generators.nonce();
    const state = generators.state();
    const consent = await fetch(client.authorizationUrl({ scope: SCOPES, state, nonce }), {
      redirect: 'manual',
    });
    const callback = new URL(consent.headers.get('location') as string);
    const tokens = await client.callback(REDIRECT_URI, client.callbackParams(callback.toString()), {
      state,
      nonce,
    });
    expect(tokens.claims()).toMatchObject({
      iss: sandbox.url,
      aud: CLIENT_ID,
      nonce,
      email: 'bookkeeper@sandbox.example',
    });
    const refreshed = await client.refresh(tokens.refresh_token as string);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    const tenants = await fetch(`${sandbox.url}/connections`, {
      headers: { Authorization: `Bearer ${refreshed.access_token}` },
    });
    expect(tenants.status).toBe(200);
  });

  it('with autoConsent false, authorize shows an "Allow access" page whose form completes the flow', async () => {
    const manual = await start({ autoConsent: false });
    try {
      const url = `${manual.url}/identity/connect/authorize?response_type=code&client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&scope=${encodeURIComponent(SCOPES)}&state=abc`;
      const page = await fetch(url, { redirect: 'manual' });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('Allow access');
      const fields = Object.fromEntries(
        [...html.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2].replace(/&amp;/g, '&')]),
      );
      expect(fields).toMatchObject({ client_id: CLIENT_ID, state: 'abc' });
      const allow = await fetch(`${manual.url}/identity/connect/authorize`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...fields, consent: 'allow' }).toString(),
      });
      expect(allow.status).toBe(302);
      const redirect = new URL(allow.headers.get('location') as string);
      expect(redirect.searchParams.get('state')).toBe('abc');
      expect(redirect.searchParams.get('code')).toBeTruthy();
      const deny = await fetch(`${manual.url}/identity/connect/authorize`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...fields, consent: 'deny' }).toString(),
      });
      expect(new URL(deny.headers.get('location') as string).searchParams.get('error')).toBe('access_denied');
      expectNoViolations(manual);
    } finally {
      await manual.close();
    }
  });
});
