import type { RunContext, SyncEngine } from '../../src/ports/sync-engine.port';

/**
 * An engine whose runs wait until released: what the API's lock, progress and cancel tests need
 * to hold a run open. It does no syncing; the end-to-end test runs the real use cases.
 */
export class GatedEngine implements SyncEngine {
  readonly calls: RunContext[] = [];
  private release!: () => void;
  private gate = new Promise<void>((r) => (this.release = r));

  async execute(ctx: RunContext) {
    this.calls.push(ctx);
    ctx.progress({ phase: 'orders', processed: 1 });
    await Promise.race([this.gate, new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r()))]);
    return { processed: 1 };
  }

  open(): void {
    this.release();
    this.gate = new Promise<void>((r) => (this.release = r));
  }

  async previewOrders(input: { orderIds: number[] }) {
    return input.orderIds.map((orderId) => ({ orderId, draft: { InvoiceNumber: `OC-${orderId}` } }));
  }
}
