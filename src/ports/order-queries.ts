import type { OrderSnapshot } from '../domain/events/messages.js';

/** Read models the API returns. Prices and money are decimal strings. */
export interface FillView {
  execId: string;
  venue: string;
  childOrderId: string;
  quantity: number;
  price: string;
  occurredAt: string;
}

export interface ChildOrderView {
  childOrderId: string;
  venue: string;
  orderType: string;
  timeInForce: string;
  quantity: number;
  limitPrice: string | null;
  routeAttempt: number;
  strategy: string | null;
  /** The consolidated best bid and offer the router saw when it placed this child (its routing decision). */
  nbboBid: string | null;
  nbboAsk: string | null;
  routedAt: string;
  status: string;
  filledQuantity: number;
  leavesQuantity: number;
}

export interface OrderHistoryView {
  seq: number;
  eventType: string;
  status: string;
  detail: Record<string, unknown>;
  source: string;
  occurredAt: string;
}

export interface OrderDetails extends OrderSnapshot {
  fills: FillView[];
  children: ChildOrderView[];
  events: OrderHistoryView[];
  /** Against the NBBO the first route saw; null before the order was routed. */
  executionQuality: ExecutionQualityView | null;
}

/** An account's recent orders: all together, and per routing strategy (DEFAULT: the router chose). */
export interface ExecutionQualityReport {
  accountId: string;
  overall: AggregateExecutionQualityView;
  byStrategy: Record<string, AggregateExecutionQualityView>;
  /** Over the same orders' fills, by the venue that filled them. */
  byVenue: Record<string, VenueExecutionQualityView>;
}

export interface PositionView {
  accountId: string;
  symbol: string;
  quantity: number;
  averageCost: string | null;
  costBasis: string;
  realizedPnl: string;
  /** Against the current reference price; null when the market has none. */
  unrealizedPnl: string | null;
  markPrice: string | null;
}

/** The read API's queries (HTTP, gRPC, the FIX gateway's status requests). */
export interface OrderQueries {
  orderDetails(orderId: string): Promise<OrderDetails | null>;
  /** The order alone, without fills, children or history: what a status poll needs. */
  orderStatus(orderId: string): Promise<OrderSnapshot | null>;
  listOrders(accountId: string, limit: number): Promise<OrderSnapshot[]>;
  positions(accountId: string): Promise<PositionView[]>;
  executionQuality(accountId: string, limit: number): Promise<ExecutionQualityReport>;
}

/** Execution quality as the API shows it: exact decimals as strings; bp and ratios at 8 decimals. */
export interface ExecutionQualityView {
  orderedQuantity: number;
  filledQuantity: number;
  fillRate: string;
  averagePrice: string | null;
  slippageBps: string | null;
  shortfallBps: string | null;
  priceImprovement: string | null;
  priceImprovementBps: string | null;
  feesPaid: string;
  childCount: number;
  timeToFillMs: number | null;
}

export interface AggregateExecutionQualityView {
  orders: number;
  orderedQuantity: number;
  filledQuantity: number;
  fillRate: string;
  slippageBps: string | null;
  shortfallBps: string | null;
  priceImprovementBps: string | null;
  priceImprovement: string;
  feesPaid: string;
  childrenPerOrder: string;
  averageTimeToFillMs: number | null;
}

export interface VenueExecutionQualityView {
  fills: number;
  filledQuantity: number;
  /** Symbol to the venue's average fill price in it. */
  averagePriceBySymbol: Record<string, string>;
  slippageBps: string | null;
  feesPaid: string;
}
