// The sandbox's public interface. Fixed early so packages/xero-client can be written against it in
// parallel: add to it, never change it.

export interface SandboxApp {
  clientId: string;
  clientSecret: string;
  /** undefined = any http://127.0.0.1 or http://localhost URI */
  redirectUris?: string[];
  /** Shown as ProviderName in API envelopes; default "Xero Sandbox App". */
  name?: string;
}

export interface SandboxOptions {
  /** 0/undefined = random free port on 127.0.0.1 */
  port?: number;
  /** Which organisation is listed first; both 'uk' and 'nz' always exist (tenant selection tests). Default 'uk'. */
  seed?: 'uk' | 'nz';
  /** Default [{ clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' }] */
  apps?: SandboxApp[];
  /** Injectable clock; default Date.now (also settable via the control API). */
  now?: () => Date;
  /** Default true = Xero's 60/min, 5000/day, 5 concurrent per tenant. */
  rateLimits?: boolean | { perMinute?: number; perDay?: number; concurrent?: number };
  /** Default true: GET authorize redirects straight back with code+state; false = an HTML consent page. */
  autoConsent?: boolean;
  /** Validate every request and response against the official OpenAPI spec (openapi-backend, quick:true). */
  spec?: { dir: string; mode: 'record' | 'reject' };
  /** Multiplies the speed of the default clock (CLI --time-scale); ignored when `now` is given. */
  timeScale?: number;
  /**
   * The organisations' Xero plan (CLI --plan). Default 'premium' (multi-currency, the currencies of
   * the seed). 'standard': the base currency only; adding a currency and invoicing in another are
   * refused with Xero's error.
   */
  plan?: 'standard' | 'premium';
}

export interface RunningSandbox {
  /** One origin serves login.xero.com, identity.xero.com and api.xero.com paths. */
  url: string;
  tenants: Array<{ tenantId: string; name: string }>;
  close(): Promise<void>;
  clock: { now(): Date; advance(ms: number): void; set(d: Date): void };
  faults: { add(rule: FaultRule): void; clear(): void };
  /** "METHOD /api.xro/2.0/Invoices" → count (also tokens etc.) */
  counters(): Record<string, number>;
  /** Full JSON dump of the organisations. */
  state(): unknown;
  violations(): SpecViolation[];
  resetViolations(): void;
  /** Match a payment to a bank statement line (IsReconciled), as Xero's bank reconciliation does; false when unknown. */
  reconcilePayment(paymentId: string, reconciled?: boolean): boolean;
  /** Back to the seeded organisations, no tokens, no faults, zero counters. */
  reset(): void;
}

export interface SpecViolation {
  direction: 'request' | 'response';
  method: string;
  path: string;
  errors: unknown;
}

export interface FaultRule {
  /** Match (path without query); undefined = any. */
  method?: string;
  path?: string | RegExp;
  kind: '500' | '503' | '429-minute' | '429-day' | 'latency' | 'drop' | 'timeout-after-write' | 'validation';
  /** How many matching requests it hits (default 1). */
  times?: number;
  /** 0..1, instead of times. */
  probability?: number;
  /** For 'latency' and 'timeout-after-write' (the write is applied, then the response is delayed by latencyMs or the socket destroyed). */
  latencyMs?: number;
  /** For 'validation': which batch elements fail with a ValidationError. */
  elementIndexes?: number[];
  /** For '429-minute' / '429-day': the Retry-After to send (default 2 s for minute, 3600 s for day). */
  retryAfterSeconds?: number;
}
