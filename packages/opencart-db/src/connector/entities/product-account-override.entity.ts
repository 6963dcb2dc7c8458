import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Per-product account codes; no row = use the settings. */
@Entity({ name: 'product_account_overrides' })
export class ProductAccountOverrideEntity {
  @PrimaryColumn({ type: 'varchar', length: 191 })
  scope!: string;

  @PrimaryColumn({ name: 'product_id', type: 'int', unsigned: true })
  productId!: number;

  @Column({ name: 'sales_account_code', type: 'varchar', length: 32, nullable: true })
  salesAccountCode!: string | null;

  @Column({ name: 'purchase_account_code', type: 'varchar', length: 32, nullable: true })
  purchaseAccountCode!: string | null;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: string;
}
