import { z } from 'zod';

const orderId = z.coerce.number().int().positive('order ids are positive whole numbers');

export const orderListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export const orderIdsBody = z.object({
  orderIds: z.array(orderId).min(1, 'give at least one order id').max(500, 'at most 500 orders at once'),
});
export const orderIdParam = orderId;
