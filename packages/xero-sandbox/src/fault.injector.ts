import { FaultRule } from './sandbox.types';

interface ArmedRule {
  rule: FaultRule;
  remaining: number;
}

/** Holds the fault rules of a test and decides which one (if any) hits a request. */
export class FaultInjector {
  private rules: ArmedRule[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  add(rule: FaultRule): void {
    if (rule.probability !== undefined && (rule.probability < 0 || rule.probability > 1)) throw new Error('FaultRule.probability must be between 0 and 1');
    this.rules.push({ rule, remaining: rule.probability !== undefined ? Number.POSITIVE_INFINITY : (rule.times ?? 1) });
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((r) => r.rule);
  }

  /** The first armed rule matching method + path (path without query) — consumed if it fires. */
  match(method: string, path: string): FaultRule | undefined {
    for (const armed of this.rules) {
      const { rule } = armed;
      if (armed.remaining <= 0) continue;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.path !== undefined) {
        const hit = typeof rule.path === 'string' ? rule.path.toLowerCase() === path.toLowerCase() : rule.path.test(path);
        if (!hit) continue;
      }
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      armed.remaining--;
      return rule;
    }
    return undefined;
  }
}
