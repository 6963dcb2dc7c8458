import { z } from 'zod';

const code = z
  .string()
  .trim()
  .max(10, 'Xero account codes are at most 10 characters')
  .regex(/^[A-Za-z0-9_.-]*$/, 'use letters, digits, dot, dash or underscore only')
  .nullable()
  .transform((v) => (v === '' ? null : v));

export const productListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  afterId: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const overrideBody = z.object({ salesAccountCode: code.default(null), purchaseAccountCode: code.default(null) });
export const productIdParam = z.coerce.number().int().positive('product ids are positive whole numbers');
