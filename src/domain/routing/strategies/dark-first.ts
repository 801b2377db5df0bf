import { isBuy } from '../../order/enums.js';
import { routeDefaultLit } from '../default-strategy.js';
import { finishPlan } from '../plan-building.js';
import { withinLimit } from '../side-prices.js';
import type { RoutingStrategy, StrategyPlan } from '../strategy-types.js';
import type { RoutableOrder } from '../types.js';
import { consolidatedNbbo, midpointLimit, type MarketView } from '../venue-book.js';

/**
 * DARK_FIRST, in two phases. First (no `darkFill` in the context): the whole size goes as one
 * midpoint IOC (FOK for a FOK parent) to the dark pool with the lowest taker fee, and the plan
 * says it is `awaiting` the dark fill. Then (`darkFill` = shares the dark child filled): the
 * remainder goes by the default lit strategy. With no dark pool, no usable midpoint (one-sided or
 * crossed NBBO) or a midpoint beyond the limit, it routes lit at once and says why.
 */
export const routeDarkFirst: RoutingStrategy = (order, market, context) => {
  if (context.darkFill !== undefined) return routeAfterDark(order, market, context.darkFill);
  const buying = isBuy(order.side);
  const nbbo = consolidatedNbbo(market);
  const dark = market.venues
    .filter((v) => v.profile.kind === 'DARK')
    .sort((a, b) =>
      a.profile.takerFee === b.profile.takerFee ? a.profile.name.localeCompare(b.profile.name) : a.profile.takerFee < b.profile.takerFee ? -1 : 1,
    )[0];
  if (dark === undefined) return litNow(order, market, 'no dark pool');
  const mid = midpointLimit(nbbo, buying);
  if (mid === null) return litNow(order, market, `no usable NBBO midpoint (${nbbo.state})`);
  if (!withinLimit(mid, order.limitPrice, buying)) return litNow(order, market, 'the NBBO midpoint is beyond the limit');
  const timeInForce = order.timeInForce === 'FOK' ? 'FOK' : 'IOC';
  const child = { venue: dark.profile.name, quantity: order.quantity, orderType: 'LIMIT', limitPrice: mid, timeInForce, purpose: 'DARK_MIDPOINT' } as const;
  return { ...finishPlan('DARK_FIRST', order, nbbo, [child], 0), awaiting: 'DARK_FILL' };
};

function routeAfterDark(order: RoutableOrder, market: MarketView, darkFill: number): StrategyPlan {
  const quantity = order.quantity - darkFill;
  if (quantity <= 0) return finishPlan('DARK_FIRST', order, consolidatedNbbo(market), [], 0);
  return { ...routeDefaultLit({ ...order, quantity }, market), strategy: 'DARK_FIRST' };
}

function litNow(order: RoutableOrder, market: MarketView, why: string): StrategyPlan {
  const plan = routeDefaultLit(order, market);
  return { ...plan, strategy: 'DARK_FIRST', reason: plan.reason === undefined ? `${why}: routed lit` : `${why}: routed lit; ${plan.reason}` };
}
