import { mayRest, type StrategyName, type StrategyPlan } from './strategy-types.js';
import { routePostPassive } from './strategies/post-passive.js';
import { routeSweep } from './strategies/sweep.js';
import type { RoutableOrder } from './types.js';
import type { MarketView } from './venue-book.js';

/**
 * The default minimises cost: the fee-aware sweep. An order that may rest (LIMIT DAY/GTC) also
 * posts what the sweep leaves (POST_PASSIVE, which sweeps first), so its TIF is honoured.
 */
export function defaultStrategyName(order: RoutableOrder): StrategyName {
  return mayRest(order) ? 'POST_PASSIVE' : 'SWEEP';
}

/** The default lit routing, used by DARK_FIRST after the dark pool and by re-routing. */
export function routeDefaultLit(order: RoutableOrder, market: MarketView): StrategyPlan {
  return mayRest(order) ? routePostPassive(order, market, {}) : routeSweep(order, market, {});
}
