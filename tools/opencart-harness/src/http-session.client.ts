import { CookieJar } from 'tough-cookie';

/** Form fields in the order a browser sends them; nested names (`option[226]`) are the caller's. */
export type FormFields = Array<[string, string]>;

/** A reply as the harness reads it. */
export interface HttpReply {
  /** HTTP status. */
  status: number;
  /** Body text. */
  text: string;
  /** Location header of a redirect, if any. */
  location: string | null;
}

/**
 * One browser: Node's fetch plus a tough-cookie jar, so OpenCart's session cookie (OCSESSID)
 * follows every request as it would in a shopper's browser.
 */
export class HttpSession {
  private readonly jar = new CookieJar();

  async get(url: string): Promise<HttpReply> {
    return this.send(url, 'GET');
  }

  async post(url: string, form: FormFields): Promise<HttpReply> {
    return this.send(url, 'POST', new URLSearchParams(form).toString());
  }

  async cookieHeader(url: string): Promise<string> {
    return this.jar.getCookieString(url);
  }

  private async send(url: string, method: string, body?: string): Promise<HttpReply> {
    const headers: Record<string, string> = {
      cookie: await this.jar.getCookieString(url),
      // OpenCart answers JSON endpoints the same either way; this is what jQuery's $.ajax sends.
      'x-requested-with': 'XMLHttpRequest',
    };
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded; charset=UTF-8';
    const res = await fetch(url, {
      method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(60_000),
    });
    for (const c of res.headers.getSetCookie()) await this.jar.setCookie(c, url);
    return { status: res.status, text: await res.text(), location: res.headers.get('location') };
  }
}

/** Parses an OpenCart JSON answer; PHP notices printed before it (3.0.5.0 on PHP 8.2) are skipped. */
export function parseOpenCartJson(reply: HttpReply, what: string): Record<string, unknown> {
  const start = reply.text.search(/[{[]/);
  if (reply.status >= 400 || start < 0) {
    throw new Error(`OpenCart ${what}: HTTP ${reply.status}, not JSON: ${reply.text.slice(0, 400)}`);
  }
  try {
    return JSON.parse(reply.text.slice(start)) as Record<string, unknown>;
  } catch {
    throw new Error(`OpenCart ${what}: HTTP ${reply.status}, not JSON: ${reply.text.slice(0, 400)}`);
  }
}
