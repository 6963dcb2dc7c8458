import Bottleneck from 'bottleneck';
import { SyncError } from '@oc-xero/sync-core';
import { ClientClock, systemClock } from './retry.policy';

export interface TenantRateLimiterOptions {
  /** Calls per rolling minute (Xero: 60 per organisation). */
  perMinute: number;
  /** Calls in flight at once (Xero: 5 per organisation). */
  concurrent: number;
  clock?: ClientClock;
}

const MINUTE_MS = 60_000;

/**
 * The limits of ONE Xero organisation: concurrency through bottleneck, a rolling-minute window
 * (Xero counts a rolling minute, so a fixed reservoir refill could burst 2× across the boundary),
 * and pauses ordered by Xero itself (429 + Retry-After) that hold every call of the tenant.
 * One instance per tenant per process (see `forTenant`), shared by every gateway of that tenant.
 */
export class TenantRateLimiter {
  private static readonly registry = new Map<string, TenantRateLimiter>();

  /** The limiter of a tenant; `key` should also name the API origin (tests run several sandboxes). */
  static forTenant(key: string, options: TenantRateLimiterOptions): TenantRateLimiter {
    let limiter = this.registry.get(key);
    if (!limiter) {
      limiter = new TenantRateLimiter(options);
      this.registry.set(key, limiter);
    }
    return limiter;
  }

  private readonly bottleneck: Bottleneck;
  private readonly clock: ClientClock;
  /** Calls of the rolling minute: stamped when sent, re-stamped when answered. */
  private calls: Array<{ at: number }> = [];
  private pausedUntil = 0;
  private dayPausedUntil = 0;
  /** X-DayLimit-Remaining of the last answer. */
  dayRemaining: number | undefined;
  /** X-MinLimit-Remaining of the last answer. */
  minuteRemaining: number | undefined;

  constructor(private readonly options: TenantRateLimiterOptions) {
    this.clock = options.clock ?? systemClock;
    this.bottleneck = new Bottleneck({ maxConcurrent: options.concurrent });
  }

  /** Run fn when the tenant's limits allow it. */
  schedule<T>(fn: () => Promise<T>): Promise<T> {
    return this.bottleneck.schedule(async () => {
      const slot = await this.waitTurn();
      try {
        return await fn();
      } finally {
        // Xero stamps a call when it arrives, which is after we sent it: counting it from when the
        // answer came back keeps our rolling minute from ending before Xero's does.
        slot.at = this.clock.now();
      }
    });
  }

  /** Xero said 429: hold every call of this tenant for retryAfterMs. */
  pause(retryAfterMs: number, problem: string): void {
    const until = this.clock.now() + retryAfterMs;
    if (problem === 'day') this.dayPausedUntil = Math.max(this.dayPausedUntil, until);
    else this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /** Remember the quota headers of an answer. */
  observe(headers: Record<string, string>): void {
    const day = Number(headers['x-daylimit-remaining']);
    const minute = Number(headers['x-minlimit-remaining']);
    if (headers['x-daylimit-remaining'] !== undefined && Number.isFinite(day)) this.dayRemaining = day;
    if (headers['x-minlimit-remaining'] !== undefined && Number.isFinite(minute)) this.minuteRemaining = minute;
  }

  /** How long calls are held, 0 when not paused. */
  pausedForMs(): number {
    return Math.max(0, this.pausedUntil - this.clock.now());
  }

  private async waitTurn(): Promise<{ at: number }> {
    for (;;) {
      const now = this.clock.now();
      if (this.dayPausedUntil > now) {
        // Waiting hours inside a call helps nobody: fail fast without calling Xero again.
        const retryAfterMs = this.dayPausedUntil - now;
        throw new SyncError('transient', `Xero's daily API limit for this organisation is used up; the connector will continue in about ${Math.ceil(retryAfterMs / 60_000)} minutes.`, { retryAfterMs });
      }
      if (this.pausedUntil > now) {
        await this.clock.sleep(this.pausedUntil - now);
        continue;
      }
      this.calls = this.calls.filter((c) => c.at > now - MINUTE_MS);
      if (this.calls.length >= this.options.perMinute) {
        const oldest = Math.min(...this.calls.map((c) => c.at));
        await this.clock.sleep(oldest + MINUTE_MS - now);
        continue;
      }
      const slot = { at: now };
      this.calls.push(slot);
      return slot;
    }
  }
}
