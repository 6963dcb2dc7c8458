import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { isSyncError } from '@oc-xero/sync-core';
import { RunService } from '../runs/run.service';

/** Calls within this window after the first one share one run. */
export const COALESCE_MS = 1000;
/** When a run holds the lock, try again this often (the orders wait in the queue meanwhile). */
const BUSY_RETRY_MS = 2000;
/** Give up on a batch after this many busy retries: the scheduler's next incremental run covers it. */
const MAX_BUSY_RETRIES = 150;
export const QUEUE_TRIGGER = 'opencart';

/**
 * "Sync this order soon" for the OpenCart extension's order events: answers at once, and
 * coalesces bursts — every order asked for within COALESCE_MS joins one orders run (ten status
 * changes in a second make one run). When a run is going, the batch waits for the lock. Held in
 * this instance's memory on purpose: a lost nudge (restart) costs latency only, the scheduler's
 * incremental run still exports the order.
 */
@Injectable()
export class OrderSyncQueueService implements OnModuleDestroy {
  private readonly logger = new Logger(OrderSyncQueueService.name);
  private readonly waiting = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private dueAt = 0;
  private busyRetries = 0;
  private stopped = false;
  /** Runs this queue started (newest last), for the answer and for tests. */
  readonly startedRunIds: string[] = [];

  constructor(private readonly runs: RunService) {}

  enqueue(orderIds: number[]): { queued: number[]; waiting: number[]; startsAt: string } {
    for (const id of orderIds) this.waiting.add(id);
    if (!this.timer) this.schedule(COALESCE_MS);
    return { queued: orderIds, waiting: [...this.waiting].sort((a, b) => a - b), startsAt: new Date(this.dueAt).toISOString() };
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.dueAt = Date.now() + ms;
    this.timer = setTimeout(() => void this.flush(), ms);
    this.timer.unref();
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const orderIds = [...this.waiting].sort((a, b) => a - b);
    if (orderIds.length === 0) return;
    this.waiting.clear();
    try {
      const outcome = await this.runs.start({ kind: 'orders', dryRun: false, orderIds }, QUEUE_TRIGGER);
      if (outcome.started) {
        this.busyRetries = 0;
        this.startedRunIds.push(outcome.run.id);
        this.logger.log({ msg: `Sync of ${orderIds.length} order(s) asked by OpenCart started`, runId: outcome.run.id, orderIds });
      } else if (outcome.code) {
        // Switched off since they were queued: a setting, not a busy lock; retrying would not help.
        this.logger.warn({ msg: `Queued order sync not started: ${outcome.reason}`, orderIds });
      } else if (++this.busyRetries <= MAX_BUSY_RETRIES) {
        for (const id of orderIds) this.waiting.add(id);
      } else {
        this.busyRetries = 0;
        this.logger.warn({ msg: 'A sync kept running: the queued orders are left to the next scheduled run', orderIds });
      }
    } catch (e) {
      // Not connected, settings missing...: the merchant sees it on the dashboard; nothing to retry here.
      const message = isSyncError(e) ? e.message : (e as Error).message;
      this.logger.warn({ msg: `Queued order sync could not start: ${message}`, orderIds });
    }
    if (this.waiting.size > 0 && !this.timer) this.schedule(this.busyRetries > 0 ? BUSY_RETRY_MS : COALESCE_MS);
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
