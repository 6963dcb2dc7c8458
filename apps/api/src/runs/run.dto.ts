import { z } from 'zod';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD');

export const startRunBody = z
  .object({
    kind: z.enum(['orders', 'customers', 'items', 'stock', 'all'], { message: 'kind must be one of orders, customers, items, stock, all' }),
    from: day.optional(),
    to: day.optional(),
    dryRun: z.boolean().default(false),
  })
  .refine((b) => !b.from || !b.to || b.from <= b.to, { path: ['to'], message: 'to must not be before from' });
export type StartRunBody = z.infer<typeof startRunBody>;

export const runHistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(20),
  beforeId: z.string().max(64).optional(),
});
