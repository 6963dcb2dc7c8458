// The order sync on a REAL OpenCart database (../shared/opencart, 3.0.5.0 and 4.1.0.3 dumps) whose
// store runs in another time zone than the connector. Store writes are made the way OpenCart makes
// them: a session whose time_zone is the store zone's current offset (`SET time_zone = date('P')`)
// and date_modified = NOW(); `SET timestamp` pins that session's NOW() to the instant under test.
// The connector's clock is pinned too (FixedClock), so host clock skew is stated, not hoped for.
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { statusIdsByNames, SyncOrdersUseCase, type SyncOrdersResult } from '@oc-xero/sync-core';
import {
  createFakeXero,
  FakeConnectorStore,
  FixedClock,
  MemoryLogger,
  SCOPE,
  testSettings,
  type FakeXeroPort,
} from '@oc-xero/sync-core/testing';
import { connectOpenCart, loadOpenCartDump, type OpenCartConnection } from '../../src/store';
import {
  databaseUrl,
  dropScratch,
  fixturesDir,
  fixturesPresent,
  scratchName,
  serverUrl,
  sqlIn,
} from '../store/opencart-fixtures';

// Each test loads a real dump and runs several syncs: seconds each, more on a busy machine.
jest.setTimeout(180_000);

const suite = fixturesPresent() ? describe : describe.skip;
const PENDING = 1;
const PROCESSING = 2;

interface World {
  database: string;
  oc: OpenCartConnection;
  xero: FakeXeroPort;
  store: FakeConnectorStore;
  /** Orders held back (Pending, not listed) until a test "edits" them into Processing. */
  held: number[];
  /** Orders the first sync exports. */
  exportable: number;
}

/** One store database, its time zone set in OpenCart's setting table, a few orders held back. */
async function world(version: '3' | '4', timeZone: string, tag: string): Promise<World> {
  const database = scratchName(`clock_${version}_${tag}`);
  await loadOpenCartDump({ serverUrl, database, file: path.join(fixturesDir, `opencart-${version}.sql`), prefix: 'oc_' });
  await sqlIn(database, "UPDATE oc_setting SET value = ? WHERE store_id = 0 AND `key` = 'config_timezone'", [timeZone]);
  const exportIds = await sqlIn<Array<{ order_id: number }>>(
    database,
    'SELECT order_id FROM oc_order WHERE order_status_id IN (2, 3, 5) ORDER BY order_id',
  );
  const held = exportIds.slice(0, 4).map((r) => Number(r.order_id));
  await sqlIn(database, 'UPDATE oc_order SET order_status_id = ? WHERE order_id IN (?)', [PENDING, held]);
  const oc = await connectOpenCart({ url: databaseUrl(database), prefix: 'oc_' });
  return { database, oc, xero: createFakeXero(), store: new FakeConnectorStore(), held, exportable: exportIds.length - held.length };
}

/** An admin edit as OpenCart makes it: its session in the store zone's offset, NOW() at `at`. */
async function editAsOpenCart(w: World, orderId: number, offset: string, at: Date): Promise<string> {
  const u = new URL(databaseUrl(w.database));
  const conn = await createConnection({ host: u.hostname, port: Number(u.port || 3306), user: 'root', database: w.database, dateStrings: true });
  try {
    await conn.query('SET time_zone = ?', [offset]);
    await conn.query('SET timestamp = ?', [at.getTime() / 1000]);
    await conn.query('UPDATE oc_order SET order_status_id = ?, date_modified = NOW() WHERE order_id = ?', [PROCESSING, orderId]);
    const [rows] = await conn.query('SELECT date_modified FROM oc_order WHERE order_id = ?', [orderId]);
    return (rows as Array<{ date_modified: string }>)[0]!.date_modified;
  } finally {
    await conn.end();
  }
}

async function sync(w: World, clockAt: Date, runId: string, overlapSeconds?: number): Promise<SyncOrdersResult> {
  const uc = new SyncOrdersUseCase({
    reader: w.oc.reader,
    xero: w.xero,
    store: w.store,
    logger: new MemoryLogger(),
    clock: new FixedClock(clockAt),
    ...(overlapSeconds !== undefined ? { overlapSeconds } : {}),
  });
  const result = await uc.execute({ runId, scope: SCOPE, settings: testSettings() });
  expect(result.status).toBe('completed');
  expect(result.counts.failures).toEqual([]);
  return result;
}

