import { randomBytes } from 'node:crypto';
import { ConfigError, decodeEncryptionKey, loadConfig, SANDBOX_DEV_ENCRYPTION_KEY } from './app-config';

const KEY_HEX = randomBytes(32).toString('hex');
const base = { OPENCART_DB_URL: 'mysql://oc:pw@db:3306/opencart', ENCRYPTION_KEY: KEY_HEX };

const problemsOf = (env: Record<string, string | undefined>): string[] => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(base);
    // The connector's tables live on the store's own server unless told otherwise.
    expect(c.connectorDb).toMatchObject({ url: 'mysql://oc:pw@db:3306/oc_xero_connector', host: 'db', port: 3306, user: 'oc', password: 'pw', database: 'oc_xero_connector' });
    expect(c.logLevel).toBe('info');
    expect(c.devEncryptionKey).toBe(false);
    expect(c.opencartDb).toMatchObject({ host: 'db', user: 'oc', password: 'pw', database: 'opencart', prefix: 'oc_' });
    expect(c.port).toBe(3000);
    expect(c.publicBaseUrl).toBe('http://localhost:3000');
    expect(c.xero).toMatchObject({ loginUrl: 'https://login.xero.com', identityUrl: 'https://identity.xero.com', apiUrl: 'https://api.xero.com', sandbox: false });
    expect(c.encryptionKey.equals(Buffer.from(KEY_HEX, 'hex'))).toBe(true);
  });

  it('XERO_SANDBOX_URL points all three Xero hosts at the sandbox', () => {
    const c = loadConfig({ ...base, XERO_SANDBOX_URL: 'http://127.0.0.1:4010/', XERO_API_URL: 'https://api.xero.com' });
    expect(c.xero).toMatchObject({ loginUrl: 'http://127.0.0.1:4010', identityUrl: 'http://127.0.0.1:4010', apiUrl: 'http://127.0.0.1:4010', sandbox: true });
  });

  it('uses the public development key only when XERO_SANDBOX_URL is set', () => {
    const c = loadConfig({ OPENCART_DB_URL: 'mysql://root@127.0.0.1/shop', XERO_SANDBOX_URL: 'http://127.0.0.1:4010/' });
    expect(c.xero).toMatchObject({ sandbox: true, loginUrl: 'http://127.0.0.1:4010', apiUrl: 'http://127.0.0.1:4010' });
    expect(c.devEncryptionKey).toBe(true);
    expect(c.encryptionKey.toString('hex')).toBe(SANDBOX_DEV_ENCRYPTION_KEY);
  });

  it('the command line keeps stderr quiet by default (warn); LOG_LEVEL wins for both', () => {
    expect(loadConfig(base, { defaultLogLevel: 'warn' }).logLevel).toBe('warn');
    expect(loadConfig({ ...base, LOG_LEVEL: 'debug' }, { defaultLogLevel: 'warn' }).logLevel).toBe('debug');
  });

  it('treats empty variables as unset', () => {
    const c = loadConfig({ ...base, CONNECTOR_DB_URL: '', XERO_SANDBOX_URL: '', CONNECTOR_SCOPE: '', LOG_LEVEL: '' });
    expect(c.connectorDb.url).toBe('mysql://oc:pw@db:3306/oc_xero_connector');
    expect(c.xero.sandbox).toBe(false);
    expect(c.scope).toBe('default');
  });

  it('accepts a base64 key and an empty prefix', () => {
    const c = loadConfig({ ...base, ENCRYPTION_KEY: randomBytes(32).toString('base64'), OPENCART_DB_PREFIX: '' });
    expect(c.encryptionKey).toHaveLength(32);
    expect(c.opencartDb.prefix).toBe(''); // an empty DB_PREFIX is a real store's choice
  });

  it.each([
    [{ ENCRYPTION_KEY: undefined }, /^ENCRYPTION_KEY is required.*openssl rand -base64 32/],
    [{ ENCRYPTION_KEY: 'short' }, /^ENCRYPTION_KEY must be 32 bytes.*openssl rand -base64 32/],
    [{ ENCRYPTION_KEY: randomBytes(16).toString('hex') }, /^ENCRYPTION_KEY must be 32 bytes/],
    [{ OPENCART_DB_URL: undefined }, /^OPENCART_DB_URL is required/],
    [{ OPENCART_DB_URL: 'postgres://x@y/z' }, /^OPENCART_DB_URL must be a MySQL\/MariaDB URL/],
    [{ CONNECTOR_DB_URL: 'mysql://root@127.0.0.1:3306' }, /^CONNECTOR_DB_URL must be a MySQL\/MariaDB URL.*\/database/],
    [{ PORT: 'eighty' }, /^PORT must be a whole number/],
    [{ PORT: '70000' }, /^PORT must be a whole number/],
    [{ PUBLIC_BASE_URL: 'connector.example.com' }, /^PUBLIC_BASE_URL must be an http\(s\) URL/],
    [{ XERO_SANDBOX_URL: 'ftp://x' }, /^XERO_SANDBOX_URL must be an http\(s\) URL/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
    [{ OPENCART_DB_PREFIX: 'oc-;drop' }, /^OPENCART_DB_PREFIX must be the DB_PREFIX/],
  ])('refuses %o with a message naming the variable and the fix', (override, message) => {
    const problems = problemsOf({ ...base, ...override });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('lists every problem at once, and never echoes a secret value', () => {
    try {
      loadConfig({ OPENCART_DB_URL: 'nope', ENCRYPTION_KEY: 'sekrit-value', PORT: '-1' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const err = e as ConfigError;
      expect(err.problems.map((p) => p.split(' ')[0]).sort()).toEqual(['ENCRYPTION_KEY', 'OPENCART_DB_URL', 'PORT']);
      expect(err.message).not.toContain('sekrit-value');
      expect(err.message).toMatch(/^Invalid configuration, the service cannot start:/);
    }
  });

  it('decodes hex and base64 keys of exactly 32 bytes only', () => {
    expect(decodeEncryptionKey('00'.repeat(32))).toHaveLength(32);
    expect(decodeEncryptionKey(Buffer.alloc(32, 7).toString('base64url'))).toHaveLength(32);
    expect(decodeEncryptionKey(Buffer.alloc(31).toString('base64'))).toBeNull();
    expect(decodeEncryptionKey('zz'.repeat(32))).toBeNull();
  });
});
