/**
 * `oc-xero sync`: one run of the chosen parts against the configured store and organisation.
 * Exit codes: 0 the run completed (per-record failures are in the summary), 1 the run started but
 * stopped as a whole (Xero unreachable, a setting that does not fit the organisation…), 2 it could
 * not start (bad environment, database refused, not an OpenCart database, Xero not connected).
 */
import { SingleBar } from 'cli-progress';
import {
  emptyCounts,
  type RunKind,
  type Settings,
  type SyncProgress,
  type SyncSummary,
} from '@oc-xero/sync-core';
import type { SyncContext } from './cli.composition';
import { toCliSummary, type CliSyncSummary, type WarningLine } from './sync-summary.formatter';

export const EXIT_COMPLETED = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_CANNOT_RUN = 2;

export interface SyncCommandOptions {
  orders?: boolean;
  customers?: boolean;
  items?: boolean;
  stock?: boolean;
  all?: boolean;
  from?: string;
  to?: string;
  dryRun?: boolean;
  /** Apply a stock sync even when the zero guard would stop it (--confirm-stock). */
  confirmStock?: boolean;
  /** Settings for this run (already merged and validated). */
  settings?: Settings;
  /** Show a progress bar on stderr. */
  progress?: boolean;
  /** Expected number of orders, for the bar's length (the keyset listing does not know it). */
  expectedOrders?: number;
  /** Orders per page. */
  pageSize?: number;
  signal?: AbortSignal;
}

const PART_ORDER: RunKind[] = ['customers', 'items', 'orders', 'stock'];

/** The kinds to run, in the order the runner would run them. No flag or --all = 'all'. */
export function kindsOf(
  o: Pick<SyncCommandOptions, 'orders' | 'customers' | 'items' | 'stock' | 'all'>,
): RunKind[] {
  const picked = PART_ORDER.filter((k) => o[k as 'orders' | 'customers' | 'items' | 'stock']);
  if (o.all || picked.length === 0) return ['all'];
  return picked;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A YYYY-MM-DD that is a real date; otherwise an error message naming the option. */
export function checkDate(option: string, value: string | undefined): string | null {
  if (value === undefined) return null;
  if (
    !DATE.test(value) ||
    Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ||
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value
  ) {
    return `${option} must be a date as YYYY-MM-DD, e.g. 2025-01-31 (got "${value}")`;
  }
  return null;
}

/** Adds the counts of several runs (one per part asked for) into one summary. */
export function mergeSummaries(runs: SyncSummary[]): SyncSummary {
  if (runs.length === 1) return runs[0]!;
  const counts = emptyCounts();
  const byEndpoint: Record<string, number> = {};
  let calls = 0;
  let durationMs = 0;
  for (const r of runs) {
    for (const key of Object.keys(counts) as Array<keyof typeof counts>) {
      if (key === 'failures') counts.failures.push(...r.failures);
      else counts[key] += r[key];
    }
    for (const [k, v] of Object.entries(r.xeroCallsByEndpoint)) byEndpoint[k] = (byEndpoint[k] ?? 0) + v;
    calls += r.xeroCalls;
    durationMs += r.durationMs;
  }
  const failed = runs.find((r) => r.status !== 'completed');
  const last = runs[runs.length - 1]!;
  return {
    ...counts,
    runId: runs.map((r) => r.runId).join(','),
    kind: last.kind,
    status: failed?.status ?? 'completed',
    error: failed?.error ?? null,
    dryRun: last.dryRun,
    parts: runs.flatMap((r) => r.parts),
    xeroCalls: calls,
    xeroCallsByEndpoint: byEndpoint,
    xeroCallsPerOrder: counts.ordersSeen ? Math.round((calls / counts.ordersSeen) * 10000) / 10000 : 0,
    durationMs,
    ...(last.dryRun ? { planned: runs.flatMap((r) => r.planned ?? []) } : {}),
  };
}

function progressBar(expectedOrders: number | undefined): {
  onProgress: (e: SyncProgress) => void;
  stop: () => void;
} {
  const bar = new SingleBar({
    format: '{phase} [{bar}] {value}/{total} | {message}',
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: false,
    noTTYOutput: false,
  });
  let started = false;
  let phase = '';
  return {
    onProgress: (e) => {
      const total = Math.max(
        e.total ?? (e.phase === 'orders' ? expectedOrders : undefined) ?? e.processed,
        e.processed,
        1,
      );
      if (!started) {
        bar.start(total, e.processed, { phase: e.phase.padEnd(9), message: e.message ?? '' });
        started = true;
      } else {
        if (e.phase !== phase) bar.setTotal(total);
        else if (total > bar.getTotal()) bar.setTotal(total);
        bar.update(e.processed, { phase: e.phase.padEnd(9), message: e.message ?? '' });
      }
      phase = e.phase;
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** Runs the parts asked for, one runner run each; returns the merged summary. */
export async function runSync(
  ctx: SyncContext,
  options: SyncCommandOptions,
): Promise<{ summary: CliSyncSummary; raw: SyncSummary; warnings: WarningLine[] }> {
  const kinds = kindsOf(options);
  const bar = options.progress ? progressBar(options.expectedOrders) : null;
  const runs: SyncSummary[] = [];
  const warnings: WarningLine[] = [];
  try {
    for (const kind of kinds) {
      const run = await ctx.runner.run({
        scope: ctx.config.scope,
        kind,
        trigger: 'cli',
        dryRun: options.dryRun,
        confirmStock: options.confirmStock,
        from: options.from,
        to: options.to,
        settings: options.settings,
        pageSize: options.pageSize,
        signal: options.signal,
        onProgress: bar?.onProgress,
        onLog: (line) => {
          if (line.level === 'warn')
            warnings.push({ entityType: line.entityType, entityId: line.entityId, message: line.message });
        },
      });
      runs.push(run);
      if (run.status !== 'completed') break;
    }
  } finally {
    bar?.stop();
  }
  const raw = mergeSummaries(runs);
  return { summary: toCliSummary(raw, warnings), raw, warnings };
}

export const exitCodeOf = (s: CliSyncSummary): number =>
  s.status === 'completed' ? EXIT_COMPLETED : EXIT_RUN_FAILED;
