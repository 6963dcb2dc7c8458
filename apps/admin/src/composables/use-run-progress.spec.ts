import { describe, expect, it } from 'vitest';
import { etaSeconds, percent } from './use-run-progress';

describe('run progress', () => {
  const base = { startedAt: '2026-01-01T00:00:00.000Z', at: '2026-01-01T00:00:10.000Z' };
  it('gives a percentage only with a known total', () => {
    expect(percent({ processed: 25, total: 100 })).toBe(25);
    expect(percent({ processed: 5, total: null })).toBeNull();
    expect(percent({ processed: 120, total: 100 })).toBe(100);
  });
  it('estimates the time left from the pace so far', () => {
    expect(etaSeconds({ ...base, processed: 20, total: 100 })).toBe(40);
    expect(etaSeconds({ ...base, processed: 0, total: 100 })).toBeNull();
    expect(etaSeconds({ ...base, processed: 10, total: null })).toBeNull();
  });
});
