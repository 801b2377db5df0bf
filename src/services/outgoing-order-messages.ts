import { TOPICS } from '../domain/events/topics.js';
import type { ChildOrder } from '../domain/order/child-order.js';
import { formatDecimal } from '../domain/money/price.js';
import type { Fill, Order } from '../domain/order/order.js';
import type { ChildOrderRouted, OrderStatusChanged } from '../domain/events/messages.js';
import { toSnapshot } from '../domain/order/snapshot.js';
import type { IdGenerator } from '../ports/clock.js';
import type { OutgoingMessage } from '../ports/event-bus.js';

/** Builders for the messages services publish about parent orders, keyed by orderId. */

export function orderStatusChanged(order: Order, newId: IdGenerator, fill?: Pick<Fill, 'quantity' | 'price'>): OutgoingMessage {
  const payload: OrderStatusChanged = {
    type: 'OrderStatusChanged',
    order: toSnapshot(order),
    ...(fill ? { fill: { quantity: fill.quantity, price: formatDecimal(fill.price) } } : {}),
  };
  return { topic: TOPICS.ordersStatus, key: order.orderId, eventId: newId(), payload };
}

export function routeRequested(order: Order, quantity: number, attempt: number, newId: IdGenerator, excludeVenues: readonly string[] = []): OutgoingMessage {
  return {
    topic: TOPICS.ordersValidated,
    key: order.orderId,
    eventId: newId(),
    payload: {
      type: 'RouteRequested',
      order: toSnapshot(order),
      quantity,
      attempt,
      ...(excludeVenues.length > 0 ? { excludeVenues: [...excludeVenues] } : {}),
    },
  };
}

export function childCancelRequested(child: ChildOrder, newId: IdGenerator): OutgoingMessage {
  return {
    topic: TOPICS.ordersRouted,
    key: child.parentOrderId,
    eventId: newId(),
    payload: {
      type: 'ChildCancelRequested',
      childOrderId: child.childOrderId,
      parentOrderId: child.parentOrderId,
      cancelClOrdId: `X-${newId()}`,
      venue: child.venue,
      symbol: child.symbol,
      side: child.side,
      quantity: child.quantity,
    },
  };
}

/**
 * Hands a child to the execution adapter (orders.routed, key: parent orderId): a NewOrderSingle to
 * its venue, an Intermarket Sweep Order when the router's plan says so (a replacement never is).
 */
export function childOrderRouted(child: ChildOrder, accountId: string, newId: IdGenerator, intermarketSweep = false): OutgoingMessage {
  const payload: ChildOrderRouted = {
    type: 'ChildOrderRouted',
    childOrderId: child.childOrderId,
    parentOrderId: child.parentOrderId,
    accountId,
    venue: child.venue,
    symbol: child.symbol,
    side: child.side,
    orderType: child.orderType,
    quantity: child.quantity,
    limitPrice: child.limitPrice === null ? null : formatDecimal(child.limitPrice),
    timeInForce: child.timeInForce,
    attempt: child.routeAttempt,
  };
  if (intermarketSweep) payload.intermarketSweep = true;
  return { topic: TOPICS.ordersRouted, key: child.parentOrderId, eventId: newId(), payload };
}
