import { SandboxClock } from './sandbox.clock';

describe('SandboxClock', () => {
  it('follows the injected clock plus an offset moved by advance() and set()', () => {
    let base = Date.parse('2026-01-01T00:00:00Z');
    const clock = new SandboxClock(() => new Date(base));
    clock.advance(60_000);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:01:00.000Z');
    base += 1000;
    expect(clock.now().toISOString()).toBe('2026-01-01T00:01:01.000Z');
    clock.set(new Date('2030-05-05T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2030-05-05T00:00:00.000Z');
    clock.resetOffset();
    expect(clock.now().getTime()).toBe(base);
    expect(() => clock.advance(Number.NaN)).toThrow(/finite/);
    expect(() => clock.set(new Date('nope'))).toThrow(/valid date/);
  });

  it('runs the real clock faster with a time scale', async () => {
    const clock = new SandboxClock(undefined, 1000);
    const t0 = clock.now().getTime();
    await new Promise((r) => setTimeout(r, 50));
    expect(clock.now().getTime() - t0).toBeGreaterThanOrEqual(40_000);
  });
});
