import type { StrategyName } from '../routing/strategy-types.js';
import type { OrderStatus, OrderType, Side, TimeInForce } from '../order/enums.js';

/**
 * Payloads carried on the bus, as JSON. Prices and money are decimal strings; quantities are
 * whole numbers. Every message has a unique eventId (UUIDv7) that consumers use to skip replays.
 */

/** An order as it travels between services. */
export interface OrderSnapshot {
  orderId: string;
  clientOrderId: string;
  accountId: string;
  symbol: string;
  side: Side;
  orderType: OrderType;
  quantity: number;
  limitPrice: string | null;
  timeInForce: TimeInForce;
  /** The client's routing strategy; null for the router's default. */
  strategy?: StrategyName | null;
  status: OrderStatus;
  filledQuantity: number;
  leavesQuantity: number;
  avgPrice: string | null;
  rejectReason: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface OrderReceived {
  type: 'OrderReceived';
  order: OrderSnapshot;
}

/** Risk passed (or a remainder needs routing again): route `quantity` shares of the order. */
export interface RouteRequested {
  type: 'RouteRequested';
  order: OrderSnapshot;
  /** Shares still to place at venues (leaves minus what live children already hold). */
  quantity: number;
  /** 1 for the first routing, then 2, 3... for re-routes of a remainder. */
  attempt: number;
  /** Venues that rejected a child of this order: left out of this route (Reg NMS self-help). */
  excludeVenues?: string[];
}

/**
 * CANCEL_REJECTED: the venue refused to cancel the child (OrderCancelReject); the child is as it was.
 * UNKNOWN_ORDER: asked for the child's status after a reconnect, the venue answered that it does
 * not know it (OrdRejReason 5): it lost the order (a restart), which is not a reject of a new order.
 */
export type ChildExecutionType = 'PENDING_NEW' | 'NEW' | 'TRADE' | 'CANCELED' | 'REJECTED' | 'EXPIRED' | 'CANCEL_REJECTED' | 'UNKNOWN_ORDER';

/** A client asked to cancel an order (orders.inbound, key: orderId); oms-core takes it from there. */
export interface OrderCancelRequested {
  type: 'OrderCancelRequested';
  orderId: string;
  /** Who asked, and through what (audit): the request's principal and channel. */
  requestedBy: string;
  source: string;
  /** From the session close, not a client: the order ends EXPIRED. */
  expire?: boolean;
}

/** A client asked to change an order's quantity and/or limit price (orders.inbound, key: orderId). */
export interface OrderReplaceRequested {
  type: 'OrderReplaceRequested';
  orderId: string;
  quantity: number;
  limitPrice: string | null;
  requestedBy: string;
  source: string;
}

/** oms-core asks the execution adapter to cancel one child at its venue (orders.routed, key: parent orderId). */
export interface ChildCancelRequested {
  type: 'ChildCancelRequested';
  childOrderId: string;
  parentOrderId: string;
  /** ClOrdID of the cancel request itself (FIX needs a new one per request). */
  cancelClOrdId: string;
  venue: string;
  symbol: string;
  side: Side;
  quantity: number;
}

export interface ChildOrderRouted {
  type: 'ChildOrderRouted';
  childOrderId: string;
  parentOrderId: string;
  accountId: string;
  venue: string;
  symbol: string;
  side: Side;
  orderType: OrderType;
  quantity: number;
  limitPrice: string | null;
  timeInForce: TimeInForce;
  attempt: number;
  /**
   * Sent as an Intermarket Sweep Order (FIX ExecInst 'f'): its siblings, sent with it, take every
   * better protected quote it passes, so its venue need not protect them. Absent: the venue must.
   */
  intermarketSweep?: true;
}

/** An ExecutionReport for a child order, as the execution adapter received it from the venue. */
export interface ExecutionReported {
  type: 'ExecutionReported';
  accountId: string;
  symbol: string;
  side: Side;
  /** Venue ExecID (17), unique per venue: (venue, execId) identifies an execution. */
  execId: string;
  childOrderId: string;
  parentOrderId: string;
  venue: string;
  execType: ChildExecutionType;
  /** Shares filled by this execution (TRADE only, else 0). */
  lastQty: number;
  lastPx: string | null;
  /** The child's cumulative filled and open quantities after this report. */
  childCumQty: number;
  childLeavesQty: number;
  text: string | null;
  transactTime: string;
}

/**
 * The router's decision for one RouteRequested: the children it placed, and the shares it could
 * not place (no venue can take them as the order demands). Published before the children's own
 * messages, so oms-core knows an attempt is decided before any of its executions arrive.
 */
export interface RouteDecided {
  type: 'RouteDecided';
  parentOrderId: string;
  attempt: number;
  childOrderIds: string[];
  unroutedQuantity: number;
  reason: string | null;
}

export interface OrderStatusChanged {
  type: 'OrderStatusChanged';
  order: OrderSnapshot;
  /** The execution that made this change, when a fill did: its own quantity and price (a FIX client's LastQty and LastPx). */
  fill?: { quantity: number; price: string };
}

export interface QuoteUpdated {
  type: 'QuoteUpdated';
  symbol: string;
  venue: string;
  bidPrice: string | null;
  bidSize: number;
  askPrice: string | null;
  askSize: number;
  timestamp: string;
}

/** One venue's displayed depth in a MarketSnapshot: [price, size] levels, best first. */
export interface VenueDepth {
  venue: string;
  bids: [string, number][];
  asks: [string, number][];
}

/**
 * A symbol's whole market at one step, from the marketdata-simulator (distributed mode): every
 * lit venue's depth and the reference price. Processes that need the market keep the latest.
 */
export interface MarketSnapshot {
  type: 'MarketSnapshot';
  symbol: string;
  referencePrice: string | null;
  venues: VenueDepth[];
  /** ISO time of the step; a replica ignores a snapshot older than the one it holds. */
  timestamp: string;
}

export type BusPayload =
  | OrderReceived
  | RouteRequested
  | ChildOrderRouted
  | ExecutionReported
  | RouteDecided
  | OrderStatusChanged
  | QuoteUpdated
  | MarketSnapshot
  | OrderCancelRequested
  | OrderReplaceRequested
  | ChildCancelRequested;
