import { z } from 'zod';

/** A real calendar day: 2024-02-31 or 0000-00-00 is refused, never read as "no bound" (all orders). */
function isCalendarDay(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  // setUTCFullYear rolls 02-31 over into March and 00-00 back a month: both fail the round trip.
  return y >= 1 && t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
// One check, so a malformed value gets one message rather than two.
const day = z.string().refine((s) => DAY.test(s) && isCalendarDay(s), 'use YYYY-MM-DD, a real calendar day');

export const startRunBody = z
  .object({
    kind: z.enum(['orders', 'customers', 'items', 'stock', 'all'], {
      message: 'kind must be one of orders, customers, items, stock, all',
    }),
    from: day.optional(),
    to: day.optional(),
    dryRun: z.boolean().default(false),
    /** Apply a stock sync the zero guard stopped (many products would go to zero). */
    confirmStock: z.boolean().default(false),
  })
  .refine((b) => !b.from || !b.to || !DAY.test(b.from) || !DAY.test(b.to) || !isCalendarDay(b.from) || !isCalendarDay(b.to) || b.from <= b.to, { path: ['to'], message: 'to must not be before from' });
export type StartRunBody = z.infer<typeof startRunBody>;

export const runHistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(20),
  beforeId: z.string().max(64).optional(),
});
