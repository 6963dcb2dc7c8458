import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A named lease lock; expired rows are free to take. */
@Entity({ name: 'locks' })
export class LockEntity {
  @PrimaryColumn({ type: 'varchar', length: 191 })
  name!: string;

  @Column({ type: 'varchar', length: 191 })
  owner!: string;

  @Column({ name: 'acquired_at', type: 'datetime', precision: 3 })
  acquiredAt!: string;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt!: string;
}
