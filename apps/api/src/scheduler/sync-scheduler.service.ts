import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { ConnectorStore } from '@oc-xero/sync-core';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, CONNECTOR_STORE } from '../ports/tokens';
import { RunService } from '../runs/run.service';
import { SettingsService } from '../settings/settings.service';
import { WEBHOOK_TRIGGER } from '../webhooks/xero-webhook.service';
import { XeroConnectionService } from '../xero/xero-connection.service';

const TICK_MS = 60_000;
const KEEP_ALIVE_MS = 10 * 60_000;

/**
 * The incremental sync every syncIntervalMinutes and the token keep-alive. The interval is
 * measured from the newest run in the database (any trigger, any instance), so two instances
 * do not double the rate; the run lock keeps them from running at once.
 */
@Injectable()
export class SyncSchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SyncSchedulerService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONNECTOR_STORE) private readonly store: ConnectorStore,
    private readonly settings: SettingsService,
    private readonly runs: RunService,
    private readonly xero: XeroConnectionService,
    private readonly registry: SchedulerRegistry,
  ) {}

  /** Registered here rather than with @Interval so SCHEDULER_ENABLED=false leaves no timer at all. */
  onApplicationBootstrap(): void {
    if (!this.config.schedulerEnabled) return;
    this.registry.addInterval('incremental-sync', setInterval(() => void this.tick(), TICK_MS));
    this.registry.addInterval('xero-keep-alive', setInterval(() => void this.keepAlive(), KEEP_ALIVE_MS));
  }

  onApplicationShutdown(): void {
    for (const name of this.registry.getIntervals()) this.registry.deleteInterval(name);
  }

  /** One scheduler tick: starts the incremental sync when it is due. */
  async tick(): Promise<'disabled' | 'not-due' | 'not-connected' | 'started' | 'busy' | 'error'> {
    try {
      const rt = await this.settings.runtime();
      if (!rt.enabled) return 'disabled';
      if (!(await this.xero.tenantId())) return 'not-connected';
      const recent = await this.store.listRuns(this.config.scope, { limit: 20 });
      const last = recent.find((r) => r.trigger !== WEBHOOK_TRIGGER);
      if (last && Date.now() - Date.parse(last.startedAt) < rt.syncIntervalMinutes * 60_000) return 'not-due';
      const outcome = await this.runs.start({ kind: 'all', dryRun: false }, 'schedule');
      return outcome.started ? 'started' : 'busy';
    } catch (e) {
      this.logger.error(`Scheduled sync could not start: ${(e as Error).message}`);
      return 'error';
    }
  }

  /** Proactive token refresh (xero-client decides whether it is due). */
  async keepAlive(): Promise<void> {
    try {
      const outcome = await this.xero.keepAlive();
      if (outcome === 'refreshed') this.logger.log('Xero connection kept alive (token refreshed).');
    } catch (e) {
      this.logger.error(`Xero keep-alive failed: ${(e as Error).message}`);
    }
  }
}
