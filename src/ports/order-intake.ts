import type { Order } from '../domain/order/order.js';

export interface StoredOrder {
  readonly order: Order;
  /** false when an order with the same (accountId, clientOrderId) already existed: it is returned instead. */
  readonly created: boolean;
}

/** Where oms-ingest hands a validated new order; resolves once the order is durable (then it may be acknowledged). */
export interface OrderIntake {
  submit(order: Order): Promise<StoredOrder>;
}
