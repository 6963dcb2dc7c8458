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

interface LocalRun {
  abort: AbortController;
  events: ReplaySubject<{ type: string; data: unknown }>;
  done: Promise<void>;
}

/**
 * Starts, follows and cancels runs. One run at a time per store + organisation: the database
 * lock (ConnectorStore.tryLock) is what two API instances share, so they never run the same sync.
 */
@Injectable()
export class RunService {
  private readonly logger = new Logger(RunService.name);
  private readonly instanceId = randomUUID();
  private readonly local = new Map<string, LocalRun>();

  constructor(
    @Inject(CONNECTOR_STORE) private readonly store: ConnectorStore,
    @Inject(SYNC_ENGINE) private readonly engine: SyncEngine,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: SettingsService,
    private readonly xero: XeroConnectionService,
  ) {}

  /** Starts a run unless one holds the lock; never waits for the run itself. */
  async start(request: RunRequest, trigger: string): Promise<StartOutcome> {
    const settings = await this.settings.current();
    const xero = await this.xero.gateway();
    const tenantId = (await this.xero.tenantId()) ?? 'none';
    const lock = `run:${this.config.scope}:${tenantId}`;
    const owner = `${this.instanceId}:${randomUUID()}`;
    if (!(await this.store.tryLock(lock, owner, LOCK_TTL_MS))) {
      return { started: false, reason: 'A sync is already running for this store and organisation.', runningRunId: await this.runningRunId() };
    }
    let run: SyncRun;
    try {
      run = await this.store.startRun({ scope: this.config.scope, kind: request.kind, trigger, dryRun: request.dryRun });
    } catch (e) {
      await this.store.unlock(lock, owner);
      throw e;
    }
    const abort = new AbortController();
    // Replays the latest event, so a late subscriber sees where the run is at once.
    const events = new ReplaySubject<{ type: string; data: unknown }>(1);
    const renew = setInterval(() => void this.store.tryLock(lock, owner, LOCK_TTL_MS).catch(() => undefined), LOCK_RENEW_MS);
    renew.unref();
    this.logger.log({ msg: 'Run started', runId: run.id, kind: run.kind, trigger, dryRun: run.dryRun });
    const done = this.execute(run, request, settings, xero, abort, events).finally(async () => {
      clearInterval(renew);
      this.local.delete(run.id);
      events.complete();
      await this.store.unlock(lock, owner).catch((e: Error) => this.logger.error({ msg: `Could not release the run lock: ${e.message}`, runId: run.id }));
    });
    this.local.set(run.id, { abort, events, done });
    return { started: true, run };
  }

  private async execute(run: SyncRun, request: RunRequest, settings: Record<string, unknown>, xero: Awaited<ReturnType<XeroConnectionService['gateway']>>, abort: AbortController, events: ReplaySubject<{ type: string; data: unknown }>): Promise<void> {
    let last: Record<string, unknown> = {};
    let lastSavedMs = 0;
    try {
      const summary = await this.engine.execute({
        run,
        request,
        settings,
        xero,
        signal: abort.signal,
        progress: (s) => {
          last = s;
          events.next({ type: 'progress', data: s });
          // Throttled: progress is for people, the database need not see every element.
          if (Date.now() - lastSavedMs > POLL_MS) {
            lastSavedMs = Date.now();
            void this.store.updateRun(run.id, s).catch(() => undefined);
          }
        },
      });
      const status = abort.signal.aborted ? 'cancelled' : 'completed';
      await this.store.finishRun(run.id, status, summary);
      this.logger.log({ msg: `Run ${status}`, runId: run.id, summary });
    } catch (e) {
      const message = isSyncError(e) ? e.message : `Unexpected error: ${(e as Error)?.message ?? String(e)}`;
      const status = abort.signal.aborted ? 'cancelled' : 'failed';
      await this.store.finishRun(run.id, status, last, message).catch(() => undefined);
      await this.store
        .appendLog([{ runId: run.id, level: 'error', entityType: '', entityId: '', status: 'failed', message }])
        .catch(() => undefined);
      this.logger.error({ msg: `Run ${status}: ${message}`, runId: run.id });
    }
    const final = await this.store.getRun(run.id).catch(() => null);
    events.next({ type: 'finished', data: final });
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
  events(id: string): Observable<{ type: string; data: unknown }> {
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
    await Promise.allSettled([...this.local.values()].map((r) => r.done));
  }
}
