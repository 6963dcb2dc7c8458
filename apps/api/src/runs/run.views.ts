import { z } from 'zod';

export const runView = z.object({
  id: z.string(),
  scope: z.string(),
  kind: z.enum(['orders', 'customers', 'items', 'stock', 'all']),
  trigger: z.string().describe('cron, schedule, manual, cli, api, opencart, webhook'),
  status: z.enum(['running', 'completed', 'failed', 'cancelled']),
  dryRun: z.boolean(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  summary: z.record(z.string(), z.unknown()).describe('counters of the run (ordersExported, ordersFailed, xeroCalls, …) and, while running, `progress`'),
  error: z.string().nullable(),
  progress: z
    .object({
      phase: z.string(),
      processed: z.number(),
      total: z.number().nullable(),
      message: z.string().nullable(),
      at: z.string().describe('ISO time of this progress event (ETA = elapsed since startedAt × remaining / processed)'),
    })
    .nullable()
    .optional()
    .describe('latest progress of a running run, when known'),
});
export const runStartedView = z.object({ runId: z.string(), run: runView });
export const runCancelView = z.object({ id: z.string(), cancelling: z.literal(true) });

/** `event: progress` data. `event: finished` carries the run (runView). */
export const runProgressEvent = z.object({
  runId: z.string().optional(),
  phase: z.string().describe('orders, customers, items, stock, …'),
  processed: z.number().describe('records handled so far in this phase'),
  total: z.number().nullable().describe('records expected in this phase; null when not known'),
  message: z.string().nullable(),
  counts: z.record(z.string(), z.number()).describe('counters so far (exported, failed, skipped, …) when the engine reports them'),
  startedAt: z.string().nullable().describe('when the run started (ISO)'),
  at: z.string().describe('when this event was sent (ISO); with processed/total gives an ETA'),
});
