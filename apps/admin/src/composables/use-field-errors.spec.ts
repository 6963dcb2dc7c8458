import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { describedBy, useFieldErrors } from './use-field-errors';

describe('field errors', () => {
  it('places each API field error under its path', () => {
    const f = useFieldErrors();
    f.set(new ApiError(400, 'Invalid settings', [{ path: 'stores.1.salesAccountCode', message: 'too long' }, { path: 'nope', message: 'Unknown setting "nope": check its spelling.' }]));
    expect(f.message.value).toBe('Invalid settings');
    expect(f.of('stores.1.salesAccountCode')).toBe('too long');
    expect(f.of('nope')).toContain('Unknown setting');
    // two errors of one field: both are shown under it
    f.set(new ApiError(400, 'x', [{ path: 'invoiceNumberFormat', message: 'unknown placeholder {id}' }, { path: 'invoiceNumberFormat', message: 'must contain {order_id}' }]));
    expect(f.of('invoiceNumberFormat')).toBe('unknown placeholder {id}; must contain {order_id}');
    expect(f.of('stores.1.salesAccountCode')).toBeUndefined();
    f.clear();
    expect(f.of('nope')).toBeUndefined();
  });
  it('points an input at its error and help', () => {
    expect(describedBy('s-x', 'bad', 'help')).toBe('s-x-error s-x-help');
    expect(describedBy('s-x', undefined, 'help')).toBe('s-x-help');
    expect(describedBy('s-x')).toBeUndefined();
  });
});
