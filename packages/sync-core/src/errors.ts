/**
 * The one error taxonomy of the product (DESIGN.md §7). Adapters translate what they meet into
 * these kinds; use cases decide from the kind alone what to do next.
 */
export type SyncErrorKind =
  /** Worth retrying later: 5xx, 429, network errors, timeouts. */
  | 'transient'
  /** This record cannot be sent as it is: fail it, go on with the others. */
  | 'validation'
  /** The Xero connection is gone (invalid_grant, revoked): stop, the merchant must reconnect. */
  | 'needs-reconnect'
  /** A setting or the environment is wrong (unknown account code, bad prefix): stop and say which. */
  | 'config'
  /** Anything else: a bug or a surprise; stop the record and keep the details for us. */
  | 'unexpected';

export class SyncError extends Error {
  constructor(
    /** What kind of failure this is. */
    readonly kind: SyncErrorKind,
    /** A message a merchant can act on. Never contains secrets. */
    message: string,
    readonly details: {
      /** For transient errors: wait at least this long before retrying. */
      retryAfterMs?: number;
      /** Individual messages, e.g. Xero's ValidationErrors. */
      messages?: string[];
      /** The underlying error. */
      cause?: unknown;
    } = {},
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

export const isSyncError = (e: unknown): e is SyncError => e instanceof SyncError;
