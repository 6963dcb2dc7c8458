import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { SyncError } from '@oc-xero/sync-core';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT_VERSION = 'v1';

/**
 * Why a stored value could not be decrypted. `wrong-key` is told apart from `corrupted` by the
 * key id stored with each value, so the merchant learns whether to fix the configuration or the
 * data.
 */
export type DecryptFailure = 'wrong-key' | 'corrupted' | 'not-encrypted';

export class SecretDecryptError extends Error {
  constructor(
    readonly reason: DecryptFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SecretDecryptError';
  }
}

/**
 * Parses the connector's encryption key: exactly 32 bytes, written as 64 hex characters or as
 * base64 (44 characters with padding). Throws a config SyncError that says what is wrong and
 * how to make a good key, never echoing the key itself.
 */
export function parseEncryptionKey(raw: string | Buffer | undefined | null): Buffer {
  const howTo =
    "Generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\"";
  if (Buffer.isBuffer(raw)) {
    if (raw.length !== KEY_BYTES) {
      throw new SyncError(
        'config',
        `The encryption key must be ${KEY_BYTES} bytes; the one given has ${raw.length}. ${howTo}`,
      );
    }
    return Buffer.from(raw);
  }
  const text = (raw ?? '').trim();
  if (text === '') {
    throw new SyncError(
      'config',
      `The encryption key is missing: it must be ${KEY_BYTES} random bytes written as 64 hex characters or base64. ${howTo}`,
    );
  }
  if (/^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0 && text.length !== 44) {
    const key = Buffer.from(text, 'hex');
    if (key.length !== KEY_BYTES) {
      throw new SyncError(
        'config',
        `The encryption key looks like hex but decodes to ${key.length} bytes; it must be ${KEY_BYTES} bytes (64 hex characters). ${howTo}`,
      );
    }
    return key;
  }
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    throw new SyncError(
      'config',
      `The encryption key is neither hex nor base64 (it contains other characters). ${howTo}`,
    );
  }
  const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new SyncError(
      'config',
      `The encryption key decodes from base64 to ${key.length} bytes; it must be ${KEY_BYTES} bytes (44 base64 characters). ${howTo}`,
    );
  }
  return key;
}

/**
 * AES-256-GCM for values at rest. Format `v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url parts):
 * a random IV per value; the key id (first bytes of a SHA-256 of the key, which reveals nothing
 * usable about it) lets us say "wrong key" rather than "garbage"; the context (e.g. table, column
 * and scope) is bound as additional data so a value copied into another row does not decrypt.
 */
export class SecretCipher {
  private readonly key: Buffer;
  readonly keyId: string;

  constructor(key: string | Buffer) {
    this.key = parseEncryptionKey(key);
    this.keyId = createHash('sha256')
      .update('oc-xero-key-id:')
      .update(this.key)
      .digest('base64url')
      .slice(0, 8);
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      FORMAT_VERSION,
      this.keyId,
      iv.toString('base64url'),
      tag.toString('base64url'),
      ciphertext.toString('base64url'),
    ].join(':');
  }

  /** Whether a stored string is in our encrypted format (any key). */
  static isEncrypted(value: string): boolean {
    return /^v1:[A-Za-z0-9_-]{8}:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]*$/.test(value);
  }

  /** Decrypts; throws SecretDecryptError (never returns garbage). */
  decrypt(stored: string, context: string): string {
    if (!SecretCipher.isEncrypted(stored)) {
      throw new SecretDecryptError('not-encrypted', 'the stored value is not in the encrypted format');
    }
    const [, keyId, ivText, tagText, ciphertextText] = stored.split(':');
    if (keyId !== this.keyId) {
      throw new SecretDecryptError('wrong-key', 'the encryption key differs from the one it was saved with');
    }
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new SecretDecryptError('corrupted', 'the stored value is damaged');
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertextText, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      // Same key id but the tag does not verify: altered, damaged or moved to another row.
      throw new SecretDecryptError(
        'corrupted',
        'the stored value is damaged or was altered (authentication failed)',
      );
    }
  }
}
