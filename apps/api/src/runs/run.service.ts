import { ConflictException, Inject, Injectable, Logger, NotFoundException, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { isSyncError, runRefusal, type ConnectorStore, type SyncRun } from '@oc-xero/sync-core';
import { randomUUID } from 'node:crypto';
import { Observable, ReplaySubject } from 'rxjs';
import type { AppConfig } from '../config/app-config';
import type { RunRequest, SyncEngine } from '../ports/sync-engine.port';
import { APP_CONFIG, CONNECTOR_STORE, SYNC_ENGINE } from '../ports/tokens';
import { SettingsService } from '../settings/settings.service';
import { WEBHOOK_TRIGGER } from '../webhooks/xero-webhook.service';
import { XeroConnectionService } from '../xero/xero-connection.service';

/**
 * The run lock is a lease: held LOCK_TTL_MS past its last renewal and renewed every LOCK_RENEW_MS
 * while its holder lives, so a killed instance blocks syncing for at most LOCK_TTL_MS (not minutes).
 * Three renewals fit in one lease: a slow database round trip or a busy event loop does not lose it.
 */
export const LOCK_TTL_MS = 30_000;
export const LOCK_RENEW_MS = 10_000;
/** How often this instance looks for runs whose holder died (their lease expired). */
export const REAP_EVERY_MS = 15_000;
const POLL_MS = 1000;
/** Runs started elsewhere than RunService.start hold no lease: the CLI's, and webhook runs. */
const UNLEASED_TRIGGERS = new Set(['cli', WEBHOOK_TRIGGER]);
const INTERRUPTED_BY_CRASH =
  'The process running this sync stopped without finishing it (crash, kill or power loss). Nothing was lost: the next run resumes from the last checkpoint.';
const INTERRUPTED_BY_SHUTDOWN =
  'The service was stopped (SIGTERM) while this sync ran; it stopped at a page boundary and the next run resumes from the checkpoint.';

export type StartOutcome =
  | { started: true; run: SyncRun }
  | {
      started: false;
      reason: string;
      runningRunId: string | null;
      /** Set when a setting forbids the run (e.g. 'connector-disabled'), with the setting's key. */
      code?: string;
      setting?: string;
    };

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
export class RunService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RunService.name);
  private readonly instanceId = randomUUID();
  private readonly local = new Map<string, LocalRun>();
  private readonly executions = new Set<Promise<unknown>>();
  private reaper: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(
    @Inject(CONNECTOR_STORE) private readonly store: ConnectorStore,
    @Inject(SYNC_ENGINE) private readonly engine: SyncEngine,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: SettingsService,
    private readonly xero: XeroConnectionService,
  ) {}

  /** Starts a run unless one holds the lock; answers once the run record exists, never waits for the run. */
  async start(request: RunRequest, trigger: string, options: { minIntervalMs?: number } = {}): Promise<StartOutcome> {
    const settings = await this.settings.current();
    // Status off: every trigger is refused here, before Xero is even asked (dry runs write nothing: allowed).
    const refusal = runRefusal(settings, request);
    if (refusal) return { started: false, reason: refusal.message, runningRunId: null, code: refusal.code, setting: refusal.setting };
    const xero = await this.xero.gateway();
    const tenantId = (await this.xero.tenantId()) ?? 'none';
    const lock = `run:${this.config.scope}:${tenantId}`;
    const owner = `${this.instanceId}:${randomUUID()}`;
    if (this.stopping) return { started: false, reason: 'The service is shutting down; the sync will run after it restarts.', runningRunId: null };
    const tooSoon = async (): Promise<StartOutcome | null> => {
      if (!options.minIntervalMs) return null;
      const last = await this.startedWithin(trigger, options.minIntervalMs);
      if (!last) return null;
      const waitS = Math.ceil((options.minIntervalMs - (Date.now() - Date.parse(last.startedAt))) / 1000);
      return {
        started: false,
        reason: `A ${trigger} run started at ${last.startedAt}; ${trigger} runs start at most once every ${options.minIntervalMs / 1000} s (next in ${Math.max(1, waitS)} s).`,
        runningRunId: last.status === 'running' ? last.id : null,
      };
    };
    // Before the lock, so a burst is answered at once with the real reason…
    const early = await tooSoon();
    if (early) return early;
    if (!(await this.store.tryLock(lock, owner, LOCK_TTL_MS))) {
      return { started: false, reason: 'A sync is already running for this store and organisation.', runningRunId: await this.runningRunId() };
    }
    // …and again under the lease, so requests racing between two runs cannot all pass it.
    const late = await tooSoon().catch(async (e: unknown) => {
      await this.store.unlock(lock, owner).catch(() => undefined);
      throw e;
    });
    if (late) {
      await this.store.unlock(lock, owner);
      return late;
    }
    // Holding the lease, no other live run of this scope exists: any still "running" is dead.
    await this.markOrphansInterrupted().catch((e: Error) => this.logger.error({ msg: `Could not mark interrupted runs: ${e.message}` }));
    const abort = new AbortController();
    // Replays the latest event, so a late subscriber sees where the run is at once.
    const events = new ReplaySubject<RunEvent>(1);
    let lastRenewedMs = Date.now();
    const renew = setInterval(() => {
      void this.store.tryLock(lock, owner, LOCK_TTL_MS).then(
        (held) => {
          if (held) lastRenewedMs = Date.now();
          else {
            // Someone took the lease over (this process stalled past its expiry): stop, never run two at once.
            this.logger.error({ msg: 'Run lock lost to another holder; stopping this run at the next page boundary', runId });
            abort.abort();
          }
        },
        (e: Error) => {
          this.logger.warn({ msg: `Could not renew the run lock: ${e.message}`, runId });
          if (Date.now() - lastRenewedMs >= LOCK_TTL_MS) abort.abort();
        },
      );
    }, LOCK_RENEW_MS);
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
        // A run stopped by SIGTERM reads "interrupted" (resumable), not "cancelled" by a person.
        if (runId && this.stopping && abort.signal.aborted) {
          const run = await this.store.getRun(runId).catch(() => null);
          if (run && (run.status === 'cancelled' || run.status === 'running'))
            await this.store.finishRun(runId, 'interrupted', run.summary, INTERRUPTED_BY_SHUTDOWN).catch(() => undefined);
        }
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

  /** The newest run of this trigger, when it started less than `ms` ago. */
  private async startedWithin(trigger: string, ms: number): Promise<SyncRun | undefined> {
    const runs = await this.store.listRuns(this.config.scope, { limit: 50 });
    const last = runs.find((r) => r.trigger === trigger);
    return last && Date.now() - Date.parse(last.startedAt) < ms ? last : undefined;
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
      let polls = 0;
      const poll = async () => {
        if (closed) return;
        try {
          let run = await this.get(id);
          // Every few seconds: is its holder still alive? A dead one's run is marked interrupted here.
          if (run.status === 'running' && ++polls % 5 === 0 && (await this.reapOrphans())) run = await this.get(id);
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

  /** SIGTERM: no new runs; this instance's runs stop at their next page boundary (checkpoint safe). */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const [runId, run] of this.local) {
      this.logger.log({ msg: 'Stopping the run for shutdown', runId });
      run.abort.abort();
    }
    await this.drain();
  }

  onApplicationBootstrap(): void {
    // At start-up (a previous process may have died mid-run), then regularly: a run whose lease expired is dead.
    void this.reapOrphans().catch((e: Error) => this.logger.error({ msg: `Could not check for interrupted runs: ${e.message}` }));
    this.reaper = setInterval(() => void this.reapOrphans().catch(() => undefined), REAP_EVERY_MS);
    this.reaper.unref();
  }

  onApplicationShutdown(): void {
    if (this.reaper) clearInterval(this.reaper);
  }

  /**
   * Marks runs whose holder died as interrupted, when their lease has expired: taking the lease
   * (briefly, under an owner of its own) proves no live holder exists. True when it marked any.
   */
  async reapOrphans(): Promise<boolean> {
    if (this.stopping || !(await this.orphanCandidates()).length) return false;
    const tenantId = (await this.xero.tenantId()) ?? 'none';
    const lock = `run:${this.config.scope}:${tenantId}`;
    const owner = `${this.instanceId}:reaper:${randomUUID()}`;
    if (!(await this.store.tryLock(lock, owner, LOCK_TTL_MS))) return false;
    try {
      return (await this.markOrphansInterrupted()) > 0;
    } finally {
      await this.store.unlock(lock, owner).catch(() => undefined);
    }
  }

  /** Runs recorded as running that hold the lease while they run and are not this instance's. */
  private async orphanCandidates(): Promise<SyncRun[]> {
    const runs = await this.store.listRuns(this.config.scope, { limit: 20 });
    return runs.filter((r) => r.status === 'running' && !UNLEASED_TRIGGERS.has(r.trigger) && !this.local.has(r.id));
  }

  /** Call only while holding the run lease. */
  private async markOrphansInterrupted(): Promise<number> {
    const orphans = await this.orphanCandidates();
    for (const run of orphans) {
      await this.store.finishRun(run.id, 'interrupted', run.summary, INTERRUPTED_BY_CRASH);
      this.logger.warn({ msg: 'Run marked interrupted: its process died mid-run', runId: run.id });
    }
    return orphans.length;
  }
}
