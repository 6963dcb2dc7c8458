import { createHash } from 'node:crypto';
import { connectorDatabaseUrlFromStoreUrl } from '@oc-xero/opencart-db';
import { z } from 'zod';

/**
 * THE configuration of the service and of the command line (`oc-xero`), read from the environment
 * ONCE at start and passed down typed: one loader, so the two can never drift apart (defaults,
 * rules, messages). Every rule carries a message that names the variable and says how to fix it,
 * because the person reading it is a merchant starting the connector, not us.
 */

/** The default app the sandbox serves (its README); used when XERO_SANDBOX_URL is set without credentials. */
export const SANDBOX_CLIENT_ID = 'sandbox-client-id';
export const SANDBOX_CLIENT_SECRET = 'sandbox-client-secret';

/**
 * Development key used ONLY when XERO_SANDBOX_URL is set and ENCRYPTION_KEY is not: the sandbox's
 * tokens are worthless, and a fixed key lets a local sandbox run with no setup. It is public (it
 * is in this file), so it never protects anything real.
 */
export const SANDBOX_DEV_ENCRYPTION_KEY = createHash('sha256')
  .update('oc-xero sandbox development key (public, not a secret)')
  .digest('hex');

const XERO_LOGIN_DEFAULT = 'https://login.xero.com';
const XERO_IDENTITY_DEFAULT = 'https://identity.xero.com';
const XERO_API_DEFAULT = 'https://api.xero.com';

const mysqlUrl = (name: string, example: string) =>
  z
    .string({ error: `${name} is required: set it to a MySQL/MariaDB URL such as ${example}` })
    .trim()
    .refine((v) => parseMysqlUrl(v) !== null, {
      message: `${name} must be a MySQL/MariaDB URL such as ${example} (mysql://user:password@host:port/database)`,
    });

const httpUrl = (name: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^\s/]+/i.test(v) && URL.canParse(v), {
      message: `${name} must be an http(s) URL such as https://example.com`,
    })
    .transform((v) => v.replace(/\/+$/, ''));

/** Decodes a 32-byte key given as 64 hex characters or as base64; null when it is neither. */
export function decodeEncryptionKey(value: string): Buffer | null {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(v)) {
    const buf = Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (buf.length === 32) return buf;
  }
  return null;
}

export interface MysqlUrlParts {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** Splits mysql://user:pass@host:port/db; null when the string is not such a URL. */
export function parseMysqlUrl(value: string): MysqlUrlParts | null {
  if (!URL.canParse(value)) return null;
  const u = new URL(value);
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') return null;
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!u.hostname || !database || database.includes('/')) return null;
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    database,
  };
}

const envSchema = z.object({
  // Unset = the store's own server, database oc_xero_connector (filled in after parsing).
  CONNECTOR_DB_URL: mysqlUrl('CONNECTOR_DB_URL', 'mysql://root@127.0.0.1:3306/oc_xero_connector').optional(),
  OPENCART_DB_URL: mysqlUrl('OPENCART_DB_URL', 'mysql://user:password@127.0.0.1:3306/opencart'),
  OPENCART_DB_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_]{0,32}$/, {
      message: 'OPENCART_DB_PREFIX must be the DB_PREFIX of the store\'s config.php (letters, digits, underscore), e.g. oc_',
    })
    .default('oc_'),
  PORT: z.coerce
    .number({ error: 'PORT must be a whole number between 0 and 65535 (0 = any free port), e.g. 3000' })
    .int({ message: 'PORT must be a whole number between 0 and 65535 (0 = any free port), e.g. 3000' })
    .min(0, { message: 'PORT must be a whole number between 0 and 65535 (0 = any free port), e.g. 3000' })
    .max(65535, { message: 'PORT must be a whole number between 0 and 65535 (0 = any free port), e.g. 3000' })
    .default(3000),
  PUBLIC_BASE_URL: httpUrl('PUBLIC_BASE_URL').optional(),
  // Required, except against the sandbox (see SANDBOX_DEV_ENCRYPTION_KEY); checked after parsing.
  ENCRYPTION_KEY: z
    .string({
      error:
        'ENCRYPTION_KEY is required: 32 random bytes as 64 hex characters or base64; generate one with `openssl rand -base64 32`',
    })
    .refine((v) => decodeEncryptionKey(v) !== null, {
      message:
        'ENCRYPTION_KEY must be 32 bytes given as 64 hex characters or base64 (44 characters); generate one with `openssl rand -base64 32`',
    })
    .optional(),
  XERO_LOGIN_URL: httpUrl('XERO_LOGIN_URL').optional(),
  XERO_IDENTITY_URL: httpUrl('XERO_IDENTITY_URL').optional(),
  XERO_API_URL: httpUrl('XERO_API_URL').optional(),
  XERO_SANDBOX_URL: httpUrl('XERO_SANDBOX_URL').optional(),
  XERO_CLIENT_ID: z.string().trim().min(1).optional(),
  XERO_CLIENT_SECRET: z.string().trim().min(1).optional(),
  XERO_WEBHOOK_KEY: z.string().trim().min(1).optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .optional(),
  CONNECTOR_SCOPE: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'CONNECTOR_SCOPE must be 1-64 letters, digits or . _ : -' })
    .default('default'),
  SESSION_TTL_HOURS: z.coerce
    .number({ error: 'SESSION_TTL_HOURS must be a number of hours, e.g. 12' })
    .positive({ message: 'SESSION_TTL_HOURS must be a positive number of hours, e.g. 12' })
    .default(12),
  SETUP_CODE: z.string().trim().min(12, { message: 'SETUP_CODE must be at least 12 characters (or leave it unset: a random code is printed)' }).optional(),
  TRUST_PROXY: z.string().trim().optional(),
  ADMIN_DIST_DIR: z.string().trim().optional(),
  XERO_INVOICE_URL: z
    .string()
    .trim()
    .refine((v) => v.includes('{id}') && /^https?:\/\//.test(v), { message: 'XERO_INVOICE_URL must be an http(s) URL containing {id}, e.g. https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID={id}' })
    .optional(),
  SCHEDULER_ENABLED: z
    .enum(['true', 'false', '1', '0'], { message: 'SCHEDULER_ENABLED must be true or false' })
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
});

