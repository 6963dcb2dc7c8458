/** A field-level validation problem, as the API answers it. */
export interface FieldError {
  path: string;
  message: string;
}

/** What the API itself reads from the settings document. */
export interface RuntimeSettings {
  /** The connector runs (scheduler, cron) only when enabled. */
  enabled: boolean;
  /** Minutes between scheduled incremental syncs. */
  syncIntervalMinutes: number;
  /** Client credentials held in the settings ('' = not set; the environment wins). */
  xeroClientId: string;
  xeroClientSecret: string;
  /** The token the cron URL must carry; '' = the cron URL is disabled. */
  cronToken: string;
  /** OpenCart status NAME to set when Xero reports an invoice paid; '' = never. */
  markPaidStatus: string;
}

/** sync-core's settings schema, as the API uses it. */
export interface SettingsCodec {
  /** A complete document with every default. */
  defaults(): Record<string, unknown>;
  /** Validates a full document (defaults filled); field-level errors when it is not valid. */
  parse(input: unknown): { ok: true; value: Record<string, unknown> } | { ok: false; errors: FieldError[] };
  /** Top-level keys of secret fields: never returned, only "set"/"not set". */
  secretKeys: string[];
  /** The fields the API itself needs. */
  runtime(settings: Record<string, unknown>): RuntimeSettings;
}
