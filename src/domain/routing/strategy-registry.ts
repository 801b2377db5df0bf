import { routeDefaultLit, defaultStrategyName } from './default-strategy.js';
import { routeBestPriceFeeAware } from './strategies/best-price-fee-aware.js';
import { routeDarkFirst } from './strategies/dark-first.js';
import { routePostPassive } from './strategies/post-passive.js';
import { routeSpray } from './strategies/spray.js';
import { routeSweep } from './strategies/sweep.js';
import { STRATEGY_NAMES, type RoutingContext, type RoutingStrategy, type StrategyName, type StrategyPlan } from './strategy-types.js';
import type { RoutableOrder } from './types.js';
import type { MarketView } from './venue-book.js';

export { defaultStrategyName, routeDefaultLit };

export function strategyFor(name: StrategyName): RoutingStrategy {
  switch (name) {
    case 'BEST_PRICE_FEE_AWARE':
      return routeBestPriceFeeAware;
    case 'SWEEP':
      return routeSweep;
    case 'SPRAY':
      return routeSpray;
    case 'DARK_FIRST':
      return routeDarkFirst;
    case 'POST_PASSIVE':
      return routePostPassive;
    default: {
      const unknown: never = name;
      throw new Error(`unhandled strategy ${String(unknown)}`);
    }
  }
}

/** The strategy for a parent's later routes: DARK_FIRST already had the dark pool, so its remainder goes lit (the default). */
export const remainderStrategy = (name: StrategyName | undefined): StrategyName | undefined => (name === 'DARK_FIRST' ? undefined : name);

export const isStrategyName = (name: string): name is StrategyName => (STRATEGY_NAMES as readonly string[]).includes(name);

/** An unknown strategy name is an outcome with a stable code, as the domain's other refusals are. */
export type RouteOutcome =
  { readonly ok: true; readonly plan: StrategyPlan } | { readonly ok: false; readonly code: 'UNKNOWN_STRATEGY'; readonly reason: string };

/**
 * Routes with the named strategy, or the default when none is named (undefined or empty):
 * SWEEP, or POST_PASSIVE for an order that may rest.
 */
export function routeOrder(strategyName: string | undefined, order: RoutableOrder, market: MarketView, context: RoutingContext = {}): RouteOutcome {
  const name = strategyName === undefined || strategyName === '' ? defaultStrategyName(order) : strategyName;
  if (!isStrategyName(name)) {
    return { ok: false, code: 'UNKNOWN_STRATEGY', reason: `unknown routing strategy "${name}"; known: ${STRATEGY_NAMES.join(', ')}` };
  }
  return { ok: true, plan: strategyFor(name)(order, market, context) };
}
