import { z } from 'zod';
import { ORDER_STATES } from './order-state.repository';

const orderId = z.coerce.number().int().positive('order ids are positive whole numbers');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD');

export const orderListQuery = z
  .object({
    state: z.enum(ORDER_STATES, { message: `state must be one of ${ORDER_STATES.join(', ')}` }).optional(),
    from: day.optional().describe('orders added on or after this day (store time)'),
    to: day.optional().describe('orders added on or before this day (store time)'),
    storeId: z.coerce.number().int().min(0).optional(),
    needsAttention: z
      .enum(['true', 'false'], { message: 'needsAttention is true or false' })
      .transform((v) => v === 'true')
      .optional()
      .describe('true: only orders that need the merchant (a conflict, or a failure that stopped retrying on its own); false: all others'),
    q: z.string().trim().max(100).optional().describe('an order id, or part of the customer name or email'),
    page: z.coerce.number().int().min(1).default(1),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine((b) => !b.from || !b.to || b.from <= b.to, { path: ['to'], message: 'to must not be before from' });
export const orderIdsBody = z.object({
  orderIds: z.array(orderId).min(1, 'give at least one order id').max(500, 'at most 500 orders at once'),
});
export const orderStatusQuery = z.object({
  ids: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'ids is a comma-separated list of order ids, e.g. 12,13,14')
    .transform((s) => [...new Set(s.split(',').map(Number))])
    .refine((a) => a.length <= 200, 'at most 200 orders at once')
    .describe('comma-separated order ids, at most 200'),
});
export const orderIdParam = orderId;
/** The seed's Mark Orders: every order added before a day that is not exported yet is marked as if it were. */
export const markBeforeBody = z.object({ before: day.describe('orders added before this day (store time)'), storeId: z.number().int().min(0).optional() });
