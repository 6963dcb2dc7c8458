import { Injectable } from '@nestjs/common';
import type { SyncRun } from '@oc-xero/sync-core';
import { concatMap, firstValueFrom, from, map, type Observable, switchMap, take, timeout, catchError, of } from 'rxjs';
import { runConflict } from './run-refusal';
import { RunService } from './run.service';
import type { StartRunBody } from './run.dto';

type RunEvent = { type: string; data: unknown };

const numbersOf = (summary: Record<string, unknown>): Record<string, number> =>
  Object.fromEntries(Object.entries(summary).filter(([k, v]) => typeof v === 'number' && k !== 'durationMs')) as Record<string, number>;

/**
 * HTTP meaning of run outcomes (a run already going is a 409 for a person who asked for a new
 * one), and progress as the admin's bar needs it: phase, processed, total, the run's counters and
 * timestamps, on every event and in GET /api/runs/:id.
 */
@Injectable()
export class RunsFacade {
  constructor(private readonly runs: RunService) {}

  async start(body: StartRunBody) {
    const outcome = await this.runs.start({ kind: body.kind, from: body.from, to: body.to, dryRun: body.dryRun, confirmStock: body.confirmStock }, 'manual');
    if (!outcome.started) throw runConflict(outcome);
    return { runId: outcome.run.id, run: { ...outcome.run, progress: null } };
  }

  history(q: { limit: number; beforeId?: string }) { return this.runs.history(q); }

  /** The run, with its latest progress while it runs in this instance. */
  async get(id: string) {
    const run = await this.runs.get(id);
    if (run.status !== 'running') return { ...run, progress: null };
    const latest = await firstValueFrom(
      this.runs.events(id).pipe(
        take(1),
        timeout(300),
        catchError(() => of(null)),
      ),
    );
    const p = latest?.type === 'progress' ? (latest.data as Record<string, unknown>) : null;
    return { ...run, progress: p && typeof p.phase === 'string' ? this.progressOf(p) : null };
  }

  cancel(id: string) { return this.runs.cancel(id); }

  events(id: string): Observable<RunEvent> {
    return from(this.runs.get(id)).pipe(
      switchMap((run) =>
        this.runs.events(id).pipe(
          concatMap(async (e): Promise<RunEvent> => (e.type === 'progress' ? { type: 'progress', data: await this.progressEvent(run, e.data as Record<string, unknown>) } : e)),
        ),
      ),
      map((e) => e),
    );
  }

  private progressOf(p: Record<string, unknown>) {
    return {
      phase: String(p.phase),
      processed: typeof p.processed === 'number' ? p.processed : 0,
      total: typeof p.total === 'number' ? p.total : null,
      message: typeof p.message === 'string' ? p.message : null,
      at: new Date().toISOString(),
    };
  }

  /** Engine progress (or, for a run in another instance, its stored summary) as the SSE data. */
  private async progressEvent(run: SyncRun, p: Record<string, unknown>) {
    const stored = await this.runs.get(run.id).catch(() => run);
    const isProgress = typeof p.phase === 'string';
    return {
      runId: run.id,
      ...(isProgress ? this.progressOf(p) : { phase: 'running', processed: 0, total: null, message: null, at: new Date().toISOString() }),
      counts: numbersOf(stored.summary),
      startedAt: run.startedAt,
    };
  }
}
