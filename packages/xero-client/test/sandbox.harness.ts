import fs from 'node:fs';
import path from 'node:path';
import axios from 'axios';
import type { StoredXeroTokens } from '@oc-xero/sync-core';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '@oc-xero/xero-sandbox';
import { XeroAuthService, XeroClientConfigInput, XeroGateway, DistributedLock, XeroTokenStore, parseXeroClientConfig, ClientClock } from '../src';

const repoRoot = path.resolve(__dirname, '../../..');
export const XERO_OPENAPI_DIR = process.env.XERO_OPENAPI_DIR ?? path.resolve(repoRoot, '../shared/xero-openapi');

/** The official spec is needed to hold every request to it; without it the suite is skipped (never in CI). */
export function specAvailable(): boolean {
  const ok = fs.existsSync(path.join(XERO_OPENAPI_DIR, 'xero_accounting.yaml'));
  if (!ok) {
    const message = `Xero's OpenAPI spec not found in ${XERO_OPENAPI_DIR}; set XERO_OPENAPI_DIR to the folder holding xero_accounting.yaml.`;
    if (process.env.CI) throw new Error(message);
    console.warn(`SKIPPED: ${message}`);
  }
  return ok;
}

export const describeWithSpec = (name: string, fn: () => void): void => (specAvailable() ? describe(name, fn) : describe.skip(name, fn));

export const CLIENT_ID = 'sandbox-client-id';
export const CLIENT_SECRET = 'sandbox-client-secret';
export const REDIRECT_URI = 'http://127.0.0.1:9/xero/callback';

export function startSpecSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({ spec: { dir: XERO_OPENAPI_DIR, mode: 'record' }, ...options });
}

/**
 * The token store and lock of the connector, in memory. The real one (opencart-db) encrypts at
 * rest; here we need to watch what is saved, in which order.
 */
export class MemoryTokenStore implements XeroTokenStore, DistributedLock {
  readonly tokens = new Map<string, StoredXeroTokens>();
  readonly saves: StoredXeroTokens[] = [];
  readonly locks = new Map<string, string>();
  lockCalls = 0;

  async loadTokens(scope: string): Promise<StoredXeroTokens | null> {
    const t = this.tokens.get(scope);
    return t ? { ...t } : null;
  }
  async saveTokens(tokens: StoredXeroTokens): Promise<void> {
    this.saves.push({ ...tokens });
    this.tokens.set(tokens.scope, { ...tokens });
  }
  async deleteTokens(scope: string): Promise<void> {
    this.tokens.delete(scope);
  }
  async tryLock(name: string, owner: string): Promise<boolean> {
    this.lockCalls++;
    const holder = this.locks.get(name);
    if (holder && holder !== owner) return false;
    this.locks.set(name, owner);
    return true;
  }
  async unlock(name: string, owner: string): Promise<void> {
    if (this.locks.get(name) === owner) this.locks.delete(name);
  }
}

/** The client's clock follows the sandbox's, so advancing it expires our tokens too. */
export const clockOf = (sandbox: RunningSandbox): ClientClock => ({
  now: () => sandbox.clock.now().getTime(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
});

export function authFor(sandbox: RunningSandbox, store: MemoryTokenStore, overrides: Partial<XeroClientConfigInput> = {}): XeroAuthService {
  const config = parseXeroClientConfig({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    loginUrl: sandbox.url,
    identityUrl: sandbox.url,
    apiUrl: sandbox.url,
    // The in-process sandbox compiles its spec validators on first use of an operation (seconds,
    // blocking this event loop too): a short deadline here would time out on that, not on Xero.
    timeoutMs: 30_000,
    backoffBaseMs: 50,
    backoffMaxMs: 400,
    ...overrides,
  });
  return new XeroAuthService(config, { store, lock: store, clock: clockOf(sandbox) });
}

/** Follow the consent URL like a browser would, up to the redirect back to us. */
export async function authorize(consentUrl: string): Promise<string> {
  const res = await axios.get(consentUrl, { maxRedirects: 0, validateStatus: () => true });
  const location = res.headers.location as string | undefined;
  if (res.status < 300 || res.status >= 400 || !location) throw new Error(`authorize answered ${res.status} without a redirect`);
  return new URL(location, consentUrl).toString();
}

/** Consent → authorize → callback → tenant selection; returns a gateway on the first sandbox tenant. */
export async function connect(
  sandbox: RunningSandbox,
  store: MemoryTokenStore,
  scope = 'store-1',
  overrides: Partial<XeroClientConfigInput> = {},
  options: { tenantIndex?: number; clock?: ClientClock } = {},
): Promise<{ auth: XeroAuthService; gateway: XeroGateway }> {
  const auth = authFor(sandbox, store, overrides);
  const pending = auth.startConsent();
  const callback = await authorize(pending.url);
  await auth.completeConsent(scope, callback, pending, sandbox.tenants[options.tenantIndex ?? 0].tenantId);
  const gateway = await XeroGateway.forScope(auth, scope, { clock: options.clock ?? clockOf(sandbox) });
  return { auth, gateway };
}

/** A clock whose sleep moves the sandbox's clock instead of waiting: a minute passes at once. */
export const warpClockOf = (sandbox: RunningSandbox): ClientClock => ({
  now: () => sandbox.clock.now().getTime(),
  sleep: async (ms) => {
    sandbox.clock.advance(Math.max(0, ms));
    await new Promise((resolve) => setImmediate(resolve));
  },
});

/** Sum of the sandbox counters whose key matches. */
export function countOf(sandbox: RunningSandbox, method: string, pathPattern: RegExp): number {
  return Object.entries(sandbox.counters())
    .filter(([k]) => k.startsWith(`${method} `) && pathPattern.test(k.slice(method.length + 1)))
    .reduce((sum, [, n]) => sum + n, 0);
}

/** Every object in the sandbox state whose `key` equals value (the state's shape is the sandbox's business). */
export function findInState(state: unknown, key: string, value: unknown): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o[key] === value) found.push(o);
      Object.values(o).forEach(walk);
    }
  };
  walk(state);
  return found;
}

/** Record the headers our client puts on requests matching method + path (what goes on the wire). */
export function watchRequests(method: string, pathPattern: RegExp): { headers: Array<Record<string, string>>; stop(): void } {
  const headers: Array<Record<string, string>> = [];
  const id = axios.interceptors.request.use((config) => {
    const url = new URL(config.url ?? '', 'http://x');
    if ((config.method ?? '').toUpperCase() === method && pathPattern.test(url.pathname)) {
      headers.push(Object.fromEntries(Object.entries(config.headers.toJSON()).map(([k, v]) => [k.toLowerCase(), String(v)])));
    }
    return config;
  });
  return { headers, stop: () => axios.interceptors.request.eject(id) };
}

export const today = (sandbox: RunningSandbox): string => sandbox.clock.now().toISOString().slice(0, 10);
