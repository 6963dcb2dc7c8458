import { z } from 'zod';
import { SETTING_FIELDS, SETTING_GROUPS, settingsSchema } from '@oc-xero/sync-core';

/**
 * The settings document as the API answers it: sync-core's schema with every default applied
 * (its output), secrets (Client Secret, Cron Token) shown as "set" / "not set".
 */
export const settingsDocumentView = settingsSchema.describe("the settings document: sync-core's settings schema, every default applied; secrets are \"set\" or \"not set\"");

/** PUT /api/settings: any subset of the document's keys (others are refused); secrets sent as "set" keep their value. */
export const settingsPatchBody = z
  .object(settingsSchema.shape)
  .partial()
  .strict()
  .describe('A partial settings document: only the keys that change. Unknown keys are refused; secrets sent as "set" keep their value.');

/** GET/PUT /api/settings: the document (secrets as "set"/"not set") and the cron line. */
export const settingsView = z.object({
  settings: settingsDocumentView,
  cron: z.object({ url: z.string().nullable(), line: z.string().nullable(), hint: z.string() }),
  notices: z.array(z.string()).optional().describe('after a save: checks that could not be made (e.g. Xero unreachable: account codes saved unchecked)'),
});

const choice = z.object({ value: z.string(), label: z.string() });
/** GET /api/settings/fields: how each setting is labelled, explained, grouped and edited (sync-core's settings.fields). */
export const settingsFieldsView = z.object({
  groups: z.array(z.object({ id: z.string(), label: z.string(), section: z.string().describe('the screen tab holding the group'), help: z.string() })),
  fields: z.array(
    z.object({
      key: z.string().describe('the settings key'),
      label: z.string().describe("as the merchant reads it (the seed's own name where the extension had it)"),
      help: z.string(),
      group: z.string(),
      kind: z.string().describe('toggle, text, secret, number, date, select, multi-select, account-picker, cron-token, payment-accounts, total-code-accounts, tax-mapping, store-overrides'),
      accountKind: z.string().optional().describe('account pickers: which account types fit (sales, payment, liability, expense, inventory, cogs, any)'),
      options: z.array(choice).optional(),
      choices: z.string().optional().describe('choices loaded from the store or organisation: orderStatuses, xeroTaxTypes'),
      allowCustom: z.boolean().optional(),
      emptyLabel: z.string().optional(),
      min: z.number().optional(),
      max: z.number().optional(),
      confirmOn: z.object({ title: z.string(), text: z.string(), ok: z.string() }).optional(),
      seed: z.boolean().describe('a setting of the original OpenCart extension'),
    }),
  ),
});
export const settingsFields = () => ({ groups: SETTING_GROUPS.map((g) => ({ ...g })), fields: SETTING_FIELDS.map((f) => ({ ...f, options: f.options?.map((o) => ({ ...o })) })) });

export const contactPreviewQuery = z.object({ contactFormat: z.string().max(255).describe('the Contact Format being edited, e.g. "{firstname} {lastname} ({email})"') });
export const contactPreviewView = z.object({
  contactFormat: z.string(),
  samples: z.array(z.object({ customerId: z.number().int(), firstname: z.string(), lastname: z.string(), email: z.string(), name: z.string().describe('the Xero contact name it gives') })),
});
