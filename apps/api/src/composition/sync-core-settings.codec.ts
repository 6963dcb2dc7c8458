import { defaultSettings, parseSettings, type Settings } from '@oc-xero/sync-core';
import type { SettingsCodec } from '../ports/settings-codec.port';

/** sync-core's settings schema as the API's SettingsCodec. */
export const syncCoreSettingsCodec: SettingsCodec = {
  defaults: () => defaultSettings() as unknown as Record<string, unknown>,
  parse(input) {
    const r = parseSettings(input);
    return r.ok ? { ok: true, value: r.settings as unknown as Record<string, unknown> } : { ok: false, errors: r.errors };
  },
  secretKeys: ['clientSecret', 'cronToken'],
  runtime(doc) {
    const s = doc as unknown as Partial<Settings>;
    return {
      enabled: s.status === true,
      syncIntervalMinutes: s.syncIntervalMinutes ?? 5,
      xeroClientId: s.clientId ?? '',
      xeroClientSecret: s.clientSecret ?? '',
      cronToken: s.cronToken ?? '',
      markPaidStatus: s.markPaidStatus ?? '',
    };
  },
};
