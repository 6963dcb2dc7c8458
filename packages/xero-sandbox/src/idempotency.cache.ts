// Xero's Idempotency-Key: the same key on a PUT/POST within about 6 minutes gets the first answer
// back and no second write.

export const IDEMPOTENCY_WINDOW_MS = 6 * 60 * 1000;
export const IDEMPOTENCY_KEY_MAX = 128;

export interface StoredResponse {
  status: number;
  body?: unknown;
  text?: string;
}

export class IdempotencyCache {
  private entries = new Map<string, { atMs: number; response: StoredResponse }>();
  /** Requests with a key still being worked on: a second one with that key waits for the first answer. */
  private pending = new Map<string, Promise<StoredResponse | undefined>>();

  reset(): void {
    this.entries.clear();
    this.pending.clear();
  }

  /** The answer of a request with the same key still in progress, if any. */
  inProgress(
    tenantId: string,
    method: string,
    path: string,
    idempotencyKey: string,
  ): Promise<StoredResponse | undefined> | undefined {
    return this.pending.get(this.key(tenantId, method, path, idempotencyKey));
  }

  /** Marks a key as in progress; call the returned function with the answer (or undefined) when done. */
  begin(
    tenantId: string,
    method: string,
    path: string,
    idempotencyKey: string,
  ): (response: StoredResponse | undefined) => void {
    const k = this.key(tenantId, method, path, idempotencyKey);
    let resolve!: (r: StoredResponse | undefined) => void;
    this.pending.set(k, new Promise((r) => (resolve = r)));
    return (response) => {
      this.pending.delete(k);
      resolve(response);
    };
  }

  private key(tenantId: string, method: string, path: string, idempotencyKey: string): string {
    return `${tenantId}|${method}|${path.toLowerCase()}|${idempotencyKey}`;
  }

  get(
    tenantId: string,
    method: string,
    path: string,
    idempotencyKey: string,
    nowMs: number,
  ): StoredResponse | undefined {
    const k = this.key(tenantId, method, path, idempotencyKey);
    const entry = this.entries.get(k);
    if (!entry) return undefined;
    if (nowMs - entry.atMs > IDEMPOTENCY_WINDOW_MS) {
      this.entries.delete(k);
      return undefined;
    }
    return entry.response;
  }

  put(
    tenantId: string,
    method: string,
    path: string,
    idempotencyKey: string,
    nowMs: number,
    response: StoredResponse,
  ): void {
    // Answers older than the window can never be replayed: forget them, or a long sync keeps every
    // answer it was ever given. Entries are in insertion (= time) order, so the old ones lead.
    for (const [k, entry] of this.entries) {
      if (nowMs - entry.atMs <= IDEMPOTENCY_WINDOW_MS) break;
      this.entries.delete(k);
    }
    this.entries.set(this.key(tenantId, method, path, idempotencyKey), { atMs: nowMs, response });
  }
}
