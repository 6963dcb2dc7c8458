import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { JwtSigner } from './jwt.signer';
import { SandboxApp } from './sandbox.types';

// Xero's OAuth 2 identity service, as it behaves for a connector:
// - authorization codes are single-use and live 5 minutes;
// - access tokens live 30 minutes;
// - every refresh rotates the refresh token; the previous one keeps answering with the SAME new
//   pair for a 30-minute grace, then gives invalid_grant; an unused refresh token dies after 60 days;
// - client_credentials (custom connections) gets one tenant and no refresh token.

export const ACCESS_TOKEN_TTL_MS = 30 * 60 * 1000;
export const REFRESH_GRACE_MS = 30 * 60 * 1000;
export const REFRESH_IDLE_MS = 60 * 24 * 60 * 60 * 1000;
export const CODE_TTL_MS = 5 * 60 * 1000;
const ID_TOKEN_TTL_MS = 5 * 60 * 1000;

export const ALL_SCOPES = [
  'openid',
  'profile',
  'email',
  'offline_access',
  'accounting.transactions',
  'accounting.transactions.read',
  'accounting.settings',
  'accounting.settings.read',
  'accounting.contacts',
  'accounting.contacts.read',
  'accounting.invoices',
  'accounting.invoices.read',
  'accounting.payments',
  'accounting.payments.read',
  'accounting.reports.read',
  'accounting.journals.read',
  'accounting.attachments',
  'accounting.attachments.read',
];

export const SANDBOX_USER = {
  userId: 'b3c0ffee-0000-4000-8000-000000000001',
  email: 'bookkeeper@sandbox.example',
  givenName: 'Sandbox',
  familyName: 'Bookkeeper',
};

export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly status = 400,
    description?: string,
  ) {
    super(description ?? error);
  }
}

export interface TokenResponse {
  id_token?: string;
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
  refresh_token?: string;
  scope: string;
}

export interface Connection {
  id: string;
  authEventId: string;
  tenantId: string;
  tenantType: 'ORGANISATION';
  tenantName: string;
  createdDateUtc: string;
  updatedDateUtc: string;
}

interface Grant {
  authEventId: string;
  clientId: string;
  userId: string;
  scopes: string[];
  customConnection: boolean;
  /** Granted to a PKCE public client: it may refresh without a client secret. */
  pkce: boolean;
  revoked: boolean;
}

interface AccessRecord {
  grant: Grant;
  expiresAtMs: number;
}

interface RefreshRecord {
  grant: Grant;
  issuedAtMs: number;
  rotatedAtMs?: number;
  rotatedTo?: TokenResponse;
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expiresAtMs: number;
  used: boolean;
}

export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  scope: string;
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
}

/** What the API layer learns from a bearer token. */
export type AccessCheck =
  | { ok: true; clientId: string; userId: string; scopes: string[]; customConnection: boolean }
  | { ok: false; detail: string };

export class IdentityService {
  private codes = new Map<string, CodeRecord>();
  private accessTokens = new Map<string, AccessRecord>();
  private refreshTokens = new Map<string, RefreshRecord>();
  /** clientId|userId → tenantId → connection */
  private connections = new Map<string, Map<string, Connection>>();
  readonly signer = new JwtSigner();

  constructor(
    private readonly apps: SandboxApp[],
    private readonly tenants: () => Array<{ tenantId: string; name: string }>,
    private readonly now: () => Date,
    private readonly issuer: () => string,
  ) {}

  reset(): void {
    this.codes.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.connections.clear();
  }

  app(clientId: string | undefined): SandboxApp | undefined {
    return this.apps.find((a) => a.clientId === clientId);
  }

  redirectAllowed(app: SandboxApp, redirectUri: string): boolean {
    if (app.redirectUris) return app.redirectUris.includes(redirectUri);
    try {
      const u = new URL(redirectUri);
      return u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost');
    } catch {
      return false;
    }
  }

