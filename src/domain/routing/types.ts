import type { Price } from '../money/price.js';
import type { OrderType, Side, TimeInForce } from '../order/enums.js';

/** Top of book at one venue. A side with no price or no size has no displayed liquidity. */
export interface VenueQuote {
  readonly venue: string;
  readonly bidPrice: Price | null;
  readonly bidSize: number;
  readonly askPrice: Price | null;
  readonly askSize: number;
}

/** What the router needs of an order: the shares to place now and how. */
export interface RoutableOrder {
  readonly side: Side;
  readonly orderType: OrderType;
  readonly quantity: number;
  readonly limitPrice: Price | null;
  readonly timeInForce: TimeInForce;
}

export interface ChildAllocation {
  readonly venue: string;
  readonly quantity: number;
  readonly orderType: OrderType;
  readonly limitPrice: Price | null;
  readonly timeInForce: TimeInForce;
}

export interface RoutingPlan {
  readonly children: readonly ChildAllocation[];
  readonly unroutedQuantity: number;
  readonly reason?: string;
}
