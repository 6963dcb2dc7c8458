import { decode } from 'he';
import type { OcAddress, OcMethod } from '@oc-xero/sync-core';

/** A row as mysql2 hands it back (dateStrings on, DECIMAL as string). */
export type Row = Record<string, unknown>;

/** Text column → string; 4.x declares most columns NULL-able, and a NULL means "nothing". */
export const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** Integer column → number (NULL → 0). */
export const int = (v: unknown): number => (v === null || v === undefined || v === '' ? 0 : Number(v));

/** DECIMAL column → the decimal string exactly as stored (NULL → '0.0000' so sums never see NaN). */
export const dec = (v: unknown): string => (v === null || v === undefined || v === '' ? '0.0000' : String(v));

/** OpenCart escapes every input with htmlspecialchars before storing it; undo that once. */
export const text = (v: unknown): string => decode(str(v));

/**
 * The inverse of `text` for what we write: OpenCart's Request::clean uses
 * htmlspecialchars(ENT_COMPAT), so text we store must look the same to OpenCart's own screens.
 */
export const escapeForOpenCart = (v: string): string =>
  v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * An address from columns `${p}firstname`, `${p}address_1`, …; null when the order carries no
 * address at all (4.1 storefront orders leave every payment_* column empty).
 */
export function addressFrom(row: Row, p: string): OcAddress | null {
  const a: OcAddress = {
    firstname: text(row[`${p}firstname`]),
    lastname: text(row[`${p}lastname`]),
    company: text(row[`${p}company`]),
    address1: text(row[`${p}address_1`]),
    address2: text(row[`${p}address_2`]),
    city: text(row[`${p}city`]),
    postcode: text(row[`${p}postcode`]),
    country: text(row[`${p}country`]),
    countryIsoCode2: str(row[`${p}iso_code_2`]),
    zone: text(row[`${p}zone`]),
    zoneCode: str(row[`${p}zone_code`]),
  };
  const empty =
    !a.firstname && !a.lastname && !a.company && !a.address1 && !a.city && !a.postcode && !a.country;
  return empty ? null : a;
}

/** What went wrong parsing a method column, for a warning; null when it parsed. */
export interface MethodParse {
  method: OcMethod | null;
  problem: string | null;
}

/**
 * A payment/shipping method from its columns. 3.x (and 4.0.0–4.0.1) keep a text name plus a
 * `*_code` column; 4.0.2+ keep JSON {"name","code",…} in the name column. Anything else is
 * kept as a name without a code rather than dropped, and reported.
 */
export function methodFrom(nameColumn: unknown, codeColumn: unknown | undefined): MethodParse {
  const raw = str(nameColumn).trim();
  if (codeColumn !== undefined) {
    const code = str(codeColumn).trim();
    if (!raw && !code) return { method: null, problem: null };
    return { method: { code, name: text(raw) }, problem: null };
  }
  if (!raw || raw === '[]' || raw === '{}' || raw === 'null') return { method: null, problem: null };
  if (raw.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const o = parsed as Record<string, unknown>;
        const code = typeof o.code === 'string' ? o.code : '';
        const name = typeof o.name === 'string' ? o.name : typeof o.title === 'string' ? o.title : '';
        if (code || name) return { method: { code, name: text(name) }, problem: null };
      }
      return { method: null, problem: `method JSON has neither code nor name: ${raw.slice(0, 120)}` };
    } catch {
      return {
        method: { code: '', name: text(raw) },
        problem: `method column is not valid JSON: ${raw.slice(0, 120)}`,
      };
    }
  }
  return { method: { code: '', name: text(raw) }, problem: null };
}

/** Groups rows by a numeric key, keeping their order. */
export function groupBy<T>(rows: T[], key: (r: T) => number): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}
