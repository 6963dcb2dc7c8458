import { msDate, msDateNoOffset, parseXeroDate } from './xero-date.util';

describe('Xero dates', () => {
  it('formats /Date(ms+0000)/ and the envelope form without offset', () => {
    const d = new Date(1700000000000);
    expect(msDate(d)).toBe('/Date(1700000000000+0000)/');
    expect(msDateNoOffset(d)).toBe('/Date(1700000000000)/');
  });

  it('parses what clients send: dates, zoneless ISO (UTC), ISO with zone, /Date()/, RFC 1123', () => {
    expect(parseXeroDate('2026-11-23')?.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(parseXeroDate('2026-11-23T10:30:00')?.toISOString()).toBe('2026-11-23T10:30:00.000Z');
    expect(parseXeroDate('2026-11-23T10:30:00+02:00')?.toISOString()).toBe('2026-11-23T08:30:00.000Z');
    expect(parseXeroDate('/Date(1700000000000+0000)/')?.getTime()).toBe(1700000000000);
    expect(parseXeroDate('Mon, 23 Nov 2026 12:00:00 GMT')?.toISOString()).toBe('2026-11-23T12:00:00.000Z');
    expect(parseXeroDate('not a date')).toBeUndefined();
    expect(parseXeroDate('')).toBeUndefined();
    expect(parseXeroDate(42)).toBeUndefined();
  });
});
