import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One outbound ledger row: OpenCart entity ↔ Xero object. */
@Entity({ name: 'ledger' })
@Index('uq_ledger_entity', ['scope', 'entityType', 'entityKey'], { unique: true })
@Index('ix_ledger_status', ['scope', 'status', 'entityType', 'id'])
export class LedgerEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  @Column({ type: 'varchar', length: 191 })
  scope!: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 32 })
  entityType!: string;

  @Column({ name: 'entity_key', type: 'varchar', length: 191 })
  entityKey!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Index('ix_ledger_xero_id')
  @Column({ name: 'xero_id', type: 'varchar', length: 64, nullable: true })
  xeroId!: string | null;

  @Column({ name: 'xero_number', type: 'varchar', length: 255, nullable: true })
  xeroNumber!: string | null;

  @Column({ name: 'payload_hash', type: 'varchar', length: 128, nullable: true })
  payloadHash!: string | null;

  @Column({ type: 'int', unsigned: true, default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: string;
}
