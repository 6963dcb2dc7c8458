/**
 * Mark Orders (seed: "Mark orders that you do not want synced over"): marked orders are skipped by
 * every sync. Mark or unmark all orders, all orders added before a date, or chosen ids.
 */
import { SyncError } from '../errors';
import type { ConnectorStore } from '../ports/connector-store.port';
import type { OpenCartReader, OrderCursor } from '../ports/opencart.port';
import type { SyncLogger } from './sync-logger.port';

/** Which orders: all, those added before a date (YYYY-MM-DD, that day excluded), or chosen ids. */
export type OrderSelection = { all: true } | { before: string } | { orderIds: number[] };

export interface MarkOrdersDeps {
  reader: OpenCartReader;
  store: ConnectorStore;
  logger: SyncLogger;
}

const PAGE = 500;

const dayBefore = (date: string): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

export class MarkOrdersUseCase {
  constructor(private readonly deps: MarkOrdersDeps) {}

  /** Marks the selected orders "do not sync"; returns how many orders were selected. */
  mark(scope: string, selection: OrderSelection): Promise<{ count: number }> {
    return this.apply(scope, selection, (ids) => this.deps.store.markOrders(scope, ids), 'marked');
  }

  /** Unmarks the selected orders so the next sync takes them. */
  unmark(scope: string, selection: OrderSelection): Promise<{ count: number }> {
    return this.apply(scope, selection, (ids) => this.deps.store.unmarkOrders(scope, ids), 'unmarked');
  }

  private async apply(scope: string, selection: OrderSelection, write: (ids: number[]) => Promise<void>, verb: string): Promise<{ count: number }> {
    if ('orderIds' in selection) {
      const invalid = selection.orderIds.filter((id) => !Number.isInteger(id) || id <= 0);
      if (invalid.length) throw new SyncError('validation', `not valid order ids: ${invalid.slice(0, 10).join(', ')} (use positive whole numbers)`);
      const ids = [...new Set(selection.orderIds)];
      for (let i = 0; i < ids.length; i += PAGE) await write(ids.slice(i, i + PAGE));
      this.deps.logger.info(`orders ${verb}`, { scope, count: ids.length });
      return { count: ids.length };
    }
    let addedTo: string | undefined;
    if ('before' in selection) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(selection.before) || Number.isNaN(Date.parse(selection.before))) {
        throw new SyncError('validation', `"${selection.before}" is not a date: use YYYY-MM-DD`);
      }
      addedTo = dayBefore(selection.before);
    }
    // Every order the store has in any status (status 0 = never confirmed, never synced anyway).
    const statusIds = [...new Set((await this.deps.reader.listOrderStatuses()).map((s) => s.orderStatusId))];
    let after: OrderCursor | undefined;
    let count = 0;
    for (;;) {
      const page = await this.deps.reader.listChangedOrders({ statusIds, after, addedTo, limit: PAGE });
      if (!page.items.length) break;
      await write(page.items.map((o) => o.orderId));
      count += page.items.length;
      if (!page.next) break;
      after = page.next;
    }
    this.deps.logger.info(`orders ${verb}`, { scope, count, before: addedTo ? selection : undefined });
    return { count };
  }
}
