import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hardening of sign-in and machine access: scoped API keys, the one-time first-run setup code,
 * and login failures counted in the database (so every API instance sees the same count).
 */
export class ApiSecurity1764700000000 implements MigrationInterface {
  name = 'ApiSecurity1764700000000';

  async up(q: QueryRunner): Promise<void> {
    // Existing keys keep what they could do: full admin.
    await q.query(`ALTER TABLE api_key ADD COLUMN scope VARCHAR(32) NOT NULL DEFAULT 'admin' AFTER prefix`);
    await q.query(`CREATE TABLE api_setup_code (
      code_hash CHAR(64) NOT NULL PRIMARY KEY,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`CREATE TABLE api_login_attempt (
      attempt_key CHAR(64) NOT NULL PRIMARY KEY,
      failures INT UNSIGNED NOT NULL,
      window_started_at DATETIME(3) NOT NULL,
      KEY ix_api_login_attempt_window (window_started_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS api_login_attempt');
    await q.query('DROP TABLE IF EXISTS api_setup_code');
    await q.query('ALTER TABLE api_key DROP COLUMN scope');
  }
}
