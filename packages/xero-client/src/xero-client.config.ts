import { z } from 'zod';

/** Scopes for apps created after 2 March 2026 (Xero requires granular scopes for them). */
export const GRANULAR_SCOPES = ['offline_access', 'accounting.contacts', 'accounting.invoices', 'accounting.payments', 'accounting.settings'];
/** Scopes of older apps, kept as an option. */
export const LEGACY_SCOPES = ['accounting.transactions', 'accounting.settings', 'accounting.contacts', 'offline_access'];
/** Added when the id_token is wanted (who connected). */
export const OPENID_SCOPES = ['openid', 'profile', 'email'];

/** Xero's real hosts; the sandbox serves the same paths on one origin. */
export const XERO_HOSTS = {
  loginUrl: 'https://login.xero.com',
  identityUrl: 'https://identity.xero.com',
  apiUrl: 'https://api.xero.com',
} as const;

const url = z
  .string()
  .url()
  .transform((u) => u.replace(/\/+$/, ''));

export const xeroClientConfigSchema = z.object({
  /** OAuth2 app client id. */
  clientId: z.string().min(1),
  /** OAuth2 app client secret. */
  clientSecret: z.string().min(1),
  /** Redirect URI registered with the app (authorization_code only). */
  redirectUri: z.string().url().optional(),
  /** 'authorization_code' (the normal app) or 'client_credentials' (Xero Custom Connection). */
  grantType: z.enum(['authorization_code', 'client_credentials']).default('authorization_code'),
  /** 'granular' (default, required for new apps) or 'legacy'. */
  scopeSet: z.enum(['granular', 'legacy']).default('granular'),
  /** Also ask for openid/profile/email (id_token, validated against the jwks). */
  openId: z.boolean().default(false),
  /** Use PKCE (S256) on top of the client secret. */
  pkce: z.boolean().default(true),
  /** Base URLs, Xero's real hosts unless told otherwise (the sandbox). */
  loginUrl: url.default(XERO_HOSTS.loginUrl),
  identityUrl: url.default(XERO_HOSTS.identityUrl),
  apiUrl: url.default(XERO_HOSTS.apiUrl),
  /** Expected `iss` of id_tokens; defaults to identityUrl. */
  issuer: z.string().optional(),
  /** Deadline of every HTTP call (xero-node has none of its own). */
  timeoutMs: z.number().int().positive().default(30_000),
  /** Attempts per call for 5xx, network errors and timeouts (first try included). */
  maxAttempts: z.number().int().min(1).max(10).default(4),
  /** First backoff delay; doubles each attempt, full jitter. */
  backoffBaseMs: z.number().int().nonnegative().default(500),
  /** Cap of one backoff delay. */
  backoffMaxMs: z.number().int().nonnegative().default(15_000),
  /** Calls per rolling minute per tenant (Xero: 60). */
  perMinute: z.number().int().positive().default(60),
  /** Concurrent calls per tenant (Xero: 5). */
  concurrent: z.number().int().positive().default(5),
  /** Longest Retry-After (a minute-limit 429) we wait out inside a call; longer ones fail as transient. */
  maxRetryAfterWaitMs: z.number().int().nonnegative().default(65_000),
  /** How many 429s one call waits out before giving up as transient. */
  maxRateLimitRetries: z.number().int().nonnegative().default(3),
  /** Refresh when the access token expires within this many seconds. */
  refreshSkewSeconds: z.number().int().nonnegative().default(60),
  /** Proactive refresh: refresh when the tokens are older than this many days. */
  proactiveRefreshAfterDays: z.number().positive().default(7),
  /** Proactive refresh: refresh when the access token expires within this many minutes. */
  proactiveRefreshBeforeExpiryMinutes: z.number().nonnegative().default(5),
  /** How long a refresher holds the distributed lock at most. */
  refreshLockTtlMs: z.number().int().positive().default(30_000),
  /** How long another refresher is waited for before giving up (transient). */
  refreshLockWaitMs: z.number().int().positive().default(20_000),
});

export type XeroClientConfigInput = z.input<typeof xeroClientConfigSchema>;
export type XeroClientConfig = z.output<typeof xeroClientConfigSchema>;

/** Validate once at boot; throws a readable error naming the bad fields (never their values). */
export function parseXeroClientConfig(input: XeroClientConfigInput): XeroClientConfig {
  const parsed = xeroClientConfigSchema.safeParse(input);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid Xero client configuration: ${fields.join('; ')}`);
  }
  const config = parsed.data;
  if (config.grantType === 'authorization_code' && !config.redirectUri) {
    throw new Error('Invalid Xero client configuration: redirectUri is required for the authorization_code grant');
  }
  return config;
}

/** The scopes to ask for, as Xero expects them (space separated when joined). */
export function scopesOf(config: Pick<XeroClientConfig, 'scopeSet' | 'openId' | 'grantType'>): string[] {
  const base = config.scopeSet === 'legacy' ? LEGACY_SCOPES : GRANULAR_SCOPES;
  // Custom connections get no refresh token, so offline_access means nothing there.
  const scopes = config.grantType === 'client_credentials' ? base.filter((s) => s !== 'offline_access') : [...base];
  return config.openId && config.grantType === 'authorization_code' ? [...OPENID_SCOPES, ...scopes] : scopes;
}
