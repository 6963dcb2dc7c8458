import { Inject, Injectable } from '@nestjs/common';
import { settingLabel, type ConnectorStore } from '@oc-xero/sync-core';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { API_DB } from '../auth/auth.service';
import { APP_CONFIG, CONNECTOR_STORE } from '../ports/tokens';
import { OrderStateRepository } from '../orders/order-state.repository';
import { SettingsService } from '../settings/settings.service';
import { XeroConnectionService } from '../xero/xero-connection.service';

const DAY_MS = 86_400_000;
const REFRESH_TOKEN_LIFE_DAYS = 60;
const ACCESS_TOKEN_LIFE_MS = 30 * 60_000;
const DAYS = 30;

const dayOf = (d: Date | string): string => new Date(d).toISOString().slice(0, 10);

/**
 * What the merchant's home screen shows: is the connection healthy, how much of Xero's quota is
 * used, what the last runs did, what was booked per day, and what needs them. Figures come from
 * the ledger (what Xero confirmed) and the sync log (what failed), read-only from the connector
 * database the API shares.
 */
@Injectable()
export class DashboardService {
  constructor(
    @Inject(API_DB) private readonly db: DataSource,
    @Inject(CONNECTOR_STORE) private readonly store: ConnectorStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly xero: XeroConnectionService,
    private readonly settings: SettingsService,
    private readonly states: OrderStateRepository,
  ) {}

  async view() {
    const scope = this.config.scope;
    const now = Date.now();
    const [tokens, connectedSince, lastRuns, daily, callsToday, failedOrders, current, attention] = await Promise.all([
      this.store.loadTokens(scope),
      this.xero.connectedSince(),
      this.store.listRuns(scope, { limit: 10 }),
      this.daily(now),
      this.callsToday(now),
      this.failedOrders(),
      this.settings.current(),
      this.states.attention(),
    ]);
    const usage = this.xero.usage();
    const refreshedAt = tokens ? new Date(tokens.refreshedAt).getTime() : null;
    const connection = {
      connected: !!tokens,
      organisation: tokens?.tenantName || null,
      tenantId: tokens?.tenantId || null,
      connectedSince,
      accessTokenAgeSeconds: tokens ? Math.max(0, Math.round((now - (new Date(tokens.expiresAt).getTime() - ACCESS_TOKEN_LIFE_MS)) / 1000)) : null,
      accessTokenExpiresAt: tokens?.expiresAt ?? null,
      lastRefreshAt: tokens?.refreshedAt ?? null,
      refreshTokenDaysLeft: refreshedAt !== null ? Math.max(0, Math.floor((refreshedAt + REFRESH_TOKEN_LIFE_DAYS * DAY_MS - now) / DAY_MS)) : null,
    };
    const dayUsed = usage?.dayRemaining !== undefined ? 5000 - usage.dayRemaining : 0;
    const needsAttention: Array<{ kind: 'reconnect' | 'choose-organisation' | 'failures' | 'settings'; severity: 'error' | 'warning'; message: string; link: string }> = [];
    if (!tokens) needsAttention.push({ kind: 'reconnect', severity: 'error', message: 'Xero is not connected: connect it to start syncing.', link: '/settings/connection' });
    else if (!tokens.tenantId) needsAttention.push({ kind: 'choose-organisation', severity: 'error', message: 'Choose the Xero organisation to book into.', link: '/settings/connection?choose-organisation=1' });
    else if (connection.refreshTokenDaysLeft !== null && connection.refreshTokenDaysLeft < 7) {
      needsAttention.push({ kind: 'reconnect', severity: 'warning', message: `The Xero connection expires in ${connection.refreshTokenDaysLeft} day(s) unless a sync runs: reconnect or let the scheduler run.`, link: '/settings/connection' });
    }
    if (failedOrders > 0) needsAttention.push({ kind: 'failures', severity: 'error', message: `${failedOrders} order(s) failed to export: see why and retry.`, link: '/orders?state=failed' });
    if (attention.size > 0) {
      needsAttention.push({ kind: 'failures', severity: 'error', message: `${attention.size} order(s) need you: a conflict, or a failure that stopped retrying on its own; see what to do, then sync them again.`, link: '/orders?needsAttention=true' });
    }
    // Named as the settings screen (and the original extension) names them, not by their keys.
    const required = ['salesAccountCode', 'shippingAccountCode', 'roundingAccountCode'];
    const missing = required.filter((k) => !current[k]).map(settingLabel);
    if (missing.length > 0) needsAttention.push({ kind: 'settings', severity: 'warning', message: `Choose the accounts the invoices need: ${missing.join(', ')}.`, link: '/settings/accounts' });
    if (current.status !== true) needsAttention.push({ kind: 'settings', severity: 'warning', message: 'The connector is switched off (Status): nothing syncs on its own.', link: '/settings/connection' });
    return {
      connection,
      xeroCalls: {
        today: Math.max(callsToday, dayUsed),
        dayLimit: 5000 as const,
        thisMinute: usage?.minuteRemaining !== undefined ? 60 - usage.minuteRemaining : null,
        minuteLimit: 60 as const,
      },
      lastRuns: lastRuns.map((r) => ({ ...r, progress: null })),
      daily,
      needsAttention,
    };
  }

