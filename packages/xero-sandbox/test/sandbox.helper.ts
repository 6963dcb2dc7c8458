import { existsSync } from 'node:fs';
import path from 'node:path';
import { RunningSandbox, SandboxOptions, startSandbox } from '../src';

// Shared by the medium suites: a real sandbox on a real port, validated against the official spec
// whenever the spec is available, plus small HTTP helpers (plain fetch, as any client would).

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const SPEC_DIR = process.env.XERO_OPENAPI_DIR ?? path.resolve(REPO_ROOT, '../shared/xero-openapi');
export const SPEC_AVAILABLE =
  existsSync(path.join(SPEC_DIR, 'xero_accounting.yaml')) &&
  existsSync(path.join(SPEC_DIR, 'xero-identity.yaml'));

let warned = false;
/** Spec options for a test sandbox; without the spec, says so once (and fails in CI). */
export function specOption(): SandboxOptions['spec'] {
  if (SPEC_AVAILABLE) return { dir: SPEC_DIR, mode: 'record' };
  if (process.env.CI)
    throw new Error(`Xero OpenAPI spec not found at ${SPEC_DIR}: set XERO_OPENAPI_DIR (required in CI)`);
  if (!warned) {
    warned = true;
    console.warn(
      `Xero OpenAPI spec not found at ${SPEC_DIR}: set XERO_OPENAPI_DIR to validate sandbox traffic; spec checks are skipped.`,
    );
  }
  return undefined;
}

export const CLIENT_ID = 'sandbox-client-id';
export const CLIENT_SECRET = 'sandbox-client-secret';
export const REDIRECT_URI = 'http://127.0.0.1:5999/callback';
export const SCOPES =
  'openid profile email offline_access accounting.transactions accounting.settings accounting.contacts';

export async function start(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({ spec: specOption(), ...options });
}

/** After each test: the sandbox's answers (and our test requests) conformed to the spec. */
export function expectNoViolations(sandbox: RunningSandbox): void {
  if (!SPEC_AVAILABLE) return;
  const v = sandbox.violations();
  sandbox.resetViolations();
  expect(v).toEqual([]);
}

export function basic(id = CLIENT_ID, secret = CLIENT_SECRET): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export async function tokenRequest(
  sandbox: RunningSandbox,
  form: Record<string, string>,
  auth: string | undefined = basic(),
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sandbox.url}/connect/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(auth ? { Authorization: auth } : {}),
    },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function authorize(sandbox: RunningSandbox, params: Record<string, string> = {}): Promise<URL> {
  const url = new URL(`${sandbox.url}/identity/connect/authorize`);
  const all = {
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope: SCOPES,
    state: 'st-123',
    ...params,
  };
  for (const [k, v] of Object.entries(all)) url.searchParams.set(k, v);
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') as string);
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  idToken?: string;
}

/** The whole consent flow: authorize → code → tokens. */
export async function connect(sandbox: RunningSandbox, scope = SCOPES): Promise<Session> {
  const redirect = await authorize(sandbox, { scope });
  const code = redirect.searchParams.get('code') as string;
  const { status, body } = await tokenRequest(sandbox, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
  });
  expect(status).toBe(200);
  return {
    accessToken: String(body.access_token),
    refreshToken: String(body.refresh_token),
    idToken: body.id_token as string | undefined,
  };
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function api<T = Record<string, unknown>>(
  sandbox: RunningSandbox,
  token: string,
  method: string,
  pathAndQuery: string,
  body?: unknown,
  options: { tenantId?: string | null; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const tenantId = options.tenantId === undefined ? sandbox.tenants[0].tenantId : options.tenantId;
  const res = await fetch(`${sandbox.url}/api.xro/2.0${pathAndQuery}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      ...(tenantId ? { 'xero-tenant-id': tenantId } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(options.headers ?? {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/**
 * For tests that break the spec on purpose (e.g. leave out xero-tenant-id): the sandbox must have
 * noticed exactly those request violations, and nothing else.
 */
export function expectOnlyMissingTenantHeader(sandbox: RunningSandbox, times: number): void {
  if (!SPEC_AVAILABLE) return;
  const v = sandbox.violations();
  sandbox.resetViolations();
  expect(v).toHaveLength(times);
  for (const violation of v) {
    expect(violation.direction).toBe('request');
    expect(violation.errors).toEqual([
      expect.objectContaining({ keyword: 'required', params: { missingProperty: 'xero-tenant-id' } }),
    ]);
  }
}

export type Json = Record<string, unknown>;

/** A started sandbox plus a fresh connection, reset before each test. */
export function useSandbox(options: SandboxOptions = {}): {
  sandbox: () => RunningSandbox;
  token: () => string;
} {
  let sandbox: RunningSandbox;
  let token = '';
  beforeAll(async () => {
    sandbox = await start(options);
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sandbox.reset();
    token = (await connect(sandbox)).accessToken;
  });
  afterEach(() => expectNoViolations(sandbox));
  return { sandbox: () => sandbox, token: () => token };
}

export function first<T = Json>(body: Json, key: string): T {
  return (body[key] as T[])[0];
}

export function messages(element: Json): string[] {
  return ((element.ValidationErrors as Array<{ Message: string }> | undefined) ?? []).map((e) => e.Message);
}

/** For calls that use a document number where the spec types the path parameter as a uuid (Xero accepts both). */
export function expectOnlyUuidPathViolations(sandbox: RunningSandbox, times: number): void {
  if (!SPEC_AVAILABLE) return;
  const v = sandbox.violations();
  sandbox.resetViolations();
  expect(v).toHaveLength(times);
  for (const violation of v) {
    expect(violation.direction).toBe('request');
    expect(violation.errors).toEqual([
      expect.objectContaining({ keyword: 'format', params: { format: 'uuid' } }),
    ]);
  }
}

/** For tests that send what the spec forbids on purpose (e.g. too-long fields): only that kind of violation was seen. */
export function expectOnlyViolationsOf(sandbox: RunningSandbox, keyword: string, noneIsFine = false): void {
  if (!SPEC_AVAILABLE) return;
  const v = sandbox.violations();
  sandbox.resetViolations();
  if (!noneIsFine) expect(v.length).toBeGreaterThan(0);
  for (const violation of v)
    for (const e of violation.errors as Array<{ keyword: string }>) expect(e.keyword).toBe(keyword);
}
