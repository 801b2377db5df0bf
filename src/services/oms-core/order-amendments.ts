import type { OrderCancelRequested, OrderReplaceRequested } from '../../domain/events/messages.js';
import type { ChildOrder } from '../../domain/order/child-order.js';
import { parsePrice } from '../../domain/money/price.js';
import type { OrderBatch } from './order-batch.js';
import { CLIENT_CANCEL_REASON, SESSION_CLOSE_REASON, settleParent } from './parent-settlement.js';

export type Amendment = OrderCancelRequested | OrderReplaceRequested;

/**
 * Starts each client cancel or replace: the order goes PENDING_CANCEL / PENDING_REPLACE and its
 * live children are canceled at their venues (settleParent); an order the venues never saw (not
 * yet accepted) is canceled at once. A request the order's state refuses (already final, bad new
 * terms) is logged by the batch and changes nothing. Returns the children marked for cancel.
 */
export function applyAmendments(
  parents: OrderBatch,
  amendments: readonly Amendment[],
  childrenByParent: ReadonlyMap<string, readonly ChildOrder[]>,
): ChildOrder[] {
  const marked: ChildOrder[] = [];
  for (const request of amendments) {
    const order = parents.get(request.orderId)?.order;
    if (!order) continue;
    const audit = { requestedBy: request.requestedBy, source: request.source };
    if (request.type === 'OrderCancelRequested') {
      if (!startCancel(parents, request, order.status === 'PENDING_NEW', audit)) continue;
    } else {
      const limitPrice = request.limitPrice === null ? null : (parsePrice(request.limitPrice) ?? null);
      const terms = { quantity: request.quantity, limitPrice };
      if (!parents.apply(request.orderId, { type: 'ReplaceRequested', terms }, { ...audit, quantity: request.quantity, limitPrice: request.limitPrice }))
        continue;
    }
    marked.push(...settleParent(parents, request.orderId, childrenByParent.get(request.orderId) ?? [], null));
  }
  return marked;
}

/** An order the venues never saw ends at once; any other goes PENDING_CANCEL (marked when it is an expiry). */
function startCancel(parents: OrderBatch, request: OrderCancelRequested, unseen: boolean, audit: Readonly<Record<string, unknown>>): boolean {
  const expire = request.expire === true;
  if (unseen) {
    const reason = expire ? SESSION_CLOSE_REASON : CLIENT_CANCEL_REASON;
    return parents.apply(request.orderId, expire ? { type: 'Expired', reason } : { type: 'Canceled', reason }, { ...audit, reason });
  }
  return parents.apply(request.orderId, { type: 'CancelRequested', expiring: expire }, audit);
}
