/**
 * TEST HELPER for the acceptance suites: scratch databases (prefix ocx_t_acc_), a sandbox with
 * Xero's spec checks on, the CLI's own composition (openSyncContext over loadConfig), the real
 * fixtures (skipped with a message when absent, failing under CI), and read-backs of what Xero
 * holds, judged by the sandbox's own figures.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseSettings, type Settings } from '@oc-xero/sync-core';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '@oc-xero/xero-sandbox';
import { createConnection, type Connection } from 'mysql2/promise';
import { loadConfig } from '../../../src/config/app-config';
import {
  createCliLogger,
  openSyncContext,
  type SyncContext,
  type SyncContextOptions,
} from '../../../src/cli/cli.composition';

export const repoRoot = path.resolve(__dirname, '../../../../..');
export const apiRoot = path.resolve(__dirname, '../../..');
export const serverUrl = (process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
export const fixturesDir = (): string =>
  process.env.OPENCART_FIXTURES_DIR ?? path.resolve(repoRoot, '../shared/opencart');
export const specDir = (): string =>
  process.env.XERO_OPENAPI_DIR ?? path.resolve(repoRoot, '../shared/xero-openapi');

/** Whether a fixture set is there; when not, a message naming the variable (and a failure under CI). */
export function requireShared(kind: 'fixtures' | 'spec'): boolean {
  const dir = kind === 'fixtures' ? fixturesDir() : specDir();
  const files =
    kind === 'fixtures'
      ? ['opencart-3.sql', 'opencart-4.sql', 'orders-3.json', 'orders-4.json']
      : ['xero_accounting.yaml'];
  const ok = files.every((f) => existsSync(path.join(dir, f)));
  if (!ok) {
    const variable = kind === 'fixtures' ? 'OPENCART_FIXTURES_DIR' : 'XERO_OPENAPI_DIR';
    const msg = `${kind === 'fixtures' ? 'OpenCart dumps' : "Xero's OpenAPI spec"} not found in ${dir}: set ${variable} to the folder holding ${files.join(', ')}`;
    if (process.env.CI) throw new Error(msg);
    console.warn(`SKIPPED: ${msg}`);
  }
  return ok;
}

export const dbUrl = (database: string): string => `${serverUrl}/${database}`;

/** A fresh scratch database name under this suite's prefix. */
export const scratchName = (tag: string): string => `ocx_t_acc_${tag}_${randomBytes(3).toString('hex')}`;

export async function sql(database: string | null): Promise<Connection> {
  return createConnection({ uri: database ? dbUrl(database) : serverUrl, multipleStatements: false });
}

export async function dropDatabases(names: string[]): Promise<void> {
  const conn = await sql(null);
  try {
    for (const n of names)
      if (/^ocx_t_acc_\w+$/.test(n)) await conn.query(`DROP DATABASE IF EXISTS \`${n}\``);
  } finally {
    await conn.end();
  }
}

/** A sandbox validating every request and answer against Xero's spec when the spec is there. */
export async function startCheckedSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const dir = specDir();
  const spec = existsSync(path.join(dir, 'xero_accounting.yaml'))
    ? { dir, mode: 'record' as const }
    : undefined;
  return startSandbox({ seed: 'uk', ...options, spec });
}

/** The CLI's environment for a store + connector database + sandbox. */
export function cliEnv(o: {
  store: string;
  connector: string;
  prefix?: string;
  sandboxUrl: string;
  scope?: string;
}): NodeJS.ProcessEnv {
  return {
    OPENCART_DB_URL: dbUrl(o.store),
    OPENCART_DB_PREFIX: o.prefix ?? 'oc_',
    CONNECTOR_DB_URL: dbUrl(o.connector),
    XERO_SANDBOX_URL: o.sandboxUrl,
    CONNECTOR_SCOPE: o.scope ?? 'acceptance',
    LOG_LEVEL: 'silent',
  };
}

/** Opens the run context exactly as `oc-xero sync` does. Retries are quick so faults do not drag. */
export async function openContext(
  env: NodeJS.ProcessEnv,
  options: SyncContextOptions = {},
): Promise<SyncContext> {
  const config = loadConfig(env, { defaultLogLevel: 'warn' });
  return openSyncContext(config, {
    logger: createCliLogger('silent'),
    xero: { backoffBaseMs: 20, backoffMaxMs: 200, timeoutMs: 5_000, maxAttempts: 4, ...options.xero },
    ...options,
  });
}

