import type { ChildOrder } from '../domain/order/child-order.js';
import type { Fill, Order } from '../domain/order/order.js';
import type { Position } from '../domain/positions/position.js';

/** An order's children and fills, in the order they happened. */
export interface ExecutionRecords {
  readonly children: ChildOrder[];
  readonly fills: Fill[];
}

/** A line of an order's history as stored. */
export interface OrderHistoryRecord {
  readonly seq: number;
  readonly eventType: string;
  readonly status: string;
  readonly detail: Record<string, unknown>;
  readonly source: string;
  readonly occurredAt: Date;
}

/**
 * The stored records the read API is made from (the query model's tables): domain records only;
 * the views and what is computed from them (execution quality, marks) belong to the service.
 */
export interface OrderRecords {
  order(orderId: string): Promise<Order | null>;
  /** The account's latest orders, newest first. */
  latestOrders(accountId: string, limit: number): Promise<Order[]>;
  /** Per order id asked for (every one present, empty when it has none). */
  executions(orderIds: readonly string[]): Promise<Map<string, ExecutionRecords>>;
  history(orderId: string): Promise<OrderHistoryRecord[]>;
  /** In symbol order. */
  positions(accountId: string): Promise<Position[]>;
}
