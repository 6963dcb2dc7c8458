/**
 * Runs a sync of one RunKind with a run record: starts it, feeds progress and log lines to the
 * caller (progress bar, server-sent events) and to the connector store, stops between pages when
 * cancelled, and ends with a summary (what was created, what failed and why, Xero calls used).
 * Locking one run per store+organisation is the caller's job (apps/api holds the lock).
 */
import type { ConnectorStore, RunKind, SyncLogEntry, SyncRun } from '../ports/connector-store.port';
import type { OpenCartReader, OpenCartWriter } from '../ports/opencart.port';
import type { XeroPort } from '../ports/xero.port';
import { LedgerSession, type PlannedWrite } from '../ledger/write-once.protocol';
import type { Settings } from '../settings/settings.schema';
import { ExportCustomersUseCase } from './export-customers.use-case';
import { ExportItemsUseCase } from './export-items.use-case';
import type { Clock, SyncLogger } from './sync-logger.port';
import { SyncOrdersUseCase, type SyncOrdersDeps } from './sync-orders';
import {
  addCounts,
  describeStop,
  emptyCounts,
  resolveSettings,
  type RunLogLine,
  type RunReporter,
  type SyncCounts,
  type SyncProgress,
  type UseCaseResult,
} from './sync-run.model';
import { SyncStockUseCase } from './sync-stock.use-case';
import { exchangeLogLine } from './xero-exchange.log';

export interface SyncRunnerDeps {
  reader: OpenCartReader;
  writer: OpenCartWriter;
  xero: XeroPort;
  store: ConnectorStore;
  logger: SyncLogger;
  clock: Clock;
  /** See SyncOrdersDeps.formatDbTime. */
  formatDbTime?: SyncOrdersDeps['formatDbTime'];
  /** See SyncOrdersDeps.maxAutoRetries. */
  maxAutoRetries?: number;
}

export interface SyncRunRequest {
  /** Connection scope. */
  scope: string;
  /** What to sync. 'all' runs the parts switched on in the settings: customers, items, orders, stock. */
  kind: RunKind;
  /** What started it: cron, schedule, manual, cli, api. */
  trigger: string;
  /** Plan only; nothing is written to Xero, the ledger or the store. */
  dryRun?: boolean;
  /** Orders added from / to (YYYY-MM-DD). */
  from?: string;
  to?: string;
  /** Only these orders. */
  orderIds?: number[];
  /** Settings to use instead of the saved ones (e.g. the CLI's --settings FILE). */
  settings?: Settings;
  /** Orders per page (default 100). */
  pageSize?: number;
  /** Apply a stock sync even when the zero guard would stop it (CLI --confirm-stock, API confirmStock). */
  confirmStock?: boolean;
  /** Cancels the run between pages. */
  signal?: AbortSignal;
  /** Progress of the current part. */
  onProgress?: (event: SyncProgress) => void;
  /** Every outcome line as it happens. */
  onLog?: (line: RunLogLine) => void;
}

/** The summary of a run (also stored as the run record's summary). */
export interface SyncSummary extends SyncCounts {
  runId: string;
  kind: RunKind;
  status: SyncRun['status'];
  /** Why the run failed as a whole. */
  error: string | null;
  dryRun: boolean;
  /** The parts run and how each ended. */
  parts: Array<{ part: 'customers' | 'items' | 'orders' | 'stock'; status: UseCaseResult['status'] | 'skipped'; error: string | null }>;
  /** Xero API calls this run made. */
  xeroCalls: number;
  /** Xero API calls by endpoint in this run. */
  xeroCallsByEndpoint: Record<string, number>;
  /** Xero API calls per order handled (0 when no order). */
  xeroCallsPerOrder: number;
  /** Wall time in milliseconds. */
  durationMs: number;
  /** Dry run: every write the run would make, in order (the real run makes these on the same store). */
  planned?: PlannedWrite[];
}

type Part = SyncSummary['parts'][number]['part'];

/** How many log lines to buffer before writing them to the store. */
const LOG_FLUSH_LINES = 200;

export class SyncRunner {
  constructor(private readonly deps: SyncRunnerDeps) {}

