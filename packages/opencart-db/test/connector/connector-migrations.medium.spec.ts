import { DataSource } from 'typeorm';
import {
  CONNECTOR_MIGRATIONS_TABLE,
  CONNECTOR_TABLES,
  createConnectorDataSource,
  openConnectorStore,
  runConnectorMigrations,
} from '../../src/connector';
import { SyncError } from '@oc-xero/sync-core';
import {
  databaseUrl,
  dropDatabase,
  scratchDatabaseName,
  serverConnection,
  tableNames,
} from './connector-test-db';

const ours = [...CONNECTOR_TABLES].sort();

describe('connector database migrations (real MariaDB)', () => {
  const database = scratchDatabaseName('mig');
  let dataSource: DataSource | undefined;

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await dropDatabase(database);
  });

  it('creates the missing database and applies the initial migration', async () => {
    const messages: string[] = [];
    dataSource = await createConnectorDataSource({
      url: databaseUrl(database),
      logger: { info: (m) => messages.push(m), warn: (m) => messages.push(m) },
    });
    expect(await tableNames(database)).toEqual([...ours, CONNECTOR_MIGRATIONS_TABLE].sort());
    expect(messages).toEqual([
      `created the connector database ${database}`,
      'applied connector migration InitialConnectorSchema1763900000000',
    ]);

    const connection = await serverConnection();
    try {
      const [tables] = await connection.query(
        'SELECT TABLE_NAME AS name, ENGINE AS engine, TABLE_COLLATION AS collation FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?)',
        [database, ours],
      );
      for (const table of tables as Array<{ name: string; engine: string; collation: string }>) {
        expect({ table: table.name, engine: table.engine, charset: table.collation.split('_')[0] }).toEqual({
          table: table.name,
          engine: 'InnoDB',
          charset: 'utf8mb4',
        });
      }
      const [indexes] = await connection.query(
        "SELECT TABLE_NAME AS t, INDEX_NAME AS i, NON_UNIQUE AS nu, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN ('ledger', 'sync_log') GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE",
        [database],
      );
      const byName = new Map(
        (indexes as Array<{ i: string; nu: number; cols: string }>).map((row) => [row.i, row]),
      );
      expect(byName.get('uq_ledger_entity')).toMatchObject({ nu: 0, cols: 'scope,entity_type,entity_key' });
      expect(byName.get('ix_ledger_status')?.cols).toBe('scope,status,entity_type,id');
      expect(byName.get('ix_sync_log_run')?.cols.startsWith('run_id')).toBe(true);
      expect(byName.get('ix_sync_log_entity')?.cols.startsWith('entity_type,entity_id')).toBe(true);
      expect(byName.get('ix_sync_log_level')?.cols.startsWith('level')).toBe(true);
      expect(byName.get('ix_sync_log_status')?.cols.startsWith('status')).toBe(true);
      expect(byName.get('ix_sync_log_created')?.cols).toBe('created_at');
    } finally {
      await connection.end();
    }
  });

  it('has entities that match the migrated schema (nothing for synchronize to change)', async () => {
    const pending = await dataSource!.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('runs down to no tables of ours, and up again', async () => {
    await dataSource!.undoLastMigration({ transaction: 'each' });
    expect(await tableNames(database)).toEqual([CONNECTOR_MIGRATIONS_TABLE]);
    const applied = await runConnectorMigrations(dataSource!);
    expect(applied).toEqual(['InitialConnectorSchema1763900000000']);
    expect(await tableNames(database)).toEqual([...ours, CONNECTOR_MIGRATIONS_TABLE].sort());
    // Starting against an up-to-date database applies nothing.
    expect(await runConnectorMigrations(dataSource!)).toEqual([]);
  });

  it('lets two processes start on a fresh database at once: one migrates, both work', async () => {
    const fresh = scratchDatabaseName('race');
    const key = Buffer.alloc(32, 7);
    try {
      const [a, b] = await Promise.all([
        openConnectorStore({ url: databaseUrl(fresh), encryptionKey: key }),
        openConnectorStore({ url: databaseUrl(fresh), encryptionKey: key }),
      ]);
      try {
        const [rows] = (await a.dataSource.query(
          `SELECT COUNT(*) AS n FROM ${CONNECTOR_MIGRATIONS_TABLE}`,
        )) as unknown as [{ n: string }];
        expect(Number(rows.n)).toBe(1);
        await a.store.setCheckpoint('s', 'c', '1');
        expect(await b.store.getCheckpoint('s', 'c')).toBe('1');
      } finally {
        await a.close();
        await b.close();
      }
    } finally {
      await dropDatabase(fresh);
    }
  });
});

describe('connector database configuration errors', () => {
  const expectSyncError = async (promise: Promise<unknown>, kind: SyncError['kind'], message: RegExp) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).kind).toBe(kind);
    expect((error as SyncError).message).toMatch(message);
    return error as SyncError;
  };

  it('says clearly when the server refuses the connection, without the password', async () => {
    const error = await expectSyncError(
      createConnectorDataSource({ url: 'mysql://root:hunter2secret@127.0.0.1:1/ocx_t_conn_never' }),
      'transient',
      /127\.0\.0\.1:1: connection refused/,
    );
    expect(error.message).not.toContain('hunter2secret');
  });

  it('says clearly when the user is refused', async () => {
    const error = await expectSyncError(
      createConnectorDataSource({
        url: 'mysql://ocx_no_such_user:pw-should-not-show@127.0.0.1:3306/ocx_t_conn_never',
      }),
      'config',
      /refused user "ocx_no_such_user"/,
    );
    expect(error.message).not.toContain('pw-should-not-show');
  });

  it('refuses a bad encryption key before touching the database', async () => {
    await expectSyncError(
      openConnectorStore({ url: 'mysql://root@127.0.0.1:1/ocx_t_conn_never', encryptionKey: 'abc' }),
      'config',
      /encryption key/,
    );
  });
});
