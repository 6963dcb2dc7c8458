import { SetMetadata } from '@nestjs/common';

/**
 * Who may call a route. Every route has exactly one rule; `admin` is the default when none is set.
 * - admin: an admin session (cookie + CSRF header on writes) or an API key (Bearer)
 * - session: an admin session only (managing API keys is for a person, not a machine)
 * - setup: anyone, but only while no admin exists
 * - login: anyone, checked by username + password
 * - public: anyone (health)
 * - oauth-state: anyone holding a state this service issued (the OAuth callback)
 * - cron-token: the cron token in ?token=, compared in constant time
 * - xero-signature: a body signed with the Xero webhook key (x-xero-signature)
 */
export type AuthRule = 'admin' | 'session' | 'setup' | 'login' | 'public' | 'oauth-state' | 'cron-token' | 'xero-signature';

export const AUTH_RULE_KEY = 'ocx:auth-rule';
export const Auth = (rule: AuthRule) => SetMetadata(AUTH_RULE_KEY, rule);

/**
 * API key scopes that may call a route besides `admin` (which may call every admin route).
 * `opencart-bridge` is the OpenCart extension: order and product sync state, preview, sync,
 * mark/unmark, product overrides, and the lookups those screens need.
 */
export const KEY_SCOPES_KEY = 'ocx:key-scopes';
export const BridgeAllowed = () => SetMetadata(KEY_SCOPES_KEY, ['opencart-bridge']);
