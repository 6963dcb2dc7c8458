// Refusals at connect time, against the real MariaDB: each must say what is wrong and what to do.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectOpenCart, loadOpenCartDump } from '../../src/store';
import {
  createEmptyScratch,
  databaseUrl,
  dropScratch,
  scratchName,
  serverHostPort,
  serverUrl,
  sqlIn,
} from './opencart-fixtures';

describe('connecting to something that is not a usable OpenCart store', () => {
  const notOpenCart = scratchName('not_oc');
  const halfOpenCart = scratchName('half_oc');
  const loaded = scratchName('tiny_dump');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ocx-store-'));

  beforeAll(async () => {
    await createEmptyScratch(notOpenCart, ['CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(50))']);
    await createEmptyScratch(halfOpenCart, [
      'CREATE TABLE oc_order (order_id INT PRIMARY KEY, payment_method VARCHAR(128), payment_code VARCHAR(128))',
      'CREATE TABLE oc_order_total (order_total_id INT PRIMARY KEY)',
      'CREATE TABLE oc_product (product_id INT PRIMARY KEY)',
    ]);
  });

  afterAll(async () => {
    for (const db of [notOpenCart, halfOpenCart, loaded]) await dropScratch(db);
    rmSync(tmp, { recursive: true, force: true });
  });

  test('a refused connection names host:port and never the password', async () => {
    const err = await connectOpenCart({
      url: 'mysql://shop:S3cret-Pw@127.0.0.1:1/opencart',
      prefix: 'oc_',
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      kind: 'transient',
      message:
        'cannot connect to MySQL at 127.0.0.1:1: connection refused. Is the database server running, and are host and port in the database URL right?',
    });
    expect(String((err as Error).message)).not.toContain('S3cret');
  });

  test('a database that does not exist', async () => {
    const missing = scratchName('never_created');
    await expect(connectOpenCart({ url: databaseUrl(missing), prefix: 'oc_' })).rejects.toMatchObject({
      kind: 'config',
      message: `database \`${missing}\` does not exist on MySQL at ${serverHostPort()}: check the database name in the URL.`,
    });
  });

  test('a URL without a database, or not a mysql URL', async () => {
    await expect(connectOpenCart({ url: 'mysql://root@127.0.0.1:3306', prefix: 'oc_' })).rejects.toThrow(
      'the OpenCart database URL for 127.0.0.1:3306 names no database: put it in the path, e.g. mysql://user:password@127.0.0.1:3306/opencart',
    );
    await expect(connectOpenCart({ url: 'postgres://x@h/db', prefix: 'oc_' })).rejects.toThrow(
      'OpenCart database URL must start with mysql:// (got postgres://)',
    );
  });

  test('a database that is not OpenCart', async () => {
    await expect(connectOpenCart({ url: databaseUrl(notOpenCart), prefix: 'oc_' })).rejects.toMatchObject({
      kind: 'config',
      message: `database \`${notOpenCart}\` is not an OpenCart database: no table \`oc_order\`, and no OpenCart tables (order + order_total) under any prefix (1 tables found). Check the database name in the URL.`,
    });
  });

  test('an OpenCart-looking database that lacks tables we need names them', async () => {
    const err = (await connectOpenCart({ url: databaseUrl(halfOpenCart), prefix: 'oc_' }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(err.message).toMatch(
      new RegExp(
        `^database \`${halfOpenCart}\` looks like OpenCart 3.x with prefix \`oc_\` but lacks \`oc_order_product\`, \`oc_order_option\`, `,
      ),
    );
    expect(err.message).toContain('`oc_setting`');
    expect(err.message).toMatch(/is it a complete OpenCart database\?$/);
  });

  test('a prefix with characters OpenCart never uses is refused before any SQL is built from it', async () => {
    await expect(
      connectOpenCart({ url: databaseUrl(halfOpenCart), prefix: 'oc`; DROP TABLE x; --' }),
    ).rejects.toThrow(
      "table prefix `oc`; DROP TABLE x; --` is not valid: OpenCart's DB_PREFIX holds only letters, digits and underscores (e.g. oc_)",
    );
  });

  test('loadOpenCartDump renames the prefix, and refuses to overwrite an existing database unless told to', async () => {
    const file = path.join(tmp, 'tiny.sql');
    writeFileSync(
      file,
      "CREATE TABLE oc_thing (id INT PRIMARY KEY, name VARCHAR(20));\nINSERT INTO oc_thing VALUES (1, 'Smith &amp; Sons');\n",
    );
    const first = await loadOpenCartDump({ serverUrl, database: loaded, file, prefix: 'shop9_' });
    expect(first).toMatchObject({ database: loaded, prefix: 'shop9_', tables: 1 });
    expect(await sqlIn(loaded, 'SELECT name FROM shop9_thing')).toEqual([{ name: 'Smith &amp; Sons' }]);
    await expect(loadOpenCartDump({ serverUrl, database: loaded, file })).rejects.toThrow(
      `database \`${loaded}\` already exists on ${serverHostPort()}: drop it first or pass replace: true`,
    );
    const again = await loadOpenCartDump({
      serverUrl,
      database: loaded,
      file,
      replace: true,
      client: 'driver',
    });
    expect(again).toMatchObject({ prefix: 'oc_', tables: 1, client: 'driver' });
    await expect(
      loadOpenCartDump({ serverUrl, database: scratchName('nofile'), file: path.join(tmp, 'absent.sql') }),
    ).rejects.toThrow(/OpenCart dump .*absent\.sql does not exist \(set OPENCART_FIXTURES_DIR/);
  });
});
