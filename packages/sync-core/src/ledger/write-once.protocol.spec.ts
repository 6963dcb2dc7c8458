import { FakeConnectorStore } from '../testing/fake-connector-store.port';
import { dryId, LedgerSession, type OnceItem } from './write-once.protocol';

type Item = OnceItem<{ n: string }>;
const items = (...keys: string[]): Item[] => keys.map((key) => ({ key, hash: `h-${key}`, draft: { n: key }, number: `N-${key}` }));

describe('LedgerSession: the write-once protocol in dry mode', () => {
  it('looks Xero up as the real run does, sends and records nothing, and plans adopt / conflict / create', async () => {
    const store = new FakeConnectorStore();
    const session = new LedgerSession(store, 's', true);
    const sent: string[][] = [];
    const looked: string[][] = [];
    const out = await session.writeOnce<Item, { id: string }>({
      entityType: 'invoice',
      items: items('order:1', 'order:2', 'order:3'),
      lookup: {
        candidates: () => true,
        find: async (list) => {
          looked.push(list.map((i) => i.key));
          return new Map([
            ['order:1', { xeroId: 'x-1', xeroNumber: 'N-order:1' }],
            ['order:2', { xeroId: 'x-2', conflict: 'another order holds N-order:2' }],
          ]);
        },
      },
      send: async (list) => {
        sent.push(list.map((i) => i.key));
        return [];
      },
      identify: (v) => ({ xeroId: v.id }),
      refused: (_i, errors) => ({ lastError: errors.join('; ') }),
      dryValue: (i) => ({ id: dryId(i.key) }),
      describe: (i) => ({ orderId: Number(i.key.split(':')[1]), total: '10.00', currency: 'GBP' }),
    });
    expect(looked).toEqual([['order:1', 'order:2', 'order:3']]);
    expect(sent).toEqual([]);
    expect(store.writes).toBe(0);
    expect(out.adopted.map((a) => a.item.key)).toEqual(['order:1']);
    expect(out.conflicts.map((c) => c.item.key)).toEqual(['order:2']);
    expect(out.created).toEqual([{ item: expect.objectContaining({ key: 'order:3' }), value: { id: 'dry-run:order:3' } }]);
    expect(session.planned).toEqual([
      { action: 'adopt', entityType: 'invoice', key: 'order:1', number: 'N-order:1', orderId: 1, total: '10.00', currency: 'GBP', detail: 'Xero already holds it (x-1)' },
      { action: 'conflict', entityType: 'invoice', key: 'order:2', number: 'N-order:2', orderId: 2, total: '10.00', currency: 'GBP', detail: 'another order holds N-order:2' },
      { action: 'create', entityType: 'invoice', key: 'order:3', number: 'N-order:3', orderId: 3, total: '10.00', currency: 'GBP' },
    ]);
    // Later steps of the same run read what it would have recorded; the store holds nothing.
    const rows = await session.rows('invoice', ['order:1', 'order:2', 'order:3']);
    expect([...rows.values()].map((r) => [r.entityKey, r.status, r.xeroId])).toEqual([
      ['order:1', 'done', 'x-1'],
      ['order:2', 'conflict', null],
      ['order:3', 'done', 'dry-run:order:3'],
    ]);
    expect(store.ledger.size).toBe(0);
  });

  it('a real session sends, records and plans nothing', async () => {
    const store = new FakeConnectorStore();
    const session = new LedgerSession(store, 's', false);
    const out = await session.writeOnce<Item, { id: string }>({
      entityType: 'contact',
      items: items('customer:1'),
      send: async (list) => list.map((i) => ({ ok: true as const, value: { id: `x-${i.key}` }, warnings: [] })),
      identify: (v) => ({ xeroId: v.id }),
      refused: (_i, errors) => ({ lastError: errors.join('; ') }),
      dryValue: () => {
        throw new Error('not in a real run');
      },
    });
    expect(out.created).toHaveLength(1);
    expect(session.planned).toEqual([]);
    expect((await session.rows('contact', ['customer:1'])).get('customer:1')).toMatchObject({ status: 'done', xeroId: 'x-customer:1' });
  });

  it('an element whose call ended without an answer (transient) is reported but stays pending, to be looked up next run', async () => {
    const store = new FakeConnectorStore();
    const session = new LedgerSession(store, 's', false);
    const out = await session.writeOnce<Item, { id: string }>({
      entityType: 'invoice',
      items: items('order:1', 'order:2', 'order:3'),
      send: async () => [
        { ok: true as const, value: { id: 'x-1' }, warnings: [] },
        { ok: false as const, kind: 'transient' as const, errors: ['Xero did not answer in time'] },
        { ok: false as const, kind: 'validation' as const, errors: ['Contact missing'] },
      ],
      identify: (v) => ({ xeroId: v.id }),
      refused: (_i, errors) => ({ lastError: errors.join('; ') }),
    });
    expect(out.refused.map((r) => r.item.key)).toEqual(['order:2', 'order:3']);
    const rows = await session.rows('invoice', ['order:1', 'order:2', 'order:3']);
    expect(rows.get('order:1')).toMatchObject({ status: 'done', xeroId: 'x-1' });
    expect(rows.get('order:2')).toMatchObject({ status: 'pending' });
    expect(rows.get('order:3')).toMatchObject({ status: 'failed', lastError: 'Contact missing' });
  });
});
