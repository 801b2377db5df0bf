import { MAX_ROUTE_ATTEMPTS } from '../order/remainder.js';
import { withMarketSlippage } from './market-slippage.js';
import { defaultStrategyName, strategyFor } from './strategy-registry.js';
import { mayRest, type StrategyName, type StrategyPlan } from './strategy-types.js';
import type { RoutableOrder } from './types.js';
import { withoutVenues, type MarketView, type Nbbo } from './venue-book.js';

export interface RerouteOptions {
  /** This re-route's number, from 1. */
  readonly attempt: number;
  readonly maxAttempts?: number;
  /** The strategy to route the remainder with; the default lit strategy when absent. */
  readonly strategy?: StrategyName;
}

/**
 * Routes what the parent still needs after an IOC child came back part-filled or a child was
 * rejected. The failed venues are left out of the market altogether, their quotes included: a
 * venue that will not take our order cannot be accessed, which is Reg NMS's self-help case for
 * bypassing its quotes. Bounded: past `maxAttempts` (MAX_ROUTE_ATTEMPTS by default) nothing is
 * routed and the remainder is returned with the reason. A FOK parent stays FOK (a FOK child either
 * filled whole or not at all, so its remainder is the whole order).
 */
export function rerouteRemainder(
  parent: RoutableOrder,
  filledSoFar: number,
  failedVenues: Iterable<string>,
  market: MarketView,
  options: RerouteOptions,
): StrategyPlan {
  const quantity = parent.quantity - filledSoFar;
  const strategy = options.strategy ?? defaultStrategyName(parent);
  if (quantity <= 0) return { strategy, children: [], unroutedQuantity: 0 };
  const maxAttempts = options.maxAttempts ?? MAX_ROUTE_ATTEMPTS;
  if (options.attempt > maxAttempts) {
    return { strategy, children: [], unroutedQuantity: quantity, reason: `no re-route left after ${maxAttempts} attempts` };
  }
  const reachable = withoutVenues(market, new Set(failedVenues));
  return strategyFor(strategy)({ ...parent, quantity }, reachable, {});
}

/**
 * The last route a parent gets sends its children on the parent's own terms: the parent's order
 * type and limit instead of the level the router saw, and a DAY/GTC parent's TIF so what does not
 * fill rests. Children capped at the levels seen miss when quotes move between routing and the
 * venue (each re-route chases the new level); on the last try the venue matches what it has
 * within the client's limit. The venues and quantities stay the strategy's; a dark mid-point
 * child stays as it is. No child goes as an intermarket sweep: with the parent's limit (or none)
 * it may pass quotes its siblings do not take, so its venue must protect them.
 */
export function onParentTerms(plan: StrategyPlan, parent: RoutableOrder): StrategyPlan {
  const timeInForce = mayRest(parent) ? parent.timeInForce : undefined;
  return {
    ...plan,
    children: plan.children.map((child) =>
      child.purpose === 'DARK_MIDPOINT'
        ? child
        : { ...child, orderType: parent.orderType, limitPrice: parent.limitPrice, intermarketSweep: false, ...(timeInForce ? { timeInForce } : {}) },
    ),
  };
}

/**
 * The terms a route's children go out on: the last route on the parent's own terms, earlier ones
 * at the levels the strategy planned, a MARKET parent's with `marketSlippageTicks` of reach.
 */
export function termsForAttempt(plan: StrategyPlan, parent: RoutableOrder, nbbo: Nbbo, attempt: number, marketSlippageTicks: number): StrategyPlan {
  return attempt >= MAX_ROUTE_ATTEMPTS ? onParentTerms(plan, parent) : withMarketSlippage(plan, parent, nbbo, marketSlippageTicks);
}
