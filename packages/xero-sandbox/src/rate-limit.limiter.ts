// Xero's per-organisation limits (60 calls/minute, 5,000/day, 5 concurrent) and the app-wide
// 10,000/minute, over the sandbox clock so tests can move past a window instead of waiting.

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
  private app: number[] = [];
  private inFlight = new Map<string, number>();

  constructor(private readonly limits: RateLimits | undefined) {}

  reset(): void {
    this.minute.clear();
    this.day.clear();
    this.app = [];
    this.inFlight.clear();
  }

  private prune(list: number[], nowMs: number, windowMs: number): number[] {
    let i = 0;
    while (i < list.length && list[i] <= nowMs - windowMs) i++;
    return i ? list.slice(i) : list;
  }

  /** Headers describing what is left, for responses that were not counted (errors before the limiter). */
  headers(tenantId: string | undefined, nowMs: number): Record<string, string> {
    const limits = this.limits ?? XERO_LIMITS;
    const minute = tenantId ? this.prune(this.minute.get(tenantId) ?? [], nowMs, MINUTE_MS) : [];
    const day = tenantId ? this.prune(this.day.get(tenantId) ?? [], nowMs, DAY_MS) : [];
    const app = this.prune(this.app, nowMs, MINUTE_MS);
    return {
      'X-MinLimit-Remaining': String(Math.max(0, limits.perMinute - minute.length)),
      'X-DayLimit-Remaining': String(Math.max(0, limits.perDay - day.length)),
      'X-AppMinLimit-Remaining': String(Math.max(0, limits.appPerMinute - app.length)),
    };
  }

  /** Counts one call if allowed; the caller must call release() when the call ends. */
  acquire(tenantId: string, nowMs: number): LimitDecision {
    const limits = this.limits;
    if (!limits) {
      this.record(tenantId, nowMs);
      return { ok: true, headers: this.headers(tenantId, nowMs) };
    }
    const minute = this.prune(this.minute.get(tenantId) ?? [], nowMs, MINUTE_MS);
    const day = this.prune(this.day.get(tenantId) ?? [], nowMs, DAY_MS);
    this.app = this.prune(this.app, nowMs, MINUTE_MS);
    this.minute.set(tenantId, minute);
    this.day.set(tenantId, day);
    const refuse = (problem: LimitProblem, retryAfterMs: number): LimitDecision => ({
      ok: false,
      problem,
      retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
      headers: this.headers(tenantId, nowMs),
    });
    if (day.length >= limits.perDay) return refuse('day', day[0] + DAY_MS - nowMs);
    if (minute.length >= limits.perMinute) return refuse('minute', minute[0] + MINUTE_MS - nowMs);
    if (this.app.length >= limits.appPerMinute) return refuse('appminute', this.app[0] + MINUTE_MS - nowMs);
    if ((this.inFlight.get(tenantId) ?? 0) >= limits.concurrent) return refuse('concurrent', 1000);
    this.record(tenantId, nowMs);
    return { ok: true, headers: this.headers(tenantId, nowMs) };
  }

  release(tenantId: string): void {
    const n = (this.inFlight.get(tenantId) ?? 1) - 1;
    if (n <= 0) this.inFlight.delete(tenantId);
    else this.inFlight.set(tenantId, n);
  }

  private record(tenantId: string, nowMs: number): void {
    (this.minute.get(tenantId) ?? this.minute.set(tenantId, []).get(tenantId)!).push(nowMs);
    (this.day.get(tenantId) ?? this.day.set(tenantId, []).get(tenantId)!).push(nowMs);
    this.app.push(nowMs);
    this.inFlight.set(tenantId, (this.inFlight.get(tenantId) ?? 0) + 1);
  }
}