  async run(request: SyncRunRequest): Promise<SyncSummary> {
    const { store, xero, logger, clock } = this.deps;
    const startedAtMs = clock.now().getTime();
    const usageBefore = xero.usage();
    const dryRun = Boolean(request.dryRun);
    const record = await store.startRun({ scope: request.scope, kind: request.kind, trigger: request.trigger, dryRun });
    const runId = record.id;
    const counts = emptyCounts();
    const parts: SyncSummary['parts'] = [];
    // One ledger session for all parts: a dry run's orders see the contacts its customers part would create.
    // A run for chosen orders is the merchant's retry: it starts their attempt counts again.
    const ledger = new LedgerSession(store, request.scope, dryRun, Boolean(request.orderIds?.length));
    const planned = ledger.planned;
    const buffer: SyncLogEntry[] = [];
    const flush = async (): Promise<void> => {
      if (!buffer.length) return;
      const lines = buffer.splice(0, buffer.length);
      await store.appendLog(lines);
    };
    // The plan (dry runs) goes on the final summary only: progress updates stay small on big stores.
    const summaryNow = (status: SyncRun['status'], error: string | null, final = false): SyncSummary => {
      const usage = xero.usage();
      const byEndpoint: Record<string, number> = {};
      for (const [k, v] of Object.entries(usage.callsByEndpoint)) {
        const d = v - (usageBefore.callsByEndpoint[k] ?? 0);
        if (d) byEndpoint[k] = d;
      }
      const xeroCalls = usage.calls - usageBefore.calls;
      return {
        ...counts,
        failures: [...counts.failures],
        runId,
        kind: request.kind,
        status,
        error,
        dryRun,
        parts: [...parts],
        xeroCalls,
        xeroCallsByEndpoint: byEndpoint,
        xeroCallsPerOrder: counts.ordersSeen ? Math.round((xeroCalls / counts.ordersSeen) * 10000) / 10000 : 0,
        durationMs: clock.now().getTime() - startedAtMs,
        ...(dryRun && final ? { planned: [...planned] } : {}),
      };
    };
    let pendingFlush: Promise<void> = Promise.resolve();
    const reporter: RunReporter = {
      log: (line) => {
        buffer.push({ ...line, runId, createdAt: clock.now().toISOString() });
        request.onLog?.(line);
        if (buffer.length >= LOG_FLUSH_LINES) pendingFlush = pendingFlush.then(flush);
      },
      progress: (event) => {
        request.onProgress?.({ ...event, runId });
        pendingFlush = pendingFlush.then(flush).then(() => store.updateRun(runId, summaryNow('running', null) as unknown as Record<string, unknown>));
      },
    };

    let status: SyncRun['status'] = 'completed';
    let error: string | null = null;
    let stopExchanges: (() => void) | undefined;
    try {
      const settings = await resolveSettings(store, { runId, scope: request.scope, settings: request.settings });
      // Debug: Xero's requests and responses, redacted, into this run's log.
      if (settings.debug && xero.onExchange) stopExchanges = xero.onExchange((x) => reporter.log(exchangeLogLine(x)));
      logger.info('sync run started', { runId, scope: request.scope, kind: request.kind, trigger: request.trigger, dryRun });
      for (const part of this.partsOf(request.kind, settings)) {
        if (request.signal?.aborted) {
          status = 'cancelled';
          break;
        }
        if (!part.enabled) {
          parts.push({ part: part.part, status: 'skipped', error: null });
          reporter.log({ level: 'info', entityType: '', entityId: '', status: 'skipped', message: `${part.label} is switched off in the settings.` });
          continue;
        }
        const base = { runId, scope: request.scope, dryRun, settings, signal: request.signal, reporter, ledger };
        const result = await this.runPart(part.part, base, request);
        addCounts(counts, result.counts);
        parts.push({ part: part.part, status: result.status, error: result.error });
        await pendingFlush;
        if (result.status !== 'completed') {
          status = result.status;
          error = result.error;
          break;
        }
      }
    } catch (e) {
      status = 'failed';
      error = describeStop(e);
    } finally {
      stopExchanges?.();
    }
    if (error) reporter.log({ level: 'error', entityType: '', entityId: '', status: 'run-failed', message: error });
    const summary = summaryNow(status, error, true);
    try {
      await pendingFlush;
      await flush();
    } catch (e) {
      logger.error('could not write the run log', { runId, reason: describeStop(e) });
    }
    await store.finishRun(runId, status, summary as unknown as Record<string, unknown>, error);
    logger.info('sync run finished', {
      runId,
      status,
      ordersExported: summary.ordersExported,
      failures: summary.failures.length,
      xeroCalls: summary.xeroCalls,
    });
    return summary;
  }

  private partsOf(kind: RunKind, settings: Settings): Array<{ part: Part; enabled: boolean; label: string }> {
    const all: Array<{ part: Part; enabled: boolean; label: string }> = [
      // Customers and items first: orders then find their contacts and item codes already in Xero.
      { part: 'customers', enabled: settings.exportCustomers, label: 'Export Customers' },
      { part: 'items', enabled: settings.exportItems, label: 'Export Items' },
      { part: 'orders', enabled: settings.exportInvoices, label: 'Export Invoices' },
      // Tracked inventory alone runs the stock part too: it gives new tracked items their opening stock.
      { part: 'stock', enabled: settings.syncItemStocks || settings.syncItemsWithXeroInventory, label: 'Sync Items Stocks' },
    ];
    // Asked for by name, a part runs even when 'all' would leave it out.
    if (kind !== 'all') return all.filter((p) => p.part === kind).map((p) => ({ ...p, enabled: true }));
    return all;
  }

  private async runPart(
    part: Part,
    base: { runId: string; scope: string; dryRun: boolean; settings: Settings; signal?: AbortSignal; reporter: RunReporter; ledger: LedgerSession },
    request: SyncRunRequest,
  ): Promise<UseCaseResult> {
    const { reader, writer, xero, store, logger, clock, formatDbTime, maxAutoRetries } = this.deps;
    switch (part) {
      case 'customers':
        return new ExportCustomersUseCase({ reader, xero, store, logger }).execute(base);
      case 'items':
        return new ExportItemsUseCase({ reader, xero, store, logger }).execute(base);
      case 'orders':
        return new SyncOrdersUseCase({ reader, xero, store, logger, clock, formatDbTime, maxAutoRetries }).execute({
          ...base,
          from: request.from,
          to: request.to,
          orderIds: request.orderIds,
          pageSize: request.pageSize,
        });
      case 'stock':
        return new SyncStockUseCase({ reader, writer, xero, store, logger, clock }).execute({
          ...base,
          confirmStock: request.confirmStock,
          forceLevels: request.kind === 'stock',
        });
    }
  }
}
