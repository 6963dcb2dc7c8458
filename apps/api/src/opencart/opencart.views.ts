import { z } from 'zod';

export const storeInfoView = z.object({ version: z.string(), prefix: z.string(), defaultCurrency: z.string(), languageId: z.number().int() });
export const orderStatusOptionView = z.object({ orderStatusId: z.number().int(), languageId: z.number().int(), name: z.string() });
export const paymentMethodView = z.object({ code: z.string(), name: z.string(), installed: z.boolean(), enabled: z.boolean(), ordersCount: z.number().int() });
export const storeView = z.object({ storeId: z.number().int(), name: z.string(), url: z.string() });
export const ocTaxRateView = z.object({ taxRateId: z.number().int(), name: z.string(), rate: z.string(), type: z.enum(['P', 'F']).describe('P percent, F fixed amount'), geoZoneId: z.number().int() });
export const currencyView = z.object({ currencyId: z.number().int(), code: z.string(), title: z.string(), value: z.string(), decimalPlace: z.number().int(), status: z.boolean(), isDefault: z.boolean() });
