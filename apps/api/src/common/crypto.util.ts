import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** SHA-256 hex: enough for high-entropy random tokens (keys, sessions), unlike passwords. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** A URL-safe random token. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/**
 * Constant-time comparison of two strings of any length: both are hashed first so
 * crypto.timingSafeEqual sees equal lengths and the time does not depend on where they differ.
 */
export function constantTimeEquals(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}
