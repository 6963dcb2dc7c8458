import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A sync run. */
@Entity({ name: 'sync_runs' })
@Index('ix_sync_runs_scope_started', ['scope', 'startedAt', 'id'])
export class SyncRunEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 191 })
  scope!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  // `trigger` is a reserved word in MySQL.
  @Column({ name: 'trigger_source', type: 'varchar', length: 32 })
  trigger!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'dry_run', type: 'tinyint', width: 1, default: 0 })
  dryRun!: number;

  @Column({ name: 'started_at', type: 'datetime', precision: 3 })
  startedAt!: string;

  @Column({ name: 'finished_at', type: 'datetime', precision: 3, nullable: true })
  finishedAt!: string | null;

  @Column({ type: 'longtext', comment: 'JSON' })
  summary!: string;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
