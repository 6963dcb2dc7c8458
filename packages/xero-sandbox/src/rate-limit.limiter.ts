// Xero's limits: per app and connected organisation 60 calls/minute, 5,000/day, 5 concurrent;
// per app 10,000/minute over all organisations. Kept on the sandbox clock so tests can move past a
// window instead of waiting. Keys: `${clientId}|${tenantId}` for the first three, clientId for the last.

export interface RateLimits {
  perMinute: number;
  perDay: number;
  concurrent: number;
  appPerMinute: number;
}

export const XERO_LIMITS: RateLimits = { perMinute: 60, perDay: 5000, concurrent: 5, appPerMinute: 10000 };

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export type LimitProblem = 'minute' | 'day' | 'concurrent' | 'appminute';

export interface LimitDecision {
  ok: boolean;
  problem?: LimitProblem;
  retryAfterSeconds?: number;
  headers: Record<string, string>;
}

export class RateLimiter {
  private minute = new Map<string, number[]>();
  private day = new Map<string, number[]>();
  private app = new Map<string, number[]>();
  private inFlight = new Map<string, number>();

  constructor(private readonly limits: RateLimits | undefined) {}

  reset(): void {
    this.minute.clear();
    this.day.clear();
    this.app.clear();
    this.inFlight.clear();
  }

  private prune(list: number[], nowMs: number, windowMs: number): number[] {
    let i = 0;
    while (i < list.length && list[i] <= nowMs - windowMs) i++;
    return i ? list.slice(i) : list;
  }

  /** Headers describing what is left, for responses that were not counted (errors before the limiter). */
  headers(clientId: string | undefined, tenantId: string | undefined, nowMs: number): Record<string, string> {
    const limits = this.limits ?? XERO_LIMITS;
    const key = `${clientId}|${tenantId}`;
    const minute = tenantId ? this.prune(this.minute.get(key) ?? [], nowMs, MINUTE_MS) : [];
    const day = tenantId ? this.prune(this.day.get(key) ?? [], nowMs, DAY_MS) : [];
    const app = clientId ? this.prune(this.app.get(clientId) ?? [], nowMs, MINUTE_MS) : [];
    return {
      'X-MinLimit-Remaining': String(Math.max(0, limits.perMinute - minute.length)),
      'X-DayLimit-Remaining': String(Math.max(0, limits.perDay - day.length)),
      'X-AppMinLimit-Remaining': String(Math.max(0, limits.appPerMinute - app.length)),
    };
  }

  /** Counts one call if allowed; the caller must call release() when the call ends. */
  acquire(clientId: string, tenantId: string, nowMs: number): LimitDecision {
    const limits = this.limits;
    const key = `${clientId}|${tenantId}`;
    if (!limits) {
      this.record(clientId, key, nowMs);
      return { ok: true, headers: this.headers(clientId, tenantId, nowMs) };
    }
    const minute = this.prune(this.minute.get(key) ?? [], nowMs, MINUTE_MS);
    const day = this.prune(this.day.get(key) ?? [], nowMs, DAY_MS);
    const app = this.prune(this.app.get(clientId) ?? [], nowMs, MINUTE_MS);
    this.minute.set(key, minute);
    this.day.set(key, day);
    this.app.set(clientId, app);
    const refuse = (problem: LimitProblem, retryAfterMs: number): LimitDecision => ({
      ok: false,
      problem,
      retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
      headers: this.headers(clientId, tenantId, nowMs),
    });
    if (day.length >= limits.perDay) return refuse('day', day[0] + DAY_MS - nowMs);
    if (minute.length >= limits.perMinute) return refuse('minute', minute[0] + MINUTE_MS - nowMs);
    if (app.length >= limits.appPerMinute) return refuse('appminute', app[0] + MINUTE_MS - nowMs);
    if ((this.inFlight.get(key) ?? 0) >= limits.concurrent) return refuse('concurrent', 1000);
    this.record(clientId, key, nowMs);
    return { ok: true, headers: this.headers(clientId, tenantId, nowMs) };
  }

  release(clientId: string, tenantId: string): void {
    const key = `${clientId}|${tenantId}`;
    const n = (this.inFlight.get(key) ?? 1) - 1;
    if (n <= 0) this.inFlight.delete(key);
    else this.inFlight.set(key, n);
  }

  private record(clientId: string, key: string, nowMs: number): void {
    const push = (map: Map<string, number[]>, k: string) => {
      const list = map.get(k) ?? [];
      list.push(nowMs);
      map.set(k, list);
    };
    push(this.minute, key);
    push(this.day, key);
    push(this.app, clientId);
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
  }
}
