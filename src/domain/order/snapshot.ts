import type { OrderSnapshot } from '../events/messages.js';
import { formatDecimal, parseDecimal, type Money, type Price } from '../money/price.js';
import type { Order } from './order.js';
import { isoText } from '../../lib/iso-text.js';

/** The order as it travels on the bus and in API answers: decimal strings, ISO dates. */
export function toSnapshot(order: Order): OrderSnapshot {
  return {
    orderId: order.orderId,
    clientOrderId: order.clientOrderId,
    accountId: order.accountId,
    symbol: order.symbol,
    side: order.side,
    orderType: order.orderType,
    quantity: order.quantity,
    limitPrice: order.limitPrice === null ? null : formatDecimal(order.limitPrice),
    timeInForce: order.timeInForce,
    strategy: order.strategy ?? null,
    status: order.status,
    filledQuantity: order.filledQuantity,
    leavesQuantity: order.leavesQuantity,
    avgPrice: order.avgPrice === null ? null : formatDecimal(order.avgPrice),
    rejectReason: order.rejectReason,
    version: order.version,
    createdAt: isoText(order.createdAt),
    updatedAt: isoText(order.updatedAt),
  };
}

/** Back from a snapshot; the notional is rebuilt from quantity and average price only when filled. */
export function fromSnapshot(s: OrderSnapshot): Order {
  const avgPrice = s.avgPrice === null ? null : (parseDecimal(s.avgPrice) as Price);
  return {
    orderId: s.orderId,
    clientOrderId: s.clientOrderId,
    accountId: s.accountId,
    symbol: s.symbol,
    side: s.side,
    orderType: s.orderType,
    quantity: s.quantity,
    limitPrice: s.limitPrice === null ? null : (parseDecimal(s.limitPrice) as Price),
    timeInForce: s.timeInForce,
    ...(s.strategy ? { strategy: s.strategy } : {}),
    status: s.status,
    filledQuantity: s.filledQuantity,
    leavesQuantity: s.leavesQuantity,
    filledNotional: (avgPrice === null ? 0n : avgPrice * BigInt(s.filledQuantity)) as Money,
    avgPrice,
    rejectReason: s.rejectReason,
    version: s.version,
    createdAt: new Date(s.createdAt),
    updatedAt: new Date(s.updatedAt),
  };
}
