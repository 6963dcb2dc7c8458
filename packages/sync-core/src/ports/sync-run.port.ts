/** Run records of the connector database (opencart-db: sync-run.repository.ts). */

/** What a run is doing. */
export type RunKind = 'orders' | 'customers' | 'items' | 'stock' | 'all';

/** A sync run. */
export interface SyncRun {
  /** Run id. */
  id: string;
  /** Connection scope. */
  scope: string;
  /** What it syncs. */
  kind: RunKind;
  /** What started it: cron, schedule, manual, cli, api. */
  trigger: string;
  /** running, completed, failed, cancelled; interrupted = its process died or stopped mid-run (the next run resumes). */
  status: 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';
  /** Whether writes were suppressed. */
  dryRun: boolean;
  /** ISO start time. */
  startedAt: string;
  /** ISO end time, null while running. */
  finishedAt: string | null;
  /** Counters and figures of the run (JSON-serialisable). */
  summary: Record<string, unknown>;
  /** Why the run failed as a whole, when it did. */
  error: string | null;
}

/** Run records. */
export interface SyncRunPort {
  /** Start a run record. */
  startRun(run: Omit<SyncRun, 'id' | 'startedAt' | 'finishedAt' | 'status' | 'summary' | 'error'>): Promise<SyncRun>;
  /** Update a run's summary while it goes. */
  updateRun(runId: string, summary: Record<string, unknown>): Promise<void>;
  /** Finish a run. */
  finishRun(runId: string, status: SyncRun['status'], summary: Record<string, unknown>, error?: string | null): Promise<void>;
  /** A run by id. */
  getRun(runId: string): Promise<SyncRun | null>;
  /** Recent runs, newest first. */
  listRuns(scope: string, query: { limit: number; beforeId?: string }): Promise<SyncRun[]>;
}
