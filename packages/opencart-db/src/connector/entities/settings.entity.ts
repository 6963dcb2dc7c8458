import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The settings document of a scope (secret keys hold ciphertext). */
@Entity({ name: 'settings' })
export class SettingsEntity {
  @PrimaryColumn({ type: 'varchar', length: 191, charset: 'utf8mb4', collation: 'utf8mb4_bin' })
  scope!: string;

  @Column({ type: 'longtext', comment: 'JSON settings document; secret keys hold v1: ciphertext' })
  document!: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: string;
}
