import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

/**
 * Keys we compare exactly (scopes, ledger keys, lock names) use a binary NO PAD collation: a
 * ledger key must never match another that differs only by case, accents or trailing spaces
 * ('guest:a@b.c' and 'guest:a@b.c ' are two keys). utf8mb4_bin is PAD SPACE, so we take the
 * server's no-pad binary collation: MariaDB utf8mb4_nopad_bin, MySQL 8 utf8mb4_0900_bin.
 */
export async function exactKeyCollation(queryRunner: QueryRunner): Promise<string> {
  const rows = (await queryRunner.query(
    "SELECT COLLATION_NAME AS name FROM information_schema.COLLATIONS WHERE COLLATION_NAME IN ('utf8mb4_nopad_bin', 'utf8mb4_0900_bin')",
  )) as Array<{ name: string }>;
  const names = rows.map((row) => row.name);
  // Older servers have neither; utf8mb4_bin is then the closest (trailing spaces are ignored).
  return names.includes('utf8mb4_nopad_bin')
    ? 'utf8mb4_nopad_bin'
    : names.includes('utf8mb4_0900_bin')
      ? 'utf8mb4_0900_bin'
      : 'utf8mb4_bin';
}

/** Every table of the connector, in creation order (dropped in reverse). */
export const CONNECTOR_TABLES = [
  'settings',
  'xero_tokens',
  'ledger',
  'checkpoints',
  'product_account_overrides',
  'order_marks',
  'sync_runs',
  'sync_log',
  'locks',
] as const;

export class InitialConnectorSchema1763900000000 implements MigrationInterface {
  name = 'InitialConnectorSchema1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const KEY = `CHARACTER SET utf8mb4 COLLATE ${await exactKeyCollation(queryRunner)}`;
    await queryRunner.query(`
      CREATE TABLE settings (
        scope VARCHAR(191) ${KEY} NOT NULL,
        document LONGTEXT NOT NULL COMMENT 'JSON settings document; secret keys hold v1: ciphertext',
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (scope)
      ) ${TABLE_OPTIONS}`);

    await queryRunner.query(`
      CREATE TABLE xero_tokens (
        scope VARCHAR(191) ${KEY} NOT NULL,
        tenant_id VARCHAR(64) NOT NULL,
        tenant_name VARCHAR(255) NOT NULL,
        access_token_encrypted TEXT NOT NULL COMMENT 'AES-256-GCM, v1: format',
        refresh_token_encrypted TEXT NULL COMMENT 'AES-256-GCM, v1: format; NULL for client_credentials',
        expires_at DATETIME(3) NOT NULL,
        refreshed_at DATETIME(3) NOT NULL,
        scopes VARCHAR(1000) NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (scope)
      ) ${TABLE_OPTIONS}`);

    await queryRunner.query(`
      CREATE TABLE ledger (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        scope VARCHAR(191) ${KEY} NOT NULL,
        entity_type VARCHAR(32) ${KEY} NOT NULL,
        entity_key VARCHAR(191) ${KEY} NOT NULL,
        status VARCHAR(16) NOT NULL,
        xero_id VARCHAR(64) NULL,
        xero_number VARCHAR(255) NULL,
        payload_hash VARCHAR(128) NULL,
        attempts INT UNSIGNED NOT NULL DEFAULT 0,
        last_error TEXT NULL,
        created_at DATETIME(3) NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_ledger_entity (scope, entity_type, entity_key),
        KEY ix_ledger_status (scope, status, entity_type, id),
        KEY ix_ledger_xero_id (xero_id)
      ) ${TABLE_OPTIONS}`);

    await queryRunner.query(`
      CREATE TABLE checkpoints (
        scope VARCHAR(191) ${KEY} NOT NULL,
        name VARCHAR(191) ${KEY} NOT NULL,
        value TEXT NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (scope, name)
      ) ${TABLE_OPTIONS}`);

    await queryRunner.query(`
      CREATE TABLE product_account_overrides (
        scope VARCHAR(191) ${KEY} NOT NULL,
        product_id INT UNSIGNED NOT NULL,
        sales_account_code VARCHAR(32) NULL,
        purchase_account_code VARCHAR(32) NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (scope, product_id)
      ) ${TABLE_OPTIONS}`);

    await queryRunner.query(`
      CREATE TABLE order_marks (
        scope VARCHAR(191) ${KEY} NOT NULL,
        order_id INT UNSIGNED NOT NULL,
        marked_at DATETIME(3) NOT NULL,
        PRIMARY KEY (scope, order_id)
      ) ${TABLE_OPTIONS}`);

    await queryRunner.query(`
      CREATE TABLE sync_runs (
        id CHAR(36) ${KEY} NOT NULL,
        scope VARCHAR(191) ${KEY} NOT NULL,
        kind VARCHAR(16) NOT NULL,
        trigger_source VARCHAR(32) NOT NULL,
        status VARCHAR(16) NOT NULL,
        dry_run TINYINT(1) NOT NULL DEFAULT 0,
        started_at DATETIME(3) NOT NULL,
        finished_at DATETIME(3) NULL,
        summary LONGTEXT NOT NULL COMMENT 'JSON',
        error TEXT NULL,
        PRIMARY KEY (id),
        KEY ix_sync_runs_scope_started (scope, started_at, id)
      ) ${TABLE_OPTIONS}`);

    await queryRunner.query(`
      CREATE TABLE sync_log (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        run_id CHAR(36) ${KEY} NOT NULL,
        scope VARCHAR(191) ${KEY} NULL COMMENT 'copied from the run so the log filters by scope without a join',
        level VARCHAR(8) NOT NULL,
        entity_type VARCHAR(32) NOT NULL,
        entity_id VARCHAR(191) NOT NULL,
        status VARCHAR(32) NOT NULL,
        message TEXT NOT NULL,
        details LONGTEXT NULL COMMENT 'JSON',
        created_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        KEY ix_sync_log_run (run_id, created_at, id),
        KEY ix_sync_log_entity (entity_type, entity_id, created_at),
        KEY ix_sync_log_scope_created (scope, created_at, id),
        KEY ix_sync_log_level (level, created_at),
        KEY ix_sync_log_status (status, created_at),
        KEY ix_sync_log_created (created_at)
      ) ${TABLE_OPTIONS}`);

    await queryRunner.query(`
      CREATE TABLE locks (
        name VARCHAR(191) ${KEY} NOT NULL,
        owner VARCHAR(191) ${KEY} NOT NULL,
        acquired_at DATETIME(3) NOT NULL,
        expires_at DATETIME(3) NOT NULL,
        PRIMARY KEY (name)
      ) ${TABLE_OPTIONS}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...CONNECTOR_TABLES].reverse()) {
      await queryRunner.query(`DROP TABLE IF EXISTS \`${table}\``);
    }
  }
}
