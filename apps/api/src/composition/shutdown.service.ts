import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { API_DB } from '../auth/auth.service';
import { RunService } from '../runs/run.service';
import { XeroWebhookService } from '../webhooks/xero-webhook.service';
import type { PortBindings } from './ports.module';

export const PORT_BINDINGS = Symbol('PORT_BINDINGS');

/** On close (SIGTERM): stop this instance's runs at a page boundary, let webhook work end, then close the adapters and the API's pool. */
@Injectable()
export class ShutdownService implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly runs: RunService,
    private readonly webhooks: XeroWebhookService,
    @Inject(PORT_BINDINGS) private readonly bindings: PortBindings,
    @Inject(API_DB) private readonly apiDb: DataSource,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    // Stop runs at their next page boundary rather than waiting out a whole (maybe hours-long) run.
    await this.runs.stopAll();
    await this.webhooks.pending;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bindings.close();
    if (this.apiDb.isInitialized) await this.apiDb.destroy();
  }
}
