import { SyncError, SyncErrorKind, isSyncError } from '@oc-xero/sync-core';

/** What we know about a failed HTTP call, whatever shape xero-node or openid-client threw it in. */
export interface XeroFailure {
  /** HTTP status; 0 when there was no answer (network error, timeout, abort). */
  status: number;
  /** Response body (Xero's JSON), or the low-level error message when there was no answer. */
  body: unknown;
  /** Response headers, lower-cased. */
  headers: Record<string, string>;
  /** OAuth error code (invalid_grant, …) when the identity server answered one. */
  oauthError?: string;
}

/** Long opaque strings (tokens, JWTs, secrets) never reach a message or a log. */
export function redactSecrets(text: string): string {
  return text
    .replace(/Bearer\s+[^\s"',]+/gi, 'Bearer [redacted]')
    .replace(/Basic\s+[A-Za-z0-9+/=]{8,}/g, 'Basic [redacted]')
    .replace(/[A-Za-z0-9_\-+/=.]{40,}/g, '[redacted]');
}

function lowerKeys(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (h && typeof h === 'object') {
    for (const [k, v] of Object.entries(h as Record<string, unknown>)) {
      if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
    }
  }
  return out;
}

/**
 * Normalise what a xero-node / openid-client call threw. xero-node's API methods reject with a
 * JSON STRING of { response: { statusCode, body, headers }, body }; its connection helpers reject
 * with a (redacted) axios error; openid-client throws OPError/RPError or a plain network error.
 */
export function parseXeroNodeError(error: unknown): XeroFailure {
  let e: unknown = error;
  if (typeof e === 'string') {
    try {
      e = JSON.parse(e);
    } catch {
      return { status: 0, body: e, headers: {} };
    }
  }
  if (!e || typeof e !== 'object') return { status: 0, body: String(e), headers: {} };
  const o = e as Record<string, unknown>;
  const response = o.response as Record<string, unknown> | undefined;
  if (response && typeof response === 'object') {
    const status = Number(response.statusCode ?? response.status ?? 0);
    const body = response.body !== undefined ? response.body : response.data !== undefined ? response.data : o.body;
    const failure: XeroFailure = { status, body: status === 0 && body === undefined ? o.message : body, headers: lowerKeys(response.headers) };
    // openid-client's OPError carries the OAuth error code itself; "expected 200 OK, got: 503 …"
    // is its wording for a non-OAuth failure, which is not an OAuth error.
    const code = typeof o.error === 'string' ? o.error : body && typeof body === 'object' ? (body as Record<string, unknown>).error : undefined;
    if (typeof code === 'string' && !code.startsWith('expected ')) failure.oauthError = code;
    return failure;
  }
  // openid-client OPError: the identity server answered with an OAuth error.
  if (typeof o.error === 'string' && !o.error.startsWith('expected ')) {
    return { status: 400, body: { error: o.error, error_description: o.error_description }, headers: {}, oauthError: o.error };
  }
  return { status: 0, body: typeof o.message === 'string' ? o.message : String(e), headers: {} };
}

/** Xero's ValidationErrors messages from a 400 body (whole call or per element). */
export function validationMessages(body: unknown): string[] {
  if (!body || typeof body !== 'object') return typeof body === 'string' && body ? [body] : [];
  const b = body as Record<string, unknown>;
  const out: string[] = [];
  const elements = Array.isArray(b.Elements) ? (b.Elements as Array<Record<string, unknown>>) : [];
  for (const el of elements) {
    for (const v of (el.ValidationErrors as Array<{ Message?: string }> | undefined) ?? []) if (v.Message) out.push(v.Message);
  }
  if (out.length === 0) {
    for (const key of ['Detail', 'Message', 'Title', 'error_description', 'error']) {
      if (typeof b[key] === 'string' && b[key]) {
        out.push(b[key] as string);
        break;
      }
    }
  }
  return out;
}

/** Retry-After of a 429, in ms. */
export function retryAfterMsOf(failure: XeroFailure): number | undefined {
  const raw = failure.headers['retry-after'];
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** 'minute' | 'day' | 'concurrent' | 'appminute' … from X-Rate-Limit-Problem. */
export function rateLimitProblemOf(failure: XeroFailure): string {
  return (failure.headers['x-rate-limit-problem'] ?? 'minute').toLowerCase();
}

/** Worth another attempt right away (after backoff)? 5xx, no answer, 408. */
export function isRetryable(failure: XeroFailure): boolean {
  return failure.status === 0 || failure.status === 408 || failure.status >= 500;
}

const ACCOUNT_CODE = /account code '([^']*)'|AccountCode '([^']*)'|account '([^']*)'/i;
const TAX_TYPE = /TaxType(?: code)? '([^']*)'/i;
const CURRENCY = /currency(?: code)? '?([A-Z]{3})\b'?/;
const PAYMENT_ACCOUNT = /Account '?([^' ]+)'? is not a bank account/i;

