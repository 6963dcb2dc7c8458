import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One log line of a run. */
@Entity({ name: 'sync_log' })
@Index('ix_sync_log_run', ['runId', 'createdAt', 'id'])
@Index('ix_sync_log_entity', ['entityType', 'entityId', 'createdAt'])
@Index('ix_sync_log_scope_created', ['scope', 'createdAt', 'id'])
@Index('ix_sync_log_level', ['level', 'createdAt'])
@Index('ix_sync_log_status', ['status', 'createdAt'])
@Index('ix_sync_log_created', ['createdAt'])
export class SyncLogEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  @Column({ name: 'run_id', type: 'char', length: 36 })
  runId!: string;

  @Column({
    type: 'varchar',
    length: 191,
    nullable: true,
    comment: 'copied from the run so the log filters by scope without a join',
  })
  scope!: string | null;

  @Column({ type: 'varchar', length: 8 })
  level!: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 32 })
  entityType!: string;

  @Column({ name: 'entity_id', type: 'varchar', length: 191 })
  entityId!: string;

  @Column({ type: 'varchar', length: 32 })
  status!: string;

  @Column({ type: 'text' })
  message!: string;

  @Column({ type: 'longtext', nullable: true, comment: 'JSON' })
  details!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: string;
}
