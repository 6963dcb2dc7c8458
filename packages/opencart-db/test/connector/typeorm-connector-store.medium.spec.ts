import { randomBytes } from 'node:crypto';
import { Connection } from 'mysql2/promise';
import { SyncError, SyncLogEntry, SyncRun } from '@oc-xero/sync-core';
import { openConnectorStore, OpenConnectorStore } from '../../src/connector';
import { databaseUrl, dropDatabase, scratchDatabaseName, serverConnection } from './connector-test-db';

const KEY = randomBytes(32).toString('base64');
const OTHER_KEY = randomBytes(32).toString('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('TypeormConnectorStore (real MariaDB)', () => {
  const database = scratchDatabaseName('store');
  let a: OpenConnectorStore;
  let b: OpenConnectorStore; // a second process: its own pool and DataSource, same database
  let raw: Connection;

  beforeAll(async () => {
    a = await openConnectorStore({ url: databaseUrl(database), encryptionKey: KEY });
    b = await openConnectorStore({ url: databaseUrl(database), encryptionKey: KEY });
    raw = await serverConnection(database);
  });

  afterAll(async () => {
    await raw?.end();
    await a?.close();
    await b?.close();
    await dropDatabase(database);
  });

  describe('ledger', () => {
    it('reserves new keys as pending and returns them in the order asked', async () => {
      const rows = await a.store.reserve('s-led', 'invoice', [
        { entityKey: 'order:2', payloadHash: 'h2', xeroNumber: 'INV-2' },
        { entityKey: 'order:1', payloadHash: 'h1' },
      ]);
      expect(
        rows.map((row) => [
          row.entityKey,
          row.status,
          row.payloadHash,
          row.xeroNumber,
          row.attempts,
          row.xeroId,
        ]),
      ).toEqual([
        ['order:2', 'pending', 'h2', 'INV-2', 0, null],
        ['order:1', 'pending', 'h1', null, 0, null],
      ]);
      expect(rows[0].updatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Math.abs(Date.parse(rows[0].updatedAt) - Date.now())).toBeLessThan(60_000);
    });

    it('records outcomes, counting attempts, and never resets a done row on a new reserve', async () => {
      await a.store.reserve('s-led2', 'invoice', [
        { entityKey: 'order:10', payloadHash: 'h10' },
        { entityKey: 'order:11', payloadHash: 'h11' },
      ]);
      await a.store.record('s-led2', 'invoice', [
        { entityKey: 'order:10', status: 'done', xeroId: 'x-10', xeroNumber: 'INV-10' },
        { entityKey: 'order:11', status: 'failed', lastError: 'Account code 999 is not valid' },
      ]);
      let [done, failed] = await a.store.getLedger('s-led2', 'invoice', ['order:10', 'order:11']);
      expect(done).toMatchObject({
        status: 'done',
        xeroId: 'x-10',
        xeroNumber: 'INV-10',
        payloadHash: 'h10',
        attempts: 1,
        lastError: null,
      });
      expect(failed).toMatchObject({
        status: 'failed',
        xeroId: null,
        attempts: 1,
        lastError: 'Account code 999 is not valid',
      });

      const again = await a.store.reserve('s-led2', 'invoice', [
        { entityKey: 'order:10', payloadHash: 'CHANGED', xeroNumber: 'OTHER' },
        { entityKey: 'order:11', payloadHash: 'h11b', xeroNumber: 'INV-11' },
      ]);
      expect(again[0]).toEqual(done);
      expect(again[1]).toMatchObject({
        status: 'pending',
        payloadHash: 'h11b',
        xeroNumber: 'INV-11',
        attempts: 1,
      });

      await a.store.record('s-led2', 'invoice', [
        { entityKey: 'order:11', status: 'failed', lastError: 'timeout' },
      ]);
      await a.store.record('s-led2', 'invoice', [{ entityKey: 'order:11', status: 'done', xeroId: 'x-11' }]);
      [done, failed] = await a.store.getLedger('s-led2', 'invoice', ['order:10', 'order:11']);
      expect(failed).toMatchObject({
        status: 'done',
        xeroId: 'x-11',
        xeroNumber: 'INV-11',
        attempts: 3,
        lastError: null,
      });
    });

    it('resetAttempts starts the count again (a new payload, a manual retry); invoice-update rows are kept like any other', async () => {
      for (let n = 0; n < 3; n++)
        await a.store.record('s-led-reset', 'invoice-update', [
          { entityKey: 'order:30', status: 'failed', lastError: 'refused', payloadHash: 'h30' },
        ]);
      let [row] = await a.store.getLedger('s-led-reset', 'invoice-update', ['order:30']);
      expect(row).toMatchObject({
        entityType: 'invoice-update',
        status: 'failed',
        attempts: 3,
        payloadHash: 'h30',
      });
      await a.store.record('s-led-reset', 'invoice-update', [
        { entityKey: 'order:30', status: 'failed', lastError: 'refused again', resetAttempts: true },
        { entityKey: 'order:31', status: 'failed', lastError: 'first', resetAttempts: true },
      ]);
      const rows = await a.store.getLedger('s-led-reset', 'invoice-update', ['order:30', 'order:31']);
      expect(rows.map((r) => [r.entityKey, r.attempts, r.lastError, r.payloadHash])).toEqual([
        ['order:30', 1, 'refused again', 'h30'],
        ['order:31', 1, 'first', null],
      ]);
      await a.store.record('s-led-reset', 'invoice-update', [
        { entityKey: 'order:30', status: 'failed', lastError: 'x' },
      ]);
      [row] = await a.store.getLedger('s-led-reset', 'invoice-update', ['order:30']);
      expect(row.attempts).toBe(2);
    });

    it('newVersion reserves a done row with another payload pending again (an update); the same payload, or no flag, leaves it done', async () => {
      await a.store.record('s-led-ver', 'invoice-update', [
        { entityKey: 'order:40', status: 'done', xeroId: 'x-40', xeroNumber: 'OC-40', payloadHash: 'v1' },
      ]);
      const same = await a.store.reserve('s-led-ver', 'invoice-update', [
        { entityKey: 'order:40', payloadHash: 'v1', newVersion: true },
      ]);
      expect(same[0]).toMatchObject({ status: 'done', payloadHash: 'v1' });
      const plain = await a.store.reserve('s-led-ver', 'invoice-update', [
        { entityKey: 'order:40', payloadHash: 'v2' },
      ]);
      expect(plain[0]).toMatchObject({ status: 'done', payloadHash: 'v1' });
      const next = await a.store.reserve('s-led-ver', 'invoice-update', [
        { entityKey: 'order:40', payloadHash: 'v2', newVersion: true },
      ]);
      expect(next[0]).toMatchObject({
        status: 'pending',
        payloadHash: 'v2',
        xeroId: 'x-40',
        xeroNumber: 'OC-40',
        attempts: 1,
      });
    });

    it('leaves removed and conflict rows alone on reserve (a person or the removal flow decides)', async () => {
      await a.store.record('s-led3', 'invoice', [
        { entityKey: 'order:20', status: 'removed', xeroId: 'x-20' },
        { entityKey: 'order:21', status: 'conflict', lastError: 'INV-21 exists in Xero with another total' },
      ]);
      const rows = await a.store.reserve('s-led3', 'invoice', [
        { entityKey: 'order:20', payloadHash: 'n' },
        { entityKey: 'order:21', payloadHash: 'n' },
      ]);
      expect(rows.map((row) => [row.status, row.payloadHash, row.attempts])).toEqual([
        ['removed', null, 1],
        ['conflict', null, 1],
      ]);
    });

    it('records an outcome for a key that was never reserved instead of losing it', async () => {
      await a.store.record('s-led4', 'contact', [
        { entityKey: 'customer:7', status: 'done', xeroId: 'c-7', xeroNumber: 'C7' },
      ]);
      expect(await a.store.getLedger('s-led4', 'contact', ['customer:7', 'customer:8'])).toEqual([
        expect.objectContaining({ entityKey: 'customer:7', status: 'done', xeroId: 'c-7', attempts: 1 }),
      ]);
    });

    it('keeps scopes and entity types apart, and keys exact (case and trailing spaces matter)', async () => {
      await a.store.reserve('s-led5', 'contact', [{ entityKey: 'guest:a@b.c', payloadHash: '1' }]);
      await a.store.reserve('s-led5', 'contact', [{ entityKey: 'guest:A@b.c', payloadHash: '2' }]);
      await a.store.reserve('s-led5', 'contact', [{ entityKey: 'guest:a@b.c ', payloadHash: '3' }]);
      await a.store.reserve('s-led5', 'payment', [{ entityKey: 'guest:a@b.c', payloadHash: '4' }]);
      await a.store.reserve('other-scope', 'contact', [{ entityKey: 'guest:a@b.c', payloadHash: '5' }]);
      const rows = await a.store.getLedger('s-led5', 'contact', [
        'guest:a@b.c',
        'guest:A@b.c',
        'guest:a@b.c ',
      ]);
      expect(rows.map((row) => row.payloadHash).sort()).toEqual(['1', '2', '3']);
    });

    it('reserves a large batch (over one INSERT chunk) in one call', async () => {
      const items = Array.from({ length: 1203 }, (_, i) => ({
        entityKey: `product:${i}`,
        payloadHash: `h${i}`,
      }));
      const rows = await a.store.reserve('s-big', 'item', items);
      expect(rows).toHaveLength(1203);
      expect(rows[1202]).toMatchObject({
        entityKey: 'product:1202',
        payloadHash: 'h1202',
        status: 'pending',
      });
      expect(
        (
          await a.store.getLedger(
            's-big',
            'item',
            items.map((item) => item.entityKey),
          )
        ).length,
      ).toBe(1203);
    });

    it('rejects a bad batch as a whole before writing anything', async () => {
      const error = await rejection(
        a.store.reserve('s-bad', 'invoice', [
          { entityKey: 'order:1', payloadHash: 'h' },
          { entityKey: '', payloadHash: 'h' },
        ]),
      );
      expect(error).toBeInstanceOf(SyncError);
      expect((error as Error).message).toMatch(/entityKey must be a non-empty string/);
      expect(await a.store.getLedger('s-bad', 'invoice', ['order:1'])).toEqual([]);
    });

    it('takes overlapping reserves and records from two processes at once without losing a count', async () => {
      const keys = Array.from({ length: 300 }, (_, i) => `order:${i}`);
      for (let round = 0; round < 3; round++) {
        const scope = `s-conc-${round}`;
        const forward = keys.map((entityKey) => ({ entityKey, payloadHash: 'a' }));
        const backward = [...keys].reverse().map((entityKey) => ({ entityKey, payloadHash: 'b' }));
        const [fromA, fromB] = await Promise.all([
          a.store.reserve(scope, 'invoice', forward),
          b.store.reserve(scope, 'invoice', backward),
        ]);
        expect(fromA).toHaveLength(300);
        expect(fromB).toHaveLength(300);
        await Promise.all([
          a.store.record(
            scope,
            'invoice',
            forward.map(({ entityKey }) => ({ entityKey, status: 'failed' as const, lastError: 'a' })),
          ),
          b.store.record(
            scope,
            'invoice',
            backward.map(({ entityKey }) => ({ entityKey, status: 'failed' as const, lastError: 'b' })),
          ),
        ]);
        const [counts] = (await raw.query(
          'SELECT COUNT(*) AS n, MIN(attempts) AS lo, MAX(attempts) AS hi FROM ledger WHERE scope = ?',
          [scope],
        )) as unknown as [Array<{ n: number; lo: number; hi: number }>];
        expect(counts[0]).toEqual({ n: 300, lo: 2, hi: 2 });
      }
    });

    it('lists rows by status and type, oldest first, paging with afterKey while rows change status', async () => {
      const scope = 's-list';
      await a.store.reserve(
        scope,
        'invoice',
        [1, 2, 3, 4, 5, 6].map((n) => ({ entityKey: `order:${n}`, payloadHash: `h${n}` })),
      );
      await a.store.reserve(scope, 'contact', [{ entityKey: 'customer:1', payloadHash: 'c' }]);
      await a.store.record(
        scope,
        'invoice',
        [1, 2, 4, 6].map((n) => ({ entityKey: `order:${n}`, status: 'failed' as const, lastError: 'x' })),
      );
      await a.store.record(scope, 'contact', [{ entityKey: 'customer:1', status: 'failed', lastError: 'y' }]);

      const page1 = await a.store.listLedger(scope, { entityType: 'invoice', status: 'failed', limit: 2 });
      expect(page1.map((row) => row.entityKey)).toEqual(['order:1', 'order:2']);
      // The caller retries page 1 and the rows stop being "failed" before it asks for page 2.
      await a.store.reserve(
        scope,
        'invoice',
        page1.map((row) => ({ entityKey: row.entityKey, payloadHash: 'retry' })),
      );
      const page2 = await a.store.listLedger(scope, {
        entityType: 'invoice',
        status: 'failed',
        limit: 2,
        afterKey: 'order:2',
      });
      expect(page2.map((row) => row.entityKey)).toEqual(['order:4', 'order:6']);
      expect(
        await a.store.listLedger(scope, {
          entityType: 'invoice',
          status: 'failed',
          limit: 2,
          afterKey: 'order:6',
        }),
      ).toEqual([]);

      expect(
        (await a.store.listLedger(scope, { status: 'failed', limit: 10 })).map((row) => row.entityKey),
      ).toEqual(['order:4', 'order:6', 'customer:1']);
      expect(
        (await a.store.listLedger(scope, { status: 'pending', limit: 10 })).map((row) => row.entityKey),
      ).toEqual(['order:1', 'order:2', 'order:3', 'order:5']);
      expect(await rejection(a.store.listLedger(scope, { limit: 0 }))).toBeInstanceOf(SyncError);
      expect(await rejection(a.store.listLedger(scope, { limit: 5, afterKey: 'order:404' }))).toBeInstanceOf(
        SyncError,
      );
    });
  });

  describe('locks', () => {
    it('lets exactly one of two concurrent processes take a lock, every time', async () => {
      for (let round = 0; round < 25; round++) {
        const name = `run:race-${round}`;
        const [fromA, fromB] = await Promise.all([
          a.store.tryLock(name, 'worker-a', 60_000),
          b.store.tryLock(name, 'worker-b', 60_000),
        ]);
        expect([fromA, fromB].filter(Boolean)).toHaveLength(1);
        const [row] = (await raw.query('SELECT owner FROM locks WHERE name = ?', [name]))[0] as Array<{
          owner: string;
        }>;
        expect(row.owner).toBe(fromA ? 'worker-a' : 'worker-b');
      }
    });

    it('gives one winner among many concurrent callers on an existing, expired lock', async () => {
      await a.store.tryLock('run:stampede', 'old', 1);
      await sleep(20);
      const owners = Array.from({ length: 8 }, (_, i) => `w${i}`);
      const results = await Promise.all(
        owners.map((owner, i) => (i % 2 ? b : a).store.tryLock('run:stampede', owner, 60_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const [row] = (
        await raw.query('SELECT owner FROM locks WHERE name = ?', ['run:stampede'])
      )[0] as Array<{ owner: string }>;
      expect(row.owner).toBe(owners[results.indexOf(true)]);
    });

    it('refuses a held lock and lets the owner re-enter, extending the lease', async () => {
      expect(await a.store.tryLock('run:s1', 'worker-a', 60_000)).toBe(true);
      const lease = async () =>
        (
          (
            await raw.query(
              'SELECT acquired_at, expires_at, TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(3), expires_at) AS left_s FROM locks WHERE name = ?',
              ['run:s1'],
            )
          )[0] as Array<{
            acquired_at: string;
            expires_at: string;
            left_s: number;
          }>
        )[0];
      const first = await lease();
      expect(Number(first.left_s)).toBeGreaterThan(50);
      expect(await b.store.tryLock('run:s1', 'worker-b', 60_000)).toBe(false);
      expect(await a.store.tryLock('run:s1', 'worker-a', 600_000)).toBe(true);
      const extended = await lease();
      expect(extended.acquired_at).toBe(first.acquired_at);
      expect(Number(extended.left_s)).toBeGreaterThan(500);
      expect(await b.store.tryLock('run:s1', 'worker-b', 60_000)).toBe(false);
    });

    it('lets another owner take an expired lock, and then refuses the old owner', async () => {
      expect(await a.store.tryLock('run:s3', 'worker-a', 50)).toBe(true);
      await sleep(120);
      expect(await b.store.tryLock('run:s3', 'worker-b', 60_000)).toBe(true);
      expect(await a.store.tryLock('run:s3', 'worker-a', 60_000)).toBe(false);
    });

    it('unlocks only for the owner', async () => {
      expect(await a.store.tryLock('run:s2', 'worker-a', 60_000)).toBe(true);
      await b.store.unlock('run:s2', 'worker-b');
      expect(await b.store.tryLock('run:s2', 'worker-b', 60_000)).toBe(false);
      await a.store.unlock('run:s2', 'worker-a');
      expect(await b.store.tryLock('run:s2', 'worker-b', 60_000)).toBe(true);
    });
  });

  describe('checkpoints', () => {
    it('is null until set, then moves, per scope and name', async () => {
      expect(await a.store.getCheckpoint('s-cp', 'orders')).toBeNull();
      await a.store.setCheckpoint('s-cp', 'orders', '{"modified":"2026-01-01 00:00:00","id":5}');
      await a.store.setCheckpoint('s-cp', 'customers', '{"id":9}');
      await b.store.setCheckpoint('s-cp', 'orders', '{"modified":"2026-01-02 00:00:00","id":7}');
      expect(await a.store.getCheckpoint('s-cp', 'orders')).toBe('{"modified":"2026-01-02 00:00:00","id":7}');
      expect(await a.store.getCheckpoint('s-cp', 'customers')).toBe('{"id":9}');
      expect(await a.store.getCheckpoint('s-cp-other', 'orders')).toBeNull();
    });
  });

  describe('settings and tokens at rest', () => {
    const settings = {
      clientId: 'CLIENT-ID-123',
      clientSecret: 'client-secret-PLAINTEXT-1',
      cronToken: 'cron-token-PLAINTEXT-2',
      webhookKey: 'webhook-key-PLAINTEXT-3',
      salesAccountCode: '200',
      orderStatusesToExport: [2, 3, 5],
      nested: { smtpPassword: 'smtp-PLAINTEXT-4', note: 'Smith & Sons 😀' },
    };

    it('round-trips the settings document with its secrets encrypted in the table', async () => {
      expect(await a.store.loadSettings('s-set')).toBeNull();
      await a.store.saveSettings('s-set', settings);
      expect(await b.store.loadSettings('s-set')).toEqual(settings);

      const [rows] = (await raw.query('SELECT document FROM settings WHERE scope = ?', [
        's-set',
      ])) as unknown as [Array<{ document: string }>];
      const document = rows[0].document;
      for (const secret of [
        'client-secret-PLAINTEXT-1',
        'cron-token-PLAINTEXT-2',
        'webhook-key-PLAINTEXT-3',
        'smtp-PLAINTEXT-4',
      ]) {
        expect(document).not.toContain(secret);
      }
      expect(JSON.parse(document)).toMatchObject({
        clientId: 'CLIENT-ID-123',
        salesAccountCode: '200',
        clientSecret: expect.stringMatching(/^v1:/),
      });
    });

    it('refuses to load settings saved with another key, clearly', async () => {
      const other = await openConnectorStore({ url: databaseUrl(database), encryptionKey: OTHER_KEY });
      try {
        const error = await rejection(other.store.loadSettings('s-set'));
        expect(error).toBeInstanceOf(SyncError);
        expect((error as SyncError).kind).toBe('config');
        expect((error as SyncError).message).toMatch(
          /^cannot decrypt the stored setting '\w+': the encryption key differs from the one it was saved with/,
        );
      } finally {
        await other.close();
      }
    });

    const tokens = {
      scope: 's-tok',
      tenantId: '00000000-0000-0000-0000-0000000000aa',
      tenantName: 'Demo Company (UK)',
      accessToken: 'eyJ-access-PLAINTEXT-' + 'a'.repeat(1500),
      refreshToken: 'refresh-PLAINTEXT-xyz',
      expiresAt: '2026-11-23T21:00:00.000Z',
      refreshedAt: '2026-11-23T20:30:00.123Z',
      scopes: 'offline_access accounting.contacts accounting.invoices',
    };

    it('round-trips tokens with both token columns encrypted', async () => {
      expect(await a.store.loadTokens('s-tok')).toBeNull();
      await a.store.saveTokens(tokens);
      expect(await b.store.loadTokens('s-tok')).toEqual(tokens);

      const [rows] = (await raw.query('SELECT * FROM xero_tokens WHERE scope = ?', ['s-tok'])) as unknown as [
        Array<Record<string, string>>,
      ];
      const rowText = JSON.stringify(rows[0]);
      expect(rowText).not.toContain('access-PLAINTEXT');
      expect(rowText).not.toContain('refresh-PLAINTEXT');
      expect(rows[0].access_token_encrypted).toMatch(/^v1:/);
      expect(rows[0].refresh_token_encrypted).toMatch(/^v1:/);

      const rotated = {
        ...tokens,
        accessToken: 'access-2',
        refreshToken: null,
        refreshedAt: '2026-11-23T20:59:00.000Z',
      };
      await a.store.saveTokens(rotated);
      expect(await a.store.loadTokens('s-tok')).toEqual(rotated);
      await a.store.saveTokens(tokens);
    });

    it('refuses to decrypt tokens with another key, with the clear message', async () => {
      const other = await openConnectorStore({ url: databaseUrl(database), encryptionKey: OTHER_KEY });
      try {
        const error = await rejection(other.store.loadTokens('s-tok'));
        expect(error).toBeInstanceOf(SyncError);
        expect((error as SyncError).kind).toBe('config');
        expect((error as SyncError).message).toBe(
          'cannot decrypt stored Xero tokens: the encryption key differs from the one they were saved with',
        );
      } finally {
        await other.close();
      }
    });

    it('refuses a token value moved to another connection (bound to its scope)', async () => {
      await a.store.saveTokens({ ...tokens, scope: 's-tok-2', accessToken: 'other-access' });
      await raw.query(
        "UPDATE xero_tokens t JOIN xero_tokens s ON s.scope = 's-tok' SET t.access_token_encrypted = s.access_token_encrypted WHERE t.scope = 's-tok-2'",
      );
      const error = await rejection(a.store.loadTokens('s-tok-2'));
      expect((error as SyncError).kind).toBe('needs-reconnect');
      expect((error as SyncError).message).toMatch(/damaged or was altered/);
      expect((error as SyncError).message).not.toContain('PLAINTEXT');
    });

    it('forgets tokens', async () => {
      await a.store.deleteTokens('s-tok');
      expect(await a.store.loadTokens('s-tok')).toBeNull();
    });
  });

  describe('product overrides and order marks', () => {
    it('sets, updates and clears per-product overrides', async () => {
      await a.store.setProductOverride('s-ov', {
        productId: 28,
        salesAccountCode: '201',
        purchaseAccountCode: null,
      });
      await a.store.setProductOverride('s-ov', {
        productId: 40,
        salesAccountCode: null,
        purchaseAccountCode: '310',
      });
      await a.store.setProductOverride('s-ov', {
        productId: 28,
        salesAccountCode: ' 202 ',
        purchaseAccountCode: '311',
      });
      expect(await a.store.getProductOverrides('s-ov', [28, 40, 41])).toEqual([
        { productId: 28, salesAccountCode: '202', purchaseAccountCode: '311' },
        { productId: 40, salesAccountCode: null, purchaseAccountCode: '310' },
      ]);
      await a.store.setProductOverride('s-ov', {
        productId: 40,
        salesAccountCode: null,
        purchaseAccountCode: '',
      });
      expect(await a.store.getProductOverrides('s-ov', [40])).toEqual([]);
      expect(await a.store.getProductOverrides('s-ov-other', [28])).toEqual([]);
      expect(await a.store.getProductOverrides('s-ov', [])).toEqual([]);
      expect(
        await rejection(
          a.store.setProductOverride('s-ov', {
            productId: -1,
            salesAccountCode: '1',
            purchaseAccountCode: null,
          }),
        ),
      ).toBeInstanceOf(SyncError);
    });

    it('marks and unmarks orders', async () => {
      await a.store.markOrders('s-mk', [3, 1, 2, 2]);
      await a.store.markOrders('s-mk', [3]);
      expect(await a.store.getMarkedOrders('s-mk', [1, 2, 3, 4])).toEqual([1, 2, 3]);
      await a.store.unmarkOrders('s-mk', [2, 99]);
      expect(await a.store.getMarkedOrders('s-mk', [1, 2, 3, 4])).toEqual([1, 3]);
      expect(await a.store.getMarkedOrders('s-mk-other', [1, 3])).toEqual([]);
    });
  });

  describe('runs and log', () => {
    let run1: SyncRun;
    let run2: SyncRun;
    let run3: SyncRun;

    it('starts, updates and finishes runs with generated ids', async () => {
      run1 = await a.store.startRun({ scope: 's-run', kind: 'orders', trigger: 'cron', dryRun: false });
      expect(run1).toMatchObject({
        scope: 's-run',
        kind: 'orders',
        trigger: 'cron',
        status: 'running',
        dryRun: false,
        finishedAt: null,
        summary: {},
        error: null,
      });
      expect(run1.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(await a.store.getRun(run1.id)).toEqual(run1);

      await a.store.updateRun(run1.id, { exported: 3 });
      await a.store.updateRun(run1.id, { exported: 3 }); // unchanged summary is not "missing run"
      expect((await b.store.getRun(run1.id))?.summary).toEqual({ exported: 3 });
      await a.store.finishRun(run1.id, 'failed', { exported: 3, failed: 1 }, 'Xero connection lost');
      const finished = await a.store.getRun(run1.id);
      expect(finished).toMatchObject({
        status: 'failed',
        summary: { exported: 3, failed: 1 },
        error: 'Xero connection lost',
      });
      expect(Date.parse(finished!.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(run1.startedAt));

      await sleep(5);
      run2 = await a.store.startRun({ scope: 's-run', kind: 'items', trigger: 'manual', dryRun: true });
      await sleep(5);
      run3 = await a.store.startRun({ scope: 's-run', kind: 'all', trigger: 'api', dryRun: false });
      await a.store.startRun({ scope: 's-run-other', kind: 'all', trigger: 'api', dryRun: false });
      expect(run2.dryRun).toBe(true);
      expect(await a.store.getRun('00000000-0000-4000-8000-000000000000')).toBeNull();
      const error = await rejection(a.store.updateRun('00000000-0000-4000-8000-000000000000', {}));
      expect((error as Error).message).toMatch(/does not exist/);
    });

    it('lists runs newest first and pages with beforeId', async () => {
      expect((await a.store.listRuns('s-run', { limit: 10 })).map((run) => run.id)).toEqual([
        run3.id,
        run2.id,
        run1.id,
      ]);
      const page1 = await a.store.listRuns('s-run', { limit: 2 });
      expect(page1.map((run) => run.id)).toEqual([run3.id, run2.id]);
      expect((await a.store.listRuns('s-run', { limit: 2, beforeId: run2.id })).map((run) => run.id)).toEqual(
        [run1.id],
      );
    });

    it('appends log lines and filters them, newest first, with paging', async () => {
      const at = (minute: number) => `2026-11-23T10:${String(minute).padStart(2, '0')}:00.000Z`;
      const entries: SyncLogEntry[] = [
        {
          runId: run1.id,
          level: 'info',
          entityType: 'order',
          entityId: '1',
          status: 'exported',
          message: 'Order 1 → INV-1',
          createdAt: at(1),
        },
        {
          runId: run1.id,
          level: 'error',
          entityType: 'order',
          entityId: '2',
          status: 'failed',
          message: 'Account 999 unknown',
          createdAt: at(2),
          details: { code: 999 },
        },
        {
          runId: run1.id,
          level: 'warn',
          entityType: 'order',
          entityId: '3',
          status: 'skipped',
          message: 'Marked',
          createdAt: at(3),
        },
        {
          runId: run2.id,
          level: 'error',
          entityType: 'product',
          entityId: '28',
          status: 'failed',
          message: 'Code too long',
          createdAt: at(4),
        },
        {
          runId: run3.id,
          level: 'info',
          entityType: '',
          entityId: '',
          status: 'started',
          message: 'Run started',
          createdAt: at(5),
          details: {
            request: {
              authorization: 'Bearer SECRET-BEARER',
              clientSecret: 'SECRET-CS',
              refreshToken: 'SECRET-RT',
              page: 1,
            },
          },
        },
        {
          runId: run1.id,
          level: 'info',
          entityType: 'order',
          entityId: '2',
          status: 'exported',
          message: 'Order 2 → INV-2 on retry',
          createdAt: at(6),
        },
      ];
      await a.store.appendLog(entries);
      const orphan = await a.store.startRun({
        scope: 's-run-other',
        kind: 'orders',
        trigger: 'cli',
        dryRun: false,
      });
      await a.store.appendLog([
        {
          runId: orphan.id,
          level: 'info',
          entityType: 'order',
          entityId: '1',
          status: 'exported',
          message: 'other scope',
        },
      ]);
      await a.store.appendLog([
        {
          runId: '11111111-1111-4111-8111-111111111111',
          level: 'warn',
          entityType: '',
          entityId: '',
          status: 'x',
          message: 'unknown run kept',
        },
      ]);

      const messages = async (query: Parameters<typeof a.store.listLog>[0]) =>
        (await a.store.listLog(query)).map((entry) => entry.message);
      expect(await messages({ scope: 's-run', limit: 100 })).toEqual([
        'Order 2 → INV-2 on retry',
        'Run started',
        'Code too long',
        'Marked',
        'Account 999 unknown',
        'Order 1 → INV-1',
      ]);
      expect(await messages({ runId: run1.id, level: 'error', limit: 10 })).toEqual(['Account 999 unknown']);
      expect(await messages({ scope: 's-run', entityType: 'order', entityId: '2', limit: 10 })).toEqual([
        'Order 2 → INV-2 on retry',
        'Account 999 unknown',
      ]);
      expect(await messages({ scope: 's-run', status: 'failed', limit: 10 })).toEqual([
        'Code too long',
        'Account 999 unknown',
      ]);
      expect(await messages({ scope: 's-run', from: at(2), to: at(4), limit: 10 })).toEqual([
        'Code too long',
        'Marked',
        'Account 999 unknown',
      ]);
      expect(await messages({ scope: 's-run', limit: 2, offset: 2 })).toEqual(['Code too long', 'Marked']);
      expect(await messages({ scope: 's-run-other', limit: 10 })).toEqual(['other scope']);
      expect(await messages({ runId: '11111111-1111-4111-8111-111111111111', limit: 10 })).toEqual([
        'unknown run kept',
      ]);

      const [failedLine] = await a.store.listLog({ runId: run1.id, level: 'error', limit: 1 });
      expect(failedLine).toEqual({ ...entries[1] });
      const [started] = await a.store.listLog({ runId: run3.id, limit: 1 });
      expect(started.details).toEqual({
        request: {
          authorization: '[redacted]',
          clientSecret: '[redacted]',
          refreshToken: '[redacted]',
          page: 1,
        },
      });
      const [rows] = (await raw.query('SELECT details FROM sync_log WHERE run_id = ?', [
        run3.id,
      ])) as unknown as [Array<{ details: string }>];
      expect(rows[0].details).not.toMatch(/SECRET-/);
      expect(
        await rejection(a.store.listLog({ scope: 's-run', from: 'yesterday-ish', limit: 5 })),
      ).toBeInstanceOf(SyncError);
    });
  });
});
