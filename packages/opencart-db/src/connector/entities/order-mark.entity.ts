import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An order the merchant marked "do not sync". */
@Entity({ name: 'order_marks' })
export class OrderMarkEntity {
  @PrimaryColumn({ type: 'varchar', length: 191 })
  scope!: string;

  @PrimaryColumn({ name: 'order_id', type: 'int', unsigned: true })
  orderId!: number;

  @Column({ name: 'marked_at', type: 'datetime', precision: 3 })
  markedAt!: string;
}
