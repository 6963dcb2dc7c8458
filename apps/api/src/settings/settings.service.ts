import { Inject, Injectable } from '@nestjs/common';
import { mapCustomerToContact, unknownSettingKeys, type ConnectorStore, type OpenCartReader, type Settings } from '@oc-xero/sync-core';
import type { AppConfig } from '../config/app-config';
import { randomToken } from '../common/crypto.util';
import { validationFailed } from '../common/zod-body.pipe';
import type { FieldError, RuntimeSettings, SettingsCodec } from '../ports/settings-codec.port';
import { APP_CONFIG, CONNECTOR_STORE, OPENCART_READER, SETTINGS_CODEC } from '../ports/tokens';

/** What a secret looks like on the way out, and what the SPA sends back to keep it. */
export const SECRET_SET = 'set';
export const SECRET_NOT_SET = 'not set';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key (so a form may send only what it changed); arrays and scalars replace. */
function deepMerge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    out[k] = isPlainObject(v) && isPlainObject(base[k]) ? deepMerge(base[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

@Injectable()
export class SettingsService {
  constructor(
    @Inject(CONNECTOR_STORE) private readonly store: ConnectorStore,
    @Inject(SETTINGS_CODEC) private readonly codec: SettingsCodec,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(OPENCART_READER) private readonly reader: OpenCartReader,
  ) {}

  /** The validated document with every default; a stored document that no longer validates falls back field-wise to defaults. */
  async current(): Promise<Record<string, unknown>> {
    const stored = (await this.store.loadSettings(this.config.scope)) ?? {};
    const merged = deepMerge(this.codec.defaults(), stored);
    const parsed = this.codec.parse(merged);
    return parsed.ok ? parsed.value : merged;
  }

  async runtime(): Promise<RuntimeSettings> {
    return this.codec.runtime(await this.current());
  }

  /** The document as the admin sees it: secrets as "set"/"not set", plus the cron line. */
  async view() {
    const current = await this.current();
    const masked: Record<string, unknown> = { ...current };
    for (const key of this.codec.secretKeys) masked[key] = current[key] ? SECRET_SET : SECRET_NOT_SET;
    const { cronToken, syncIntervalMinutes } = this.codec.runtime(current);
    // The seed's advice: under 20 minutes, so the Xero connection never idles long.
    const every = Math.min(Math.max(1, Math.round(syncIntervalMinutes)), 19);
    return {
      settings: masked,
      cron: {
        url: cronToken ? this.cronUrl(cronToken) : null,
        line: cronToken ? `*/${every} * * * * curl -fsS "${this.cronUrl(cronToken)}"` : null,
        hint: cronToken
          ? 'Paste this line into the crontab of a machine that can reach the connector. Keep the interval under 20 minutes so the Xero connection does not expire.'
          : 'Generate a cron token first (POST /api/settings/cron-token).',
      },
    };
  }

  /**
   * Merges a partial document, validates it whole, saves it. Secrets sent as "set" (or left out)
   * keep their value. Unknown keys are refused at any depth; `fit` holds the result against the
   * organisation and the store (SettingsFitService): its errors refuse the save, its notices are
   * returned with the saved document.
   */
  async update(patch: unknown, fit?: (next: Record<string, unknown>, before: Record<string, unknown>) => Promise<{ errors: FieldError[]; notices: string[] }>) {
    if (!isPlainObject(patch)) throw validationFailed([{ path: '(root)', message: 'Send the settings as a JSON object.' }]);
    const unknown = unknownSettingKeys(patch);
    if (unknown.length > 0) throw validationFailed(unknown);
    const current = await this.current();
    const cleaned: Record<string, unknown> = { ...patch };
    for (const key of this.codec.secretKeys) {
      if (cleaned[key] === SECRET_SET || cleaned[key] === SECRET_NOT_SET) delete cleaned[key];
    }
    const parsed = this.codec.parse(deepMerge(current, cleaned));
    if (!parsed.ok) throw validationFailed(parsed.errors);
    const checked = fit ? await fit(parsed.value, current) : { errors: [], notices: [] };
    if (checked.errors.length > 0) throw validationFailed(checked.errors);
    await this.store.saveSettings(this.config.scope, parsed.value);
    return { ...(await this.view()), notices: checked.notices };
  }

  /**
   * The Contact Format's live preview: the Xero contact name it gives real customers of the
   * store, with the mapper the sync uses (so the preview cannot disagree with the export).
   */
  async contactNamePreview(contactFormat: string) {
    const parsed = this.codec.parse(deepMerge(await this.current(), { contactFormat }));
    if (!parsed.ok) throw validationFailed(parsed.errors.filter((e) => e.path.startsWith('contactFormat')).length ? parsed.errors.filter((e) => e.path.startsWith('contactFormat')) : parsed.errors);
    const page = await this.reader.listCustomers({ limit: 3 });
    return {
      contactFormat,
      samples: page.items.map((c) => ({
        customerId: c.customerId,
        firstname: c.firstname,
        lastname: c.lastname,
        email: c.email,
        name: mapCustomerToContact(c, parsed.value as unknown as Settings).draft.Name,
      })),
    };
  }

  /** A new random cron token (the old cron line stops working). */
  async rotateCronToken() {
    const current = await this.current();
    const key = this.cronTokenKey();
    await this.store.saveSettings(this.config.scope, { ...current, [key]: randomToken(24) });
    return this.view();
  }

  private cronTokenKey(): string {
    return this.codec.secretKeys.find((k) => /cron/i.test(k)) ?? 'cronToken';
  }

  private cronUrl(token: string): string {
    return `${this.config.publicBaseUrl}/cron/sync?token=${encodeURIComponent(token)}`;
  }
}
