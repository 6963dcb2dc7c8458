import { CliConfigError, loadCliConfig, SANDBOX_DEV_ENCRYPTION_KEY } from './cli-env.config';

const KEY = 'a'.repeat(64);
const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadCliConfig(env);
  } catch (e) {
    if (e instanceof CliConfigError) return e.problems;
    throw e;
  }
  return [];
};

describe('loadCliConfig', () => {
  it('reads a full environment, defaulting the prefix, scope and connector database', () => {
    const c = loadCliConfig({
      OPENCART_DB_URL: 'mysql://shop:pw@db.example:3307/shop',
      ENCRYPTION_KEY: KEY,
      XERO_CLIENT_ID: 'id',
      XERO_CLIENT_SECRET: 'secret',
    });
    expect(c.opencartDbPrefix).toBe('oc_');
    expect(c.scope).toBe('default');
    expect(c.connectorDbUrl).toBe('mysql://shop:pw@db.example:3307/oc_xero_connector');
    expect(c.encryptionKey.toString('hex')).toBe(KEY);
    expect(c.devEncryptionKey).toBe(false);
    expect(c.xero).toEqual({
      mode: 'xero',
      clientId: 'id',
      clientSecret: 'secret',
      loginUrl: undefined,
      identityUrl: undefined,
      apiUrl: undefined,
      publicBaseUrl: 'http://localhost:3000',
    });
  });

  it('uses the sandbox with its default app and the public development key only when XERO_SANDBOX_URL is set', () => {
    const c = loadCliConfig({
      OPENCART_DB_URL: 'mysql://root@127.0.0.1/shop',
      XERO_SANDBOX_URL: 'http://127.0.0.1:4010/',
      OPENCART_DB_PREFIX: '',
    });
    expect(c.xero).toEqual({
      mode: 'sandbox',
      url: 'http://127.0.0.1:4010',
      clientId: 'sandbox-client-id',
      clientSecret: 'sandbox-client-secret',
    });
    expect(c.devEncryptionKey).toBe(true);
    expect(c.encryptionKey.toString('hex')).toBe(SANDBOX_DEV_ENCRYPTION_KEY);
    expect(c.opencartDbPrefix).toBe('');
  });

  it('lists every problem, each naming its variable, and never echoes a value', () => {
    const problems = problemsOf({
      OPENCART_DB_URL: 'postgres://u:topsecret@h/db',
      OPENCART_DB_PREFIX: 'oc-;',
      CONNECTOR_DB_URL: 'mysql://h',
      ENCRYPTION_KEY: 'short-key-value',
      CONNECTOR_SCOPE: 'a b',
      LOG_LEVEL: 'loud',
      XERO_API_URL: 'ftp://x',
    });
    expect(problems.map((p) => p.split(/[ :]/)[0])).toEqual([
      'OPENCART_DB_URL',
      'OPENCART_DB_PREFIX',
      'CONNECTOR_DB_URL',
      'ENCRYPTION_KEY',
      'CONNECTOR_SCOPE',
      'LOG_LEVEL',
      'XERO_API_URL',
    ]);
    expect(problems.join('\n')).not.toMatch(/topsecret|short-key-value/);
  });

  it('asks for the store URL and the key when nothing is set, and for a database in the URL', () => {
    expect(problemsOf({})).toEqual([
      expect.stringMatching(/^OPENCART_DB_URL is required/),
      expect.stringMatching(/^ENCRYPTION_KEY is required.*openssl rand/),
    ]);
    expect(problemsOf({ OPENCART_DB_URL: 'mysql://root@127.0.0.1:3306', ENCRYPTION_KEY: KEY })).toEqual([
      expect.stringMatching(/names no database/),
    ]);
  });

  it('treats empty variables as unset', () => {
    const c = loadCliConfig({
      OPENCART_DB_URL: 'mysql://root@h/shop',
      ENCRYPTION_KEY: KEY,
      CONNECTOR_DB_URL: '',
      XERO_SANDBOX_URL: '',
      CONNECTOR_SCOPE: '',
    });
    expect(c.connectorDbUrl).toBe('mysql://root@h/oc_xero_connector');
    expect(c.xero.mode).toBe('xero');
    expect(c.scope).toBe('default');
  });
});
