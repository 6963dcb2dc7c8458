import { isSyncError } from '../../errors';
import { shiftDbTime, storeTime } from './store-clock.util';

describe('storeTime', () => {
  it('is wall time in the store zone, DST included', () => {
    expect(storeTime(new Date('2027-01-10T00:00:00Z'), 'Pacific/Auckland')).toBe('2027-01-10 13:00:00');
    expect(storeTime(new Date('2027-01-10T00:00:00Z'), 'America/Los_Angeles')).toBe('2027-01-09 16:00:00');
    // Auckland falls back at 03:00 NZDT: the same wall time twice, an hour apart.
    expect(storeTime(new Date('2027-04-03T13:30:00Z'), 'Pacific/Auckland')).toBe('2027-04-04 02:30:00');
    expect(storeTime(new Date('2027-04-03T14:30:00Z'), 'Pacific/Auckland')).toBe('2027-04-04 02:30:00');
    expect(storeTime(new Date('2027-01-10T00:00:00Z'), 'UTC')).toBe('2027-01-10 00:00:00');
  });

  it('an unknown zone is a config error naming the setting', () => {
    try {
      storeTime(new Date(), 'Mars/Olympus');
      throw new Error('no error');
    } catch (e) {
      expect(isSyncError(e) && e.kind === 'config' && e.message.includes('config_timezone')).toBe(true);
    }
  });
});

describe('shiftDbTime', () => {
  it('moves a stored time by seconds across days', () => {
    expect(shiftDbTime('2027-01-01 01:00:00', -7200)).toBe('2026-12-31 23:00:00');
    expect(shiftDbTime('2027-01-01 01:00:00', 1)).toBe('2027-01-01 01:00:01');
  });
});
