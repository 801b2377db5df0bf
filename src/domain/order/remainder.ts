import type { ChildOrder } from './child-order.js';
import { isChildLive } from './child-order.js';
import { isTerminal } from './enums.js';
import type { Order } from './order.js';

/** How many times the router may be asked to place the same parent's remainder. */
export const MAX_ROUTE_ATTEMPTS = 3;

export type RemainderDecision =
  | { readonly kind: 'wait' }
  | { readonly kind: 'reroute'; readonly quantity: number; readonly attempt: number; readonly excludeVenues: readonly string[] }
  | { readonly kind: 'cancel'; readonly reason: string }
  | { readonly kind: 'reject'; readonly reason: string };

/**
 * Decides what happens to the part of a parent order that no live child holds. DAY/GTC limit
 * orders route it again at once (a bounded number of times). IOC and MARKET orders never rest:
 * once no child is live, what an IOC child or a rejected child left is routed again as long as
 * the last route placed children (liquidity was shown; it may be elsewhere now), then canceled. FOK is all or nothing at one venue: never routed twice. Venues that rejected a child
 * are left out of the next route. An order that never traded and whose every child was rejected,
 * with no retry left, is rejected with the venue's reason.
 */
export function decideRemainder(parent: Order, children: readonly ChildOrder[], lastAttempt: number, lastReason: string | null): RemainderDecision {
  if (isTerminal(parent.status) || parent.leavesQuantity === 0) return { kind: 'wait' };
  // A pending cancel or replace takes the order out of the market first (see amendment.ts).
  if (parent.status === 'PENDING_CANCEL' || parent.status === 'PENDING_REPLACE') return { kind: 'wait' };
  const live = children.filter(isChildLive);
  const unplaced = parent.leavesQuantity - live.reduce((sum, child) => sum + child.leavesQuantity, 0);
  if (unplaced <= 0) return { kind: 'wait' };
  const restsAtVenue = parent.orderType === 'LIMIT' && (parent.timeInForce === 'DAY' || parent.timeInForce === 'GTC');
  const lastRoutePlaced = children.some((c) => c.routeAttempt === lastAttempt);
  const takesAgain = !restsAtVenue && parent.timeInForce !== 'FOK' && live.length === 0 && lastRoutePlaced;
  if ((restsAtVenue || takesAgain) && lastAttempt < MAX_ROUTE_ATTEMPTS) {
    const excludeVenues = [...new Set(children.filter((c) => c.status === 'REJECTED').map((c) => c.venue))].sort();
    return { kind: 'reroute', quantity: unplaced, attempt: lastAttempt + 1, excludeVenues };
  }
  if (live.length > 0) return { kind: 'wait' };
  const why = lastReason ?? 'no venue could take the order';
  const allRejected = children.length > 0 && children.every((c) => c.status === 'REJECTED');
  if (parent.filledQuantity === 0 && allRejected) return { kind: 'reject', reason: why };
  if (restsAtVenue) return { kind: 'cancel', reason: `remainder canceled after ${lastAttempt} routing attempts: ${why}` };
  const kind = parent.timeInForce === 'IOC' || parent.timeInForce === 'FOK' ? parent.timeInForce : 'MARKET';
  return { kind: 'cancel', reason: `${kind} remainder canceled: ${why}` };
}
