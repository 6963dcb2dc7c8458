import type { BatchElementResult } from '@oc-xero/sync-core';
import { explainElementErrors, redactSecrets } from './xero-error.translator';

/** Xero's advice: at most 50 elements per PUT/POST and ~50 ids per URL. */
export const MAX_BATCH = 50;
/** Keep `where` query strings well under the URL limits of proxies in between. */
export const MAX_WHERE_CHARS = 2_000;

export function chunk<T>(items: readonly T[], size: number = MAX_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Xero refuses bodies over 3.5 MB; stay well under it (JSON text, UTF-8). */
export const MAX_BATCH_BYTES = 3_000_000;

/**
 * Chunks of at most maxCount elements whose JSON together stays under maxBytes (an element
 * bigger than that alone still gets a chunk of its own: Xero will say what it thinks of it).
 */
export function chunkForXero<T>(items: readonly T[], maxCount: number = MAX_BATCH, maxBytes: number = MAX_BATCH_BYTES): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item) ?? '', 'utf8') + 1;
    if (current.length > 0 && (current.length >= maxCount || bytes + size > maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** A string literal of Xero's `where` syntax: double quotes, backslash escapes. */
export function whereString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * `Field=="a" OR Field=="b"` clauses covering every value once, each with at most maxIds values
 * and maxChars characters. Duplicates and empty values are dropped.
 */
export function whereClauses(field: string, values: readonly string[], maxIds: number = MAX_BATCH, maxChars: number = MAX_WHERE_CHARS): string[] {
  const unique = [...new Set(values.filter((v) => v !== ''))];
  const out: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const v of unique) {
    const term = `${field}==${whereString(v)}`;
    if (current.length > 0 && (current.length >= maxIds || length + term.length + 4 > maxChars)) {
      out.push(current.join(' OR '));
      current = [];
      length = 0;
    }
    current.push(term);
    length += term.length + 4;
  }
  if (current.length > 0) out.push(current.join(' OR '));
  return out;
}

/** What every batch element of xero-node's models carries about its own fate. */
export interface XeroElementModel {
  hasErrors?: boolean;
  statusAttributeString?: string;
  validationErrors?: Array<{ message?: string }>;
  warnings?: Array<{ message?: string }>;
}

/**
 * Per-element results of a summarizeErrors=false answer, in input order (Xero answers the
 * elements in the order they were sent). A count mismatch is a surprise we do not paper over.
 */
export function elementResults<M extends XeroElementModel, T>(
  elements: M[] | undefined,
  expected: number,
  toValue: (m: M) => T,
  orgName: string,
): BatchElementResult<T>[] {
  if (!elements || elements.length !== expected) {
    const error = `Xero answered ${elements?.length ?? 0} results for ${expected} records; the outcome of these records is unknown and they will be checked again.`;
    return Array.from({ length: expected }, () => ({ ok: false as const, kind: 'unexpected' as const, errors: [error] }));
  }
  return elements.map((m) => {
    const messages = (m.validationErrors ?? []).map((v) => v.message ?? '').filter((s) => s !== '');
    if (m.hasErrors || m.statusAttributeString === 'ERROR' || messages.length > 0) {
      const { kind, errors } = explainElementErrors(messages, orgName);
      return { ok: false as const, kind, errors };
    }
    const warnings = (m.warnings ?? []).map((w) => redactSecrets(w.message ?? '')).filter((s) => s !== '');
    return { ok: true as const, value: toValue(m), warnings };
  });
}
