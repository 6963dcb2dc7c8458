import { z } from 'zod';

const when = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?)?$/, 'use YYYY-MM-DD or an ISO date-time')
  .optional();

export const logQuery = z.object({
  runId: z.string().max(64).optional(),
  entityType: z.string().max(32).optional(),
  entityId: z.string().max(64).optional(),
  status: z.string().max(32).optional(),
  level: z.enum(['debug', 'info', 'warn', 'error']).optional(),
  from: when,
  to: when,
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
