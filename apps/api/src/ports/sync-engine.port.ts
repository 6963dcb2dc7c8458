import type { RunKind, SyncRun, XeroPort } from '@oc-xero/sync-core';

/** What a caller asks a run to do. */
export interface RunRequest {
  kind: RunKind;
  /** 'YYYY-MM-DD', inclusive. */
  from?: string;
  /** 'YYYY-MM-DD', inclusive. */
  to?: string;
  dryRun: boolean;
  /** Only these orders ("sync now"); the other filters still apply to what they are. */
  orderIds?: number[];
}

export interface RunContext {
  run: SyncRun;
  request: RunRequest;
  settings: Record<string, unknown>;
  xero: XeroPort;
  /** Aborted when the run is cancelled; the engine stops at the next page boundary. */
  signal: AbortSignal;
  /** Called with the running summary as the run goes (for progress events). */
  progress(summary: Record<string, unknown>): void;
}

/** sync-core's use cases, as the API drives them. The API owns the run record and the lock. */
export interface SyncEngine {
  /** Runs the use cases of request.kind; resolves with the run's summary. */
  execute(ctx: RunContext): Promise<Record<string, unknown>>;
  /** The Xero drafts these orders would become (nothing is written). */
  previewOrders(input: { settings: Record<string, unknown>; orderIds: number[]; xero: XeroPort | null }): Promise<Array<{ orderId: number; draft?: unknown; error?: string }>>;
}
