import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The API's own tables in the connector database: admins, sessions, API keys, OAuth state. */
export class ApiTables1763900000000 implements MigrationInterface {
  name = 'ApiTables1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE api_admin_user (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      username VARCHAR(128) NOT NULL,
      password_hash VARCHAR(100) NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      UNIQUE KEY uq_api_admin_user_username (username)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`CREATE TABLE api_session (
      token_hash CHAR(64) NOT NULL PRIMARY KEY,
      user_id INT UNSIGNED NOT NULL,
      csrf_token VARCHAR(64) NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      expires_at DATETIME(3) NOT NULL,
      KEY ix_api_session_expires (expires_at),
      CONSTRAINT fk_api_session_user FOREIGN KEY (user_id) REFERENCES api_admin_user (id) ON DELETE CASCADE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`CREATE TABLE api_key (
      id CHAR(36) NOT NULL PRIMARY KEY,
      name VARCHAR(100) NOT NULL,
      prefix VARCHAR(16) NOT NULL,
      key_hash CHAR(64) NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      last_used_at DATETIME(3) NULL,
      revoked_at DATETIME(3) NULL,
      UNIQUE KEY uq_api_key_hash (key_hash)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`CREATE TABLE api_oauth_state (
      state_hash CHAR(64) NOT NULL PRIMARY KEY,
      code_verifier VARCHAR(128) NULL,
      expires_at DATETIME(3) NOT NULL
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['api_oauth_state', 'api_key', 'api_session', 'api_admin_user']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
