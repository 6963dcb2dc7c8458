import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import http from 'node:http';
import express, { NextFunction, Request, Response } from 'express';
import { ApiContext, ApiResult, QueryError, queryParseError } from './accounting.common';
import { acceptedScopes, canonicalResource, counterPath, dispatch } from './accounting.router';
import { FaultInjector } from './fault.injector';
import { IDEMPOTENCY_KEY_MAX, IdempotencyCache, StoredResponse } from './idempotency.cache';
import { ALL_SCOPES, IdentityService, OAuthError, SANDBOX_USER } from './identity.service';
import { nzSeed, ukSeed } from './organisation.seed';
import { OrganisationStore } from './organisation.store';
import { RateLimiter, XERO_LIMITS } from './rate-limit.limiter';
import { SandboxClock } from './sandbox.clock';
import { FaultRule, RunningSandbox, SandboxApp, SandboxOptions, SpecViolation } from './sandbox.types';
import { SpecValidator } from './spec.validator';
import { parseXeroDate } from './xero-date.util';

const DEFAULT_APP: SandboxApp = { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' };

interface Reply extends ApiResult {
  headers?: Record<string, string>;
  /** Runs once the answer is sent or the socket is gone (frees the concurrency slot). */
  onDone?: () => void;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function problem(status: number, title: string, detail: string): Reply {
  return { status, body: { Type: null, Title: title, Status: status, Detail: detail, Instance: randomUUID(), Extensions: {} } };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function basicAuth(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header || !header.toLowerCase().startsWith('basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
}

function queryOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query as Record<string, unknown>)) out[k] = Array.isArray(v) ? String(v[v.length - 1]) : String(v);
  return out;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const clock = new SandboxClock(options.now, options.timeScale ?? 1);
  const apps = options.apps?.length ? options.apps : [DEFAULT_APP];
  const seedOrder = options.seed === 'nz' ? [nzSeed, ukSeed] : [ukSeed, nzSeed];
  let orgs: OrganisationStore[] = seedOrder.map((s) => new OrganisationStore(s()));
  const tenants = () => orgs.map((o) => ({ tenantId: o.tenantId, name: o.name }));
  const limits =
    options.rateLimits === false
      ? undefined
      : { ...XERO_LIMITS, ...(typeof options.rateLimits === 'object' ? options.rateLimits : {}) };
  const limiter = new RateLimiter(limits);
  const faults = new FaultInjector();
  const idempotency = new IdempotencyCache();
  const counters: Record<string, number> = {};
  const violations: SpecViolation[] = [];
  const spec = options.spec ? await SpecValidator.create(options.spec.dir) : undefined;
  const autoConsent = options.autoConsent ?? true;
  let baseUrl = '';
  const identity = new IdentityService(apps, tenants, () => clock.now(), () => baseUrl);
  const count = (key: string) => (counters[key] = (counters[key] ?? 0) + 1);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  // ---- control API (never counted, never faulted) ----
  const control = express.Router();
  control.use(express.json());
  control.get('/', (_req, res) => {
    res.json({ url: baseUrl, tenants: tenants(), apps: apps.map((a) => ({ clientId: a.clientId })), now: clock.now().toISOString(), faults: faults.list().map(serializeRule) });
  });
  control.get('/counters', (_req, res) => res.json(counters));
  control.get('/state', (_req, res) => res.json(dumpState()));
  control.get('/violations', (_req, res) => res.json(violations));
  control.delete('/violations', (_req, res) => {
    violations.length = 0;
    res.status(204).end();
  });
  control.post('/faults', (req, res) => {
    try {
      const rule = parseRule(req.body);
      faults.add(rule);
      res.status(201).json(serializeRule(rule));
    } catch (e) {
      res.status(400).json({ error: (e as Error).message });
    }
  });
  control.get('/faults', (_req, res) => res.json(faults.list().map(serializeRule)));
  control.delete('/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  control.post('/clock', (req, res) => {
    const body = (req.body ?? {}) as { advanceMs?: unknown; set?: unknown };
    try {
      if (body.advanceMs !== undefined) clock.advance(Number(body.advanceMs));
      else if (body.set !== undefined) clock.set(new Date(String(body.set)));
      else throw new Error('Send { "advanceMs": n } or { "set": "<ISO date>" }');
      res.json({ now: clock.now().toISOString() });
    } catch (e) {
      res.status(400).json({ error: (e as Error).message });
    }
  });
  control.post('/reset', (_req, res) => {
    reset();
    res.json({ ok: true });
  });
  app.use('/__sandbox', control);

  // ---- everything Xero: counters and faults first ----
  const bodies = [express.json({ limit: '3.5mb', type: ['application/json', 'text/json'] }), express.urlencoded({ extended: false })];

  app.use(async (req: Request, res: Response, next: NextFunction) => {
    const path = fullPath(req);
    res.locals.fault = faults.match(req.method, path);
    const fault = res.locals.fault as FaultRule | undefined;
    if (fault) count(`fault:${fault.kind}`);
    if (fault?.kind === 'drop') {
      count(`${req.method} ${counterKeyPath(path)}`);
      req.socket.destroy();
      return;
    }
    next();
  });
  app.use(bodies);
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const e = err as { type?: string; status?: number };
    if (e?.type === 'entity.parse.failed') return res.status(400).json({ ErrorNumber: 14, Type: 'PostDataInvalidException', Message: 'Invalid Json data' });
    if (e?.type === 'entity.too.large') return res.status(413).send('Request body exceeds the 3.5 MB limit');
    return next(err);
  });

  const route = (handler: (req: Request) => Promise<Reply> | Reply) => async (req: Request, res: Response) => {
    count(`${req.method} ${counterKeyPath(fullPath(req))}`);
    const fault = res.locals.fault as FaultRule | undefined;
    let reply: Reply;
    try {
      const early = fault ? earlyFault(fault, req) : undefined;
      if (early) {
        reply = early;
      } else {
        if (fault?.kind === 'latency' && !isApiPath(fullPath(req))) await sleep(fault.latencyMs ?? 1000);
        reply = await handler(req);
      }
    } catch (e) {
      reply = { status: 500, body: { Title: 'An error occurred', Status: 500, Detail: `Sandbox error: ${(e as Error).message}` } };
    }
    // Free the concurrency slot exactly once, when the answer is out or the client has gone,
    // even if the client hung up while we were still working (latency faults).
    let finished = false;
    const finish = () => {
      if (!finished) {
        finished = true;
        reply.onDone?.();
      }
    };
    if (fault?.kind === 'timeout-after-write') {
      // The write has been applied; the client never sees the answer in time.
      if (fault.latencyMs) await sleep(fault.latencyMs);
      else {
        finish();
        req.socket.destroy();
        return;
      }
    }
    if (res.destroyed || req.socket.destroyed || res.writableEnded) {
      finish();
      return;
    }
    // The call stops counting as in flight once Xero has answered: free the slot before the answer
    // goes out, so a client in the same process cannot race the 'close' event with its next call.
    finish();
    for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
    res.status(reply.status);
    if (reply.text !== undefined) res.type('text/plain').send(reply.text);
    else if (reply.body !== undefined) res.json(reply.body);
    else res.end();
  };

  function earlyFault(fault: FaultRule, req: Request): Reply | undefined {
    const caller = identity.checkAccessToken(bearer(req));
    const limitHeaders = limiter.headers(caller.ok ? caller.clientId : undefined, req.get('xero-tenant-id') ?? undefined, clock.now().getTime());
    switch (fault.kind) {
      case '500':
        return { status: 500, headers: limitHeaders, body: { Title: 'An error occurred', Status: 500, Detail: 'An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status.' } };
      case '503':
        return { status: 503, headers: limitHeaders, text: 'The Xero API is currently offline for maintenance' };
      case '429-minute':
      case '429-day':
        return {
          status: 429,
          headers: {
            ...limitHeaders,
            ...(fault.kind === '429-minute' ? { 'X-MinLimit-Remaining': '0' } : { 'X-DayLimit-Remaining': '0' }),
            'Retry-After': String(fault.retryAfterSeconds ?? (fault.kind === '429-minute' ? 2 : 3600)),
            'X-Rate-Limit-Problem': fault.kind === '429-minute' ? 'minute' : 'day',
          },
        };
      default:
        return undefined;
    }
  }

  // ---- identity: login.xero.com / identity.xero.com ----
  const authorizeRequest = (params: Record<string, unknown>) => ({
    responseType: String(params.response_type ?? ''),
    clientId: String(params.client_id ?? ''),
    redirectUri: String(params.redirect_uri ?? ''),
    scope: String(params.scope ?? ''),
    state: params.state === undefined ? undefined : String(params.state),
    nonce: params.nonce === undefined ? undefined : String(params.nonce),
    codeChallenge: params.code_challenge === undefined ? undefined : String(params.code_challenge),
    codeChallengeMethod: params.code_challenge_method === undefined ? undefined : String(params.code_challenge_method),
  });
  const redirectWith = (redirectUri: string, params: Record<string, string | undefined>): Reply => {
    const url = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
    return { status: 302, headers: { Location: url.toString() }, text: `Redirecting to ${url.toString()}` };
  };
  const authorize = (params: Record<string, unknown>, consent: 'auto' | 'allow' | 'deny' | 'ask'): Reply => {
    const a = authorizeRequest(params);
    const client = identity.app(a.clientId);
    if (!client) return { status: 400, text: 'unauthorized_client: unknown client_id' };
    if (!identity.redirectAllowed(client, a.redirectUri)) return { status: 400, text: 'invalid_request: redirect_uri is not registered for this app' };
    if (a.responseType !== 'code') return redirectWith(a.redirectUri, { error: 'unsupported_response_type', state: a.state });
    const scopes = a.scope.split(/\s+/).filter(Boolean);
    const unknown = scopes.filter((s) => !ALL_SCOPES.includes(s));
    if (!scopes.length || unknown.length) return redirectWith(a.redirectUri, { error: 'invalid_scope', state: a.state });
    if (consent === 'deny') return redirectWith(a.redirectUri, { error: 'access_denied', state: a.state });
    if (consent === 'ask') return { status: 200, text: undefined, body: undefined, headers: { 'Content-Type': 'text/html; charset=utf-8' }, html: consentPage(params) } as Reply & { html: string };
    const code = identity.issueCode(a);
    return redirectWith(a.redirectUri, { code, scope: a.scope, state: a.state, session_state: randomUUID() });
  };
  const consentPage = (params: Record<string, unknown>): string => {
    const hidden = Object.entries(params)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(String(v))}">`)
      .join('\n      ');
    const orgList = tenants().map((t) => `<li>${escapeHtml(t.name)}</li>`).join('');
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
      count(`${req.method} ${req.path}`);
      res.status(200).type('html').send(reply.html);
      return;
    }
    await route(() => reply)(req, res);
  };
  app.get('/identity/connect/authorize', sendHtmlAware((req) => authorize(req.query as Record<string, unknown>, autoConsent ? 'auto' : 'ask')));
  app.post('/identity/connect/authorize', sendHtmlAware((req) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { consent, ...params } = body;
    return authorize(params, consent === 'allow' ? 'allow' : 'deny');
  }));

  const oauthReply = (fn: () => unknown): Reply => {
    try {
      return { status: 200, headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' }, body: fn() };
    } catch (e) {
      if (e instanceof OAuthError) return { status: e.status, body: { error: e.error } };
      throw e;
    }
  };
  app.post('/connect/token', route((req) => {
    const reply = oauthReply(() => {
      const body = (req.body ?? {}) as Record<string, string>;
      const { app: client, secretVerified } = identity.authenticateClient(basicAuth(req.get('authorization')), body);
      count(`token:${body.grant_type ?? 'missing'}`);
      switch (body.grant_type) {
        case 'authorization_code':
          return identity.exchangeCode(client, secretVerified, body);
        case 'refresh_token':
          return identity.refresh(client, secretVerified, body);
        case 'client_credentials':
          return identity.clientCredentials(client, secretVerified, body);
        default:
          throw new OAuthError('unsupported_grant_type');
      }
    });
    if (spec && reply.status === 200) {
      const errors = spec.validateTokenResponse(reply.body);
      if (errors) violations.push({ direction: 'response', method: 'POST', path: '/connect/token', errors });
    }
    return reply;
  }));
  app.post('/connect/revocation', route((req) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const reply = oauthReply(() => {
      const { app: client, secretVerified } = identity.authenticateClient(basicAuth(req.get('authorization')), body);
      if (!secretVerified) throw new OAuthError('invalid_client');
      identity.revoke(client, body.token);
      return undefined;
    });
    return reply.status === 200 ? { status: 200 } : reply;
  }));
  app.get('/.well-known/openid-configuration', route(() => ({ status: 200, body: discoveryDocument(baseUrl) })));
  app.get('/.well-known/openid-configuration/jwks', route(() => ({ status: 200, body: identity.signer.jwks() })));
  app.get('/connect/userinfo', route((req) => {
    const check = identity.checkAccessToken(bearer(req));
    if (!check.ok) return problem(401, 'Unauthorized', check.detail);
    return { status: 200, body: { sub: check.userId, xero_userid: check.userId, email: SANDBOX_USER.email, given_name: SANDBOX_USER.givenName, family_name: SANDBOX_USER.familyName, preferred_username: SANDBOX_USER.email } };
  }));

  // ---- api.xero.com: /connections and the accounting API ----
  const withSpec = async (req: Request, inner: (operationId?: string) => Promise<Reply>): Promise<Reply> => {
    let operationId: string | undefined;
    if (spec) {
      const checked = spec.validateRequest({ method: req.method, path: fullPath(req), query: queryOf(req), headers: req.headers as Record<string, unknown>, body: req.body });
      operationId = checked.operationId;
      if (checked.errors) {
        violations.push({ direction: 'request', method: req.method, path: fullPath(req), errors: checked.errors });
        if (options.spec?.mode === 'reject') {
          return {
            status: 400,
            body: {
              ErrorNumber: 10,
              Type: 'ValidationException',
              Message: 'A validation exception occurred',
              Elements: [{ ValidationErrors: specMessages(checked.errors).map((Message) => ({ Message: `Request does not conform to the Xero OpenAPI spec: ${Message}` })) }],
            },
          };
        }
      }
    }
    const reply = await inner(operationId);
    if (spec && operationId && reply.body !== undefined && reply.text === undefined) {
      const errors = spec.validateResponse(fullPath(req), operationId, reply.status, JSON.parse(JSON.stringify(reply.body)));
      if (errors) violations.push({ direction: 'response', method: req.method, path: fullPath(req), errors });
    }
    return reply;
  };

  app.get('/connections', route((req) =>
    withSpec(req, async () => {
      const check = identity.checkAccessToken(bearer(req));
      if (!check.ok) return problem(401, 'Unauthorized', check.detail);
      const authEventId = typeof req.query.authEventId === 'string' ? req.query.authEventId : undefined;
      const list = identity.connectionsOf(check.clientId, check.userId).filter((c) => !authEventId || c.authEventId === authEventId);
      return { status: 200, body: list };
    }),
  ));
  app.delete('/connections/:id', route((req) =>
    withSpec(req, async () => {
      const check = identity.checkAccessToken(bearer(req));
      if (!check.ok) return problem(401, 'Unauthorized', check.detail);
      return identity.deleteConnection(check.clientId, check.userId, String(req.params.id)) ? { status: 204 } : { status: 404, text: "The resource you're looking for cannot be found" };
    }),
  ));

  app.use('/api.xro/2.0', route((req) => withSpec(req, () => accountingCall(req))));

  async function accountingCall(req: Request): Promise<Reply> {
    const nowMs = clock.now().getTime();
    const tenantHeader = req.get('xero-tenant-id') ?? undefined;
    const headersFor = (tenantId?: string, clientId?: string) => limiter.headers(clientId, tenantId, nowMs);
    count('api.calls');
    const check = identity.checkAccessToken(bearer(req));
    if (!check.ok) return { ...problem(401, 'Unauthorized', check.detail), headers: headersFor(tenantHeader) };
    const connections = identity.connectionsOf(check.clientId, check.userId);
    const tenantId = tenantHeader || (check.customConnection && connections.length === 1 ? connections[0].tenantId : undefined);
    const connected = connections.find((c) => c.tenantId.toLowerCase() === (tenantId ?? '').toLowerCase());
    const org = connected ? orgs.find((o) => o.tenantId === connected.tenantId) : undefined;
    if (!org) return { ...problem(403, 'Forbidden', 'AuthenticationUnsuccessful'), headers: headersFor(tenantHeader, check.clientId) };
    const segments = fullPath(req).split('/').filter(Boolean).slice(2);
    const resource = canonicalResource(segments[0]);
    if (resource && !acceptedScopes(resource, req.method).some((s) => check.scopes.includes(s))) {
      return { ...problem(403, 'Forbidden', 'AuthorizationUnsuccessful'), headers: headersFor(org.tenantId, check.clientId) };
    }
    const decision = limiter.acquire(check.clientId, org.tenantId, nowMs);
    if (!decision.ok) {
      count(`429:${decision.problem}`);
      return { status: 429, headers: { ...decision.headers, 'Retry-After': String(decision.retryAfterSeconds), 'X-Rate-Limit-Problem': String(decision.problem) } };
    }
    const release = () => limiter.release(check.clientId, org.tenantId);
    try {
      return await limitedCall(req, org, decision.headers, release, check.clientId);
    } catch (e) {
      release();
      throw e;
    }
  }

  async function limitedCall(req: Request, org: OrganisationStore, limitHeaders: Record<string, string>, release: () => void, clientId: string): Promise<Reply> {
    const segments = fullPath(req).split('/').filter(Boolean).slice(2);
    const fault = (req.res?.locals.fault as FaultRule | undefined) ?? undefined;
    const method = req.method.toUpperCase();
    const idempotencyKey = req.get('idempotency-key');
    const keyed = (method === 'PUT' || method === 'POST') && idempotencyKey !== undefined;
    let settleKey: ((response: StoredResponse | undefined) => void) | undefined;
    if (keyed) {
      if (idempotencyKey.length > IDEMPOTENCY_KEY_MAX) {
        return { status: 400, headers: limitHeaders, onDone: release, body: { ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred', Elements: [{ ValidationErrors: [{ Message: `Idempotency-Key must be ${IDEMPOTENCY_KEY_MAX} characters or fewer.` }] }] } };
      }
      const running = idempotency.inProgress(org.tenantId, method, req.originalUrl, idempotencyKey);
      const replay = running ? await running : idempotency.get(org.tenantId, method, req.originalUrl, idempotencyKey, clock.now().getTime());
      if (replay) {
        count('idempotency:replay');
        return { ...replay, headers: limitHeaders, onDone: release };
      }
      settleKey = idempotency.begin(org.tenantId, method, req.originalUrl, idempotencyKey);
    }
    try {
      if (fault?.kind === 'latency') await sleep(fault.latencyMs ?? 1000);
      const ims = req.get('if-modified-since');
      const ctx: ApiContext = {
        org,
        now: clock.now(),
        query: queryOf(req),
        body: req.body,
        providerName: apps.find((a) => a.clientId === clientId)?.name ?? 'Xero Sandbox App',
        ifModifiedSince: ims ? parseXeroDate(ims) : undefined,
        failIndexes: new Set(fault?.kind === 'validation' ? (fault.elementIndexes ?? [0]) : []),
      };
      let result: ApiResult;
      try {
        result = dispatch(ctx, method, segments);
      } catch (e) {
        if (e instanceof QueryError) result = queryParseError(e.message);
        else throw e;
      }
      let stored: StoredResponse | undefined;
      if (keyed && result.status < 500) {
        stored = { status: result.status, body: result.body, text: result.text };
        idempotency.put(org.tenantId, method, req.originalUrl, idempotencyKey, clock.now().getTime(), stored);
      }
      settleKey?.(stored);
      return { ...result, headers: { ...limitHeaders, 'Xero-Correlation-Id': randomUUID() }, onDone: release };
    } catch (e) {
      settleKey?.(undefined);
      throw e;
    }
  }

  app.use((req: Request, res: Response) => {
    count(`${req.method} ${fullPath(req)}`);
    res.status(404).type('text/plain').send("The resource you're looking for cannot be found");
  });

  function dumpState() {
    return { now: clock.now().toISOString(), organisations: orgs.map((o) => o.dump()) };
  }

  function reset(): void {
    orgs = seedOrder.map((s) => new OrganisationStore(s()));
    identity.reset();
    limiter.reset();
    faults.clear();
    idempotency.reset();
    violations.length = 0;
    for (const k of Object.keys(counters)) delete counters[k];
    clock.resetOffset();
  }

  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    get tenants() {
      return tenants();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
    clock: { now: () => clock.now(), advance: (ms) => clock.advance(ms), set: (d) => clock.set(d) },
    faults: { add: (rule) => faults.add(rule), clear: () => faults.clear() },
    counters: () => ({ ...counters }),
    state: () => JSON.parse(JSON.stringify(dumpState())),
    violations: () => [...violations],
    resetViolations: () => {
      violations.length = 0;
    },
    reset,
  };
}

/** The path without query, also inside mounted routers (where req.path is relative). */
function fullPath(req: Request): string {
  return new URL(req.originalUrl, 'http://sandbox.local').pathname;
}

function bearer(req: Request): string | undefined {
  const h = req.get('authorization');
  return h && h.toLowerCase().startsWith('bearer ') ? h.slice(7).trim() : undefined;
}

function isApiPath(path: string): boolean {
  return path.toLowerCase().startsWith('/api.xro/');
}

function counterKeyPath(path: string): string {
  if (isApiPath(path)) return counterPath(path.split('/').filter(Boolean).slice(2));
  if (/^\/connections\/.+/i.test(path)) return '/connections/{id}';
  return path;
}

function specMessages(errors: unknown): string[] {
  if (!Array.isArray(errors)) return [String(errors)];
  return errors.map((e: { instancePath?: string; message?: string }) => `${e.instancePath || '(root)'} ${e.message ?? ''}`.trim());
}

const FAULT_KINDS = ['500', '503', '429-minute', '429-day', 'latency', 'drop', 'timeout-after-write', 'validation'];

function parseRule(body: unknown): FaultRule {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.kind !== 'string' || !FAULT_KINDS.includes(b.kind)) throw new Error(`kind must be one of ${FAULT_KINDS.join(', ')}`);
  const rule: FaultRule = { kind: b.kind as FaultRule['kind'] };
  if (typeof b.method === 'string') rule.method = b.method;
  if (typeof b.path === 'string') rule.path = b.path;
  if (typeof b.pathRegex === 'string') rule.path = new RegExp(b.pathRegex);
  for (const k of ['times', 'probability', 'latencyMs', 'retryAfterSeconds'] as const) if (typeof b[k] === 'number') rule[k] = b[k] as number;
  if (Array.isArray(b.elementIndexes)) rule.elementIndexes = b.elementIndexes.map(Number);
  return rule;
}

function serializeRule(rule: FaultRule): Record<string, unknown> {
  return { ...rule, path: rule.path instanceof RegExp ? `/${rule.path.source}/${rule.path.flags}` : rule.path };
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
    claims_supported: ['sub', 'xero_userid', 'global_session_id', 'preferred_username', 'email', 'given_name', 'family_name', 'name'],
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
