import { randomBytes } from 'node:crypto';
import { createApp } from '../src/bootstrap';
import { StartupError } from '../src/common/startup-error';
import { ConfigError } from '../src/config/app-config';
import { dbUrl, dropDatabases, scratchName } from './support/scratch-db';

/** Start-up refuses a wrong environment with a message that names the variable and the fix. */
describe('start-up', () => {
  const env = () => ({
    CONNECTOR_DB_URL: dbUrl(scratchName('boot')),
    OPENCART_DB_URL: 'mysql://root@127.0.0.1:3306/ocx_t_api_unused',
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
  });
  const created: string[] = [];
  afterAll(() => dropDatabases(created));

  it('a bad encryption key stops it before anything is opened', async () => {
    const e = env();
    const err = await createApp({ ...e, ENCRYPTION_KEY: 'too-short' }, { quiet: true }).then(
      () => null,
      (x: unknown) => x,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('ENCRYPTION_KEY must be 32 bytes given as 64 hex characters or base64');
    expect((err as Error).message).toContain('openssl rand -base64 32');
    expect((err as Error).message).not.toContain('too-short');
  });

  it('a missing encryption key says it is required', async () => {
    const { ENCRYPTION_KEY: _drop, ...rest } = env();
    await expect(createApp(rest, { quiet: true })).rejects.toThrow(/ENCRYPTION_KEY is required/);
  });

  it('a connector database nobody answers at stops it, naming CONNECTOR_DB_URL, without the password', async () => {
    const err = await createApp({ ...env(), CONNECTOR_DB_URL: 'mysql://root:hunter2@127.0.0.1:1/oc_xero_connector' }, { quiet: true }).then(
      () => null,
      (x: unknown) => x,
    );
    expect(err).toBeInstanceOf(StartupError);
    expect((err as Error).message).toMatch(/^CONNECTOR_DB_URL: cannot open the connector database mysql:\/\/root:\*\*\*@127\.0\.0\.1:1\/oc_xero_connector: nothing answers at that host and port/);
    expect((err as Error).message).not.toContain('hunter2');
  });

  it('a refused user stops it with the reason', async () => {
    await expect(createApp({ ...env(), CONNECTOR_DB_URL: 'mysql://no_such_user_x:pw@127.0.0.1:3306/ocx_t_api_never' }, { quiet: true })).rejects.toThrow(
      /CONNECTOR_DB_URL: .*the user or password is refused/,
    );
  });

  it('a wrong OpenCart database stops it, naming OPENCART_DB_URL (real adapters)', async () => {
    const e = env();
    created.push(new URL(e.CONNECTOR_DB_URL).pathname.slice(1));
    await expect(createApp({ ...e, OPENCART_DB_URL: 'mysql://root@127.0.0.1:3306/ocx_t_api_no_such_store' }, { quiet: true })).rejects.toThrow(/^OPENCART_DB_URL \/ OPENCART_DB_PREFIX: the OpenCart database cannot be used: /);
  }, 30_000);
});
