import { nextAmendmentStep } from '../../domain/order/amendment.js';
import type { ChildOrder } from '../../domain/order/child-order.js';
import { decideRemainder } from '../../domain/order/remainder.js';
import type { OrderBatch } from './order-batch.js';

export const CLIENT_CANCEL_REASON = 'canceled at the client’s request';
export const SESSION_CLOSE_REASON = 'DAY order expired at the session close';

/**
 * What a parent needs once its children's news is applied: a pending cancel or replace first
 * (cancel the live children; complete when none is left), otherwise the fate of any unplaced
 * remainder. Returns the children it changed (marked for cancel), for the caller to save.
 */
export function settleParent(parents: OrderBatch, parentId: string, children: readonly ChildOrder[], lastReason: string | null): ChildOrder[] {
  const tracked = parents.get(parentId);
  if (!tracked) return [];
  const routeInFlight = parents.routeInFlight(parentId);
  const step = nextAmendmentStep(tracked.order, children, routeInFlight);
  const marked = parents.requestChildCancels(step.cancelChildren);
  if (step.complete === 'CANCEL' && tracked.order.expiring)
    parents.apply(parentId, { type: 'Expired', reason: SESSION_CLOSE_REASON }, { reason: SESSION_CLOSE_REASON });
  else if (step.complete === 'CANCEL') parents.apply(parentId, { type: 'Canceled', reason: CLIENT_CANCEL_REASON }, { reason: CLIENT_CANCEL_REASON });
  if (step.complete === 'REPLACE') completeReplace(parents, parentId);
  if (step.complete !== null || tracked.order.status === 'PENDING_CANCEL' || tracked.order.status === 'PENDING_REPLACE' || routeInFlight) return marked;
  settleRemainder(parents, parentId, children, lastReason);
  return marked;
}

/** The children are out of the market: the new terms apply and the router places the new leaves. */
function completeReplace(parents: OrderBatch, parentId: string): void {
  if (parents.apply(parentId, { type: 'Replaced' }, { replaced: true })) {
    const order = parents.get(parentId)!.order;
    if (order.leavesQuantity > 0) parents.requestRoute(parentId, order.leavesQuantity);
    return;
  }
  // Fills while the children were canceled left the new quantity nothing to trade: the order keeps its terms.
  const reason = 'the new quantity is not above what has filled';
  parents.apply(parentId, { type: 'ReplaceRejected', reason }, { reason });
  const order = parents.get(parentId)!.order;
  if (order.leavesQuantity > 0) parents.requestRoute(parentId, order.leavesQuantity);
}

function settleRemainder(parents: OrderBatch, parentId: string, children: readonly ChildOrder[], lastReason: string | null): void {
  const tracked = parents.get(parentId)!;
  const decision = decideRemainder(tracked.order, children, tracked.routing.requested, lastReason);
  switch (decision.kind) {
    case 'wait':
      return;
    case 'reroute':
      parents.requestRoute(parentId, decision.quantity, decision.excludeVenues);
      return;
    case 'cancel':
      parents.apply(parentId, { type: 'Canceled', reason: decision.reason }, { reason: decision.reason });
      return;
    case 'reject':
      // An order that was already acknowledged NEW may not allow REJECTED: cancel it instead.
      if (!parents.apply(parentId, { type: 'Rejected', reason: decision.reason }, { reason: decision.reason })) {
        parents.apply(parentId, { type: 'Canceled', reason: decision.reason }, { reason: decision.reason });
      }
      return;
    default: {
      const unreachable: never = decision;
      return unreachable;
    }
  }
}
