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
    if (rule.probability !== undefined && (rule.probability < 0 || rule.probability > 1))
      throw new Error('FaultRule.probability must be between 0 and 1');
    this.rules.push({
      rule,
      remaining: rule.probability !== undefined ? Number.POSITIVE_INFINITY : (rule.times ?? 1),
    });
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
        const hit =
          typeof rule.path === 'string'
            ? rule.path.toLowerCase() === path.toLowerCase()
            : rule.path.test(path);
        if (!hit) continue;
      }
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      armed.remaining--;
      return rule;
    }
    return undefined;
  }
}

const FAULT_KINDS = [
  '500',
  '503',
  '429-minute',
  '429-day',
  'latency',
  'drop',
  'timeout-after-write',
  'validation',
];

/** A FaultRule from JSON (control API): `path` as a string, or `pathRegex`. */
export function parseFaultRule(body: unknown): FaultRule {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.kind !== 'string' || !FAULT_KINDS.includes(b.kind))
    throw new Error(`kind must be one of ${FAULT_KINDS.join(', ')}`);
  const rule: FaultRule = { kind: b.kind as FaultRule['kind'] };
  if (typeof b.method === 'string') rule.method = b.method;
  if (typeof b.path === 'string') rule.path = b.path;
  if (typeof b.pathRegex === 'string') rule.path = new RegExp(b.pathRegex);
  for (const k of ['times', 'probability', 'latencyMs', 'retryAfterSeconds'] as const)
    if (typeof b[k] === 'number') rule[k] = b[k] as number;
  if (Array.isArray(b.elementIndexes)) rule.elementIndexes = b.elementIndexes.map(Number);
  return rule;
}

export function serializeFaultRule(rule: FaultRule): Record<string, unknown> {
  return {
    ...rule,
    path: rule.path instanceof RegExp ? `/${rule.path.source}/${rule.path.flags}` : rule.path,
  };
}
