import { SecretCipher, SecretDecryptError } from './secret.cipher';

/**
 * Which keys of the settings document hold secrets: the extension's `clientSecret` and
 * `cronToken`, and by convention any key ending in Secret, Token or Password (plus Xero's
 * `webhookKey`, which signs webhook bodies), at any depth.
 */
export function isSecretSettingKey(key: string): boolean {
  return (
    key === 'webhookKey' || /(Secret|Token|Password)$/.test(key) || /^(secret|token|password)$/i.test(key)
  );
}

export class SettingsSecretError extends Error {
  constructor(
    readonly path: string,
    readonly reason: SecretDecryptError['reason'],
    message: string,
  ) {
    super(message);
    this.name = 'SettingsSecretError';
  }
}

type Json = unknown;

function walk(
  value: Json,
  path: string,
  onSecret: (text: string, path: string) => string,
  secret: boolean,
): Json {
  if (secret && typeof value === 'string') {
    return value === '' ? value : onSecret(value, path);
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => walk(item, `${path}[${index}]`, onSecret, secret));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [key, child] of Object.entries(value as Record<string, Json>)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      out[key] = walk(child, childPath, onSecret, secret || isSecretSettingKey(key));
    }
    return out;
  }
  return value;
}

/** A copy of the document with every secret string encrypted (bound to scope and key path). */
export function encryptSettingsSecrets(
  cipher: SecretCipher,
  scope: string,
  settings: Record<string, unknown>,
): Record<string, unknown> {
  return walk(
    settings,
    '',
    (text, path) => cipher.encrypt(text, settingsContext(scope, path)),
    false,
  ) as Record<string, unknown>;
}

/** A copy of the stored document with secrets decrypted; a wrong key is a clear error, never garbage. */
export function decryptSettingsSecrets(
  cipher: SecretCipher,
  scope: string,
  stored: Record<string, unknown>,
): Record<string, unknown> {
  return walk(
    stored,
    '',
    (text, path) => {
      try {
        return cipher.decrypt(text, settingsContext(scope, path));
      } catch (error) {
        if (error instanceof SecretDecryptError) {
          throw new SettingsSecretError(
            path,
            error.reason,
            `cannot decrypt the stored setting '${path}': ${error.message}`,
          );
        }
        throw error;
      }
    },
    false,
  ) as Record<string, unknown>;
}

function settingsContext(scope: string, path: string): string {
  return `settings:${scope}:${path}`;
}
