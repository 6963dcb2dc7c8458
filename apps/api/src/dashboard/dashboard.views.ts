import { z } from 'zod';
import { runView } from '../runs/run.views';

export const dashboardView = z.object({
  connection: z.object({
    connected: z.boolean(),
    organisation: z.string().nullable(),
    tenantId: z.string().nullable(),
    connectedSince: z.string().nullable().describe('ISO; when the consent was completed'),
    accessTokenAgeSeconds: z.number().nullable().describe('since the access token was issued (30-minute tokens)'),
    accessTokenExpiresAt: z.string().nullable(),
    lastRefreshAt: z.string().nullable(),
    refreshTokenDaysLeft: z.number().nullable().describe('days until the refresh token dies if unused (60 days after the last refresh)'),
  }),
  xeroCalls: z.object({
    today: z.number().describe('calls to Xero today (UTC), from the runs and the last answer seen'),
    dayLimit: z.literal(5000),
    thisMinute: z.number().nullable().describe('calls in the current minute as Xero last reported; null when unknown'),
    minuteLimit: z.literal(60),
  }),
  lastRuns: z.array(runView),
  daily: z
    .array(z.object({ day: z.string().describe('YYYY-MM-DD (UTC)'), invoices: z.number(), payments: z.number(), creditNotes: z.number(), failures: z.number() }))
    .describe('the last 30 days, oldest first, every day present'),
  needsAttention: z.array(
    z.object({
      kind: z.enum(['reconnect', 'choose-organisation', 'failures', 'settings']),
      severity: z.enum(['error', 'warning']),
      message: z.string(),
      link: z.string().describe('the SPA route where it is fixed'),
    }),
  ),
});
