import type { OrderSnapshot } from '../domain/events/messages.js';

/**
 * The latest status of orders, kept near the read API (Redis in distributed mode). Never the
 * truth: a miss, an outage or a stale entry only sends the reader to the database.
 */
export interface OrderStatusCache {
  /** Stores the snapshot unless a newer version is already there; never throws. */
  put(order: OrderSnapshot): Promise<unknown>;
  /** The cached snapshot, or undefined (unknown, expired or cache unavailable); never throws. */
  get(orderId: string): Promise<OrderSnapshot | undefined>;
}
