/**
 * The Debug setting: every HTTP exchange with Xero goes to the run's log at level 'debug', so a
 * merchant (or we) can see exactly what was sent and answered — without tokens, the client
 * secret or the Authorization header, and with email addresses masked (no customer's address in
 * a log a support person reads).
 */
import type { XeroExchange } from '../ports/xero.port';
import type { RunLogLine } from './sync-run.model';

/** Longest body kept per side; the rest is cut with a note. */
export const EXCHANGE_BODY_MAX_CHARS = 20_000;

const SECRET_KEY = /(authorization|token|secret|password|passwd|api[-_]?key|cookie|assertion|code_verifier)/i;
const DROP_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-])[A-Za-z0-9.-]*\.([A-Za-z]{2,})/g;
/** Bearer/Basic credentials and long opaque strings (JWTs, refresh tokens), as xero-client's redactSecrets. */
const CREDENTIALS: Array<[RegExp, string]> = [
  [/Bearer\s+[^\s"',]+/gi, 'Bearer [redacted]'],
  [/Basic\s+[A-Za-z0-9+/=]{8,}/g, 'Basic [redacted]'],
  [/((?:access_token|refresh_token|id_token|client_secret|client_assertion|code)=)[^&\s"]+/gi, '$1[redacted]'],
  [/[A-Za-z0-9_\-+/=.]{40,}/g, '[redacted]'],
];

/** "john.smith@example.com" → "j***@e***.com". */
export function maskEmails(text: string): string {
  return text.replace(EMAIL, (_m, first: string, domain: string, tld: string) => `${first}***@${domain}***.${tld}`);
}

/** Credentials out, emails masked, in free text. */
export function redactText(text: string): string {
  let out = text;
  for (const [re, by] of CREDENTIALS) out = out.replace(re, by);
  return maskEmails(out);
}

function redactValue(value: unknown, key = ''): unknown {
  if (key && SECRET_KEY.test(key)) return value === '' || value === null || value === undefined ? value : '[redacted]';
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactValue(v, k)]));
  }
  return value;
}

/** A body as text: JSON redacted key by key, anything else as text; cut at EXCHANGE_BODY_MAX_CHARS. */
export function redactBody(body: string | undefined): string | undefined {
  if (body === undefined || body === '') return body;
  let out: string;
  try {
    out = JSON.stringify(redactValue(JSON.parse(body)));
  } catch {
    // Form bodies (token requests) and plain text.
    out = redactText(body);
  }
  return out.length > EXCHANGE_BODY_MAX_CHARS
    ? `${out.slice(0, EXCHANGE_BODY_MAX_CHARS)}… [${out.length - EXCHANGE_BODY_MAX_CHARS} more characters cut]`
    : out;
}

function redactMap(map: Record<string, string> | undefined, dropHeaders: boolean): Record<string, string> | undefined {
  if (!map) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) {
    if (dropHeaders && DROP_HEADERS.has(k.toLowerCase())) continue;
    out[k] = SECRET_KEY.test(k) ? '[redacted]' : redactText(String(v));
  }
  return out;
}

/** The exchange with every secret out and emails masked (whatever the adapter already left out). */
export function redactXeroExchange(x: XeroExchange): XeroExchange {
  return {
    method: x.method,
    url: redactText(x.url),
    query: redactMap(x.query, false),
    requestHeaders: redactMap(x.requestHeaders, true),
    requestBody: redactBody(x.requestBody),
    status: x.status,
    responseHeaders: redactMap(x.responseHeaders, true),
    responseBody: redactBody(x.responseBody),
    durationMs: x.durationMs,
    ...(x.errorCode ? { errorCode: x.errorCode } : {}),
  };
}

/** The run-log line of one exchange (level 'debug'). */
export function exchangeLogLine(exchange: XeroExchange): RunLogLine {
  const x = redactXeroExchange(exchange);
  const path = x.url.replace(/^https?:\/\/[^/]+/, '');
  const answer = x.status ? String(x.status) : `no answer (${x.errorCode ?? 'network error'})`;
  return {
    level: 'debug',
    entityType: 'xero',
    entityId: '',
    status: 'xero-exchange',
    message: `Xero ${x.method} ${path} → ${answer} in ${x.durationMs} ms`,
    details: {
      request: { method: x.method, url: x.url, query: x.query ?? {}, headers: x.requestHeaders ?? {}, body: x.requestBody ?? null },
      response: { status: x.status, headers: x.responseHeaders ?? {}, body: x.responseBody ?? null },
      durationMs: x.durationMs,
    },
  };
}
