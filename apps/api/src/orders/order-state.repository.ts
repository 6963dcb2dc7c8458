import { Inject, Injectable } from '@nestjs/common';
import { MAX_AUTO_RETRIES, type LedgerEntityType } from '@oc-xero/sync-core';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { API_DB } from '../auth/auth.service';
import { APP_CONFIG } from '../ports/tokens';

/** Ledger statuses of an order's invoice, grouped as the admin filters them. */
export const ORDER_STATES = ['synced', 'failed', 'pending', 'marked', 'not-exported', 'removed'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

const LEDGER_FOR_STATE: Partial<Record<OrderState, string[]>> = {
  synced: ['done'],
  failed: ['failed', 'conflict'],
  pending: ['pending'],
  removed: ['removed'],
};

/** The ledger rows of an order that can need the merchant. */
const ATTENTION_TYPES: LedgerEntityType[] = ['invoice', 'invoice-update', 'payment', 'credit-note', 'allocation', 'refund', 'removal'];

const orderIdOf = (key: string): number | null => {
  const m = /^order:(\d+)$/.exec(key);
  return m ? Number(m[1]) : null;
};

/**
 * Which orders are in which state, for the list's filters. Reads the connector store's ledger
 * and marks tables (same database as the API's own tables) read-only: the port lists ledger rows
 * one page at a time, while a filter needs the whole id set in one query.
 */
@Injectable()
export class OrderStateRepository {
  constructor(
    @Inject(API_DB) private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async invoiceIds(statuses?: string[]): Promise<number[]> {
    const rows: Array<{ entity_key: string }> = await this.db.query(
      `SELECT entity_key FROM ledger WHERE scope = ? AND entity_type = 'invoice'${statuses ? ` AND status IN (${statuses.map(() => '?').join(',')})` : ''}`,
      [this.config.scope, ...(statuses ?? [])],
    );
    return rows.map((r) => orderIdOf(r.entity_key)).filter((id): id is number => id !== null);
  }

  /**
   * Orders that need the merchant: a Xero record of theirs (invoice, invoice update, payment, credit
   * note, allocation, removal) is a conflict, or failed so often that automatic retries stopped
   * (MAX_AUTO_RETRIES; a manual sync of the order starts again). With orderIds: only those, and
   * each with the first reason.
   */
  async attention(orderIds?: number[]): Promise<Map<number, string>> {
    if (orderIds && !orderIds.length) return new Map();
    const keys = orderIds?.map((id) => `order:${id}`);
    const rows: Array<{ entity_key: string; entity_type: string; last_error: string | null }> = await this.db.query(
      `SELECT entity_key, entity_type, last_error FROM ledger
        WHERE scope = ? AND entity_type IN (${ATTENTION_TYPES.map(() => '?').join(',')})
          AND (status = 'conflict' OR (status = 'failed' AND attempts >= ?))${keys ? ` AND entity_key IN (${keys.map(() => '?').join(',')})` : ''}
        ORDER BY id`,
      [this.config.scope, ...ATTENTION_TYPES, MAX_AUTO_RETRIES, ...(keys ?? [])],
    );
    const out = new Map<number, string>();
    for (const r of rows) {
      const id = orderIdOf(r.entity_key);
      if (id !== null && !out.has(id)) out.set(id, r.last_error ?? `its ${r.entity_type} needs attention`);
    }
    return out;
  }

  async markedIds(): Promise<number[]> {
    const rows: Array<{ order_id: number }> = await this.db.query('SELECT order_id FROM order_marks WHERE scope = ?', [this.config.scope]);
    return rows.map((r) => Number(r.order_id));
  }

  /** The filter as id sets: only these, or all but these. */
  async filter(state: OrderState): Promise<{ onlyIds?: number[]; exceptIds?: number[] }> {
    if (state === 'marked') return { onlyIds: await this.markedIds() };
    if (state === 'not-exported') return { exceptIds: [...new Set([...(await this.invoiceIds()), ...(await this.markedIds())])] };
    return { onlyIds: await this.invoiceIds(LEDGER_FOR_STATE[state]) };
  }
}

/** The state of one order from its ledger row and mark. */
export function orderState(ledgerStatus: string | undefined, marked: boolean): OrderState {
  if (ledgerStatus === 'done') return 'synced';
  if (ledgerStatus === 'failed' || ledgerStatus === 'conflict') return 'failed';
  if (ledgerStatus === 'pending') return 'pending';
  if (ledgerStatus === 'removed') return 'removed';
  return marked ? 'marked' : 'not-exported';
}

/**
 * a × b rounded half away from zero to `dp` decimals, in exact decimal arithmetic (amounts are
 * decimal strings; binary floating point would land some x.xx5 on the wrong cent).
 */
export function multiplyDecimal(a: string, b: string, dp = 2): string {
  const parse = (s: string): { n: bigint; scale: number } => {
    const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(s.trim());
    if (!m) throw new Error(`not a decimal: ${s}`);
    const frac = m[3] ?? '';
    return { n: BigInt(`${m[1]}${m[2] || '0'}${frac}`), scale: frac.length };
  };
  const x = parse(a);
  const y = parse(b);
  const product = x.n * y.n;
  const scale = x.scale + y.scale;
  const drop = scale - dp;
  let q: bigint;
  if (drop <= 0) q = product * 10n ** BigInt(-drop);
  else {
    const div = 10n ** BigInt(drop);
    const abs = product < 0n ? -product : product;
    let r = abs / div;
    if ((abs % div) * 2n >= div) r += 1n;
    q = product < 0n ? -r : r;
  }
  const neg = q < 0n;
  const digits = (neg ? -q : q).toString().padStart(dp + 1, '0');
  const out = dp > 0 ? `${digits.slice(0, -dp)}.${digits.slice(-dp)}` : digits;
  return neg ? `-${out}` : out;
}
