import { ConflictException, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../ports/tokens';
import type { AppConfig } from '../config/app-config';
import { constantTimeEquals, randomToken, sha256 } from '../common/crypto.util';
import { hashPassword, verifyPassword } from './password.util';
import { normaliseSetupCode } from './setup-code.util';

/** What an API key may do: `admin` everything an admin may (but manage keys), `opencart-bridge` only what the OpenCart extension needs. */
export const API_KEY_SCOPES = ['admin', 'opencart-bridge'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const API_DB = Symbol('API_DB');

export interface AdminPrincipal {
  kind: 'session' | 'api-key';
  /** Admin user id (session) or API key id. */
  id: string;
  name: string;
  /** Sessions are always admin; keys carry the scope they were made with. */
  scope: ApiKeyScope;
  csrfToken?: string;
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scope: ApiKeyScope;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const SETUP_DONE = 'Setup is already done: an admin exists. Log in instead.';
const API_KEY_PREFIX = 'ocx_';

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

@Injectable()
export class AuthService {
  constructor(
    @Inject(API_DB) private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // Compared against when the username does not exist. Made like every real hash (same cost, same
  // pre-hash), so an unknown username costs the same time as a wrong password: timing tells nothing.
  private dummyHash: Promise<string> | null = null;
  dummyPasswordHash(): Promise<string> {
    return (this.dummyHash ??= hashPassword(randomToken(16)));
  }

  async adminExists(): Promise<boolean> {
    const rows: unknown[] = await this.db.query('SELECT id FROM api_admin_user LIMIT 1');
    return rows.length > 0;
  }

  /** First-run setup: creates THE admin; refused once one exists (also under a race, by the unique index + count check in one transaction). */
  async setup(username: string, password: string, setupCode: string): Promise<void> {
    const hash = await hashPassword(password);
    try {
      await this.db.transaction(async (m) => {
        // Locks the (empty) table range so two concurrent setups cannot both pass the check.
        const rows: unknown[] = await m.query('SELECT id FROM api_admin_user LIMIT 1 FOR UPDATE');
        if (rows.length > 0) throw new ConflictException(SETUP_DONE);
        const codes: unknown[] = await m.query('SELECT code_hash FROM api_setup_code WHERE code_hash = ? FOR UPDATE', [sha256(normaliseSetupCode(setupCode))]);
        if (codes.length === 0) {
          throw new ForbiddenException({
            statusCode: 403,
            message: 'Wrong setup code: use the code the service printed in its log when it started.',
            errors: [{ path: 'setupCode', message: 'Wrong setup code: copy it from the service log.' }],
          });
        }
        await m.query('INSERT INTO api_admin_user (username, password_hash) VALUES (?, ?)', [username, hash]);
        // Single use: every printed code dies with the setup that succeeded.
        await m.query('DELETE FROM api_setup_code');
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
    const ok = await verifyPassword(password, rows[0]?.password_hash ?? (await this.dummyPasswordHash()));
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
    return r ? { kind: 'session', id: String(r.user_id), name: r.username, scope: 'admin', csrfToken: r.csrf_token } : null;
  }

  async apiKeyPrincipal(rawKey: string): Promise<AdminPrincipal | null> {
    if (!rawKey.startsWith(API_KEY_PREFIX)) return null;
    const rows: Array<{ id: string; name: string; scope: string }> = await this.db.query(
      'SELECT id, name, scope FROM api_key WHERE key_hash = ? AND revoked_at IS NULL',
      [sha256(rawKey)],
    );
    const r = rows[0];
    if (!r) return null;
    await this.db.query('UPDATE api_key SET last_used_at = ? WHERE id = ?', [new Date(), r.id]);
    // An unknown scope (a newer release's key read by an older one) gets the narrowest rights.
    const scope: ApiKeyScope = (API_KEY_SCOPES as readonly string[]).includes(r.scope) ? (r.scope as ApiKeyScope) : 'opencart-bridge';
    return { kind: 'api-key', id: r.id, name: r.name, scope };
  }

  /** Creates a key; the raw key is returned once and only its hash is kept. */
  async createApiKey(name: string, scope: ApiKeyScope): Promise<ApiKeyView & { key: string }> {
    const id = randomUUID();
    const key = `${API_KEY_PREFIX}${randomToken(32)}`;
    const prefix = key.slice(0, 10);
    await this.db.query('INSERT INTO api_key (id, name, prefix, scope, key_hash) VALUES (?, ?, ?, ?, ?)', [id, name, prefix, scope, sha256(key)]);
    const [view] = await this.listApiKeys(id);
    return { ...view, key };
  }

  async listApiKeys(onlyId?: string): Promise<ApiKeyView[]> {
    const rows: Array<{ id: string; name: string; prefix: string; scope: ApiKeyScope; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }> =
      await this.db.query(
        `SELECT id, name, prefix, scope, created_at, last_used_at, revoked_at FROM api_key ${onlyId ? 'WHERE id = ?' : ''} ORDER BY created_at DESC`,
        onlyId ? [onlyId] : [],
      );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      scope: r.scope,
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
