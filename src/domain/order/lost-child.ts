import { isChildLive, type ChildOrder } from './child-order.js';
import type { Order } from './order.js';

/**
 * A venue that restarted without its book answers "unknown order" when asked about a child it had
 * acknowledged. That is no routing failure: while the parent is still being worked (not final, no
 * cancel or replace pending, the child not being canceled), the child's open quantity goes back to
 * the same venue, at the same terms and in the same routing attempt, under a new ClOrdID, so it
 * spends none of the attempts decideRemainder counts. Fills the lost child reported stay with it;
 * only what it left is re-placed, and never more than the parent has unplaced. `lost` is the child
 * as it was before the venue's answer; `children` are all the parent's children now.
 */
export function replacementForLostChild(
  parent: Order,
  children: readonly ChildOrder[],
  lost: ChildOrder,
  childOrderId: string,
  at: Date,
): ChildOrder | undefined {
  if (parent.status !== 'NEW' && parent.status !== 'PARTIALLY_FILLED') return undefined;
  if (!isChildLive(lost) || lost.cancelRequested) return undefined;
  const placedElsewhere = children.filter((c) => c.childOrderId !== lost.childOrderId && isChildLive(c)).reduce((sum, c) => sum + c.leavesQuantity, 0);
  const quantity = Math.min(lost.leavesQuantity, parent.leavesQuantity - placedElsewhere);
  if (quantity <= 0) return undefined;
  return {
    ...lost,
    childOrderId,
    quantity,
    status: 'ROUTED',
    cancelRequested: false,
    filledQuantity: 0,
    leavesQuantity: quantity,
    createdAt: at,
    updatedAt: at,
  };
}

/** The history line for a re-placement, as the order's events show it. */
export const lostChildReason = (venue: string, quantity: number): string =>
  `${venue} lost the order on restart (unknown order); ${quantity} re-placed, no routing attempt spent`;
