import { z } from 'zod';

const override = z.object({ salesAccountCode: z.string().nullable(), purchaseAccountCode: z.string().nullable() });
export const productListView = z.object({
  items: z.array(
    z.object({
      productId: z.number().int(),
      name: z.string(),
      model: z.string(),
      sku: z.string(),
      price: z.string(),
      quantity: z.number(),
      status: z.boolean(),
      override,
    }),
  ),
  nextAfterId: z.number().int().nullable().describe('pass as afterId for the next page; null = last page'),
});
export const overrideView = override.extend({ productId: z.number().int() });
