import { averagePrice, notional, type Money } from '../money/price.js';
import type { OrderStatus } from './enums.js';
import type { Fill, NewOrder, Order } from './order.js';
import { isInvalidTransition, nextStatus, type Transition } from './state-machine.js';

/** Everything that can happen to a parent order. */
export type OrderEvent =
  | { readonly type: 'Accepted' }
  | { readonly type: 'Rejected'; readonly reason: string }
  | { readonly type: 'Filled'; readonly fill: Fill }
  | { readonly type: 'CancelRequested' }
  | { readonly type: 'Canceled'; readonly reason: string }
  | { readonly type: 'CancelRejected'; readonly reason: string }
  | { readonly type: 'Expired'; readonly reason: string }
  | { readonly type: 'DoneForDay' };

export const DOMAIN_ERRORS = {
  INVALID_TRANSITION: 'the order cannot make this transition from its current status',
  OVERFILL: 'the fill is larger than the quantity the order has left',
  INVALID_FILL: 'a fill needs a positive quantity and price, for this order',
  REJECT_AFTER_FILL: 'an order that has traded cannot be rejected',
} as const;

export type DomainErrorCode = keyof typeof DOMAIN_ERRORS;

export interface DomainError {
  readonly code: DomainErrorCode;
  readonly message: string;
  readonly from?: OrderStatus;
  readonly event?: OrderEvent['type'];
}

export type Applied = { readonly ok: true; readonly order: Order } | { readonly ok: false; readonly error: DomainError };

/** A new order as stored on receipt: PENDING_NEW, nothing filled. */
export function createOrder(orderId: string, request: NewOrder, at: Date): Order {
  return {
    ...request,
    orderId,
    status: 'PENDING_NEW',
    filledQuantity: 0,
    leavesQuantity: request.quantity,
    filledNotional: 0n as Money,
    avgPrice: null,
    rejectReason: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

const fail = (code: DomainErrorCode, order: Order, event: OrderEvent): Applied => ({
  ok: false,
  error: { code, message: DOMAIN_ERRORS[code], from: order.status, event: event.type },
});

/** evolve: the order after `event`, or the reason the event does not apply. Pure. */
export function applyOrderEvent(order: Order, event: OrderEvent, at: Date): Applied {
  switch (event.type) {
    case 'Accepted':
      return move(order, event, 'ACCEPT', at, {});
    case 'Rejected':
      if (order.filledQuantity > 0) return fail('REJECT_AFTER_FILL', order, event);
      return move(order, event, 'REJECT', at, { leavesQuantity: 0, rejectReason: event.reason });
    case 'Filled':
      return applyFill(order, event, at);
    case 'CancelRequested':
      return move(order, event, 'CANCEL_REQUEST', at, {});
    case 'Canceled':
      // FIX keeps CumQty on a canceled order; only what was left is gone.
      return move(order, event, 'CANCEL', at, { leavesQuantity: 0, rejectReason: event.reason });
    case 'CancelRejected':
      return move(order, event, 'CANCEL_REJECT', at, {});
    case 'Expired':
      return move(order, event, 'EXPIRE', at, { leavesQuantity: 0, rejectReason: event.reason });
    case 'DoneForDay':
      return move(order, event, 'DONE_FOR_DAY', at, {});
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

function applyFill(order: Order, event: Extract<OrderEvent, { type: 'Filled' }>, at: Date): Applied {
  const { fill } = event;
  if (fill.orderId !== order.orderId || !Number.isInteger(fill.quantity) || fill.quantity <= 0 || fill.price <= 0n) return fail('INVALID_FILL', order, event);
  if (fill.quantity > order.leavesQuantity) return fail('OVERFILL', order, event);
  const leavesQuantity = order.leavesQuantity - fill.quantity;
  const filledQuantity = order.filledQuantity + fill.quantity;
  const filledNotional = (order.filledNotional + notional(fill.quantity, fill.price)) as Money;
  return move(order, event, leavesQuantity === 0 ? 'FILL' : 'PARTIAL_FILL', at, {
    filledQuantity,
    leavesQuantity,
    filledNotional,
    avgPrice: averagePrice(filledNotional, filledQuantity),
  });
}

function move(order: Order, event: OrderEvent, transition: Transition, at: Date, changes: Partial<Order>): Applied {
  const status = nextStatus(order.status, transition, order.filledQuantity > 0);
  if (isInvalidTransition(status)) return fail('INVALID_TRANSITION', order, event);
  return { ok: true, order: { ...order, ...changes, status, version: order.version + 1, updatedAt: at } };
}
