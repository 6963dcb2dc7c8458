/**
 * The CLI's environment, read and validated ONCE (DESIGN.md §7). Each problem names its variable
 * and how to fix it, and no value (a password, a key) is ever echoed back.
 */
import { createHash } from 'node:crypto';
import { connectorDatabaseUrlFromStoreUrl, parseEncryptionKey } from '@oc-xero/opencart-db';
import { isSyncError } from '@oc-xero/sync-core';

/** The default app the sandbox serves (its README); used when XERO_SANDBOX_URL is set without credentials. */
export const SANDBOX_CLIENT_ID = 'sandbox-client-id';
export const SANDBOX_CLIENT_SECRET = 'sandbox-client-secret';

/**
 * Development key used ONLY when XERO_SANDBOX_URL is set and ENCRYPTION_KEY is not: the sandbox's
 * tokens are worthless, and a fixed key lets `oc-xero sync` against a local sandbox run with no
 * setup. It is public (it is in this file), so it never protects anything real.
 */
export const SANDBOX_DEV_ENCRYPTION_KEY = createHash('sha256')
  .update('oc-xero sandbox development key (public, not a secret)')
  .digest('hex');

export interface CliConfig {
  opencartDbUrl: string;
  opencartDbPrefix: string;
  connectorDbUrl: string;
  /** 32-byte key of the connector's secrets. */
  encryptionKey: Buffer;
  /** Whether the development key above is in use. */
  devEncryptionKey: boolean;
  /** Connection scope shared with the API (CONNECTOR_SCOPE, default 'default'). */
  scope: string;
  xero:
    | { mode: 'sandbox'; url: string; clientId: string; clientSecret: string }
    | {
        mode: 'xero';
        loginUrl?: string;
        identityUrl?: string;
        apiUrl?: string;
        clientId?: string;
        clientSecret?: string;
        /** PUBLIC_BASE_URL as the API reads it; the app's redirect URI is PUBLIC_BASE_URL/api/xero/callback. */
        publicBaseUrl: string;
      };
  /** pino level of the diagnostics written to stderr. */
  logLevel: string;
}

/** The environment is wrong: every problem, each naming its variable. */
export class CliConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'CliConfigError';
  }
}

const MYSQL_URL = /^(mysql|mariadb):\/\/[^\s/]+(\/[^\s]*)?$/i;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function httpUrl(name: string, value: string | undefined, problems: string[]): string | undefined {
  if (!value) return undefined;
  if (!/^https?:\/\/[^\s/]+/i.test(value) || !URL.canParse(value)) {
    problems.push(`${name} must be an http(s) URL such as http://127.0.0.1:4010`);
    return undefined;
  }
  return value.replace(/\/+$/, '');
}

/** Validates the CLI's environment; throws CliConfigError listing every problem. */
export function loadCliConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  // `FOO= oc-xero sync` gives empty strings: treat them as unset so defaults apply.
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const problems: string[] = [];

  const opencartDbUrl = get('OPENCART_DB_URL');
  let storeUrlOk = false;
  if (!opencartDbUrl) {
    problems.push(
      'OPENCART_DB_URL is required: the store database as mysql://user:password@host:3306/opencart',
    );
  } else if (!MYSQL_URL.test(opencartDbUrl) || !URL.canParse(opencartDbUrl)) {
    problems.push(
      'OPENCART_DB_URL must be a MySQL/MariaDB URL such as mysql://user:password@127.0.0.1:3306/opencart',
    );
  } else if (!new URL(opencartDbUrl).pathname.replace(/^\//, '')) {
    problems.push(
      'OPENCART_DB_URL names no database: put it in the path, e.g. mysql://user:password@127.0.0.1:3306/opencart',
    );
  } else storeUrlOk = true;

  const opencartDbPrefix = env.OPENCART_DB_PREFIX === undefined ? 'oc_' : env.OPENCART_DB_PREFIX.trim();
  if (!/^[A-Za-z0-9_]{0,32}$/.test(opencartDbPrefix)) {
    problems.push(
      "OPENCART_DB_PREFIX must be the DB_PREFIX of the store's config.php (letters, digits, underscore), e.g. oc_",
    );
  }

  let connectorDbUrl = get('CONNECTOR_DB_URL');
  if (connectorDbUrl) {
    if (
      !MYSQL_URL.test(connectorDbUrl) ||
      !URL.canParse(connectorDbUrl) ||
      !new URL(connectorDbUrl).pathname.replace(/^\//, '')
    ) {
      problems.push(
        'CONNECTOR_DB_URL must be a MySQL/MariaDB URL with a database, such as mysql://root@127.0.0.1:3306/oc_xero_connector',
      );
    }
  } else if (storeUrlOk) {
    connectorDbUrl = connectorDatabaseUrlFromStoreUrl(opencartDbUrl!);
  }

  const sandboxUrl = httpUrl('XERO_SANDBOX_URL', get('XERO_SANDBOX_URL'), problems);
  const clientId = get('XERO_CLIENT_ID');
  const clientSecret = get('XERO_CLIENT_SECRET');

  let encryptionKey: Buffer | undefined;
  let devEncryptionKey = false;
  const rawKey = get('ENCRYPTION_KEY');
  if (rawKey) {
    try {
      encryptionKey = parseEncryptionKey(rawKey);
    } catch (e) {
      problems.push(`ENCRYPTION_KEY: ${isSyncError(e) || e instanceof Error ? e.message : String(e)}`);
    }
  } else if (env.XERO_SANDBOX_URL?.trim()) {
    encryptionKey = Buffer.from(SANDBOX_DEV_ENCRYPTION_KEY, 'hex');
    devEncryptionKey = true;
  } else {
    problems.push(
      "ENCRYPTION_KEY is required: the key that encrypts the connector's Xero tokens and secrets (the same one the API uses), 32 random bytes as 64 hex characters or base64; generate one with `openssl rand -base64 32`",
    );
  }

  const scope = get('CONNECTOR_SCOPE') ?? 'default';
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(scope))
    problems.push('CONNECTOR_SCOPE must be 1-64 letters, digits or . _ : -');

  const logLevel = get('LOG_LEVEL') ?? 'warn';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  let xero: CliConfig['xero'];
  if (sandboxUrl) {
    xero = {
      mode: 'sandbox',
      url: sandboxUrl,
      clientId: clientId ?? SANDBOX_CLIENT_ID,
      clientSecret: clientSecret ?? SANDBOX_CLIENT_SECRET,
    };
  } else {
    xero = {
      mode: 'xero',
      loginUrl: httpUrl('XERO_LOGIN_URL', get('XERO_LOGIN_URL'), problems),
      identityUrl: httpUrl('XERO_IDENTITY_URL', get('XERO_IDENTITY_URL'), problems),
      apiUrl: httpUrl('XERO_API_URL', get('XERO_API_URL'), problems),
      clientId,
      clientSecret,
      publicBaseUrl:
        httpUrl('PUBLIC_BASE_URL', get('PUBLIC_BASE_URL'), problems) ??
        `http://localhost:${get('PORT') ?? '3000'}`,
    };
  }

  if (problems.length) throw new CliConfigError(problems);
  return {
    opencartDbUrl: opencartDbUrl!,
    opencartDbPrefix,
    connectorDbUrl: connectorDbUrl!,
    encryptionKey: encryptionKey!,
    devEncryptionKey,
    scope,
    xero,
    logLevel,
  };
}
