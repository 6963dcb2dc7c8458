/**
 * What every repository of the connector database shares: argument checks (merchant-readable
 * errors), UTC DATETIME(3) conversion, chunked IN lists and multi-row inserts, deadlock retry.
 */
import { DataSource, EntityManager } from 'typeorm';
import { SyncError } from '@oc-xero/sync-core';
import { isSecretSettingKey } from '../settings-secret.codec';

/** Rows per multi-row INSERT, well under max_allowed_packet. */
export const INSERT_CHUNK = 500;
/** Ids per IN (...) list. */
export const IN_CHUNK = 1000;
const MAX_LIMIT = 10_000;
const MYSQL_DEADLOCK = 'ER_LOCK_DEADLOCK';
const MYSQL_LOCK_WAIT = 'ER_LOCK_WAIT_TIMEOUT';
const REDACTED = '[redacted]';

/** DATETIME(3) in UTC, which is how every timestamp of ours is stored. */
export function toDbTime(iso: string | Date, field: string): string {
  const date = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(date.getTime())) {
    throw new SyncError(
      'validation',
      `${field} is not a valid date/time: "${String(iso)}" (expected ISO 8601, e.g. 2026-01-31T10:00:00Z)`,
    );
  }
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

export function fromDbTime(value: string): string;
export function fromDbTime(value: string | null): string | null;
export function fromDbTime(value: string | null): string | null {
  if (value === null) return null;
  const [date, time = '00:00:00'] = value.split(' ');
  const [hms, fraction = ''] = time.split('.');
  return `${date}T${hms}.${fraction.padEnd(3, '0').slice(0, 3)}Z`;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function placeholders(count: number): string {
  return new Array(count).fill('?').join(',');
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (!allowed.includes(value as T)) {
    throw new SyncError(
      'unexpected',
      `${field} must be one of ${allowed.join(', ')} (got "${String(value)}")`,
    );
  }
  return value as T;
}

export function requireText(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string' || value === '') {
    throw new SyncError('unexpected', `${field} must be a non-empty string`);
  }
  if (value.length > maxLength) {
    throw new SyncError(
      'unexpected',
      `${field} is longer than ${maxLength} characters: "${value.slice(0, 40)}…"`,
    );
  }
  return value;
}

export function requireLimit(limit: unknown): number {
  if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > MAX_LIMIT) {
    throw new SyncError(
      'unexpected',
      `limit must be an integer from 1 to ${MAX_LIMIT} (got ${String(limit)})`,
    );
  }
  return limit as number;
}

export function requireIds(ids: readonly number[], field: string): number[] {
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 1 || id > 4_294_967_295) {
      throw new SyncError('validation', `${field} must be positive whole numbers (got ${String(id)})`);
    }
  }
  return [...new Set(ids)];
}

export function toJson(value: unknown, field: string): string {
  try {
    const text = JSON.stringify(value ?? {});
    if (text === undefined) throw new Error('not serialisable');
    return text;
  } catch (error) {
    throw new SyncError(
      'unexpected',
      `${field} cannot be stored: it is not JSON-serialisable (${(error as Error).message})`,
    );
  }
}

export function parseJsonObject(text: string | null, field: string): Record<string, unknown> {
  if (text === null || text === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    throw new SyncError('unexpected', `the stored ${field} is not valid JSON`);
  }
}

/** Log details must never carry secrets, whatever a caller put in them. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 20) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      out[key] =
        isSecretSettingKey(key) || /^(authorization|cookie|password|accessToken|refreshToken)$/i.test(key)
          ? REDACTED
          : redact(child, depth + 1);
    }
    return out;
  }
  return value;
}

export function isRetryableLockError(error: unknown): boolean {
  const code =
    (error as { code?: string; driverError?: { code?: string } }).code ??
    (error as { driverError?: { code?: string } }).driverError?.code;
  return code === MYSQL_DEADLOCK || code === MYSQL_LOCK_WAIT;
}


/**
 * A transaction retried when InnoDB picks it as a deadlock victim (or a lock wait times out):
 * the victim was rolled back whole, so running it again is safe and gives the right answer.
 */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      if (isRetryableLockError(error) && attempt < 5) {
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.floor(Math.random() * 10)));
        continue;
      }
      throw error;
    }
  }
}

export function compareKeys(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

export function truncate(text: string, maxLength: number): string;
export function truncate(text: string | null, maxLength: number): string | null;
export function truncate(text: string | null, maxLength: number): string | null {
  if (text === null) return null;
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
