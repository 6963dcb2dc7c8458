import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Paths that belong to the service itself: never answered with the SPA. */
const SERVICE_PREFIXES = ['/api', '/cron', '/webhooks', '/health'];

const isServicePath = (path: string): boolean => SERVICE_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));

/** Where the built SPA is: ADMIN_DIST_DIR, else the @oc-xero/admin workspace's dist, else ../admin/dist beside apps/api. */
export function resolveAdminDist(configured?: string): string {
  if (configured) return resolve(configured);
  try {
    return join(dirname(require.resolve('@oc-xero/admin/package.json')), 'dist');
  } catch {
    // Not installed as a workspace (or its package.json is not exported): the repository layout.
    return resolve(__dirname, '..', '..', '..', 'admin', 'dist');
  }
}

const missingPage = (dir: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>OpenCart → Xero connector</title></head>
<body><main>
<h1>The admin page is not built</h1>
<p>The connector service is running, but the admin SPA was not found in <code>${dir.replace(/[<>&]/g, '')}</code>.</p>
<p>Build it with <code>npm run build</code> at the repository root (or set <code>ADMIN_DIST_DIR</code> to the folder of a built SPA), then restart the service.</p>
<p>The API answers under <code>/api</code>; its health under <code>/health</code>.</p>
</main></body></html>`;

/**
 * The admin SPA, served by the service itself (one process, one port): static files with long
 * caching for Vite's hashed assets, and index.html for every other GET that is not the service's
 * own (history-mode client routes such as /settings/connection).
 */
export function adminSpaMiddleware(distDir: string): RequestHandler[] {
  const index = join(distDir, 'index.html');
  const files = express.static(distDir, {
    index: false,
    fallthrough: true,
    setHeaders: (res, path) => {
      res.setHeader('Cache-Control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const skip = (req: Request): boolean => (req.method !== 'GET' && req.method !== 'HEAD') || isServicePath(req.path);
  return [
    (req: Request, res: Response, next: NextFunction) => (skip(req) ? next() : files(req, res, next)),
    (req: Request, res: Response, next: NextFunction) => {
      if (skip(req)) return next();
      // A missing asset is a 404, not the SPA (the browser would try to run HTML as a script).
      if (/\.[a-z0-9]{1,8}$/i.test(req.path) && req.path !== '/index.html') return next();
      res.setHeader('Cache-Control', 'no-cache');
      if (!existsSync(index)) return void res.status(503).type('html').send(missingPage(distDir));
      res.sendFile(index);
    },
  ];
}

/**
 * The Content-Security-Policy the SPA passes. Scripts only from our origin (Vite emits no inline
 * script). Styles also allow 'unsafe-inline': the component library (PrimeVue / Naive UI) injects
 * its theme as <style> elements and style attributes at run time, which a nonce cannot cover
 * without server-side rendering. Fetch/EventSource only to our origin.
 */
export function cspDirectives(publicBaseUrl: string): Record<string, string[]> {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  if (publicBaseUrl.startsWith('https://')) directives['upgrade-insecure-requests'] = [];
  return directives;
}
