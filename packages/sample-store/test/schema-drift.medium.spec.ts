import path from 'path';
import { buildSampleStore } from '../src';
import { tableNames } from '../src/schema/opencart.schema';
import { openCartFixturesDir } from './helpers/fixtures.helper';
import { connect, dropDatabase, loadDump, query, scratchDatabase, serverUrl } from './helpers/mysql.helper';

interface ColumnRow {
  tableName: string;
  columnName: string;
  columnType: string;
  isNullable: string;
}

async function columnsOf(database: string, prefix: string): Promise<Map<string, Map<string, ColumnRow>>> {
  const connection = await connect();
  try {
    const rows = await query<ColumnRow>(
      connection,
      `SELECT TABLE_NAME AS tableName, COLUMN_NAME AS columnName, COLUMN_TYPE AS columnType, IS_NULLABLE AS isNullable
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
      [database],
    );
    const tables = new Map<string, Map<string, ColumnRow>>();
    for (const row of rows) {
      if (!row.tableName.startsWith(prefix)) continue;
      const base = row.tableName.slice(prefix.length);
      if (!tables.has(base)) tables.set(base, new Map());
      tables.get(base)!.set(row.columnName, row);
    }
    return tables;
  } finally {
    await connection.end();
  }
}

const fixturesDir = openCartFixturesDir();
const describeWithFixtures = fixturesDir ? describe : describe.skip;

describeWithFixtures.each(['3', '4'] as const)("the builder's %s.x schema matches OpenCart's", (version) => {
  const realDb = scratchDatabase(`real${version}`);
  const builtDb = scratchDatabase(`drift${version}`);
  let real: Map<string, Map<string, ColumnRow>>;
  let built: Map<string, Map<string, ColumnRow>>;

  beforeAll(async () => {
    await loadDump(realDb, path.join(fixturesDir!, `opencart-${version}.sql`));
    // A non-default prefix on our side: the comparison is by table name without prefix.
    await buildSampleStore({ serverUrl, database: builtDb, version, prefix: 'drift_', orders: 0 });
    real = await columnsOf(realDb, 'oc_');
    built = await columnsOf(builtDb, 'drift_');
  }, 60_000);

  afterAll(async () => {
    await dropDatabase(realDb);
    await dropDatabase(builtDb);
  });

  it('creates every table it declares', () => {
    expect([...built.keys()].sort()).toEqual([...tableNames(version)].sort());
  });

  it('has, for every table it creates, the same column names, types and nullability as the real dump', () => {
    const differences: string[] = [];
    for (const [table, ours] of built) {
      const theirs = real.get(table);
      if (!theirs) {
        differences.push(`${table}: not in the real ${version}.x dump`);
        continue;
      }
      for (const [name, col] of theirs) {
        const mine = ours.get(name);
        if (!mine) differences.push(`${table}.${name}: missing (OpenCart has ${col.columnType})`);
        else if (mine.columnType !== col.columnType) differences.push(`${table}.${name}: ${mine.columnType}, OpenCart has ${col.columnType}`);
        else if (mine.isNullable !== col.isNullable) differences.push(`${table}.${name}: nullable=${mine.isNullable}, OpenCart has ${col.isNullable}`);
      }
      for (const name of ours.keys()) if (!theirs.has(name)) differences.push(`${table}.${name}: not a column of OpenCart's ${table}`);
    }
    expect(differences).toEqual([]);
  });
});