export interface AppConfig {
  connectorDb: MysqlUrlParts & { url: string };
  opencartDb: MysqlUrlParts & { url: string; prefix: string };
  port: number;
  publicBaseUrl: string;
  encryptionKey: Buffer;
  /** The public development key is in use (XERO_SANDBOX_URL set, ENCRYPTION_KEY not): say so at start. */
  devEncryptionKey: boolean;
  xero: {
    loginUrl: string;
    identityUrl: string;
    apiUrl: string;
    /** Set when the URLs point at the local sandbox. */
    sandbox: boolean;
    clientId?: string;
    clientSecret?: string;
    webhookKey?: string;
  };
  logLevel: string;
  /** The connection scope (store + organisation key) this instance serves. */
  scope: string;
  sessionTtlMs: number;
  schedulerEnabled: boolean;
  /** A first-run setup code chosen by whoever starts the service; unset = a random one is printed. */
  setupCode?: string;
  /** Express "trust proxy" (e.g. `1`, `loopback`): the client address behind a reverse proxy. Unset = the socket's address. */
  trustProxy?: string;
  /** The built admin SPA served at `/`; unset = apps/admin/dist of this repository. */
  adminDistDir?: string;
  /** Web address of an invoice in Xero, `{id}` = its InvoiceID. */
  xeroInvoiceUrl: string;
}

/** Thrown when the environment is wrong; the message lists every problem with its fix. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration, the service cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /** LOG_LEVEL when unset: the service logs `info`; the CLI keeps stderr quiet with `warn`. */
  defaultLogLevel?: 'info' | 'warn';
}

const ENCRYPTION_KEY_REQUIRED =
  'ENCRYPTION_KEY is required: 32 random bytes as 64 hex characters or base64; generate one with `openssl rand -base64 32`';

/** Validates the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): AppConfig {
  // Empty strings are what `FOO= npm start` gives: treat them as unset so defaults apply.
  // Except OPENCART_DB_PREFIX: an empty DB_PREFIX is a real store's choice.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => v !== undefined && (v !== '' || k === 'OPENCART_DB_PREFIX')),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? '');
      return i.message.startsWith(name) ? i.message : `${name}: ${i.message}`;
    });
    if (cleaned.ENCRYPTION_KEY === undefined && cleaned.XERO_SANDBOX_URL === undefined) problems.push(ENCRYPTION_KEY_REQUIRED);
    // In the order of the schema, so the list reads the same every time.
    const order = Object.keys(envSchema.shape);
    const rank = (p: string) => order.findIndex((name) => p.startsWith(name));
    throw new ConfigError(problems.sort((a, b) => rank(a) - rank(b)));
  }
  const e = parsed.data;
  const sandbox = e.XERO_SANDBOX_URL;
  if (!e.ENCRYPTION_KEY && !sandbox) throw new ConfigError([ENCRYPTION_KEY_REQUIRED]);
  const port = e.PORT;
  const connectorDbUrl = e.CONNECTOR_DB_URL ?? connectorDatabaseUrlFromStoreUrl(e.OPENCART_DB_URL);
  return {
    connectorDb: { url: connectorDbUrl, ...parseMysqlUrl(connectorDbUrl)! },
    opencartDb: { url: e.OPENCART_DB_URL, prefix: e.OPENCART_DB_PREFIX, ...parseMysqlUrl(e.OPENCART_DB_URL)! },
    port,
    publicBaseUrl: e.PUBLIC_BASE_URL ?? `http://localhost:${port}`,
    encryptionKey: decodeEncryptionKey(e.ENCRYPTION_KEY ?? SANDBOX_DEV_ENCRYPTION_KEY)!,
    devEncryptionKey: !e.ENCRYPTION_KEY,
    xero: {
      loginUrl: sandbox ?? e.XERO_LOGIN_URL ?? XERO_LOGIN_DEFAULT,
      identityUrl: sandbox ?? e.XERO_IDENTITY_URL ?? XERO_IDENTITY_DEFAULT,
      apiUrl: sandbox ?? e.XERO_API_URL ?? XERO_API_DEFAULT,
      sandbox: sandbox !== undefined,
      clientId: e.XERO_CLIENT_ID,
      clientSecret: e.XERO_CLIENT_SECRET,
      webhookKey: e.XERO_WEBHOOK_KEY,
    },
    logLevel: e.LOG_LEVEL ?? options.defaultLogLevel ?? 'info',
    scope: e.CONNECTOR_SCOPE,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    schedulerEnabled: e.SCHEDULER_ENABLED,
    setupCode: e.SETUP_CODE,
    trustProxy: e.TRUST_PROXY,
    adminDistDir: e.ADMIN_DIST_DIR,
    xeroInvoiceUrl: e.XERO_INVOICE_URL ?? 'https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID={id}',
  };
}
