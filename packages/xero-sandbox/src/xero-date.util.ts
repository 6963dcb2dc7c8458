// Xero's JSON dates: "/Date(1700000000000+0000)/" for entity dates, "/Date(1700000000000)/" for the
// envelope's DateTimeUTC, plus ISO "…String" twins on documents.

export function msDate(d: Date): string {
  return `/Date(${d.getTime()}+0000)/`;
}

export function msDateNoOffset(d: Date): string {
  return `/Date(${d.getTime()})/`;
}

/** "2019-11-14T00:00:00", the form of Xero's DateString fields. */
export function isoDateTimeString(d: Date): string {
  return d.toISOString().slice(0, 19);
}

/** Accepts what clients send: "2026-11-23", ISO date-times and "/Date(ms+0000)/". Returns undefined if unparseable. */
export function parseXeroDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const ms = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value.trim());
  if (ms) return new Date(Number(ms[1]));
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (dateOnly) return new Date(Date.UTC(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3])));
  // ISO date-times without a zone are UTC, as Xero reads them; anything else (RFC 1123 as in
  // If-Modified-Since: "Mon, 23 Nov 2026 12:00:00 GMT") goes to Date.parse.
  const isoWithoutZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value.trim());
  const parsed = new Date(isoWithoutZone ? `${value.trim()}Z` : value.trim());
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

/** Invoice dates are calendar days: keep midnight UTC of the given day. */
export function startOfUtcDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}
