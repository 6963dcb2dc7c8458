import type { RunKind, SyncRun, XeroPort } from '@oc-xero/sync-core';

/** What a caller asks a run to do. */
export interface RunRequest {
  kind: RunKind;
  /** 'YYYY-MM-DD', inclusive. */
  from?: string;
  /** 'YYYY-MM-DD', inclusive. */
  to?: string;
  dryRun: boolean;
  /** Only these orders ("sync now"). */
  orderIds?: number[];
  /** Apply a stock sync even when the zero guard would stop it. */
  confirmStock?: boolean;
}

export interface RunContext {
  scope: string;
  trigger: string;
  request: RunRequest;
  settings: Record<string, unknown>;
  xero: XeroPort;
  /** Aborted when the run is cancelled; the engine stops at the next page boundary. */
  signal: AbortSignal;
  /** Called once the run record exists (the API answers with its id). */
  onStarted(run: SyncRun): void;
  /** Called with progress as the run goes (for server-sent events). */
  progress(event: Record<string, unknown>): void;
}

/**
 * sync-core's runner as the API drives it. The engine writes the run record (start, progress,
 * log, finish); the API holds the lock around it and relays progress.
 */
export interface SyncEngine {
  /** Runs request.kind; resolves with the run's summary once the run record is finished. */
  execute(ctx: RunContext): Promise<Record<string, unknown>>;
  /** What these orders would become in Xero (nothing is written). */
  previewOrders(input: { scope: string; settings: Record<string, unknown>; orderIds: number[]; xero: XeroPort }): Promise<unknown>;
}
