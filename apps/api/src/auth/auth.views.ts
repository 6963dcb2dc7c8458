import { z } from 'zod';
import { API_KEY_SCOPES } from './auth.service';

/** Response shapes of the auth routes (the OpenAPI document the SPA's types are generated from). */
export const setupStatusView = z.object({ open: z.boolean(), needsSetupCode: z.boolean(), hint: z.string() });
export const setupDoneView = z.object({ created: z.literal(true), username: z.string() });
export const loginView = z.object({ username: z.string(), csrfToken: z.string(), expiresAt: z.string().describe('ISO date-time') });
export const meView = z.object({ kind: z.enum(['session', 'api-key']), name: z.string(), scope: z.enum(API_KEY_SCOPES) });
export const apiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe('first characters of the key, to recognise it'),
  scope: z.enum(API_KEY_SCOPES),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const apiKeyCreatedView = apiKeyView.extend({ key: z.string().describe('the key itself: shown this once, keep it') });