const invoicesOf = (w: World, orderId: number): number => w.xero.snapshot().invoices.filter((i) => i.number === `OC-${orderId}`).length;
const plus = (d: Date, seconds: number): Date => new Date(d.getTime() + seconds * 1000);

/** None missed, none doubled: every exportable order and every released one has exactly one invoice. */
function expectExactlyOnce(w: World, released: number[]): void {
  const numbers = w.xero.snapshot().invoices.map((i) => i.number);
  expect(new Set(numbers).size).toBe(numbers.length);
  expect(numbers).toHaveLength(w.exportable + released.length);
  for (const id of released) expect(invoicesOf(w, id)).toBe(1);
}

suite.each(['4', '3'] as const)('store clock on a real OpenCart %s.x database', (version) => {
  const worlds: World[] = [];
  const open = async (timeZone: string, tag: string) => {
    const w = await world(version, timeZone, tag);
    worlds.push(w);
    return w;
  };
  afterAll(async () => {
    for (const w of worlds) {
      await w.oc.close();
      await dropScratch(w.database);
    }
  });

  it('reads the store time zone from config_timezone', async () => {
    const w = await open('Pacific/Auckland', 'tz');
    expect(await w.oc.reader.storeTimeZone()).toBe('Pacific/Auckland');
    const statuses = await w.oc.reader.listOrderStatuses();
    expect(statusIdsByNames(testSettings().exportStatuses, statuses)).toContain(PROCESSING);
  });

  it('Auckland (UTC+13): an edit made after a sync is seen by the next sync, not half a day later', async () => {
    const w = await open('Pacific/Auckland', 'akl');
    const t0 = new Date('2027-01-10T00:00:00Z');
    const first = await sync(w, t0, 'r1');
    expect(first.counts.invoicesCreated).toBe(w.exportable);
    const stamped = await editAsOpenCart(w, w.held[0]!, '+13:00', plus(t0, 60));
    expect(stamped).toBe('2027-01-10 13:01:00'); // local wall time, 13 hours "ahead" of UTC
    const second = await sync(w, plus(t0, 120), 'r2');
    expect(second.counts).toMatchObject({ ordersSeen: 1, invoicesCreated: 1 });
    await editAsOpenCart(w, w.held[1]!, '+13:00', plus(t0, 180));
    const third = await sync(w, plus(t0, 240), 'r3');
    expect(third.counts).toMatchObject({ ordersSeen: 1, invoicesCreated: 1 });
    expectExactlyOnce(w, w.held.slice(0, 2));
  });

  it('Los Angeles (UTC-8): the bound is the store clock one second back; an edit in the current second waits one run', async () => {
    const w = await open('America/Los_Angeles', 'lax');
    const t0 = new Date('2027-01-10T00:00:00Z');
    await sync(w, t0, 'r1');
    expect(await editAsOpenCart(w, w.held[0]!, '-08:00', plus(t0, 60))).toBe('2027-01-09 16:01:00');
    // Written in the very second the next run reads its clock: left wholly to the run after.
    await editAsOpenCart(w, w.held[1]!, '-08:00', plus(t0, 120));
    const second = await sync(w, plus(t0, 120.5), 'r2');
    expect(second.counts).toMatchObject({ ordersSeen: 1, invoicesCreated: 1 });
    expect(invoicesOf(w, w.held[0]!)).toBe(1);
    const checkpoint = JSON.parse((await w.store.getCheckpoint(SCOPE, 'orders'))!) as { dateModified: string };
    expect(checkpoint.dateModified <= '2027-01-09 16:01:59').toBe(true); // never past the store's own clock
    const third = await sync(w, plus(t0, 300), 'r3');
    expect(third.counts).toMatchObject({ ordersSeen: 1, invoicesCreated: 1 });
    expectExactlyOnce(w, w.held.slice(0, 2));
  });

  it('DST fall-back in Auckland: an edit in the repeated hour (earlier wall time than the checkpoint) is not skipped', async () => {
    const w = await open('Pacific/Auckland', 'dst');
    // 2027-04-04 03:00 NZDT (14:00Z) clocks go back to 02:00 NZST.
    await sync(w, new Date('2027-04-03T13:00:00Z'), 'r0');
    expect(await editAsOpenCart(w, w.held[0]!, '+13:00', new Date('2027-04-03T13:40:00Z'))).toBe('2027-04-04 02:40:00');
    const before = await sync(w, new Date('2027-04-03T13:50:00Z'), 'r1');
    expect(before.counts.invoicesCreated).toBe(1);
    // An hour later by the sun, 30 minutes earlier by the wall clock.
    expect(await editAsOpenCart(w, w.held[1]!, '+12:00', new Date('2027-04-03T14:10:00Z'))).toBe('2027-04-04 02:10:00');
    const after = await sync(w, new Date('2027-04-03T14:20:00Z'), 'r2');
    expect(after.counts).toMatchObject({ ordersSeen: 1, invoicesCreated: 1 });
    const later = await sync(w, new Date('2027-04-03T15:30:00Z'), 'r3');
    expect(later.counts).toMatchObject({ ordersSeen: 0, invoicesCreated: 0 });
    expectExactlyOnce(w, w.held.slice(0, 2));
  });

  it('a pure keyset (no overlap) would skip that DST edit for good: the overlap is what saves it', async () => {
    const w = await open('Pacific/Auckland', 'dst0');
    await sync(w, new Date('2027-04-03T13:00:00Z'), 'r0', 0);
    await editAsOpenCart(w, w.held[0]!, '+13:00', new Date('2027-04-03T13:40:00Z'));
    await sync(w, new Date('2027-04-03T13:50:00Z'), 'r1', 0);
    await editAsOpenCart(w, w.held[1]!, '+12:00', new Date('2027-04-03T14:10:00Z'));
    await sync(w, new Date('2027-04-03T14:20:00Z'), 'r2', 0);
    await sync(w, new Date('2027-04-03T15:30:00Z'), 'r3', 0);
    expect(invoicesOf(w, w.held[1]!)).toBe(0);
  });

  it('clock skew between hosts: a connector ahead, a writer behind, a connector behind — none missed, none doubled', async () => {
    const w = await open('Pacific/Auckland', 'skew');
    const t0 = new Date('2027-01-10T00:00:00Z');
    await sync(w, t0, 'r0');
    // The connector's host runs 90 s ahead of the database host.
    await editAsOpenCart(w, w.held[0]!, '+13:00', plus(t0, 60));
    expect((await sync(w, plus(t0, 60 + 90), 'r1')).counts.invoicesCreated).toBe(1);
    // A web node 60 s behind writes an edit stamped before the checkpoint.
    await editAsOpenCart(w, w.held[1]!, '+13:00', plus(t0, 0));
    expect((await sync(w, plus(t0, 200), 'r2')).counts).toMatchObject({ ordersSeen: 1, invoicesCreated: 1 });
    // The connector's host runs 120 s behind: the edit waits for a later run, it is not lost.
    await editAsOpenCart(w, w.held[2]!, '+13:00', plus(t0, 400));
    expect((await sync(w, plus(t0, 400 - 120 + 30), 'r3')).counts.invoicesCreated).toBe(0);
    expect((await sync(w, plus(t0, 600), 'r4')).counts).toMatchObject({ ordersSeen: 1, invoicesCreated: 1 });
    expectExactlyOnce(w, w.held.slice(0, 3));
  });

  it('two edits in the same second, the lower order id after the checkpoint took the higher one: both exported once', async () => {
    const w = await open('Pacific/Auckland', 'same');
    const t0 = new Date('2027-01-10T00:00:00Z');
    await sync(w, t0, 'r0');
    const [low, , , high] = w.held as [number, number, number, number];
    const s = plus(t0, 100);
    await editAsOpenCart(w, high, '+13:00', s);
    // A connector clock 1.5 s ahead puts the bound in second s itself.
    expect((await sync(w, plus(s, 1.5), 'r1')).counts.invoicesCreated).toBe(1);
    await editAsOpenCart(w, low, '+13:00', plus(s, 0.4));
    const next = await sync(w, plus(s, 10), 'r2');
    expect(next.counts).toMatchObject({ ordersSeen: 1, invoicesCreated: 1 });
    expectExactlyOnce(w, [low, high]);
  });
});