/** Settings of the acceptance runs: approved invoices, cod and bank transfer mapped to the bank, cheque NOT mapped. */
export function acceptanceSettings(extra: Record<string, unknown> = {}): Settings {
  const parsed = parseSettings({
    status: true,
    invoiceStatus: 'AUTHORISED',
    exportCustomers: true,
    paymentAccountCodes: { cod: '090', bank_transfer: '090' },
    ...extra,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.settings;
}

export const MAPPED_METHODS = new Set(['cod', 'bank_transfer']);
/** 'cod.cod' (4.x) → 'cod'. */
export const methodCode = (code: string | null | undefined): string => (code ?? '').split('.')[0] ?? '';

type Json = Record<string, unknown>;
export interface XeroState {
  Invoices: Json[];
  Payments: Json[];
  Contacts: Json[];
  CreditNotes: Json[];
  Items: Json[];
  Accounts: Json[];
}

/** What the first organisation (the one the CLI connects) holds now. */
export function orgState(sandbox: RunningSandbox): XeroState {
  const s = sandbox.state() as { organisations: XeroState[] };
  return s.organisations[0]!;
}

/** Invoices by number (all statuses), failing on a duplicate number. */
export function invoicesByNumber(state: XeroState): Map<string, Json> {
  const m = new Map<string, Json>();
  for (const inv of state.Invoices) {
    const n = String(inv.InvoiceNumber);
    if (m.has(n)) throw new Error(`two invoices numbered ${n} in Xero`);
    m.set(n, inv);
  }
  return m;
}

/** Live payments on an invoice. */
export function paymentsOf(state: XeroState, invoiceId: string): Json[] {
  return state.Payments.filter(
    (p) => (p.Invoice as Json | undefined)?.InvoiceID === invoiceId && p.Status !== 'DELETED',
  );
}

/**
 * A comparable picture of an organisation: invoices (number, status, totals, currency, lines),
 * payments per invoice, contacts by number/name, credit notes. Ids and timestamps left out.
 */
export function snapshot(state: XeroState): unknown {
  const byId = new Map(state.Invoices.map((i) => [String(i.InvoiceID), String(i.InvoiceNumber)]));
  const contactById = new Map(
    state.Contacts.map((c) => [String(c.ContactID), `${String(c.ContactNumber ?? '')}|${String(c.Name)}`]),
  );
  return {
    invoices: state.Invoices.map((i) => ({
      number: i.InvoiceNumber,
      status: i.Status,
      total: i.Total,
      tax: i.TotalTax,
      currency: i.CurrencyCode,
      contact: contactById.get(String((i.Contact as Json).ContactID)),
      lines: (i.LineItems as Json[] | undefined)?.map((l) => [
        l.Description,
        l.Quantity,
        l.UnitAmount,
        l.AccountCode,
        l.TaxType,
        l.LineAmount,
      ]),
    })).sort((a, b) => String(a.number).localeCompare(String(b.number))),
    payments: state.Payments.filter((p) => p.Status !== 'DELETED')
      .map((p) => ({
        // A refund payment is made against a credit note, not an invoice.
        invoice: p.Invoice
          ? byId.get(String((p.Invoice as Json).InvoiceID))
          : `refund of ${String((p.CreditNote as Json | undefined)?.CreditNoteNumber)}`,
        amount: p.Amount,
        account: (p.Account as Json).Code ?? (p.Account as Json).AccountID,
      }))
      .sort((a, b) => String(a.invoice).localeCompare(String(b.invoice))),
    contacts: [...contactById.values()].sort(),
    creditNotes: state.CreditNotes.map((c) => ({
      number: c.CreditNoteNumber,
      total: c.Total,
      status: c.Status,
      remaining: c.RemainingCredit,
    })).sort((a, b) => String(a.number).localeCompare(String(b.number))),
  };
}

/** Cents of a Xero number. */
export const cents = (v: unknown): number => Math.round(Number(v) * 100);
