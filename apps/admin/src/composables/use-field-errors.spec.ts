import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { useFieldErrors } from './use-field-errors';

describe('field errors', () => {
  it('places each API field error under its path', () => {
    const f = useFieldErrors();
    f.set(new ApiError(400, 'Invalid settings', [{ path: 'stores.1.salesAccountCode', message: 'too long' }, { path: 'nope', message: 'Unknown setting "nope": check its spelling.' }]));
    expect(f.message.value).toBe('Invalid settings');
    expect(f.of('stores.1.salesAccountCode')).toBe('too long');
    expect(f.of('nope')).toContain('Unknown setting');
    f.clear();
    expect(f.of('nope')).toBeUndefined();
  });
});
