import { RateLimiter, XERO_LIMITS } from './rate-limit.limiter';

describe('RateLimiter', () => {
  const t0 = Date.parse('2026-11-23T12:00:00Z');

  it('allows 60 calls in a rolling minute, then says how long to wait', () => {
    const limiter = new RateLimiter(XERO_LIMITS);
    for (let i = 0; i < 60; i++) {
      expect(limiter.acquire('app', 'org', t0 + i * 500).ok).toBe(true);
      limiter.release('app', 'org');
    }
    const refused = limiter.acquire('app', 'org', t0 + 30_000);
    expect(refused).toMatchObject({ ok: false, problem: 'minute', retryAfterSeconds: 30 });
    expect(refused.headers['X-MinLimit-Remaining']).toBe('0');
    expect(limiter.acquire('app', 'org', t0 + 60_000).ok).toBe(true);
  });

  it('keeps organisations and apps apart, and counts concurrency until release', () => {
    const limiter = new RateLimiter({ ...XERO_LIMITS, concurrent: 2 });
    expect(limiter.acquire('app', 'org', t0).ok).toBe(true);
    expect(limiter.acquire('app', 'org', t0).ok).toBe(true);
    expect(limiter.acquire('app', 'org', t0)).toMatchObject({ ok: false, problem: 'concurrent' });
    expect(limiter.acquire('app', 'other-org', t0).ok).toBe(true);
    expect(limiter.acquire('other-app', 'org', t0).ok).toBe(true);
    limiter.release('app', 'org');
    expect(limiter.acquire('app', 'org', t0).ok).toBe(true);
  });

  it('stops at the day limit with a Retry-After up to the oldest call leaving the day', () => {
    const limiter = new RateLimiter({ ...XERO_LIMITS, perDay: 2 });
    limiter.acquire('app', 'org', t0);
    limiter.release('app', 'org');
    limiter.acquire('app', 'org', t0 + 3_600_000);
    limiter.release('app', 'org');
    expect(limiter.acquire('app', 'org', t0 + 7_200_000)).toMatchObject({
      ok: false,
      problem: 'day',
      retryAfterSeconds: 22 * 3600,
    });
  });

  it('without limits it still counts, for the headers', () => {
    const limiter = new RateLimiter(undefined);
    for (let i = 0; i < 100; i++) expect(limiter.acquire('app', 'org', t0).ok).toBe(true);
    expect(limiter.headers('app', 'org', t0)['X-MinLimit-Remaining']).toBe('0');
  });
});
