import type { ConnectorStore } from '@oc-xero/sync-core';
import type { RunContext, SyncEngine } from '../../src/ports/sync-engine.port';

/**
 * An engine whose runs wait until released: what the API's lock, progress and cancel tests need
 * to hold a run open. Like sync-core's SyncRunner it writes the run record itself (start, finish);
 * it syncs nothing — the end-to-end test runs the real runner.
 */
export class GatedEngine implements SyncEngine {
  readonly calls: RunContext[] = [];
  store!: ConnectorStore;
  private release!: () => void;
  private gate = new Promise<void>((r) => (this.release = r));

  async execute(ctx: RunContext) {
    this.calls.push(ctx);
    const run = await this.store.startRun({ scope: ctx.scope, kind: ctx.request.kind, trigger: ctx.trigger, dryRun: ctx.request.dryRun });
    ctx.onStarted(run);
    ctx.progress({ phase: 'orders', processed: 1 });
    await Promise.race([this.gate, new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r()))]);
    const status = ctx.signal.aborted ? 'cancelled' : 'completed';
    await this.store.finishRun(run.id, status, { processed: 1 });
    return { status, processed: 1 };
  }

  open(): void {
    this.release();
    this.gate = new Promise<void>((r) => (this.release = r));
  }

  async previewOrders(input: { orderIds: number[] }) {
    return { orders: input.orderIds.map((orderId) => ({ orderId, invoiceNumber: `OC-${orderId}` })) };
  }
}
