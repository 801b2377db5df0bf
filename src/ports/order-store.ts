import type { ChildOrder } from '../domain/order/child-order.js';
import type { Fill, Order } from '../domain/order/order.js';
import type { Side } from '../domain/order/enums.js';
import type { Position } from '../domain/positions/position.js';
import type { OutgoingMessage } from './event-bus.js';

/** One line of an order's history (the append-only audit trail). */
export interface OrderHistoryEntry {
  readonly orderId: string;
  /** The order's version after this change; orders its history. */
  readonly seq: number;
  readonly eventType: string;
  readonly status: string;
  readonly detail: Readonly<Record<string, unknown>>;
  /** Which service (and for API calls, which client) caused it. */
  readonly source: string;
  readonly occurredAt: Date;
}

/** Routing attempts asked of the router and answered by it; a route is in flight while they differ. */
export interface RoutingProgress {
  readonly requested: number;
  readonly decided: number;
}

/** A parent order with the orchestration state oms-core keeps beside it. */
export interface TrackedOrder {
  readonly order: Order;
  readonly routing: RoutingProgress;
}

export interface FillRecord extends Fill {
  readonly accountId: string;
  readonly symbol: string;
  readonly side: Side;
}

/**
 * The work of one consumer batch, inside one database transaction: every read locks what it
 * returns, every write is batched, and the outbox messages commit with the state they describe.
 * Statements run in the order they are called. Reads started together travel together; writes
 * (save*, publish) may resolve before the database has run them: the COMMIT follows them, and a
 * failed write fails the transaction.
 */
export interface OrderStoreSession {
  /** Records the event ids as processed by `consumer`; returns those that were not processed before. */
  claimEvents(consumer: string, eventIds: readonly string[]): Promise<ReadonlySet<string>>;
  lockOrders(orderIds: readonly string[]): Promise<Map<string, TrackedOrder>>;
  childrenOf(parentOrderIds: readonly string[]): Promise<Map<string, ChildOrder[]>>;
  /** Inserts fills, skipping executions already stored; returns the `venue|execId` keys inserted. */
  recordFills(fills: readonly FillRecord[]): Promise<ReadonlySet<string>>;
  saveOrders(orders: readonly TrackedOrder[], history: readonly OrderHistoryEntry[]): Promise<void>;
  /** Inserts new child orders and updates existing ones. */
  saveChildren(children: readonly ChildOrder[]): Promise<void>;
  /** Moves ROUTED children to SENT; returns the ids that moved (others were sent before). */
  markChildrenSent(childOrderIds: readonly string[]): Promise<ReadonlySet<string>>;
  lockPositions(keys: readonly { accountId: string; symbol: string }[]): Promise<Map<string, Position>>;
  savePositions(positions: readonly Position[]): Promise<void>;
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
}

/** One transaction over the order tables; `Session` is the part its consumer uses (see below). */
export interface OrderStore<Session = OrderStoreSession> {
  transaction<T>(work: (session: Session) => Promise<T>): Promise<T>;
}

/** What an OrderBatch writes: the orders with their history, and the messages about them. */
export type OrderBatchSession = Pick<OrderStoreSession, 'saveOrders' | 'publish'>;
/** oms-core's intake: new orders, their risk decisions and amendments. */
export type OrderIntakeSession = OrderBatchSession & Pick<OrderStoreSession, 'claimEvents' | 'lockOrders' | 'childrenOf' | 'saveChildren'>;
/** oms-core's executions: fills and child outcomes applied to their parent orders. */
export type ExecutionSession = OrderIntakeSession & Pick<OrderStoreSession, 'recordFills'>;
/** sor-engine: a routing decision's child orders. */
export type RoutingSession = Pick<OrderStoreSession, 'claimEvents' | 'saveChildren' | 'publish'>;
/** The execution adapter: children marked SENT before their NewOrderSingle goes out. */
export type ChildSendingSession = Pick<OrderStoreSession, 'claimEvents' | 'markChildrenSent'>;
/** risk-service: positions from fills. */
export type PositionSession = Pick<OrderStoreSession, 'claimEvents' | 'lockPositions' | 'savePositions'>;

export const fillKey = (venue: string, execId: string): string => `${venue}|${execId}`;
export const positionKey = (accountId: string, symbol: string): string => `${accountId}|${symbol}`;
