import { SyncError } from '@oc-xero/sync-core';
import { connectorDatabaseUrlFromStoreUrl, parseConnectorDatabaseUrl } from './connector-data-source.factory';

describe('connector database URL', () => {
  it('defaults the database name and decodes credentials', () => {
    expect(parseConnectorDatabaseUrl('mysql://u:p%40ss@db.example:3307')).toEqual({
      host: 'db.example',
      port: 3307,
      user: 'u',
      password: 'p@ss',
      database: 'oc_xero_connector',
    });
    expect(parseConnectorDatabaseUrl('mariadb://root@127.0.0.1/conn_1')).toMatchObject({
      port: 3306,
      database: 'conn_1',
    });
  });

  it('refuses unsafe database names and other schemes, without echoing the password', () => {
    expect(() => parseConnectorDatabaseUrl('mysql://root@127.0.0.1/bad-name;drop')).toThrow(/is not allowed/);
    expect(() => parseConnectorDatabaseUrl('postgres://root@127.0.0.1/x')).toThrow(
      /must start with mysql:\/\//,
    );
    let error: unknown;
    try {
      parseConnectorDatabaseUrl('not a url with s3cret-pw');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).kind).toBe('config');
    expect((error as SyncError).message).not.toContain('s3cret-pw');
  });

  it('puts the connector next to the store by default: same server and credentials, own database', () => {
    expect(connectorDatabaseUrlFromStoreUrl('mysql://shop:pw@db.example:3307/opencart?charset=utf8')).toBe(
      'mysql://shop:pw@db.example:3307/oc_xero_connector',
    );
    expect(connectorDatabaseUrlFromStoreUrl('mysql://shop:pw@db.example/opencart', 'xero_conn')).toBe(
      'mysql://shop:pw@db.example/xero_conn',
    );
  });
});
