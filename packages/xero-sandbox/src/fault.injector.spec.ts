import { FaultInjector, parseFaultRule, serializeFaultRule } from './fault.injector';

describe('FaultInjector', () => {
  it('fires a rule `times` times on matching method + path only', () => {
    const faults = new FaultInjector();
    faults.add({ kind: '500', method: 'put', path: '/api.xro/2.0/Invoices', times: 2 });
    expect(faults.match('GET', '/api.xro/2.0/Invoices')).toBeUndefined();
    expect(faults.match('PUT', '/api.xro/2.0/invoices')?.kind).toBe('500');
    expect(faults.match('PUT', '/api.xro/2.0/Invoices')?.kind).toBe('500');
    expect(faults.match('PUT', '/api.xro/2.0/Invoices')).toBeUndefined();
  });

  it('matches regular expressions and uses the probability instead of a count', () => {
    const rolls = [0.1, 0.9, 0.2];
    const faults = new FaultInjector(() => rolls.shift() ?? 1);
    faults.add({ kind: '503', path: /Contacts$/, probability: 0.5 });
    expect(faults.match('GET', '/api.xro/2.0/Contacts')?.kind).toBe('503');
    expect(faults.match('GET', '/api.xro/2.0/Contacts')).toBeUndefined();
    expect(faults.match('GET', '/api.xro/2.0/Contacts')?.kind).toBe('503');
    expect(faults.match('GET', '/api.xro/2.0/Items')).toBeUndefined();
    expect(() => faults.add({ kind: '500', probability: 2 })).toThrow(/between 0 and 1/);
  });

  it('parses and prints rules for the control API', () => {
    const rule = parseFaultRule({
      kind: 'validation',
      pathRegex: '^/api',
      elementIndexes: ['1', 2],
      times: 3,
    });
    expect(rule).toEqual({ kind: 'validation', path: /^\/api/, elementIndexes: [1, 2], times: 3 });
    expect(serializeFaultRule(rule)).toEqual({
      kind: 'validation',
      path: '/^\\/api/',
      elementIndexes: [1, 2],
      times: 3,
    });
    expect(() => parseFaultRule({ kind: 'explode' })).toThrow(/kind must be one of/);
  });
});
