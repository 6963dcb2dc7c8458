import { ConflictException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../ports/tokens';
import type { AppConfig } from '../config/app-config';
import { constantTimeEquals, randomToken, sha256 } from '../common/crypto.util';

export const API_DB = Symbol('API_DB');

export interface AdminPrincipal {
  kind: 'session' | 'api-key';
  /** Admin user id (session) or API key id. */
  id: string;
  name: string;
  csrfToken?: string;
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const BCRYPT_COST = 12;
const SETUP_DONE = 'Setup is already done: an admin exists. Log in instead.';
const API_KEY_PREFIX = 'ocx_';
// A fixed hash to compare against when the user does not exist, so timing does not tell.
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', 4);

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

@Injectable()
export class AuthService {
  constructor(
    @Inject(API_DB) private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async adminExists(): Promise<boolean> {
    const rows: unknown[] = await this.db.query('SELECT id FROM api_admin_user LIMIT 1');
    return rows.length > 0;
  }

  /** First-run setup: creates THE admin; refused once one exists (also under a race, by the unique index + count check in one transaction). */
  async setup(username: string, password: string): Promise<void> {
    const hash = await bcrypt.hash(password, BCRYPT_COST);
    try {
      await this.db.transaction(async (m) => {
        // Locks the (empty) table range so two concurrent setups cannot both pass the check.
        const rows: unknown[] = await m.query('SELECT id FROM api_admin_user LIMIT 1 FOR UPDATE');
        if (rows.length > 0) throw new ConflictException(SETUP_DONE);
        await m.query('INSERT INTO api_admin_user (username, password_hash) VALUES (?, ?)', [username, hash]);
      });
    } catch (e) {
      // The loser of a concurrent setup meets a deadlock on the gap lock: it lost, say so.
      if ((e as { code?: string }).code === 'ER_LOCK_DEADLOCK') throw new ConflictException(SETUP_DONE);
      throw e;
    }
  }

  /** Checks the password and opens a session; returns the raw session token and its CSRF token. */
  async login(username: string, password: string): Promise<{ sessionToken: string; csrfToken: string; expiresAt: Date }> {
    const rows: Array<{ id: number; password_hash: string }> = await this.db.query(
      'SELECT id, password_hash FROM api_admin_user WHERE username = ?',
      [username],
    );
    const ok = await bcrypt.compare(password, rows[0]?.password_hash ?? DUMMY_HASH);
    if (!rows[0] || !ok) throw new UnauthorizedException('Wrong username or password.');
    const sessionToken = randomToken();
    const csrfToken = randomToken(24);
    const expiresAt = new Date(Date.now() + this.config.sessionTtlMs);
    await this.db.query('INSERT INTO api_session (token_hash, user_id, csrf_token, expires_at) VALUES (?, ?, ?, ?)', [
      sha256(sessionToken),
      rows[0].id,
      csrfToken,
      expiresAt,
    ]);
    await this.db.query('DELETE FROM api_session WHERE expires_at < ?', [new Date()]);
    return { sessionToken, csrfToken, expiresAt };
  }

  async logout(sessionToken: string): Promise<void> {
    await this.db.query('DELETE FROM api_session WHERE token_hash = ?', [sha256(sessionToken)]);
  }

  async sessionPrincipal(sessionToken: string): Promise<AdminPrincipal | null> {
    const rows: Array<{ user_id: number; csrf_token: string; username: string }> = await this.db.query(
      `SELECT s.user_id, s.csrf_token, u.username FROM api_session s JOIN api_admin_user u ON u.id = s.user_id
       WHERE s.token_hash = ? AND s.expires_at > ?`,
      [sha256(sessionToken), new Date()],
    );
    const r = rows[0];
    return r ? { kind: 'session', id: String(r.user_id), name: r.username, csrfToken: r.csrf_token } : null;
  }

  async apiKeyPrincipal(rawKey: string): Promise<AdminPrincipal | null> {
    if (!rawKey.startsWith(API_KEY_PREFIX)) return null;
    const rows: Array<{ id: string; name: string }> = await this.db.query(
      'SELECT id, name FROM api_key WHERE key_hash = ? AND revoked_at IS NULL',
      [sha256(rawKey)],
    );
    const r = rows[0];
    if (!r) return null;
    await this.db.query('UPDATE api_key SET last_used_at = ? WHERE id = ?', [new Date(), r.id]);
    return { kind: 'api-key', id: r.id, name: r.name };
  }

  /** Creates a key; the raw key is returned once and only its hash is kept. */
  async createApiKey(name: string): Promise<ApiKeyView & { key: string }> {
    const id = randomUUID();
    const key = `${API_KEY_PREFIX}${randomToken(32)}`;
    const prefix = key.slice(0, 10);
    await this.db.query('INSERT INTO api_key (id, name, prefix, key_hash) VALUES (?, ?, ?, ?)', [id, name, prefix, sha256(key)]);
    const [view] = await this.listApiKeys(id);
    return { ...view, key };
  }

  async listApiKeys(onlyId?: string): Promise<ApiKeyView[]> {
    const rows: Array<{ id: string; name: string; prefix: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }> =
      await this.db.query(
        `SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_key ${onlyId ? 'WHERE id = ?' : ''} ORDER BY created_at DESC`,
        onlyId ? [onlyId] : [],
      );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      createdAt: iso(r.created_at)!,
      lastUsedAt: iso(r.last_used_at),
      revokedAt: iso(r.revoked_at),
    }));
  }

  /** Revokes a key; false when no active key has that id. */
  async revokeApiKey(id: string): Promise<boolean> {
    const res = await this.db.query('UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [new Date(), id]);
    return (res as { affectedRows?: number }).affectedRows === 1;
  }

  csrfMatches(expected: string | undefined, given: string | undefined): boolean {
    return !!expected && !!given && constantTimeEquals(expected, given);
  }
}
