import { SyncError, isSyncError } from '@oc-xero/sync-core';

interface DriverErrorLike {
  code?: string;
  message?: string;
}

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
]);

/**
 * Translates a driver error met while reading or writing the store into the taxonomy. The SQL and
 * its parameters stay out of the message (parameters are customer data).
 */
export function storeError(e: unknown, doing: string): SyncError {
  if (isSyncError(e)) return e;
  const err = (e ?? {}) as DriverErrorLike;
  const code = err.code ?? '';
  if (TRANSIENT_CODES.has(code)) {
    return new SyncError('transient', `OpenCart database unavailable while ${doing} (${code}); will retry`, {
      cause: e,
    });
  }
  if (code === 'ER_NO_SUCH_TABLE' || code === 'ER_BAD_FIELD_ERROR') {
    return new SyncError(
      'config',
      `OpenCart schema changed under us while ${doing}: ${err.message ?? code}. Reconnect so it is detected again.`,
      {
        cause: e,
      },
    );
  }
  return new SyncError(
    'unexpected',
    `OpenCart database error while ${doing}: ${code} ${firstLine(err.message)}`.trim(),
    { cause: e },
  );
}

// mysql2 messages for bad SQL quote the statement; the first line is enough to act on.
const firstLine = (m?: string): string => (m ?? '').split('\n')[0].slice(0, 300);
