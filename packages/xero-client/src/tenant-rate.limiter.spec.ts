import { isSyncError } from '@oc-xero/sync-core';
import { TenantRateLimiter } from './tenant-rate.limiter';
import { ClientClock } from './retry.policy';

/** A clock whose sleep moves time instead of waiting. */
function fakeClock(): ClientClock & { t: number; slept: number[] } {
  const c = {
    t: 1_000_000,
    slept: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.slept.push(ms);
      c.t += ms;
    },
  };
  return c;
}

describe('TenantRateLimiter', () => {
  it('lets perMinute calls through, then holds the next until the rolling minute has passed', async () => {
    const clock = fakeClock();
    const limiter = new TenantRateLimiter({ perMinute: 3, concurrent: 5, clock });
    const startedAt: number[] = [];
    for (let i = 0; i < 4; i++) await limiter.schedule(async () => startedAt.push(clock.t));
    expect(startedAt.slice(0, 3)).toEqual([1_000_000, 1_000_000, 1_000_000]);
    expect(startedAt[3]).toBe(1_060_000);
  });

  it('counts a call from when its answer came back (Xero stamped it after we sent it)', async () => {
    const clock = fakeClock();
    const limiter = new TenantRateLimiter({ perMinute: 1, concurrent: 5, clock });
    await limiter.schedule(async () => {
      clock.t += 2_000; // a slow answer
    });
    let ranAt = 0;
    await limiter.schedule(async () => (ranAt = clock.t));
    expect(ranAt).toBe(1_000_000 + 2_000 + 60_000);
  });

  it('never runs more than `concurrent` calls at once', async () => {
    const limiter = new TenantRateLimiter({ perMinute: 1000, concurrent: 2 });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        limiter.schedule(async () => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await new Promise((r) => setTimeout(r, 5));
          inFlight--;
        }),
      ),
    );
    expect(peak).toBe(2);
  });

  it('a minute 429 holds every call of the tenant until Retry-After', async () => {
    const clock = fakeClock();
    const limiter = new TenantRateLimiter({ perMinute: 60, concurrent: 5, clock });
    limiter.pause(7_000, 'minute');
    let ranAt = 0;
    await limiter.schedule(async () => (ranAt = clock.t));
    expect(ranAt).toBe(1_007_000);
  });

  it('a day 429 fails fast as transient with retryAfterMs, without running the call', async () => {
    const clock = fakeClock();
    const limiter = new TenantRateLimiter({ perMinute: 60, concurrent: 5, clock });
    limiter.pause(3_600_000, 'day');
    let ran = false;
    const error = await limiter.schedule(async () => (ran = true)).catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(isSyncError(error) && error.kind).toBe('transient');
    expect(isSyncError(error) && error.details.retryAfterMs).toBe(3_600_000);
  });

  it('remembers the quota headers', () => {
    const limiter = new TenantRateLimiter({ perMinute: 60, concurrent: 5 });
    limiter.observe({ 'x-daylimit-remaining': '4990', 'x-minlimit-remaining': '55' });
    expect(limiter.dayRemaining).toBe(4990);
    expect(limiter.minuteRemaining).toBe(55);
  });

  it('shares one limiter per tenant key', () => {
    const a = TenantRateLimiter.forTenant('http://x|t1', { perMinute: 60, concurrent: 5 });
    expect(TenantRateLimiter.forTenant('http://x|t1', { perMinute: 60, concurrent: 5 })).toBe(a);
    expect(TenantRateLimiter.forTenant('http://x|t2', { perMinute: 60, concurrent: 5 })).not.toBe(a);
  });
});
