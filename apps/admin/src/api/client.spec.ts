import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, makeClient, readCookie, toApiError } from './client';

describe('api client', () => {
  afterEach(() => {
    document.cookie = 'ocx_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
  });

  it('reads a cookie by name, decoding it', () => {
    expect(readCookie('ocx_csrf', 'a=1; ocx_csrf=ab%3Dc; b=2')).toBe('ab=c');
    expect(readCookie('missing', 'a=1')).toBeNull();
  });

  it('echoes the CSRF cookie on writes only', async () => {
    document.cookie = 'ocx_csrf=tok123; path=/';
    const seen: Array<{ method: string; csrf: string | null }> = [];
    const fetchImpl = (async (req: Request) => {
      seen.push({ method: req.method, csrf: req.headers.get('x-csrf-token') });
      return new Response(JSON.stringify({ open: false, needsSetupCode: false, hint: '' }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }) as unknown as typeof fetch;
    const client = makeClient('http://localhost', fetchImpl);
    await client.GET('/api/auth/setup-status');
    await client.POST('/api/auth/logout');
    expect(seen).toEqual([
      { method: 'GET', csrf: null },
      { method: 'POST', csrf: 'tok123' },
    ]);
  });

  it('turns a 400 with field errors into an ApiError the screens can place', async () => {
    const body = { statusCode: 400, message: 'Invalid settings', errors: [{ path: 'contactFormat', message: 'unknown placeholder {x}' }] };
    const fetchImpl = (async () =>
      new Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/json' } })) as unknown as typeof fetch;
    const client = makeClient('http://localhost', fetchImpl);
    const err = await client.PUT('/api/settings', { body: { contactFormat: '{x}' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).fieldErrors).toEqual([{ path: 'contactFormat', message: 'unknown placeholder {x}' }]);
  });

  it('keeps the status text when the answer is not JSON', async () => {
    const e = await toApiError(new Response('<html>', { status: 502, statusText: 'Bad Gateway' }));
    expect(e.message).toBe('Bad Gateway');
    expect(e.fieldErrors).toEqual([]);
  });
});
