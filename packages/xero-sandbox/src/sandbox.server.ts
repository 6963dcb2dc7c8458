import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import http from 'node:http';
import express, { NextFunction, Request, Response } from 'express';
import { ApiContext, ApiResult, QueryError, queryParseError } from './accounting.common';
import { acceptedScopes, canonicalResource, counterPath, dispatch } from './accounting.router';
import { FaultInjector } from './fault.injector';
import { IDEMPOTENCY_KEY_MAX, IdempotencyCache, StoredResponse } from './idempotency.cache';
import { controlRouter } from './control.routes';
import { msDate } from './xero-date.util';
import { bearer, fullPath, isApiPath, problem, queryOf, Reply, RouteWrapper, sleep } from './http.util';
import { IdentityService } from './identity.service';
import { mountIdentityRoutes } from './identity.routes';
import { nzSeed, onPlan, ukSeed } from './organisation.seed';
import { OrganisationStore } from './organisation.store';
import { RateLimiter, XERO_LIMITS } from './rate-limit.limiter';
import { SandboxClock } from './sandbox.clock';
import { FaultRule, RunningSandbox, SandboxApp, SandboxOptions, SpecViolation } from './sandbox.types';
import { SpecValidator } from './spec.validator';
import { parseXeroDate } from './xero-date.util';

