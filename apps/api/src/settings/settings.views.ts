import { z } from 'zod';

/** GET/PUT /api/settings: the document (secrets as "set"/"not set") and the cron line. The fields are sync-core's settings schema. */
export const settingsView = z.object({
  settings: z.record(z.string(), z.unknown()).describe("the settings document; its fields and docs are sync-core's settings schema (@oc-xero/sync-core/settings)"),
  cron: z.object({ url: z.string().nullable(), line: z.string().nullable(), hint: z.string() }),
  notices: z.array(z.string()).optional().describe('after a save: checks that could not be made (e.g. Xero unreachable: account codes saved unchecked)'),
});

export const contactPreviewQuery = z.object({ contactFormat: z.string().max(255).describe('the Contact Format being edited, e.g. "{firstname} {lastname} ({email})"') });
export const contactPreviewView = z.object({
  contactFormat: z.string(),
  samples: z.array(z.object({ customerId: z.number().int(), firstname: z.string(), lastname: z.string(), email: z.string(), name: z.string().describe('the Xero contact name it gives') })),
});
