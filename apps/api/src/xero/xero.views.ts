import { z } from 'zod';

export const connectUrlView = z.object({ url: z.string().describe('the Xero consent page (with ?redirect=false)') });
export const tenantView = z.object({ tenantId: z.string(), tenantName: z.string() });
export const xeroStatusView = z.object({
  connected: z.boolean(),
  organisation: tenantView.extend({ name: z.string() }).omit({ tenantName: true }).nullable().optional(),
  tokenExpiresAt: z.string().optional(),
  lastRefreshAt: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  quota: z.object({ minuteRemaining: z.number().nullable(), dayRemaining: z.number().nullable(), callsSinceStart: z.number() }).optional(),
});
export const disconnectView = z.object({ disconnected: z.boolean(), problems: z.array(z.string()) });
export const accountView = z.object({
  AccountID: z.string(),
  Code: z.string().optional(),
  Name: z.string(),
  Type: z.string().describe('BANK, REVENUE, SALES, OTHERINCOME, EXPENSE, DIRECTCOSTS, CURRLIAB, CURRENT, INVENTORY, …'),
  Status: z.string().optional(),
  TaxType: z.string().optional(),
  EnablePaymentsToAccount: z.boolean().optional(),
  CurrencyCode: z.string().optional(),
});
export const taxRateView = z.object({ Name: z.string(), TaxType: z.string(), EffectiveRate: z.number(), Status: z.string().optional(), CanApplyToRevenue: z.boolean().optional() });
export const trackingCategoryView = z.object({
  TrackingCategoryID: z.string(),
  Name: z.string(),
  Status: z.string().optional(),
  Options: z.array(z.object({ TrackingOptionID: z.string(), Name: z.string(), Status: z.string().optional() })),
});
