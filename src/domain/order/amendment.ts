import { isChildLive, type ChildOrder } from './child-order.js';
import type { Order } from './order.js';

/** What a parent with a pending cancel or replace needs next. */
export interface AmendmentStep {
  /** Live children whose cancel has not been sent yet: cancel them at their venues. */
  readonly cancelChildren: readonly ChildOrder[];
  /** Every child is out of the market and no route is in flight: the cancel or replace can complete. */
  readonly complete: 'CANCEL' | 'REPLACE' | null;
}

const NOTHING: AmendmentStep = { cancelChildren: [], complete: null };

/**
 * A parent's cancel or replace reaches all its live children: each is canceled at its venue (a
 * replace then re-routes the new terms; the router places them again rather than amending each
 * venue order). Fills that race the cancels stay filled. While a route is in flight its children
 * are not known yet, so completion waits for the router's decision.
 */
export function nextAmendmentStep(parent: Order, children: readonly ChildOrder[], routeInFlight: boolean): AmendmentStep {
  if (parent.status !== 'PENDING_CANCEL' && parent.status !== 'PENDING_REPLACE') return NOTHING;
  const live = children.filter(isChildLive);
  const cancelChildren = live.filter((c) => !c.cancelRequested);
  const complete = live.length === 0 && !routeInFlight ? (parent.status === 'PENDING_CANCEL' ? 'CANCEL' : 'REPLACE') : null;
  return { cancelChildren, complete };
}
