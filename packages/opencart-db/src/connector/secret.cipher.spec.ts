import { randomBytes } from 'node:crypto';
import { SyncError } from '@oc-xero/sync-core';
import { parseEncryptionKey, SecretCipher, SecretDecryptError } from './secret.cipher';

const key = randomBytes(32);

describe('parseEncryptionKey', () => {
  it('accepts 32 bytes as hex and as base64 (standard and url-safe)', () => {
    expect(parseEncryptionKey(key.toString('hex')).equals(key)).toBe(true);
    expect(parseEncryptionKey(key.toString('base64')).equals(key)).toBe(true);
    expect(parseEncryptionKey(key.toString('base64url')).equals(key)).toBe(true);
    expect(parseEncryptionKey(`  ${key.toString('base64')}\n`).equals(key)).toBe(true);
  });

  it.each([
    ['missing', '', /encryption key is missing/],
    ['short hex', 'ab'.repeat(16), /decodes to 16 bytes; it must be 32 bytes \(64 hex/],
    ['short base64', randomBytes(16).toString('base64'), /decodes from base64 to 16 bytes/],
    ['not an encoding', 'this is not a key!'.repeat(3), /neither hex nor base64/],
  ])('refuses a %s key with a config error saying what is wrong', (_label, raw, message) => {
    let caught: unknown;
    try {
      parseEncryptionKey(raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SyncError);
    expect((caught as SyncError).kind).toBe('config');
    expect((caught as SyncError).message).toMatch(message);
    if (raw !== '') expect((caught as SyncError).message).not.toContain(raw);
  });
});

describe('SecretCipher', () => {
  const cipher = new SecretCipher(key);

  it('round-trips text, including non-ASCII, with a fresh IV each time', () => {
    const secret = 'rt-ä€😀-' + 'x'.repeat(2000);
    const a = cipher.encrypt(secret, 'ctx');
    const b = cipher.encrypt(secret, 'ctx');
    expect(a).not.toBe(b);
    expect(a.startsWith(`v1:${cipher.keyId}:`)).toBe(true);
    expect(a).not.toContain('rt-');
    expect(cipher.decrypt(a, 'ctx')).toBe(secret);
    expect(cipher.decrypt(cipher.encrypt('', 'ctx'), 'ctx')).toBe('');
  });

  it('says "wrong key" for another key, never returning garbage', () => {
    const stored = cipher.encrypt('secret', 'ctx');
    const other = new SecretCipher(randomBytes(32));
    expect(() => other.decrypt(stored, 'ctx')).toThrow(
      new SecretDecryptError('wrong-key', 'the encryption key differs from the one it was saved with'),
    );
  });

  it('detects an altered value and a value moved to another context', () => {
    const stored = cipher.encrypt('secret-value', 'row-1');
    const parts = stored.split(':');
    const body = Buffer.from(parts[4], 'base64url');
    body[0] ^= 1;
    parts[4] = body.toString('base64url');
    expect(() => cipher.decrypt(parts.join(':'), 'row-1')).toThrow(/damaged or was altered/);
    expect(() => cipher.decrypt(stored, 'row-2')).toThrow(/damaged or was altered/);
    expect(() => cipher.decrypt('plain text', 'row-1')).toThrow(/not in the encrypted format/);
  });
});
