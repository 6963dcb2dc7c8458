import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sha256 } from '../common/crypto.util';
import { API_DB } from './auth.service';

/** Failed logins allowed per username + client within the window, before that pair waits. */
export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MS = 15 * 60_000;

/**
 * Login throttling held in the connector database, so every API instance counts the same
 * failures. Keyed by username AND client: guessing one admin's password from one address is
 * stopped, while the same admin logging in from elsewhere (or others behind the same proxy
 * using their own username) is not locked out by it.
 */
@Injectable()
export class LoginThrottleService {
  constructor(@Inject(API_DB) private readonly db: DataSource) {}

  private key(username: string, client: string): string {
    return sha256(`${username.trim().toLowerCase()}\u0000${client}`);
  }

  /** Throws 429 (with Retry-After seconds) while the pair has used up its failures. */
  async assertAllowed(username: string, client: string): Promise<void> {
    const rows: Array<{ failures: number; window_started_at: Date }> = await this.db.query(
      'SELECT failures, window_started_at FROM api_login_attempt WHERE attempt_key = ?',
      [this.key(username, client)],
    );
    const r = rows[0];
    if (!r) return;
    const endsAt = new Date(r.window_started_at).getTime() + LOGIN_WINDOW_MS;
    if (r.failures >= LOGIN_MAX_FAILURES && endsAt > Date.now()) {
      const retryAfterS = Math.ceil((endsAt - Date.now()) / 1000);
      throw new HttpException(
        {
          statusCode: 429,
          message: `Too many failed logins for this username from here: try again in ${Math.ceil(retryAfterS / 60)} minute(s).`,
          retryAfterS,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }

  /** One more failure; a window that ended starts again. Atomic, so two instances never lose a count. */
  async recordFailure(username: string, client: string): Promise<void> {
    const now = new Date();
    const windowStart = new Date(now.getTime() - LOGIN_WINDOW_MS);
    await this.db.query(
      `INSERT INTO api_login_attempt (attempt_key, failures, window_started_at) VALUES (?, 1, ?)
       ON DUPLICATE KEY UPDATE
         failures = IF(window_started_at < ?, 1, failures + 1),
         window_started_at = IF(window_started_at < ?, VALUES(window_started_at), window_started_at)`,
      [this.key(username, client), now, windowStart, windowStart],
    );
  }

  async clear(username: string, client: string): Promise<void> {
    await this.db.query('DELETE FROM api_login_attempt WHERE attempt_key = ?', [this.key(username, client)]);
    await this.db.query('DELETE FROM api_login_attempt WHERE window_started_at < ?', [new Date(Date.now() - LOGIN_WINDOW_MS)]);
  }
}
