import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The settings document of a scope (secret keys hold ciphertext). */
@Entity({ name: 'settings' })
export class SettingsEntity {
  @PrimaryColumn({ type: 'varchar', length: 191 })
  scope!: string;

  @Column({ type: 'longtext', comment: 'JSON settings document; secret keys hold v1: ciphertext' })
  document!: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: string;
}
