import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A named checkpoint of a scope (JSON string chosen by the use case). */
@Entity({ name: 'checkpoints' })
export class CheckpointEntity {
  @PrimaryColumn({ type: 'varchar', length: 191, charset: 'utf8mb4', collation: 'utf8mb4_bin' })
  scope!: string;

  @PrimaryColumn({ type: 'varchar', length: 191, charset: 'utf8mb4', collation: 'utf8mb4_bin' })
  name!: string;

  @Column({ type: 'text' })
  value!: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: string;
}
