/** Orders marked "do not sync" (opencart-db: order-mark.repository.ts). */
export interface OrderMarkPort {
  /** Which of these orders are marked "do not sync". */
  getMarkedOrders(scope: string, orderIds: number[]): Promise<number[]>;
  /** Mark orders. */
  markOrders(scope: string, orderIds: number[]): Promise<void>;
  /** Unmark orders. */
  unmarkOrders(scope: string, orderIds: number[]): Promise<void>;
}
