import type { Price } from '../money/price.js';
import { isBuy } from '../order/enums.js';
import type { Take } from './liquidity.js';
import { tradesThrough } from './order-protection.js';
import { worseForTaker } from './side-prices.js';
import { mayRest, type PlannedChild, type StrategyName, type StrategyPlan } from './strategy-types.js';
import type { RoutableOrder } from './types.js';
import type { Nbbo } from './venue-book.js';

export type DraftChild = Omit<PlannedChild, 'intermarketSweep'>;

/**
 * One IOC child per venue, in the order the venues were first taken, limited at the worst price
 * taken there: the venue fills its own book best first and the child can go no deeper, so it can
 * neither trade through a quote the plan did not take nor pay past the parent's limit. A MARKET
 * parent gets marketable LIMIT children for the same reason.
 */
export function takeChildren(takes: readonly Take[], order: RoutableOrder): DraftChild[] {
  const buying = isBuy(order.side);
  const byVenue = new Map<string, { quantity: number; limit: Price }>();
  for (const t of takes) {
    const seen = byVenue.get(t.venue);
    byVenue.set(
      t.venue,
      seen ? { quantity: seen.quantity + t.quantity, limit: worseForTaker(seen.limit, t.price, buying) } : { quantity: t.quantity, limit: t.price },
    );
  }
  return [...byVenue].map(([venue, c]) => ({ venue, quantity: c.quantity, orderType: 'LIMIT', limitPrice: c.limit, timeInForce: 'IOC', purpose: 'TAKE' }));
}

/** Flags the children whose limit passes a better protected quote that siblings sweep. */
export function finishPlan(
  strategy: StrategyName,
  order: RoutableOrder,
  nbbo: Nbbo,
  children: readonly DraftChild[],
  unroutedQuantity: number,
  reason?: string,
): StrategyPlan {
  // Object.assign, not a spread: V8 adds a property to a spread copy through a slow path (~2 µs).
  const planned = children.map((c) => Object.assign({}, c, { intermarketSweep: tradesThrough(order.side, c, nbbo) }));
  return reason === undefined ? { strategy, children: planned, unroutedQuantity } : { strategy, children: planned, unroutedQuantity, reason };
}

/** Why shares stay with the parent after a taking strategy has taken what is displayed. */
export function leftoverReason(order: RoutableOrder, left: number): string | undefined {
  if (left === 0) return undefined;
  const within = order.limitPrice === null ? '' : ' within the limit';
  if (mayRest(order)) return `${left} shares stay with the parent: no more displayed liquidity${within}`;
  const kind = order.orderType === 'MARKET' ? 'MARKET' : order.timeInForce;
  return `${kind} remainder of ${left} shares: displayed liquidity${within} exhausted`;
}
