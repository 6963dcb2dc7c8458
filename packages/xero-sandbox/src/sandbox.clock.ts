// The sandbox's clock: the injected `now` (or the real clock, optionally sped up) plus an offset
// that tests and the control API move.

export class SandboxClock {
  private offsetMs = 0;
  private readonly startedAtMs = Date.now();

  constructor(
    private readonly base?: () => Date,
    private readonly timeScale = 1,
  ) {}

  private baseMs(): number {
    if (this.base) return this.base().getTime();
    const realMs = Date.now();
    return this.startedAtMs + (realMs - this.startedAtMs) * this.timeScale;
  }

  now(): Date {
    return new Date(this.baseMs() + this.offsetMs);
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms)) throw new Error('advance(ms) needs a finite number of milliseconds');
    this.offsetMs += ms;
  }

  set(d: Date): void {
    if (Number.isNaN(d.getTime())) throw new Error('set(date) needs a valid date');
    this.offsetMs = d.getTime() - this.baseMs();
  }

  resetOffset(): void {
    this.offsetMs = 0;
  }
}
