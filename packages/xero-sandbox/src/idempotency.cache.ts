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

  reset(): void {
    this.entries.clear();
  }

  private key(tenantId: string, method: string, path: string, idempotencyKey: string): string {
    return `${tenantId}|${method}|${path.toLowerCase()}|${idempotencyKey}`;
  }

  get(tenantId: string, method: string, path: string, idempotencyKey: string, nowMs: number): StoredResponse | undefined {
    const k = this.key(tenantId, method, path, idempotencyKey);
    const entry = this.entries.get(k);
    if (!entry) return undefined;
    if (nowMs - entry.atMs > IDEMPOTENCY_WINDOW_MS) {
      this.entries.delete(k);
      return undefined;
    }
    return entry.response;
  }

  put(tenantId: string, method: string, path: string, idempotencyKey: string, nowMs: number, response: StoredResponse): void {
    this.entries.set(this.key(tenantId, method, path, idempotencyKey), { atMs: nowMs, response });
  }
}
