import type { Money, Price } from '../money/price.js';
import type { Side } from '../order/enums.js';
import type { NewOrder, Order } from '../order/order.js';
import type { RiskLimits } from './limits.js';

/** What pre-trade risk needs of an order: its terms, identity and arrival time. */
export type RiskOrder = NewOrder & Pick<Order, 'orderId' | 'createdAt'>;

/** An order the account has working (approved and not yet done): it may still fill. */
export interface WorkingOrder {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly leavesQuantity: number;
  readonly limitPrice: Price | null;
}

/** An order risk approved lately with the same terms as one being decided: a possible duplicate. */
export interface RecentOrder {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: number;
  readonly limitPrice: Price | null;
  readonly createdAt: Date;
}

export interface Holding {
  /** Signed: short below zero. */
  readonly quantity: number;
  /** Signed cost of the open quantity, like Position.costBasis. */
  readonly costBasis: Money;
}

/** One account's state as the stateful checks see it, at the moment of a decision. */
export interface AccountExposure {
  readonly workingOrders: readonly WorkingOrder[];
  /** Non-flat positions by symbol. */
  readonly positions: ReadonlyMap<string, Holding>;
  /** Approvals that may be duplicates of the orders being decided. */
  readonly recentOrders: readonly RecentOrder[];
  /** Orders approved in the throttle's window, up to the decision. */
  readonly approvalsInWindow: number;
}

export const EMPTY_EXPOSURE: AccountExposure = { workingOrders: [], positions: new Map(), recentOrders: [], approvalsInWindow: 0 };

/** The throttle's sliding window. */
export const THROTTLE_WINDOW_MS = 1_000;

/**
 * What of an account's exposure its limits need loaded, so checks that are off cost no query:
 * holdings for the credit and position checks; approvals decided after `throttleSince` (the last
 * second) for the throttle; and for the duplicate check, approvals decided after the earliest
 * arrival of `orders` minus the window (an order is decided after it arrives, so an earlier
 * twin within the window was decided after that).
 */
export function exposureNeeds(
  limits: RiskLimits,
  orders: readonly RiskOrder[],
  now: Date,
): { holdings: boolean; duplicatesSince: Date | null; throttleSince: Date | null } {
  const earliest = Math.min(now.getTime(), ...orders.map((o) => o.createdAt.getTime()));
  return {
    holdings: limits.creditLimit !== null || limits.maxPosition !== null,
    duplicatesSince: limits.duplicateWindowMs > 0 ? new Date(earliest - limits.duplicateWindowMs) : null,
    throttleSince: limits.maxOrdersPerSecond === null ? null : new Date(now.getTime() - THROTTLE_WINDOW_MS),
  };
}

/**
 * The exposure after approving `order`: it is working and recent from now on. Decisions of one
 * batch run in order against this, so two orders can never both pass on the same headroom.
 */
export function withApprovedOrder(exposure: AccountExposure, order: RiskOrder): AccountExposure {
  const { orderId, symbol, side, quantity, limitPrice, createdAt } = order;
  return {
    positions: exposure.positions,
    workingOrders: [...exposure.workingOrders, { orderId, symbol, side, leavesQuantity: quantity, limitPrice }],
    recentOrders: [...exposure.recentOrders, { orderId, symbol, side, quantity, limitPrice, createdAt }],
    approvalsInWindow: exposure.approvalsInWindow + 1,
  };
}
