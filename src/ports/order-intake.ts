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

/**
 * The intake took nothing, for a reason that passes (its journal cannot write, the query model
 * lags too far): the client retries later with the same key. Its message says why, and the
 * APIs pass it on to the client.
 */
export class IntakeRefusedError extends Error {}

/** What a client hears when its order was not stored: why, when the intake refused it, and to retry with the same key. */
export function notStoredMessage(error: unknown, keyField: string): string {
  const reason = error instanceof IntakeRefusedError ? `: ${error.message}` : '';
  return `The order was not stored${reason}; retry with the same ${keyField}`;
}
