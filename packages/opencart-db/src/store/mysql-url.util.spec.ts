import { connectError, parseMysqlUrl } from './mysql-url.util';

describe('parseMysqlUrl', () => {
  test('reads host, port, credentials (URL-decoded) and the database from the path', () => {
    expect(parseMysqlUrl('mysql://shop%40x:p%3Ass@db.example.com:3307/open%5Fcart')).toEqual({
      host: 'db.example.com',
      port: 3307,
      user: 'shop@x',
      password: 'p:ss',
      database: 'open_cart',
    });
    expect(parseMysqlUrl('mysql://root@127.0.0.1')).toMatchObject({ port: 3306, password: '', database: '' });
  });

  test('refuses what is not a mysql URL', () => {
    expect(() => parseMysqlUrl('not a url')).toThrow(
      'OpenCart database URL is not a URL; expected mysql://user:password@host:3306/database',
    );
    expect(() => parseMysqlUrl('http://x/y')).toThrow(
      'OpenCart database URL must start with mysql:// (got http://)',
    );
  });
});

describe('connectError', () => {
  const parts = parseMysqlUrl('mysql://shop:TopSecret@db.local:3306/store');

  test.each([
    ['ECONNREFUSED', 'transient', 'cannot connect to MySQL at db.local:3306: connection refused.'],
    ['ETIMEDOUT', 'transient', 'cannot connect to MySQL at db.local:3306: timed out.'],
    ['ENOTFOUND', 'config', 'host `db.local` not found'],
    [
      'ER_ACCESS_DENIED_ERROR',
      'config',
      'MySQL at db.local:3306 refused user `shop`: check the user and password',
    ],
    ['ER_BAD_DB_ERROR', 'config', 'database `store` does not exist on MySQL at db.local:3306'],
  ])('%s → %s, with a message to act on and no password', (code, kind, text) => {
    const e = connectError({ code, message: 'driver says' }, parts);
    expect(e.kind).toBe(kind);
    expect(e.message).toContain(text);
    expect(e.message).not.toContain('TopSecret');
  });
});