/**
 * Turn Xero's element messages into ones a merchant can act on, and say which kind they are:
 * an unknown/archived account code or tax type is a Settings problem ('config'), anything else
 * is this record's problem ('validation').
 */
export function explainElementErrors(messages: string[], orgName: string): { kind: SyncErrorKind; errors: string[] } {
  let kind: SyncErrorKind = 'validation';
  const errors = messages.map((raw) => {
    const m = redactSecrets(raw);
    const account = ACCOUNT_CODE.exec(m);
    if (account && /not (a )?valid|does not exist|archived|cannot be used|invalid/i.test(m)) {
      kind = 'config';
      const code = account[1] ?? account[2] ?? account[3];
      return `Xero refused account code ${code}: it does not exist or is archived in ${orgName}; pick another account code in Settings (sales, shipping, payment or product override). Xero said: "${m}"`;
    }
    const tax = TAX_TYPE.exec(m);
    if (tax && /not (a )?valid|does not exist|cannot be used|invalid/i.test(m)) {
      kind = 'config';
      return `Xero refused tax type ${tax[1]}: it does not exist or cannot be used on sales in ${orgName}; map the tax rate to another Xero tax type in Settings. Xero said: "${m}"`;
    }
    const payAccount = PAYMENT_ACCOUNT.exec(m);
    if (payAccount) {
      kind = 'config';
      return `Xero cannot take payments into account ${payAccount[1]} in ${orgName}: it is not a bank account and does not have "Enable payments to this account" set; pick another payment account for this payment method in Settings. Xero said: "${m}"`;
    }
    const currency = CURRENCY.exec(m);
    if (currency && /not (been added|enabled|subscribed|valid)/i.test(m)) {
      kind = 'config';
      return `Xero refused currency ${currency[1]}: it is not enabled in ${orgName}; add it there (Xero: Settings > Currencies) or invoice in the base currency. Xero said: "${m}"`;
    }
    return m;
  });
  return { kind, errors: errors.length > 0 ? errors : ['Xero refused this record without saying why.'] };
}

/** The SyncError for a whole call that failed. `what` names the call for the merchant ("saving invoices"). */
export function toSyncError(error: unknown, ctx: { orgName: string; what: string }): SyncError {
  if (isSyncError(error)) return error;
  const f = parseXeroNodeError(error);
  const org = ctx.orgName || 'your Xero organisation';
  if (f.oauthError) {
    if (f.oauthError === 'invalid_grant' || f.oauthError === 'unauthorized_client' || f.oauthError === 'access_denied') {
      return new SyncError('needs-reconnect', `The connection to ${org} has expired or was revoked (${f.oauthError}); reconnect Xero in Settings.`, { cause: f });
    }
    if (f.oauthError === 'invalid_client') {
      return new SyncError('config', `Xero does not accept the app's client id/secret (invalid_client); check the Xero app credentials in the connector's configuration.`, { cause: f });
    }
    return new SyncError('unexpected', `Xero's login service refused ${ctx.what} (${f.oauthError}).`, { cause: f });
  }
  const messages = validationMessages(f.body).map(redactSecrets);
  switch (true) {
    case f.status === 0:
    {
      const detail = String(f.body ?? '');
      const why = /cancel|abort|timeout|timed out/i.test(detail) ? 'no answer in time' : redactSecrets(detail || 'no answer');
      return new SyncError('transient', `Could not reach Xero while ${ctx.what} (${why}); it will be retried.`, { cause: f });
    }
    case f.status === 429: {
      const retryAfterMs = retryAfterMsOf(f) ?? 60_000;
      const problem = rateLimitProblemOf(f);
      const when = problem === 'day' ? `its daily API limit for ${org} is used up` : `the ${problem} API limit for ${org} was reached`;
      return new SyncError('transient', `Xero paused us while ${ctx.what}: ${when}; retry after ${Math.ceil(retryAfterMs / 1000)} s.`, { retryAfterMs, cause: f });
    }
    case f.status === 401:
      return new SyncError('needs-reconnect', `Xero no longer accepts the connector's access to ${org}; reconnect Xero in Settings.`, { messages, cause: f });
    case f.status === 403:
      return new SyncError('needs-reconnect', `Xero refused access to ${org} while ${ctx.what}: the connection no longer includes this organisation or lacks a permission; reconnect Xero in Settings.`, { messages, cause: f });
    case f.status === 400 || f.status === 413 || f.status === 422: {
      const explained = explainElementErrors(messages, org);
      return new SyncError(explained.kind, `Xero refused ${ctx.what}: ${explained.errors.join(' ')}`, { messages: explained.errors, cause: f });
    }
    case f.status >= 500 || f.status === 408:
      return new SyncError('transient', `Xero had a temporary problem (${f.status}) while ${ctx.what}; it will be retried.`, { messages, cause: f });
    default:
      return new SyncError('unexpected', `Xero answered ${f.status} while ${ctx.what}${messages.length ? `: ${messages.join(' ')}` : ''}.`, { messages, cause: f });
  }
}
