import { z } from 'zod';

/** GET/PUT /api/settings: the document (secrets as "set"/"not set") and the cron line. The fields are sync-core's settings schema. */
export const settingsView = z.object({
  settings: z.record(z.string(), z.unknown()).describe("the settings document; its fields and docs are sync-core's settings schema (@oc-xero/sync-core/settings)"),
  cron: z.object({ url: z.string().nullable(), line: z.string().nullable(), hint: z.string() }),
});
