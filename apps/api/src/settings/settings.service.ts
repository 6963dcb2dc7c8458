import { Inject, Injectable } from '@nestjs/common';
import type { ConnectorStore } from '@oc-xero/sync-core';
import type { AppConfig } from '../config/app-config';
import { randomToken } from '../common/crypto.util';
import { validationFailed } from '../common/zod-body.pipe';
import type { FieldError, RuntimeSettings, SettingsCodec } from '../ports/settings-codec.port';
import { APP_CONFIG, CONNECTOR_STORE, SETTINGS_CODEC } from '../ports/tokens';

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

/**
 * Keys the settings document does not have: a misspelt key would otherwise be dropped without a
 * word (the CLI refuses it too). Objects whose default is empty are maps keyed by the store's own
 * ids (payment methods, tax rates, total codes) and take any key; `stores` maps a store id to an
 * override of top-level settings.
 */
export function unknownSettingKeys(patch: Record<string, unknown>, defaults: Record<string, unknown>, prefix = ''): FieldError[] {
  const errors: FieldError[] = [];
  for (const [k, v] of Object.entries(patch)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (!(k in defaults)) {
      errors.push({ path, message: `Unknown setting "${k}": check its spelling.` });
      continue;
    }
    const d = defaults[k];
    if (!prefix && k === 'stores' && isPlainObject(v)) {
      for (const [storeId, override] of Object.entries(v)) {
        if (isPlainObject(override)) errors.push(...unknownSettingKeys(override, defaults, `stores.${storeId}`));
      }
    } else if (isPlainObject(v) && isPlainObject(d) && Object.keys(d).length > 0) {
      errors.push(...unknownSettingKeys(v, d, path));
    }
  }
  return errors;
}

@Injectable()
export class SettingsService {
  constructor(
    @Inject(CONNECTOR_STORE) private readonly store: ConnectorStore,
    @Inject(SETTINGS_CODEC) private readonly codec: SettingsCodec,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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
    const { cronToken } = this.codec.runtime(current);
    return {
      settings: masked,
      cron: {
        url: cronToken ? this.cronUrl(cronToken) : null,
        line: cronToken ? `*/5 * * * * curl -fsS "${this.cronUrl(cronToken)}"` : null,
        hint: cronToken ? 'Paste this line into the crontab of a machine that can reach the connector.' : 'Generate a cron token first (POST /api/settings/cron-token).',
      },
    };
  }

  /** Merges a partial document, validates it whole, saves it. Secrets sent as "set" (or left out) keep their value. */
  async update(patch: unknown) {
    if (!isPlainObject(patch)) throw validationFailed([{ path: '(root)', message: 'Send the settings as a JSON object.' }]);
    const unknown = unknownSettingKeys(patch, this.codec.defaults());
    if (unknown.length > 0) throw validationFailed(unknown);
    const current = await this.current();
    const cleaned: Record<string, unknown> = { ...patch };
    for (const key of this.codec.secretKeys) {
      if (cleaned[key] === SECRET_SET || cleaned[key] === SECRET_NOT_SET) delete cleaned[key];
    }
    const parsed = this.codec.parse(deepMerge(current, cleaned));
    if (!parsed.ok) throw validationFailed(parsed.errors);
    await this.store.saveSettings(this.config.scope, parsed.value);
    return this.view();
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
