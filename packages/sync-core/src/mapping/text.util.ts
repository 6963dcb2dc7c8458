/** Text helpers for Xero's field limits. Text arrives HTML-decoded from the adapter. */

/** Collapse runs of whitespace and trim. */
export const squash = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();

/** Cut to at most `max` characters without splitting a surrogate pair (emoji survive or go whole). */
export function truncate(s: string, max: number, ellipsis = ''): string {
  const chars = Array.from(s);
  if (chars.length <= max) return s;
  return (
    chars
      .slice(0, Math.max(0, max - Array.from(ellipsis).length))
      .join('')
      .trimEnd() + ellipsis
  );
}

/** Length in characters as Xero counts them (code points). */
export const charLength = (s: string): number => Array.from(s).length;

/** Small stable hash (FNV-1a, 32 bit) as 8 hex chars: keeps long keys unique within a length limit. */
export function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** Fit `s` into `max` characters, keeping it unique by replacing the tail with a hash when cut. */
export function fitUnique(s: string, max: number): string {
  if (charLength(s) <= max) return s;
  const tail = `~${shortHash(s)}`;
  return truncate(s, max - tail.length) + tail;
}

/** A pragmatic email check: what Xero accepts as EmailAddress. */
export const isValidEmail = (s: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) && s.length <= 255;

/** Strip HTML tags and collapse whitespace (product descriptions keep markup in OpenCart). */
export const stripHtml = (s: string): string =>
  squash(
    s
      .replace(/<(br|\/p|\/div|\/li)\s*\/?>/gi, '\n')
      .replace(/<[^>]*>/g, ' ')
      .replace(/&nbsp;/g, ' '),
  );
