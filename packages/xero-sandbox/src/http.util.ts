import { randomUUID } from 'node:crypto';
import { Request, RequestHandler } from 'express';
import { ApiResult } from './accounting.common';

/** What a sandbox route answers; the server's pipeline sends it (or applies a fault instead). */
export interface Reply extends ApiResult {
  headers?: Record<string, string>;
  /** Runs once the answer is sent or the socket is gone (frees the concurrency slot). */
  onDone?: () => void;
}

/** Wraps a handler into the sandbox pipeline: counters, faults, sending. */
export type RouteWrapper = (handler: (req: Request) => Promise<Reply> | Reply) => RequestHandler;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Xero's problem+json style answer for 401 / 403. */
export function problem(status: number, title: string, detail: string): Reply {
  return {
    status,
    body: {
      Type: null,
      Title: title,
      Status: status,
      Detail: detail,
      Instance: randomUUID(),
      Extensions: {},
    },
  };
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

export function basicAuth(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header || !header.toLowerCase().startsWith('basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
}

export function queryOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query as Record<string, unknown>))
    out[k] = Array.isArray(v) ? String(v[v.length - 1]) : String(v);
  return out;
}

/** The path without query, also inside mounted routers (where req.path is relative). */
export function fullPath(req: Request): string {
  return new URL(req.originalUrl, 'http://sandbox.local').pathname;
}

export function bearer(req: Request): string | undefined {
  const h = req.get('authorization');
  return h && h.toLowerCase().startsWith('bearer ') ? h.slice(7).trim() : undefined;
}

export function isApiPath(path: string): boolean {
  return path.toLowerCase().startsWith('/api.xro/');
}
