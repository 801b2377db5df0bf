import type { Money, Price } from '../money/price.js';
import type { StrategyName } from '../routing/strategy-types.js';
import type { OrderStatus, OrderType, Side, TimeInForce } from './enums.js';

/** What is being traded and how: the terms a parent order, a child order and a venue order share. */
export interface OrderTerms {
  readonly symbol: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly quantity: number;
  /** Present exactly when orderType is LIMIT. */
  readonly limitPrice: Price | null;
  readonly timeInForce: TimeInForce;
}

/** What a client asks for, after validation. */
export interface NewOrder extends OrderTerms {
  readonly clientOrderId: string;
  readonly accountId: string;
  /** The routing strategy the client chose; absent means the router's default for the order. */
  readonly strategy?: StrategyName;
}

/** A (parent) order as the OMS tracks it. Quantities are whole shares. */
export interface Order extends NewOrder {
  readonly orderId: string;
  readonly status: OrderStatus;
  readonly filledQuantity: number;
  readonly leavesQuantity: number;
  /** Sum of lastQty x lastPx over all fills, exact. */
  readonly filledNotional: Money;
  /** filledNotional / filledQuantity rounded to the price scale; null before the first fill. */
  readonly avgPrice: Price | null;
  readonly rejectReason: string | null;
  /** The terms a replace will give the order once its children are out of the market (PENDING_REPLACE). */
  readonly pendingReplace?: ReplaceTerms | null;
  /** Its PENDING_CANCEL comes from the session close: it ends EXPIRED, not CANCELED. */
  readonly expiring?: boolean;
  /** Incremented by every applied event; optimistic concurrency and ordering of updates. */
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What a replace may change: the quantity (total, filled shares included) and the limit price. */
export interface ReplaceTerms {
  readonly quantity: number;
  readonly limitPrice: Price | null;
}

/** One execution applied to an order. execId is the venue's and makes replays idempotent. */
export interface Fill {
  readonly execId: string;
  readonly orderId: string;
  readonly childOrderId: string;
  readonly venue: string;
  readonly quantity: number;
  readonly price: Price;
  readonly occurredAt: Date;
}
