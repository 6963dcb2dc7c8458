/**
 * TEST HELPER: a real xero-sandbox on a real port, connected through its OAuth2 code flow, plus a
 * plain-fetch API call — what the mapping medium test needs to send invoices as Xero would get them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { startSandbox, RunningSandbox } from '@oc-xero/xero-sandbox';
import { repoRoot } from './opencart-fixtures';

export const specDir = (): string =>
  process.env.XERO_OPENAPI_DIR ?? path.resolve(repoRoot, '../shared/xero-openapi');
export const specAvailable = (): boolean => fs.existsSync(path.join(specDir(), 'xero_accounting.yaml'));

const CLIENT_ID = 'sandbox-client-id';
const CLIENT_SECRET = 'sandbox-client-secret';
const REDIRECT_URI = 'http://127.0.0.1:5999/callback';

export interface SandboxSession {
  sandbox: RunningSandbox;
  token: string;
  call<T = Record<string, unknown>>(
    tenantId: string,
    method: string,
    pathAndQuery: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
}

export async function openSandbox(): Promise<SandboxSession> {
  if (!specAvailable() && process.env.CI)
    throw new Error(`Xero OpenAPI spec not found at ${specDir()}: set XERO_OPENAPI_DIR`);
  const sandbox = await startSandbox({
    rateLimits: false,
    now: () => new Date('2026-11-23T12:00:00Z'),
    ...(specAvailable() ? { spec: { dir: specDir(), mode: 'record' as const } } : {}),
  });
  const authorize = new URL(`${sandbox.url}/identity/connect/authorize`);
  const params = {
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope: 'openid offline_access accounting.transactions accounting.settings accounting.contacts',
    state: 's1',
  };
  for (const [k, v] of Object.entries(params)) authorize.searchParams.set(k, v);
  const redirect = await fetch(authorize, { redirect: 'manual' });
  const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const tokenRes = await fetch(`${sandbox.url}/connect/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
    }).toString(),
  });
  const token = String(((await tokenRes.json()) as { access_token?: string }).access_token ?? '');
  if (!token) {
    await sandbox.close();
    throw new Error('could not connect to the sandbox');
  }
  return {
    sandbox,
    token,
    async call<T>(tenantId: string, method: string, pathAndQuery: string, body?: unknown) {
      const res = await fetch(`${sandbox.url}/api.xro/2.0${pathAndQuery}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          'xero-tenant-id': tenantId,
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
    },
  };
}
