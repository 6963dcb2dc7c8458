import { backoffDelayMs } from './retry.policy';

describe('backoffDelayMs', () => {
  it('doubles per attempt, stays within [cap/2, cap] and never exceeds the maximum', () => {
    expect(backoffDelayMs(1, 500, 15_000, () => 0)).toBe(250);
    expect(backoffDelayMs(1, 500, 15_000, () => 1)).toBe(500);
    expect(backoffDelayMs(3, 500, 15_000, () => 0)).toBe(1000);
    expect(backoffDelayMs(3, 500, 15_000, () => 1)).toBe(2000);
    expect(backoffDelayMs(10, 500, 15_000, () => 1)).toBe(15_000);
    expect(backoffDelayMs(10, 500, 15_000, () => 0)).toBe(7_500);
  });

  it('spreads delays of the same attempt (jitter)', () => {
    const delays = new Set([0.1, 0.4, 0.7, 0.9].map((r) => backoffDelayMs(2, 1000, 60_000, () => r)));
    expect(delays.size).toBe(4);
  });
});
