import { randomBytes } from 'node:crypto';
import { SecretCipher } from './secret.cipher';
import {
  decryptSettingsSecrets,
  encryptSettingsSecrets,
  isSecretSettingKey,
  SettingsSecretError,
} from './settings-secret.codec';

describe('settings secrets', () => {
  const cipher = new SecretCipher(randomBytes(32));

  it('knows which keys are secret', () => {
    for (const key of ['clientSecret', 'cronToken', 'webhookKey', 'smtpPassword', 'apiToken'])
      expect(isSecretSettingKey(key)).toBe(true);
    for (const key of ['clientId', 'salesAccountCode', 'tokenExpiry', 'secretive'])
      expect(isSecretSettingKey(key)).toBe(false);
  });

  it('encrypts secret strings at any depth and leaves everything else as it was', () => {
    const settings = {
      clientId: 'ABC',
      clientSecret: 'shh-1',
      cronToken: 'cron-2',
      salesAccountCode: '200',
      emptySecret: '',
      nested: { apiToken: 'tok-3', list: [{ webhookKey: 'hook-4' }], count: 3 },
      flags: [true, false],
    };
    const stored = encryptSettingsSecrets(cipher, 'store-1', settings);
    const text = JSON.stringify(stored);
    for (const secret of ['shh-1', 'cron-2', 'tok-3', 'hook-4']) expect(text).not.toContain(secret);
    expect(stored.clientId).toBe('ABC');
    expect(stored.salesAccountCode).toBe('200');
    expect(stored.emptySecret).toBe('');
    expect(SecretCipher.isEncrypted(stored.clientSecret as string)).toBe(true);
    expect(decryptSettingsSecrets(cipher, 'store-1', stored)).toEqual(settings);
  });

  it('names the setting it cannot decrypt with another key', () => {
    const stored = encryptSettingsSecrets(cipher, 'store-1', { clientSecret: 'shh' });
    const other = new SecretCipher(randomBytes(32));
    expect(() => decryptSettingsSecrets(other, 'store-1', stored)).toThrow(SettingsSecretError);
    expect(() => decryptSettingsSecrets(other, 'store-1', stored)).toThrow(
      "cannot decrypt the stored setting 'clientSecret': the encryption key differs from the one it was saved with",
    );
  });
});
