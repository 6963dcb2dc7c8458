import { Column, Entity, PrimaryColumn } from 'typeorm';

/** OAuth tokens of a connection; the token columns hold ciphertext only. */
@Entity({ name: 'xero_tokens' })
export class XeroTokensEntity {
  @PrimaryColumn({ type: 'varchar', length: 191 })
  scope!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId!: string;

  @Column({ name: 'tenant_name', type: 'varchar', length: 255 })
  tenantName!: string;

  @Column({ name: 'access_token_encrypted', type: 'text', comment: 'AES-256-GCM, v1: format' })
  accessTokenEncrypted!: string;

  @Column({
    name: 'refresh_token_encrypted',
    type: 'text',
    nullable: true,
    comment: 'AES-256-GCM, v1: format; NULL for client_credentials',
  })
  refreshTokenEncrypted!: string | null;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt!: string;

  @Column({ name: 'refreshed_at', type: 'datetime', precision: 3 })
  refreshedAt!: string;

  @Column({ type: 'varchar', length: 1000 })
  scopes!: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: string;
}
