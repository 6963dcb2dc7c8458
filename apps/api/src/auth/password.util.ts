import bcrypt from 'bcryptjs';
import { createHmac } from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';

export const BCRYPT_COST = 12;
/** Marks hashes of the pre-hashed password; hashes without it are the first release's raw bcrypt. */
const V2 = 'v2$';
// A fixed key: the HMAC only spreads any length over 44 characters, it is not a secret (bcrypt is the defence).
const PREHASH_KEY = 'oc-xero password prehash v1';

/**
 * bcrypt reads only the first 72 bytes: two long passphrases with the same start would be equal.
 * HMAC-SHA256 → base64 (44 ASCII bytes) first makes every byte count.
 */
export const prehash = (password: string): string => createHmac('sha256', PREHASH_KEY).update(password, 'utf8').digest('base64');

export async function hashPassword(password: string, cost = BCRYPT_COST): Promise<string> {
  return V2 + (await bcrypt.hash(prehash(password), cost));
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (stored.startsWith(V2)) return bcrypt.compare(prehash(password), stored.slice(V2.length));
  return bcrypt.compare(password, stored);
}

/** The bcrypt cost a stored hash was made with (tests compare the real and the dummy path). */
export const hashCost = (stored: string): number => bcrypt.getRounds(stored.startsWith(V2) ? stored.slice(V2.length) : stored);

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 1000;

// ~49,000 passwords seen in real breaches (zxcvbn-ts's list); lower-cased for a case-blind check.
let common: Set<string> | null = null;
const commonPasswords = (): Set<string> => (common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase())));

/** Why a new password is refused, as a merchant reads it; null when it is fine. */
export function passwordProblem(password: string, username: string): string | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const lower = password.toLowerCase();
  const user = username.trim().toLowerCase();
  if (user.length > 0 && (lower === user || (user.length >= 3 && lower.includes(user)))) return 'The password must not contain the username.';
  if (commonPasswords().has(lower) || commonPasswords().has(lower.replace(/[\d\W_]+$/, ''))) {
    return 'This password is in lists of common passwords that attackers try first: choose another.';
  }
  if (new Set(password).size < 4) return 'Use more different characters.';
  return null;
}