  private async callsToday(now: number): Promise<number> {
    const rows: Array<{ n: string | number | null }> = await this.db.query(
      "SELECT SUM(CAST(JSON_VALUE(summary, '$.xeroCalls') AS UNSIGNED)) AS n FROM sync_runs WHERE scope = ? AND started_at >= ?",
      [this.config.scope, new Date(`${dayOf(new Date(now))}T00:00:00Z`)],
    );
    return Number(rows[0]?.n ?? 0);
  }

  private async failedOrders(): Promise<number> {
    const rows: Array<{ n: number }> = await this.db.query(
      "SELECT COUNT(*) AS n FROM ledger WHERE scope = ? AND entity_type = 'invoice' AND status IN ('failed', 'conflict')",
      [this.config.scope],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Per UTC day: documents Xero confirmed (ledger rows done, by when they were first recorded) and failure lines of the log. */
  private async daily(now: number) {
    const since = new Date(`${dayOf(new Date(now - (DAYS - 1) * DAY_MS))}T00:00:00Z`);
    const booked: Array<{ day: string; entity_type: string; n: number }> = await this.db.query(
      `SELECT DATE_FORMAT(created_at, '%Y-%m-%d') AS day, entity_type, COUNT(*) AS n FROM ledger
       WHERE scope = ? AND status = 'done' AND entity_type IN ('invoice', 'payment', 'credit-note') AND created_at >= ?
       GROUP BY day, entity_type`,
      [this.config.scope, since],
    );
    const failed: Array<{ day: string; n: number }> = await this.db.query(
      `SELECT DATE_FORMAT(created_at, '%Y-%m-%d') AS day, COUNT(*) AS n FROM sync_log
       WHERE scope = ? AND level = 'error' AND created_at >= ? GROUP BY day`,
      [this.config.scope, since],
    );
    const days = Array.from({ length: DAYS }, (_, i) => ({ day: dayOf(new Date(since.getTime() + i * DAY_MS)), invoices: 0, payments: 0, creditNotes: 0, failures: 0 }));
    const byDay = new Map(days.map((d) => [d.day, d]));
    for (const r of booked) {
      const d = byDay.get(r.day);
      if (!d) continue;
      if (r.entity_type === 'invoice') d.invoices += Number(r.n);
      else if (r.entity_type === 'payment') d.payments += Number(r.n);
      else d.creditNotes += Number(r.n);
    }
    for (const r of failed) {
      const d = byDay.get(r.day);
      if (d) d.failures += Number(r.n);
    }
    return days;
  }
}
