import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A named checkpoint of a scope (JSON string chosen by the use case). */
@Entity({ name: 'checkpoints' })
export class CheckpointEntity {
  @PrimaryColumn({ type: 'varchar', length: 191 })
  scope!: string;

  @PrimaryColumn({ type: 'varchar', length: 191 })
  name!: string;

  @Column({ type: 'text' })
  value!: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: string;
}
