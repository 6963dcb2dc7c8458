import { Inject, Injectable } from '@nestjs/common';
import type { ConnectorStore } from '@oc-xero/sync-core';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, CONNECTOR_STORE } from '../ports/tokens';

@Injectable()
export class LogService {
  constructor(
    @Inject(CONNECTOR_STORE) private readonly store: ConnectorStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Log lines newest first; a date-only `to` covers that whole day. */
  async list(q: { runId?: string; entityType?: string; entityId?: string; status?: string; level?: 'debug' | 'info' | 'warn' | 'error'; from?: string; to?: string; limit: number; offset: number }) {
    const to = q.to && /^\d{4}-\d{2}-\d{2}$/.test(q.to) ? `${q.to}T23:59:59.999Z` : q.to;
    const items = await this.store.listLog({ scope: this.config.scope, ...q, to });
    return { items, offset: q.offset, limit: q.limit };
  }
}
