import { SyncError } from '@oc-xero/sync-core';

/** The parts of a mysql:// URL; `password` never goes into a message or a log. */
export interface MysqlUrlParts {
  host: string;
  port: number;
  user: string;
  password: string;
  /** '' when the URL names no database (a server URL). */
  database: string;
}

/** Parses mysql://user:password@host:port/database; `what` names the setting in errors. */
export function parseMysqlUrl(url: string, what = 'OpenCart database URL'): MysqlUrlParts {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new SyncError('config', `${what} is not a URL; expected mysql://user:password@host:3306/database`);
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    throw new SyncError('config', `${what} must start with mysql:// (got ${u.protocol}//)`);
  }
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')),
  };
}

/** host:port, for messages (never the credentials). */
export const describeServer = (p: Pick<MysqlUrlParts, 'host' | 'port'>): string => `${p.host}:${p.port}`;

interface MysqlLikeError {
  code?: string;
  errno?: number;
  message?: string;
}

/**
 * Turns what mysql2 throws on connect into a message the merchant can act on. mysql2's own
 * messages carry user and host but never the password, so quoting them is safe.
 */
export function connectError(e: unknown, p: MysqlUrlParts): SyncError {
  const err = (e ?? {}) as MysqlLikeError;
  const server = describeServer(p);
  switch (err.code) {
    case 'ECONNREFUSED':
      return new SyncError(
        'transient',
        `cannot connect to MySQL at ${server}: connection refused. Is the database server running, and are host and port in the database URL right?`,
        { cause: e },
      );
    case 'ETIMEDOUT':
      return new SyncError(
        'transient',
        `cannot connect to MySQL at ${server}: timed out. Is the host reachable (firewall, bind-address)?`,
        {
          cause: e,
        },
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SyncError(
        'config',
        `cannot connect to MySQL at ${server}: host \`${p.host}\` not found. Check the host in the database URL.`,
        {
          cause: e,
        },
      );
    case 'ER_ACCESS_DENIED_ERROR':
      return new SyncError(
        'config',
        `MySQL at ${server} refused user \`${p.user}\`: check the user and password in the database URL.`,
        {
          cause: e,
        },
      );
    case 'ER_DBACCESS_DENIED_ERROR':
      return new SyncError(
        'config',
        `MySQL user \`${p.user}\` may not use database \`${p.database}\` on ${server}: grant it SELECT (and UPDATE/INSERT for the two writes).`,
        {
          cause: e,
        },
      );
    case 'ER_BAD_DB_ERROR':
      return new SyncError(
        'config',
        `database \`${p.database}\` does not exist on MySQL at ${server}: check the database name in the URL.`,
        {
          cause: e,
        },
      );
    default:
      return new SyncError(
        'unexpected',
        `cannot connect to MySQL at ${server}: ${err.code ?? ''} ${err.message ?? String(e)}`.trim(),
        {
          cause: e,
        },
      );
  }
}
