import { z } from 'zod';

export const logView = z.object({
  items: z.array(
    z.object({
      runId: z.string(),
      level: z.enum(['debug', 'info', 'warn', 'error']),
      entityType: z.string(),
      entityId: z.string(),
      status: z.string().describe('exported, skipped, failed, removed, …'),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
      createdAt: z.string().optional(),
    }),
  ),
  offset: z.number().int(),
  limit: z.number().int(),
});
