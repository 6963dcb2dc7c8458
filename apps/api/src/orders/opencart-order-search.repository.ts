import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { createPool, type Pool, type RowDataPacket } from 'mysql2/promise';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../ports/tokens';

/** One row of the admin's order list, straight from the store's `order` table (same columns in 3.x and 4.x). */
export interface OrderSearchRow {
  orderId: number;
  storeId: number;
  storeName: string;
  firstname: string;
  lastname: string;
  email: string;
  /** Order total in the store's default currency (4 dp). */
  total: string;
  currencyCode: string;
  /** Rate from the default currency to currencyCode at order time. */
  currencyValue: string;
  orderStatusId: number;
  dateAdded: string;
  dateModified: string;
}

export interface OrderSearchQuery {
  /** Only these order ids (a state filter resolved from the ledger); [] = nothing matches. */
  onlyIds?: number[];
  /** Leave these order ids out. */
  exceptIds?: number[];
  storeId?: number;
  /** 'YYYY-MM-DD', inclusive, store local time (the store's own date_added). */
  from?: string;
  to?: string;
  /** An order id, or part of the customer's name or email. */
  search?: string;
  limit: number;
  offset: number;
}

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The order list the admin screens search, newest first with a total count. The sync reader
 * (keyset by date_modified, no counts) is made for runs, not for a person paging a table, so
 * this read model queries the store directly, read-only, over its own small pool.
 */
@Injectable()
export class OpenCartOrderSearchRepository implements OnModuleDestroy {
  private pool: Pool | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private db(): Pool {
    const c = this.config.opencartDb;
    // Opened on first use: a service whose store is down still starts and says so per request.
    this.pool ??= createPool({ host: c.host, port: c.port, user: c.user, password: c.password, database: c.database, connectionLimit: 2, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
    return this.pool;
  }

  private get table(): string {
    return `\`${this.config.opencartDb.prefix}order\``;
  }

  async search(q: OrderSearchQuery): Promise<{ rows: OrderSearchRow[]; total: number }> {
    if (q.onlyIds && q.onlyIds.length === 0) return { rows: [], total: 0 };
    const where: string[] = ['o.order_status_id > 0'];
    const args: unknown[] = [];
    if (q.onlyIds) {
      where.push(`o.order_id IN (${q.onlyIds.map(() => '?').join(',')})`);
      args.push(...q.onlyIds);
    }
    if (q.exceptIds && q.exceptIds.length > 0) {
      where.push(`o.order_id NOT IN (${q.exceptIds.map(() => '?').join(',')})`);
      args.push(...q.exceptIds);
    }
    if (q.storeId !== undefined) {
      where.push('o.store_id = ?');
      args.push(q.storeId);
    }
    if (q.from) {
      where.push('o.date_added >= ?');
      args.push(`${q.from} 00:00:00`);
    }
    if (q.to) {
      where.push('o.date_added <= ?');
      args.push(`${q.to} 23:59:59`);
    }
    if (q.search) {
      const like = `%${escapeLike(q.search)}%`;
      const byId = /^#?\d{1,10}$/.test(q.search) ? Number(q.search.replace('#', '')) : null;
      where.push(`(${byId !== null ? 'o.order_id = ? OR ' : ''}o.email LIKE ? OR CONCAT(o.firstname, ' ', o.lastname) LIKE ?)`);
      if (byId !== null) args.push(byId);
      args.push(like, like);
    }
    const clause = where.join(' AND ');
    const [countRows] = await this.db().query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${this.table} o WHERE ${clause}`, args);
    const [rows] = await this.db().query<RowDataPacket[]>(
      `SELECT o.order_id, o.store_id, o.store_name, o.firstname, o.lastname, o.email, o.total, o.currency_code, o.currency_value,
              o.order_status_id, o.date_added, o.date_modified
       FROM ${this.table} o WHERE ${clause} ORDER BY o.date_added DESC, o.order_id DESC LIMIT ? OFFSET ?`,
      [...args, q.limit, q.offset],
    );
    return {
      total: Number(countRows[0]?.n ?? 0),
      rows: rows.map((r) => ({
        orderId: Number(r.order_id),
        storeId: Number(r.store_id),
        storeName: String(r.store_name ?? ''),
        firstname: String(r.firstname ?? ''),
        lastname: String(r.lastname ?? ''),
        email: String(r.email ?? ''),
        total: String(r.total),
        currencyCode: String(r.currency_code ?? ''),
        currencyValue: String(r.currency_value ?? '1'),
        orderStatusId: Number(r.order_status_id),
        dateAdded: String(r.date_added),
        dateModified: String(r.date_modified),
      })),
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.end().catch(() => undefined);
    this.pool = null;
  }
}
