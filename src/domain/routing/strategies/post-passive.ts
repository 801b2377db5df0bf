import { isBuy } from '../../order/enums.js';
import { compareForTaker } from '../side-prices.js';
import { finishPlan, leftoverReason } from '../plan-building.js';
import { mayRest, type RoutingStrategy } from '../strategy-types.js';
import type { RoutableOrder } from '../types.js';
import { isProtectedVenue, topOfBook, type MarketView, type VenueBook } from '../venue-book.js';
import { routeFeeAwareTaking, takeFeeAware } from './fee-aware-taking.js';

/**
 * POST_PASSIVE: sweeps what is marketable (as SWEEP), then rests the remainder as a limit at the
 * parent's price and TIF on the protected lit venue paying the best maker rebate among those
 * quoting the best same-side price (protected, so the resting order is itself a protected quote). MARKET, IOC and FOK orders never rest: for them this is SWEEP.
 * Every offer within the limit is taken first, so the resting order cannot lock or cross.
 */
export const routePostPassive: RoutingStrategy = (order, market) => {
  if (!mayRest(order)) return routeFeeAwareTaking('POST_PASSIVE', order, market, 'DEPTH');
  const { nbbo, children, left } = takeFeeAware(order, market, 'DEPTH');
  if (left === 0) return finishPlan('POST_PASSIVE', order, nbbo, children, 0);
  const venue = restingVenue(order, market);
  if (venue === undefined) return finishPlan('POST_PASSIVE', order, nbbo, children, left, `${leftoverReason(order, left)}; no protected lit venue to rest at`);
  const post = { venue, quantity: left, orderType: 'LIMIT', limitPrice: order.limitPrice, timeInForce: order.timeInForce, purpose: 'POST' } as const;
  return finishPlan('POST_PASSIVE', order, nbbo, [...children, post], 0);
};

/** Best same-side price first (where the next taker arrives), then best maker rebate, then name. */
export function restingVenue(order: RoutableOrder, market: MarketView): string | undefined {
  const buying = isBuy(order.side);
  const sameSide = (v: VenueBook) => topOfBook(v, buying ? 'BID' : 'ASK')?.price;
  const lit = market.venues.filter((v) => isProtectedVenue(v.profile));
  const prices = lit.flatMap((v) => sameSide(v) ?? []).sort((a, b) => compareForTaker(a, b, !buying));
  const best = prices[0];
  const candidates = best === undefined ? lit : lit.filter((v) => sameSide(v) === best);
  const chosen = [...candidates].sort(
    (a, b) => byHigherRebate(a.profile.makerRebate, b.profile.makerRebate) || a.profile.name.localeCompare(b.profile.name),
  )[0];
  return chosen?.profile.name;
}

const byHigherRebate = (a: bigint, b: bigint): number => (a === b ? 0 : a > b ? -1 : 1);
