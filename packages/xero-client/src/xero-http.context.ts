import { AsyncLocalStorage } from 'node:async_hooks';
import axios, { AxiosError, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import type { XeroExchange } from '@oc-xero/sync-core';
import { XERO_HOSTS } from './xero-client.config';

/**
 * xero-node calls the SHARED axios instance, with Xero's token and connections URLs hard-coded and
 * no timeout. Rather than fork it, every xero-node call we make runs inside an AsyncLocalStorage
 * context, and one pair of axios interceptors reads that context to rewrite the hosts, put the
 * deadline on, set the bearer token of THIS call and report the answer. Requests made outside a
 * context (someone else's axios use) pass untouched.
 */
export interface XeroHttpContext {
  /** Base URLs to use instead of Xero's real hosts. */
  identityUrl: string;
  apiUrl: string;
  /** Deadline of each request. */
  timeoutMs: number;
  /** Bearer token for this call; overrides what xero-node's OAuth object would put. */
  accessToken?: string;
  /** Told about every response (also error responses) of this context. */
  onResponse?: (info: XeroHttpResponseInfo) => void;
  /** Told about every exchange with its bodies (the Debug setting); never given the Authorization header. */
  onExchange?: (exchange: XeroExchange) => void;
}

export interface XeroHttpResponseInfo {
  method: string;
  /** Final URL (after rewriting), without query. */
  url: string;
  /** 0 when there was no HTTP answer (network error, timeout). */
  status: number;
  headers: Record<string, string>;
  /** axios error code when the request failed without an answer (ECONNRESET, ECONNABORTED, …). */
  errorCode?: string;
}

const storage = new AsyncLocalStorage<XeroHttpContext>();
/** A debug listener that throws must never change a call's outcome. */
const safely = (fn: () => void): void => {
  try {
    fn();
  } catch {
    /* ignored: logging only */
  }
};
let installed = false;

/** Run fn with ctx applied to every axios request it makes (also deep inside xero-node). */
export function withXeroHttp<T>(ctx: XeroHttpContext, fn: () => Promise<T>): Promise<T> {
  installXeroHttpInterceptors();
  return storage.run(ctx, fn);
}

/** Rewrite one of Xero's hard-coded hosts to the configured base URL. */
export function rewriteXeroUrl(url: string, ctx: Pick<XeroHttpContext, 'identityUrl' | 'apiUrl'>): string {
  if (url.startsWith(XERO_HOSTS.identityUrl)) return ctx.identityUrl + url.slice(XERO_HOSTS.identityUrl.length);
  if (url.startsWith(XERO_HOSTS.apiUrl)) return ctx.apiUrl + url.slice(XERO_HOSTS.apiUrl.length);
  return url;
}

function flatHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const source = headers && typeof (headers as { toJSON?: unknown }).toJSON === 'function' ? (headers as { toJSON(): unknown }).toJSON() : headers;
  for (const [k, v] of Object.entries((source as Record<string, unknown>) ?? {})) {
    if (v !== undefined && v !== null) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

function report(config: InternalAxiosRequestConfig | undefined, response: AxiosResponse | undefined, errorCode?: string): void {
  const ctx = storage.getStore();
  if (!ctx?.onResponse || !config) return;
  ctx.onResponse({
    method: (config.method ?? 'get').toUpperCase(),
    url: (config.url ?? '').split('?')[0],
    status: response?.status ?? 0,
    headers: flatHeaders(response?.headers),
    errorCode,
  });
}

const startedAt = new WeakMap<object, number>();
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

function bodyText(data: unknown): string | undefined {
  if (data === undefined || data === null || data === '') return undefined;
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return `[${data.length} bytes]`;
  if (data instanceof URLSearchParams) return data.toString();
  try {
    return JSON.stringify(data);
  } catch {
    return String(data);
  }
}

function withoutSecretHeaders(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).filter(([k]) => !SECRET_HEADERS.has(k)));
}

/** The whole exchange, for ctx.onExchange (the Debug setting): no Authorization, no cookies. */
function reportExchange(config: InternalAxiosRequestConfig | undefined, response: AxiosResponse | undefined, errorCode?: string): void {
  const ctx = storage.getStore();
  if (!ctx?.onExchange || !config) return;
  const [url = '', search = ''] = (config.url ?? '').split('?');
  const query: Record<string, string> = Object.fromEntries(new URLSearchParams(search));
  for (const [k, v] of Object.entries((config.params as Record<string, unknown>) ?? {})) if (v !== undefined && v !== null) query[k] = String(v);
  const began = startedAt.get(config);
  ctx.onExchange({
    method: (config.method ?? 'get').toUpperCase(),
    url,
    query,
    requestHeaders: withoutSecretHeaders(flatHeaders(config.headers)),
    requestBody: bodyText(config.data),
    status: response?.status ?? 0,
    responseHeaders: withoutSecretHeaders(flatHeaders(response?.headers)),
    responseBody: bodyText(response?.data),
    durationMs: began === undefined ? 0 : Date.now() - began,
    ...(errorCode ? { errorCode } : {}),
  });
}

export function installXeroHttpInterceptors(): void {
  if (installed) return;
  installed = true;
  axios.interceptors.request.use((config) => {
    const ctx = storage.getStore();
    if (!ctx) return config;
    if (config.url) config.url = rewriteXeroUrl(config.url, ctx);
    config.timeout = ctx.timeoutMs;
    // axios' own timeout is an idle-socket timer; the signal is the hard deadline of the whole call.
    if (!config.signal) config.signal = AbortSignal.timeout(ctx.timeoutMs);
    if (ctx.accessToken && config.url?.startsWith(ctx.apiUrl)) config.headers.set('Authorization', `Bearer ${ctx.accessToken}`);
    if (ctx.onExchange) startedAt.set(config, Date.now());
    return config;
  });
  axios.interceptors.response.use(
    (response) => {
      report(response.config, response);
      safely(() => reportExchange(response.config, response));
      return response;
    },
    (error: AxiosError) => {
      const code = error.response ? undefined : (error.code ?? 'ENETWORK');
      report(error.config, error.response, code);
      safely(() => reportExchange(error.config, error.response, code));
      return Promise.reject(error);
    },
  );
}
