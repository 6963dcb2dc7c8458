import { sampleOrder, STATUS } from '../testing/sample-data.fixture';
import { MarkOrdersUseCase } from './mark-orders.use-case';
import { SyncOrdersUseCase } from './sync-orders';
import { harness, SCOPE, testSettings, type Harness } from '../testing/use-case-harness';

const marks = (h: Harness) => new MarkOrdersUseCase({ reader: h.oc, store: h.store, logger: h.logger });
const marked = (h: Harness) => [...(h.store.marked.get(SCOPE) ?? [])].sort((a, b) => a - b);

describe('MarkOrdersUseCase', () => {
  it('marks all orders, whatever their status, and unmarks chosen ones', async () => {
    const h = harness(6);
    h.oc.setOrderStatus(2, STATUS.pending, '2024-03-02 10:02:00');
    expect(await marks(h).mark(SCOPE, { all: true })).toEqual({ count: 6 });
    expect(marked(h)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await marks(h).unmark(SCOPE, { orderIds: [2, 5] })).toEqual({ count: 2 });
    expect(marked(h)).toEqual([1, 3, 4, 6]);
  });

  it('marks the orders added before a date (that day excluded)', async () => {
    const h = harness(0);
    h.oc.data.orders.push(
      sampleOrder({ orderId: 1, dateAdded: '2024-01-30 23:59:59' }),
      sampleOrder({ orderId: 2, dateAdded: '2024-01-31 00:00:00' }),
      sampleOrder({ orderId: 3, dateAdded: '2024-02-01 08:00:00' }),
    );
    expect(await marks(h).mark(SCOPE, { before: '2024-01-31' })).toEqual({ count: 1 });
    expect(marked(h)).toEqual([1]);
    await marks(h).mark(SCOPE, { all: true });
    expect(await marks(h).unmark(SCOPE, { before: '2024-02-01' })).toEqual({ count: 2 });
    expect(marked(h)).toEqual([3]);
  });

  it('refuses a bad date or bad ids with a clear message', async () => {
    const h = harness(1);
    await expect(marks(h).mark(SCOPE, { before: '31/01/2024' })).rejects.toThrow('"31/01/2024" is not a date: use YYYY-MM-DD');
    await expect(marks(h).mark(SCOPE, { orderIds: [1, -4] })).rejects.toThrow('not valid order ids: -4');
    expect(marked(h)).toEqual([]);
  });

  it('marked orders are not synced; unmarked they are', async () => {
    const h = harness(4);
    await marks(h).mark(SCOPE, { orderIds: [1, 2] });
    const sync = new SyncOrdersUseCase({ reader: h.oc, xero: h.xero, store: h.store, logger: h.logger, clock: h.clock });
    await sync.execute({ runId: 'a', scope: SCOPE, settings: testSettings() });
    expect(h.xero.snapshot().invoices.map((i) => i.number)).toEqual(['OC-3', 'OC-4']);
    await marks(h).unmark(SCOPE, { all: true });
    await sync.execute({ runId: 'b', scope: SCOPE, settings: testSettings(), orderIds: [1, 2] });
    expect(h.xero.snapshot().invoices.map((i) => i.number)).toEqual(['OC-1', 'OC-2', 'OC-3', 'OC-4']);
  });
});