  /** The user consented: connect every sandbox tenant and issue a code. */
  issueCode(req: AuthorizeRequest): string {
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, {
      clientId: req.clientId,
      redirectUri: req.redirectUri,
      scopes: req.scope.split(/\s+/).filter(Boolean),
      nonce: req.nonce,
      codeChallenge: req.codeChallenge,
      codeChallengeMethod: req.codeChallengeMethod,
      expiresAtMs: this.now().getTime() + CODE_TTL_MS,
      used: false,
    });
    return code;
  }

  /** Client authentication: Basic header or body; PKCE public clients may omit the secret. */
  authenticateClient(
    basic: { id: string; secret: string } | undefined,
    body: Record<string, string>,
  ): { app: SandboxApp; secretVerified: boolean } {
    const id = basic?.id ?? body.client_id;
    const secret = basic?.secret ?? body.client_secret;
    const app = this.app(id);
    if (!app) throw new OAuthError('invalid_client');
    if (secret === undefined) return { app, secretVerified: false };
    if (secret !== app.clientSecret) throw new OAuthError('invalid_client');
    return { app, secretVerified: true };
  }

  exchangeCode(app: SandboxApp, secretVerified: boolean, body: Record<string, string>): TokenResponse {
    const record = body.code ? this.codes.get(body.code) : undefined;
    const nowMs = this.now().getTime();
    if (!record || record.used || record.expiresAtMs <= nowMs || record.clientId !== app.clientId)
      throw new OAuthError('invalid_grant');
    record.used = true;
    if (record.redirectUri !== body.redirect_uri) throw new OAuthError('invalid_grant');
    if (record.codeChallenge) {
      const verifier = body.code_verifier ?? '';
      const computed =
        record.codeChallengeMethod === 'S256'
          ? createHash('sha256').update(verifier).digest('base64url')
          : verifier;
      if (computed !== record.codeChallenge) throw new OAuthError('invalid_grant');
    } else if (!secretVerified) {
      throw new OAuthError('invalid_client');
    }
    const grant: Grant = {
      authEventId: randomUUID(),
      clientId: app.clientId,
      userId: SANDBOX_USER.userId,
      scopes: record.scopes,
      customConnection: false,
      pkce: !!record.codeChallenge && !secretVerified,
      revoked: false,
    };
    this.connect(
      grant,
      this.tenants().map((t) => t.tenantId),
    );
    return this.issue(
      grant,
      record.scopes.includes('offline_access'),
      record.scopes.includes('openid'),
      record.nonce,
    );
  }

  refresh(app: SandboxApp, secretVerified: boolean, body: Record<string, string>): TokenResponse {
    const record = body.refresh_token ? this.refreshTokens.get(body.refresh_token) : undefined;
    const nowMs = this.now().getTime();
    if (!record || record.grant.revoked || record.grant.clientId !== app.clientId)
      throw new OAuthError('invalid_grant');
    if (!secretVerified && !record.grant.pkce) throw new OAuthError('invalid_client');
    if (record.rotatedAtMs !== undefined) {
      // Within the grace the old token answers again with the same new pair, so a client that lost
      // the first answer recovers; after it, the token is dead.
      if (nowMs - record.rotatedAtMs <= REFRESH_GRACE_MS && record.rotatedTo) return record.rotatedTo;
      throw new OAuthError('invalid_grant');
    }
    if (nowMs - record.issuedAtMs > REFRESH_IDLE_MS) throw new OAuthError('invalid_grant');
    // The id_token is not re-issued on refresh: openid-client would check its iat against the real
    // clock, which tests move with the sandbox clock.
    const response = this.issue(record.grant, true, false);
    record.rotatedAtMs = nowMs;
    record.rotatedTo = response;
    return response;
  }

  clientCredentials(app: SandboxApp, secretVerified: boolean, body: Record<string, string>): TokenResponse {
    if (!secretVerified) throw new OAuthError('invalid_client');
    const requested = (body.scope ?? '').split(/\s+/).filter(Boolean);
    const scopes = requested.length ? requested : ALL_SCOPES.filter((s) => s.startsWith('accounting.'));
    const grant: Grant = {
      authEventId: randomUUID(),
      clientId: app.clientId,
      userId: `custom-connection:${app.clientId}`,
      scopes,
      customConnection: true,
      pkce: false,
      revoked: false,
    };
    const first = this.tenants()[0];
    // A custom connection is linked to exactly one organisation.
    this.connections.delete(`${grant.clientId}|${grant.userId}`);
    this.connect(grant, [first.tenantId]);
    return this.issue(grant, false, false);
  }

  revoke(app: SandboxApp, token: string | undefined): void {
    const record = token ? this.refreshTokens.get(token) : undefined;
    if (!record || record.grant.clientId !== app.clientId) return; // RFC 7009: unknown tokens are not an error
    record.grant.revoked = true;
    const userConnections = this.connections.get(`${app.clientId}|${record.grant.userId}`);
    if (userConnections)
      for (const [tenantId, c] of userConnections)
        if (c.authEventId === record.grant.authEventId) userConnections.delete(tenantId);
  }

  checkAccessToken(token: string | undefined): AccessCheck {
    const record = token ? this.accessTokens.get(token) : undefined;
    if (!record || record.grant.revoked) return { ok: false, detail: 'AuthenticationUnsuccessful' };
    if (record.expiresAtMs <= this.now().getTime())
      return {
        ok: false,
        detail: `TokenExpired: token expired at ${formatXeroExpiry(new Date(record.expiresAtMs))}`,
      };
    const g = record.grant;
    return {
      ok: true,
      clientId: g.clientId,
      userId: g.userId,
      scopes: g.scopes,
      customConnection: g.customConnection,
    };
  }

  connectionsOf(clientId: string, userId: string): Connection[] {
    return [...(this.connections.get(`${clientId}|${userId}`)?.values() ?? [])];
  }

  deleteConnection(clientId: string, userId: string, id: string): boolean {
    const userConnections = this.connections.get(`${clientId}|${userId}`);
    if (!userConnections) return false;
    for (const [tenantId, c] of userConnections) {
      if (c.id.toLowerCase() === id.toLowerCase()) {
        userConnections.delete(tenantId);
        return true;
      }
    }
    return false;
  }

  private connect(grant: Grant, tenantIds: string[]): void {
    const key = `${grant.clientId}|${grant.userId}`;
    const userConnections = this.connections.get(key) ?? new Map<string, Connection>();
    const stamp = xeroConnectionDate(this.now());
    for (const tenantId of tenantIds) {
      const tenant = this.tenants().find((t) => t.tenantId === tenantId);
      if (!tenant) continue;
      const existing = userConnections.get(tenantId);
      userConnections.set(tenantId, {
        id: existing?.id ?? randomUUID(),
        authEventId: grant.authEventId,
        tenantId,
        tenantType: 'ORGANISATION',
        tenantName: tenant.name,
        createdDateUtc: existing?.createdDateUtc ?? stamp,
        updatedDateUtc: stamp,
      });
    }
    this.connections.set(key, userConnections);
  }

  private issue(grant: Grant, withRefresh: boolean, withIdToken: boolean, nonce?: string): TokenResponse {
    const now = this.now();
    const nowS = Math.floor(now.getTime() / 1000);
    const issuer = this.issuer();
    const accessToken = this.signer.sign({
      nbf: nowS,
      exp: nowS + ACCESS_TOKEN_TTL_MS / 1000,
      iss: issuer,
      aud: `${issuer}/resources`,
      client_id: grant.clientId,
      sub: grant.userId,
      auth_time: nowS,
      xero_userid: grant.userId,
      global_session_id: grant.authEventId,
      jti: randomUUID(),
      authentication_event_id: grant.authEventId,
      scope: grant.scopes,
    });
    this.accessTokens.set(accessToken, { grant, expiresAtMs: now.getTime() + ACCESS_TOKEN_TTL_MS });
    const response: TokenResponse = {
      access_token: accessToken,
      expires_in: ACCESS_TOKEN_TTL_MS / 1000,
      token_type: 'Bearer',
      scope: grant.scopes.join(' '),
    };
    if (withRefresh) {
      const refreshToken = randomBytes(32).toString('base64url');
      this.refreshTokens.set(refreshToken, { grant, issuedAtMs: now.getTime() });
      response.refresh_token = refreshToken;
    }
    if (withIdToken) {
      response.id_token = this.signer.sign({
        nbf: nowS,
        exp: nowS + ID_TOKEN_TTL_MS / 1000,
        iss: issuer,
        aud: grant.clientId,
        iat: nowS,
        ...(nonce ? { nonce } : {}),
        sub: grant.userId,
        auth_time: nowS,
        xero_userid: grant.userId,
        global_session_id: grant.authEventId,
        sid: grant.authEventId,
        preferred_username: SANDBOX_USER.email,
        email: SANDBOX_USER.email,
        given_name: SANDBOX_USER.givenName,
        family_name: SANDBOX_USER.familyName,
        name: `${SANDBOX_USER.givenName} ${SANDBOX_USER.familyName}`,
      });
    }
    return { ...response };
  }
}

/** "11/23/2026 20:58:22", the form of Xero's TokenExpired detail. */
export function formatXeroExpiry(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** "2019-12-07T18:46:19.5165400", the form of /connections dates. */
export function xeroConnectionDate(d: Date): string {
  return `${d.toISOString().slice(0, 23)}0000`;
}
