import { isBuy, type Side } from '../order/enums.js';
import { isBetterForTaker, withinLimit } from './side-prices.js';
import type { ChildAllocation } from './types.js';
import type { Nbbo, VenueTop } from './venue-book.js';

/**
 * Reg NMS Rule 611 (order protection): no execution at a price worse than a protected quote on
 * another venue. A child may execute at any price up to its limit on its own venue (a MARKET
 * child at any price), so it trades through every protected opposite quote on another venue that
 * is strictly better than its limit. Same price is not a trade-through.
 */
export function quotesTradedThrough(side: Side, child: ChildAllocation, nbbo: Nbbo): VenueTop[] {
  const buying = isBuy(side);
  const opposite = buying ? nbbo.protectedAsks : nbbo.protectedBids;
  return opposite.filter((q) => q.venue !== child.venue && (child.limitPrice === null || isBetterForTaker(q.price, child.limitPrice, buying)));
}

export const tradesThrough = (side: Side, child: ChildAllocation, nbbo: Nbbo): boolean => quotesTradedThrough(side, child, nbbo).length > 0;

export interface ProtectionViolation {
  readonly child: ChildAllocation;
  readonly quote: VenueTop;
}

/**
 * The trade-throughs a whole plan commits. A child may pass a better protected quote only when
 * sibling children sent at the same time take that quote's full displayed size at its price
 * (the Intermarket Sweep Order exception); every other pass is a violation.
 */
export function orderProtectionViolations(side: Side, children: readonly ChildAllocation[], nbbo: Nbbo): ProtectionViolation[] {
  const buying = isBuy(side);
  return children.flatMap((child) =>
    quotesTradedThrough(side, child, nbbo)
      .filter((q) => !sweptInFull(q, children, buying))
      .map((quote) => ({ child, quote })),
  );
}

/** Children sent together take the quote's full displayed size at its price. */
export function sweptInFull(quote: VenueTop, children: readonly ChildAllocation[], buying: boolean): boolean {
  const reaching = children.filter((c) => c.venue === quote.venue && withinLimit(quote.price, c.limitPrice, buying));
  return reaching.reduce((sum, c) => sum + c.quantity, 0) >= quote.size;
}
