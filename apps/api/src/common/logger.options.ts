import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';

/** Paths pino blanks out wherever they occur in a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers["x-xero-signature"]',
  'res.headers["set-cookie"]',
  'accessToken',
  'refreshToken',
  'clientSecret',
  'password',
  'token',
  'cronToken',
  'csrfToken',
  'key',
  '*.accessToken',
  '*.refreshToken',
  '*.clientSecret',
  '*.password',
  '*.token',
  '*.cronToken',
  '*.csrfToken',
  '*.key',
];

/**
 * Query parameters that carry secrets (cron token, OAuth code and state) never reach a log line,
 * also in the array forms a query parser accepts (`token[]=`, `token[0]=`, `token%5B%5D=`).
 */
export const redactUrl = (url: string): string =>
  url.replace(/([?&](?:token|code|state)(?:\[[^\]=&#]*\]|%5B[^=&#]*?%5D)*=)[^&#]*/gi, '$1[redacted]');

export function loggerOptions(config: Pick<AppConfig, 'logLevel'>): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { url?: string; query?: unknown; [k: string]: unknown }) => ({ ...req, url: req.url ? redactUrl(req.url) : req.url, query: undefined }),
      },
      customProps: () => ({ service: 'oc-xero-api' }),
    },
  };
}
