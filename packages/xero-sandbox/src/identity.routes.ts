import { randomUUID } from 'node:crypto';
import { Express, Request, Response } from 'express';
import { basicAuth, bearer, escapeHtml, problem, Reply, RouteWrapper } from './http.util';
import { ALL_SCOPES, IdentityService, OAuthError, SANDBOX_USER } from './identity.service';

// login.xero.com and identity.xero.com on the sandbox's origin: authorize (consent), token,
// revocation, OpenID discovery + JWKS, userinfo. The rules live in IdentityService.

export interface IdentityRouteDeps {
  identity: IdentityService;
  tenants: () => Array<{ tenantId: string; name: string }>;
  autoConsent: boolean;
  baseUrl: () => string;
  route: RouteWrapper;
  count: (key: string) => void;
  /** Every successful token answer, for the spec check. */
  onTokenAnswer: (body: unknown) => void;
}

export function mountIdentityRoutes(app: Express, deps: IdentityRouteDeps): void {
  const authorizeRequest = (params: Record<string, unknown>) => ({
    responseType: String(params.response_type ?? ''),
    clientId: String(params.client_id ?? ''),
    redirectUri: String(params.redirect_uri ?? ''),
    scope: String(params.scope ?? ''),
    state: params.state === undefined ? undefined : String(params.state),
    nonce: params.nonce === undefined ? undefined : String(params.nonce),
    codeChallenge: params.code_challenge === undefined ? undefined : String(params.code_challenge),
    codeChallengeMethod:
      params.code_challenge_method === undefined ? undefined : String(params.code_challenge_method),
  });
  const redirectWith = (redirectUri: string, params: Record<string, string | undefined>): Reply => {
    const url = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
    return { status: 302, headers: { Location: url.toString() }, text: `Redirecting to ${url.toString()}` };
  };
  const authorize = (params: Record<string, unknown>, consent: 'auto' | 'allow' | 'deny' | 'ask'): Reply => {
    const a = authorizeRequest(params);
    const client = deps.identity.app(a.clientId);
    if (!client) return { status: 400, text: 'unauthorized_client: unknown client_id' };
    if (!deps.identity.redirectAllowed(client, a.redirectUri))
      return { status: 400, text: 'invalid_request: redirect_uri is not registered for this app' };
    if (a.responseType !== 'code')
      return redirectWith(a.redirectUri, { error: 'unsupported_response_type', state: a.state });
    const scopes = a.scope.split(/\s+/).filter(Boolean);
    const unknown = scopes.filter((s) => !ALL_SCOPES.includes(s));
    if (!scopes.length || unknown.length)
      return redirectWith(a.redirectUri, { error: 'invalid_scope', state: a.state });
    if (consent === 'deny') return redirectWith(a.redirectUri, { error: 'access_denied', state: a.state });
    if (consent === 'ask')
      return {
        status: 200,
        text: undefined,
        body: undefined,
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
        html: consentPage(params),
      } as Reply & { html: string };
    const code = deps.identity.issueCode(a);
    return redirectWith(a.redirectUri, { code, scope: a.scope, state: a.state, session_state: randomUUID() });
  };
  const consentPage = (params: Record<string, unknown>): string => {
    const hidden = Object.entries(params)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(String(v))}">`)
      .join('\n      ');
    const orgList = deps
      .tenants()
      .map((t) => `<li>${escapeHtml(t.name)}</li>`)
      .join('');
    return `<!doctype html><html><head><meta charset="utf-8"><title>Xero Sandbox: allow access</title></head><body>
    <h1>Allow access to your organisations?</h1><p>The app asks for: ${escapeHtml(String(params.scope ?? ''))}</p><ul>${orgList}</ul>
    <form method="post" action="/identity/connect/authorize">
      ${hidden}
      <button type="submit" name="consent" value="allow">Allow access</button>
      <button type="submit" name="consent" value="deny">Cancel</button>
    </form></body></html>`;
  };

  const sendHtmlAware = (handler: (req: Request) => Reply) => async (req: Request, res: Response) => {
    const reply = handler(req) as Reply & { html?: string };
    if (reply.html !== undefined) {
      deps.count(`${req.method} ${req.path}`);
      res.status(200).type('html').send(reply.html);
      return;
    }
    await deps.route(() => reply)(req, res, () => undefined);
  };
  app.get(
    '/identity/connect/authorize',
    sendHtmlAware((req) =>
      authorize(req.query as Record<string, unknown>, deps.autoConsent ? 'auto' : 'ask'),
    ),
  );
  app.post(
    '/identity/connect/authorize',
    sendHtmlAware((req) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const { consent, ...params } = body;
      return authorize(params, consent === 'allow' ? 'allow' : 'deny');
    }),
  );

  const oauthReply = (fn: () => unknown): Reply => {
    try {
      return { status: 200, headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' }, body: fn() };
    } catch (e) {
      if (e instanceof OAuthError) return { status: e.status, body: { error: e.error } };
      throw e;
    }
  };
  app.post(
    '/connect/token',
    deps.route((req) => {
      const reply = oauthReply(() => {
        const body = (req.body ?? {}) as Record<string, string>;
        const { app: client, secretVerified } = deps.identity.authenticateClient(
          basicAuth(req.get('authorization')),
          body,
        );
        deps.count(`token:${body.grant_type ?? 'missing'}`);
        switch (body.grant_type) {
          case 'authorization_code':
            return deps.identity.exchangeCode(client, secretVerified, body);
          case 'refresh_token':
            return deps.identity.refresh(client, secretVerified, body);
          case 'client_credentials':
            return deps.identity.clientCredentials(client, secretVerified, body);
          default:
            throw new OAuthError('unsupported_grant_type');
        }
      });
      if (reply.status === 200) deps.onTokenAnswer(reply.body);
      return reply;
    }),
  );
  app.post(
    '/connect/revocation',
    deps.route((req) => {
      const body = (req.body ?? {}) as Record<string, string>;
      const reply = oauthReply(() => {
        const { app: client, secretVerified } = deps.identity.authenticateClient(
          basicAuth(req.get('authorization')),
          body,
        );
        if (!secretVerified) throw new OAuthError('invalid_client');
        deps.identity.revoke(client, body.token);
        return undefined;
      });
      return reply.status === 200 ? { status: 200 } : reply;
    }),
  );
  app.get(
    '/.well-known/openid-configuration',
    deps.route(() => ({ status: 200, body: discoveryDocument(deps.baseUrl()) })),
  );
  app.get(
    '/.well-known/openid-configuration/jwks',
    deps.route(() => ({ status: 200, body: deps.identity.signer.jwks() })),
  );
  app.get(
    '/connect/userinfo',
    deps.route((req) => {
      const check = deps.identity.checkAccessToken(bearer(req));
      if (!check.ok) return problem(401, 'Unauthorized', check.detail);
      return {
        status: 200,
        body: {
          sub: check.userId,
          xero_userid: check.userId,
          email: SANDBOX_USER.email,
          given_name: SANDBOX_USER.givenName,
          family_name: SANDBOX_USER.familyName,
          preferred_username: SANDBOX_USER.email,
        },
      };
    }),
  );
}

function discoveryDocument(url: string): Record<string, unknown> {
  return {
    issuer: url,
    jwks_uri: `${url}/.well-known/openid-configuration/jwks`,
    authorization_endpoint: `${url}/identity/connect/authorize`,
    token_endpoint: `${url}/connect/token`,
    userinfo_endpoint: `${url}/connect/userinfo`,
    end_session_endpoint: `${url}/connect/endsession`,
    revocation_endpoint: `${url}/connect/revocation`,
    frontchannel_logout_supported: true,
    frontchannel_logout_session_supported: true,
    scopes_supported: ALL_SCOPES,
    claims_supported: [
      'sub',
      'xero_userid',
      'global_session_id',
      'preferred_username',
      'email',
      'given_name',
      'family_name',
      'name',
    ],
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
    response_types_supported: ['code'],
    response_modes_supported: ['form_post', 'query', 'fragment'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    code_challenge_methods_supported: ['plain', 'S256'],
    request_parameter_supported: true,
  };
}
