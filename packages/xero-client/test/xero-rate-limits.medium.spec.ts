import axios from 'axios';
import type { RunningSandbox } from '@oc-xero/xero-sandbox';
import { isSyncError } from '@oc-xero/sync-core';
import { XeroGateway } from '../src';
import { MemoryTokenStore, connect, countOf, describeWithSpec, startSpecSandbox, warpClockOf } from './sandbox.harness';

/** Status and Retry-After of every answer to our calls while the test runs. */
function watchAnswers(): { answers: Array<{ status: number; retryAfter?: string; problem?: string }>; stop(): void } {
  const answers: Array<{ status: number; retryAfter?: string; problem?: string }> = [];
  const note = (r: { status: number; headers: Record<string, unknown> } | undefined) => {
    if (r) answers.push({ status: r.status, retryAfter: r.headers['retry-after'] as string | undefined, problem: r.headers['x-rate-limit-problem'] as string | undefined });
  };
  const id = axios.interceptors.response.use(
    (r) => (note(r), r),
    (e) => (note(e.response), Promise.reject(e)),
  );
  return { answers, stop: () => axios.interceptors.response.eject(id) };
}

jest.setTimeout(60_000);

describeWithSpec('rate limits against the sandbox (Xero’s real limits on)', () => {
  let sandbox: RunningSandbox;
  let gateway: XeroGateway;

  beforeAll(async () => {
    sandbox = await startSpecSandbox({ rateLimits: true });
  });
  afterAll(() => sandbox?.close());
  beforeEach(async () => {
    sandbox.reset();
    ({ gateway } = await connect(sandbox, new MemoryTokenStore(), `store-${Date.now()}`));
    sandbox.resetViolations();
  });
  afterEach(() => {
    sandbox.faults.clear();
    expect(sandbox.violations()).toEqual([]);
  });

  it('a minute 429 pauses the tenant until Retry-After, then the call succeeds', async () => {
    const watch = watchAnswers();
    try {
      sandbox.faults.add({ method: 'GET', path: /\/Accounts$/, kind: '429-minute', times: 1 });
      const started = Date.now();
      const accounts = await gateway.listAccounts();
      const elapsedMs = Date.now() - started;
      expect(accounts.length).toBeGreaterThan(0);
      const limited = watch.answers.find((a) => a.status === 429);
      expect(limited?.problem).toBe('minute');
      expect(elapsedMs).toBeGreaterThanOrEqual(Number(limited?.retryAfter) * 1000 - 50);
      expect(countOf(sandbox, 'GET', /\/Accounts$/)).toBe(2);
    } finally {
      watch.stop();
    }
  });

  it('20 parallel calls stay within 5 concurrent: no 429 from Xero', async () => {
    const watch = watchAnswers();
    try {
      sandbox.faults.add({ method: 'GET', path: /\/Currencies$/, kind: 'latency', latencyMs: 150, times: 20 });
      const results = await Promise.all(Array.from({ length: 20 }, () => gateway.listCurrencies()));
      expect(results).toHaveLength(20);
      expect(watch.answers.filter((a) => a.status === 429)).toEqual([]);
      expect(countOf(sandbox, 'GET', /\/Currencies$/)).toBe(20);
    } finally {
      watch.stop();
    }
  });

  it('a burst of 61 calls keeps to 60 per rolling minute: the 61st waits, Xero never says 429', async () => {
    // Second organisation, so this limiter is fresh; its clock moves the sandbox's clock on sleep.
    const { gateway: burst } = await connect(sandbox, new MemoryTokenStore(), `burst-${Date.now()}`, {}, { tenantIndex: 1, clock: warpClockOf(sandbox) });
    await burst.listCurrencies(); // warm the sandbox's validator up (counted by both limiters)
    const before = countOf(sandbox, 'GET', /\/Currencies$/);
    const watch = watchAnswers();
    try {
      const startedAt = sandbox.clock.now().getTime();
      await Promise.all(Array.from({ length: 61 }, () => burst.listCurrencies()));
      expect(watch.answers.filter((a) => a.status === 429)).toEqual([]);
      expect(countOf(sandbox, 'GET', /\/Currencies$/) - before).toBe(61);
      expect(sandbox.clock.now().getTime() - startedAt).toBeGreaterThanOrEqual(60_000 - 1_000);
    } finally {
      watch.stop();
    }
  });

  // Last on purpose: the day pause holds the tenant in this process for the rest of the file.
  it('a day 429 is a clear transient error with retryAfterMs, and the tenant is not hammered', async () => {
    sandbox.faults.add({ method: 'GET', path: /\/Accounts$/, kind: '429-day', times: 1 });
    const error = await gateway.listAccounts().catch((e: unknown) => e);
    expect(isSyncError(error) && error.kind).toBe('transient');
    expect(isSyncError(error) && error.details.retryAfterMs).toBeGreaterThan(0);
    expect(isSyncError(error) && error.message).toMatch(/daily API limit/);
    expect(countOf(sandbox, 'GET', /\/Accounts$/)).toBe(1);
    // Further calls of this tenant fail at once, without another request.
    const again = await gateway.listTaxRates().catch((e: unknown) => e);
    expect(isSyncError(again) && again.kind).toBe('transient');
    expect(countOf(sandbox, 'GET', /\/TaxRates$/)).toBe(0);
    // Only THAT organisation is paused: the other one goes on.
    const { gateway: other } = await connect(sandbox, new MemoryTokenStore(), `other-${Date.now()}`, {}, { tenantIndex: 1 });
    expect((await other.listTaxRates()).length).toBeGreaterThan(0);
  });
});
