/**
 * The store's own clock. OpenCart sets the database session's time zone to its configured zone's
 * current offset at every request (`SET time_zone = date('P')`), so date_added / date_modified are
 * the store's local wall time, not UTC and not the server's zone. A run's upper bound must be read
 * on that clock, else a store east of UTC is read hours late and one west of UTC hours early.
 */
import { SyncError } from '../../errors';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    } catch {
      throw new SyncError('config', `The store's time zone "${timeZone}" (OpenCart setting config_timezone) is not a known time zone; pick one under System > Settings > Option in OpenCart.`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** 'YYYY-MM-DD HH:MM:SS' of an instant in a time zone (IANA name), as OpenCart would store it then. */
export function storeTime(date: Date, timeZone: string): string {
  const parts = Object.fromEntries(formatterOf(timeZone).formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** A stored 'YYYY-MM-DD HH:MM:SS' moved by whole seconds (wall-clock arithmetic, no zone). */
export function shiftDbTime(dbTime: string, seconds: number): string {
  const t = Date.parse(`${dbTime.replace(' ', 'T')}Z`);
  if (Number.isNaN(t)) return dbTime;
  return new Date(t + seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}
