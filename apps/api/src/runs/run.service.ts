import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { isSyncError, type ConnectorStore, type SyncRun } from '@oc-xero/sync-core';
import { randomUUID } from 'node:crypto';
import { Observable, ReplaySubject } from 'rxjs';
import type { AppConfig } from '../config/app-config';
import type { RunRequest, SyncEngine } from '../ports/sync-engine.port';
import { APP_CONFIG, CONNECTOR_STORE, SYNC_ENGINE } from '../ports/tokens';
import { SettingsService } from '../settings/settings.service';
import { WEBHOOK_TRIGGER } from '../webhooks/xero-webhook.service';
import { XeroConnectionService } from '../xero/xero-connection.service';

/** A run holds the scope's lock this long between renewals; a crashed instance frees it after that. */
const LOCK_TTL_MS = 10 * 60_000;
const LOCK_RENEW_MS = 60_000;
const POLL_MS = 1000;

export type StartOutcome = { started: true; run: SyncRun } | { started: false; reason: string; runningRunId: string | null };

type RunEvent = { type: string; data: unknown };

interface LocalRun {
  abort: AbortController;
  events: ReplaySubject<RunEvent>;
  done: Promise<unknown>;
}

/**
 * Starts, follows and cancels runs. One run at a time per store + organisation: the database
 * lock (ConnectorStore.tryLock) is what two API instances share, so they never run the same sync.
 * The engine (sync-core's SyncRunner) writes the run record; this service holds the lock around it.
 */
@Injectable()
export class RunService {
  private readonly logger = new Logger(RunService.name);
  private readonly instanceId = randomUUID();
  private readonly local = new Map<string, LocalRun>();
  private readonly executions = new Set<Promise<unknown>>();

  constructor(
    @Inject(CONNECTOR_STORE) private readonly store: ConnectorStore,
    @Inject(SYNC_ENGINE) private readonly engine: SyncEngine,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: SettingsService,
    private readonly xero: XeroConnectionService,
  ) {}

  /** Starts a run unless one holds the lock; answers once the run record exists, never waits for the run. */
  async start(request: RunRequest, trigger: string): Promise<StartOutcome> {
    const settings = await this.settings.current();
    const xero = await this.xero.gateway();
    const tenantId = (await this.xero.tenantId()) ?? 'none';
    const lock = `run:${this.config.scope}:${tenantId}`;
    const owner = `${this.instanceId}:${randomUUID()}`;
    if (!(await this.store.tryLock(lock, owner, LOCK_TTL_MS))) {
      return { started: false, reason: 'A sync is already running for this store and organisation.', runningRunId: await this.runningRunId() };
    }
    const abort = new AbortController();
    // Replays the latest event, so a late subscriber sees where the run is at once.
    const events = new ReplaySubject<RunEvent>(1);
    const renew = setInterval(() => void this.store.tryLock(lock, owner, LOCK_TTL_MS).catch(() => undefined), LOCK_RENEW_MS);
    renew.unref();
    let runId: string | null = null;
    let resolveStarted!: (run: SyncRun) => void;
    const started = new Promise<SyncRun>((resolve) => (resolveStarted = resolve));
    const execution: Promise<unknown> = this.engine
      .execute({
        scope: this.config.scope,
        trigger,
        request,
        settings,
        xero,
        signal: abort.signal,
        onStarted: (run) => {
          runId = run.id;
          this.local.set(run.id, { abort, events, done: execution });
          this.logger.log({ msg: 'Run started', runId: run.id, kind: run.kind, trigger, dryRun: run.dryRun });
          resolveStarted(run);
        },
        progress: (p) => events.next({ type: 'progress', data: p }),
      })
      .then(
        (summary) => {
          this.logger.log({ msg: 'Run finished', runId, status: summary.status, xeroCalls: summary.xeroCalls });
          return null;
        },
        async (e: unknown) => {
          const message = isSyncError(e) ? e.message : `Unexpected error: ${(e as Error)?.message ?? String(e)}`;
          this.logger.error({ msg: `Run failed: ${message}`, runId });
          // The engine finishes its own record; make sure none stays "running" if it could not.
          if (runId && (await this.store.getRun(runId).catch(() => null))?.status === 'running') {
            await this.store.finishRun(runId, abort.signal.aborted ? 'cancelled' : 'failed', {}, message).catch(() => undefined);
          }
          return e;
        },
      )
      .then(async (failure) => {
        clearInterval(renew);
        await this.store.unlock(lock, owner).catch((e: Error) => this.logger.error({ msg: `Could not release the run lock: ${e.message}`, runId }));
        if (runId) {
          events.next({ type: 'finished', data: await this.store.getRun(runId).catch(() => null) });
          this.local.delete(runId);
        }
        events.complete();
        return failure;
      });
    this.executions.add(execution);
    void execution.finally(() => this.executions.delete(execution));
    // Either the record exists, or the engine failed before creating it (then the caller hears why).
    const first = await Promise.race([started, execution.then((failure) => ({ failure }))]);
    if (!('failure' in first)) return { started: true, run: first };
    if (runId) return { started: true, run: (await this.store.getRun(runId))! };
    throw first.failure ?? new Error('The sync engine ended without starting a run.');
  }

  /** The run holding the lock; the winner of a race may not have written its record yet, so look a little while. */
  private async runningRunId(): Promise<string | null> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const runs = await this.store.listRuns(this.config.scope, { limit: 10 });
      const running = runs.find((r) => r.status === 'running' && r.trigger !== WEBHOOK_TRIGGER);
      if (running) return running.id;
      await new Promise((r) => setTimeout(r, 100));
    }
    return null;
  }

  async get(id: string): Promise<SyncRun> {
    const run = await this.store.getRun(id);
    if (!run || run.scope !== this.config.scope) throw new NotFoundException(`No run ${id}.`);
    return run;
  }

  history(query: { limit: number; beforeId?: string }): Promise<SyncRun[]> {
    return this.store.listRuns(this.config.scope, query);
  }

  /** Asks the run to stop at the next page boundary. */
  async cancel(id: string) {
    const run = await this.get(id);
    if (run.status !== 'running') throw new ConflictException(`Run ${id} is already ${run.status}.`);
    const local = this.local.get(id);
    if (!local) throw new ConflictException(`Run ${id} runs in another API instance; cancel it there.`);
    local.abort.abort();
    this.logger.log({ msg: 'Run cancel requested', runId: id });
    return { id, cancelling: true };
  }

  /** Live progress: pushed by this instance's run, polled from the database for runs elsewhere. */
  events(id: string): Observable<RunEvent> {
    return new Observable((sub) => {
      let closed = false;
      let timer: NodeJS.Timeout | undefined;
      const local = this.local.get(id);
      if (local) {
        const inner = local.events.subscribe({
          next: (e) => {
            sub.next(e);
            if (e.type === 'finished') sub.complete();
          },
        });
        return () => inner.unsubscribe();
      }
      const poll = async () => {
        if (closed) return;
        try {
          const run = await this.get(id);
          if (run.status !== 'running') {
            sub.next({ type: 'finished', data: run });
            sub.complete();
            return;
          }
          sub.next({ type: 'progress', data: run.summary });
        } catch (e) {
          sub.error(e);
          return;
        }
        timer = setTimeout(() => void poll(), POLL_MS);
      };
      void poll();
      return () => {
        closed = true;
        if (timer) clearTimeout(timer);
      };
    });
  }

  /** For shutdown and tests: waits for this instance's runs to end. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.executions]);
  }
}