const DEFAULT_APP: SandboxApp = { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' };

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const clock = new SandboxClock(options.now, options.timeScale ?? 1);
  const apps = options.apps?.length ? options.apps : [DEFAULT_APP];
  const plan = options.plan ?? 'premium';
  const seedOrder = (options.seed === 'nz' ? [nzSeed, ukSeed] : [ukSeed, nzSeed]).map((s) => () => onPlan(s(), plan));
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
  const identity = new IdentityService(
    apps,
    tenants,
    () => clock.now(),
    () => baseUrl,
  );
  const count = (key: string) => (counters[key] = (counters[key] ?? 0) + 1);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use(
    '/__sandbox',
    controlRouter({
      info: () => ({ url: baseUrl, tenants: tenants(), apps: apps.map((a) => ({ clientId: a.clientId })) }),
      counters: () => counters,
      state: dumpState,
      violations: () => violations,
      clearViolations: () => {
        violations.length = 0;
      },
      faults,
      clock,
      reset,
      reconcilePayment,
    }),
  );

  // ---- everything Xero: counters and faults first ----
  const bodies = [
    express.json({ limit: '3.5mb', type: ['application/json', 'text/json'] }),
    express.urlencoded({ extended: false }),
  ];

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
    if (e?.type === 'entity.parse.failed')
      return res
        .status(400)
        .json({ ErrorNumber: 14, Type: 'PostDataInvalidException', Message: 'Invalid Json data' });
    if (e?.type === 'entity.too.large') return res.status(413).send('Request body exceeds the 3.5 MB limit');
    return next(err);
  });

  const route: RouteWrapper = (handler) => async (req: Request, res: Response) => {
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
      reply = {
        status: 500,
        body: { Title: 'An error occurred', Status: 500, Detail: `Sandbox error: ${(e as Error).message}` },
      };
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
    const limitHeaders = limiter.headers(
      caller.ok ? caller.clientId : undefined,
      req.get('xero-tenant-id') ?? undefined,
      clock.now().getTime(),
    );
    switch (fault.kind) {
      case '500':
        return {
          status: 500,
          headers: limitHeaders,
          body: {
            Title: 'An error occurred',
            Status: 500,
            Detail:
              'An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status.',
          },
        };
      case '503':
        return {
          status: 503,
          headers: limitHeaders,
          text: 'The Xero API is currently offline for maintenance',
        };
      case '429-minute':
      case '429-day':
        return {
          status: 429,
          headers: {
            ...limitHeaders,
            ...(fault.kind === '429-minute'
              ? { 'X-MinLimit-Remaining': '0' }
              : { 'X-DayLimit-Remaining': '0' }),
            'Retry-After': String(fault.retryAfterSeconds ?? (fault.kind === '429-minute' ? 2 : 3600)),
            'X-Rate-Limit-Problem': fault.kind === '429-minute' ? 'minute' : 'day',
          },
        };
      default:
        return undefined;
    }
  }

  mountIdentityRoutes(app, {
    identity,
    tenants,
    autoConsent,
    baseUrl: () => baseUrl,
    route,
    count,
    onTokenAnswer: (body) => {
      const errors = spec?.validateTokenResponse(body);
      if (errors) violations.push({ direction: 'response', method: 'POST', path: '/connect/token', errors });
    },
  });

  // ---- api.xero.com: /connections and the accounting API ----
  const withSpec = async (req: Request, inner: (operationId?: string) => Promise<Reply>): Promise<Reply> => {
    let operationId: string | undefined;
    if (spec) {
      const checked = spec.validateRequest({
        method: req.method,
        path: fullPath(req),
        query: queryOf(req),
        headers: req.headers as Record<string, unknown>,
        body: req.body,
      });
      operationId = checked.operationId;
      if (checked.errors) {
        violations.push({
          direction: 'request',
          method: req.method,
          path: fullPath(req),
          errors: checked.errors,
        });
        if (options.spec?.mode === 'reject') {
          return {
            status: 400,
            body: {
              ErrorNumber: 10,
              Type: 'ValidationException',
              Message: 'A validation exception occurred',
              Elements: [
                {
                  ValidationErrors: specMessages(checked.errors).map((Message) => ({
                    Message: `Request does not conform to the Xero OpenAPI spec: ${Message}`,
                  })),
                },
              ],
            },
          };
        }
      }
    }
    const reply = await inner(operationId);
    if (spec && operationId && reply.body !== undefined && reply.text === undefined) {
      const errors = spec.validateResponse(
        fullPath(req),
        operationId,
        reply.status,
        JSON.parse(JSON.stringify(reply.body)),
      );
      if (errors) violations.push({ direction: 'response', method: req.method, path: fullPath(req), errors });
    }
    return reply;
  };

  app.get(
    '/connections',
    route((req) =>
      withSpec(req, async () => {
        const check = identity.checkAccessToken(bearer(req));
        if (!check.ok) return problem(401, 'Unauthorized', check.detail);
        const authEventId = typeof req.query.authEventId === 'string' ? req.query.authEventId : undefined;
        const list = identity
          .connectionsOf(check.clientId, check.userId)
          .filter((c) => !authEventId || c.authEventId === authEventId);
        return { status: 200, body: list };
      }),
    ),
  );
  app.delete(
    '/connections/:id',
    route((req) =>
      withSpec(req, async () => {
        const check = identity.checkAccessToken(bearer(req));
        if (!check.ok) return problem(401, 'Unauthorized', check.detail);
        return identity.deleteConnection(check.clientId, check.userId, String(req.params.id))
          ? { status: 204 }
          : { status: 404, text: "The resource you're looking for cannot be found" };
      }),
    ),
  );

  app.use(
    '/api.xro/2.0',
    route((req) => withSpec(req, () => accountingCall(req))),
  );

  async function accountingCall(req: Request): Promise<Reply> {
    const nowMs = clock.now().getTime();
    const tenantHeader = req.get('xero-tenant-id') ?? undefined;
    const headersFor = (tenantId?: string, clientId?: string) => limiter.headers(clientId, tenantId, nowMs);
    count('api.calls');
    const check = identity.checkAccessToken(bearer(req));
    if (!check.ok)
      return { ...problem(401, 'Unauthorized', check.detail), headers: headersFor(tenantHeader) };
    const connections = identity.connectionsOf(check.clientId, check.userId);
    const tenantId =
      tenantHeader ||
      (check.customConnection && connections.length === 1 ? connections[0].tenantId : undefined);
    const connected = connections.find((c) => c.tenantId.toLowerCase() === (tenantId ?? '').toLowerCase());
    const org = connected ? orgs.find((o) => o.tenantId === connected.tenantId) : undefined;
    if (!org)
      return {
        ...problem(403, 'Forbidden', 'AuthenticationUnsuccessful'),
        headers: headersFor(tenantHeader, check.clientId),
      };
    const segments = fullPath(req).split('/').filter(Boolean).slice(2);
    const resource = canonicalResource(segments[0]);
    if (resource && !acceptedScopes(resource, req.method).some((s) => check.scopes.includes(s))) {
      return {
        ...problem(403, 'Forbidden', 'AuthorizationUnsuccessful'),
        headers: headersFor(org.tenantId, check.clientId),
      };
    }
    const decision = limiter.acquire(check.clientId, org.tenantId, nowMs);
    if (!decision.ok) {
      count(`429:${decision.problem}`);
      return {
        status: 429,
        headers: {
          ...decision.headers,
          'Retry-After': String(decision.retryAfterSeconds),
          'X-Rate-Limit-Problem': String(decision.problem),
        },
      };
    }
    const release = () => limiter.release(check.clientId, org.tenantId);
    try {
      return await limitedCall(req, org, decision.headers, release, check.clientId);
    } catch (e) {
      release();
      throw e;
    }
  }

  async function limitedCall(
    req: Request,
    org: OrganisationStore,
    limitHeaders: Record<string, string>,
    release: () => void,
    clientId: string,
  ): Promise<Reply> {
    const segments = fullPath(req).split('/').filter(Boolean).slice(2);
    const fault = (req.res?.locals.fault as FaultRule | undefined) ?? undefined;
    const method = req.method.toUpperCase();
    const idempotencyKey = req.get('idempotency-key');
    const keyed = (method === 'PUT' || method === 'POST') && idempotencyKey !== undefined;
    let settleKey: ((response: StoredResponse | undefined) => void) | undefined;
    if (keyed) {
      if (idempotencyKey.length > IDEMPOTENCY_KEY_MAX) {
        return {
          status: 400,
          headers: limitHeaders,
          onDone: release,
          body: {
            ErrorNumber: 10,
            Type: 'ValidationException',
            Message: 'A validation exception occurred',
            Elements: [
              {
                ValidationErrors: [
                  { Message: `Idempotency-Key must be ${IDEMPOTENCY_KEY_MAX} characters or fewer.` },
                ],
              },
            ],
          },
        };
      }
      const running = idempotency.inProgress(org.tenantId, method, req.originalUrl, idempotencyKey);
      const replay = running
        ? await running
        : idempotency.get(org.tenantId, method, req.originalUrl, idempotencyKey, clock.now().getTime());
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
      return {
        ...result,
        headers: { ...limitHeaders, 'Xero-Correlation-Id': randomUUID() },
        onDone: release,
      };
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

  function reconcilePayment(paymentId: string, reconciled: boolean): boolean {
    for (const org of orgs) {
      const payment = org.payments.byId(paymentId);
      if (!payment) continue;
      payment.IsReconciled = reconciled;
      payment.UpdatedDateUTC = msDate(clock.now());
      return true;
    }
    return false;
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
    reconcilePayment: (paymentId, reconciled = true) => reconcilePayment(paymentId, reconciled),
    reset,
  };
}

function counterKeyPath(path: string): string {
  if (isApiPath(path)) return counterPath(path.split('/').filter(Boolean).slice(2));
  if (/^\/connections\/.+/i.test(path)) return '/connections/{id}';
  return path;
}

function specMessages(errors: unknown): string[] {
  if (!Array.isArray(errors)) return [String(errors)];
  return errors.map((e: { instancePath?: string; message?: string }) =>
    `${e.instancePath || '(root)'} ${e.message ?? ''}`.trim(),
  );
}
