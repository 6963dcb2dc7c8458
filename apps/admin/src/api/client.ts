// One openapi-fetch client typed from the service's own OpenAPI document (schema.gen.d.ts is
// generated at build from apps/api/dist/openapi.json): a route the SPA calls wrongly fails vue-tsc.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema.gen';

export const CSRF_COOKIE = 'ocx_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** One field error as the API answers it (`path` dotted, `(root)` for the whole body). */
export interface FieldError {
  path: string;
  message: string;
}

/** Every non-2xx answer becomes this: the message to show and the field errors to place. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function readCookie(name: string, cookies: string = globalThis.document?.cookie ?? ''): string | null {
  for (const part of cookies.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

/** Listeners told when the session is gone (401), so the app can send the user to the login. */
const unauthorisedListeners = new Set<() => void>();
export function onUnauthorised(fn: () => void): () => void {
  unauthorisedListeners.add(fn);
  return () => unauthorisedListeners.delete(fn);
}

/** Writes echo the CSRF cookie in the header the API checks; reads need nothing. */
export const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
      const token = readCookie(CSRF_COOKIE);
      if (token) request.headers.set(CSRF_HEADER, token);
    }
    return request;
  },
};

/** Turns an error answer into an ApiError with its field errors. */
export async function toApiError(response: Response): Promise<ApiError> {
  let body: { message?: unknown; errors?: unknown } = {};
  try {
    body = (await response.clone().json()) as typeof body;
  } catch {
    // not JSON (a proxy's page): keep the status text
  }
  const message = Array.isArray(body.message)
    ? body.message.join('; ')
    : typeof body.message === 'string'
      ? body.message
      : response.statusText || `HTTP ${response.status}`;
  const errors = Array.isArray(body.errors)
    ? (body.errors as FieldError[]).filter((e) => typeof e?.path === 'string' && typeof e?.message === 'string')
    : [];
  return new ApiError(response.status, message, errors);
}

export const errorMiddleware: Middleware = {
  async onResponse({ response, request }) {
    if (response.ok) return response;
    if (response.status === 401 && !new URL(request.url).pathname.startsWith('/api/auth/')) {
      unauthorisedListeners.forEach((fn) => fn());
    }
    throw await toApiError(response);
  },
};

export function makeClient(baseUrl: string = globalThis.location?.origin ?? 'http://localhost', fetchImpl?: typeof fetch) {
  const client = createClient<paths>({ baseUrl, credentials: 'same-origin', ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  client.use(csrfMiddleware, errorMiddleware);
  return client;
}

export const api = makeClient();

/** The data of a call whose errors were already thrown by errorMiddleware. */
export function must<T>(r: { data?: T; error?: unknown }): T {
  if (r.data === undefined) throw new ApiError(0, 'The service answered nothing');
  return r.data;
}
