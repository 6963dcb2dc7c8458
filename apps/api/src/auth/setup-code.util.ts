import { randomInt } from 'node:crypto';

// No 0/O, 1/I/L: the code is read off a terminal and typed by hand.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** XXXX-XXXX-XXXX-XXXX: 16 characters of 31, about 79 bits. */
export function newSetupCode(): string {
  const chars = Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** Case and dashes do not matter when the code is typed back. */
export const normaliseSetupCode = (code: string): string => code.toUpperCase().replace(/[^A-Z0-9]/g, '');
