import { MAX_ROUTE_ATTEMPTS } from '../../domain/order/remainder.js';
import { DEFAULT_MARKET_SLIPPAGE_TICKS } from '../../domain/routing/market-slippage.js';
import { rerouteRemainder, termsForAttempt } from '../../domain/routing/reroute.js';
import { remainderStrategy, routeOrder } from '../../domain/routing/strategy-registry.js';
import { STRATEGY_NAMES, type StrategyName, type StrategyPlan } from '../../domain/routing/strategy-types.js';
import type { RoutableOrder } from '../../domain/routing/types.js';
import { consolidatedNbbo, withoutVenues } from '../../domain/routing/venue-book.js';
import type { ParentRun } from './parent-run.js';
import type { ReplayDesk } from './replay-desk.js';

/** NAIVE sends the whole parent to the primary venue; DEFAULT lets the router pick per order. */
export const NAIVE_VENUE = 'XNYS';
export type ReplayStrategy = 'NAIVE' | 'DEFAULT' | StrategyName;
export const REPLAY_STRATEGIES: readonly ReplayStrategy[] = ['NAIVE', 'DEFAULT', ...STRATEGY_NAMES];

/**
 * Places one parent as the OMS would: route, send the children, run DARK_FIRST's lit phase once
 * the dark fill is known, then re-route what is neither filled nor resting, up to
 * MAX_ROUTE_ATTEMPTS routes in all (the last on the parent's own terms), without the venues that
 * rejected. NAIVE gets no second chance.
 */
export function placeParent(desk: ReplayDesk, strategy: ReplayStrategy, parent: ParentRun): void {
  if (strategy === 'NAIVE') {
    desk.send(parent, { venue: NAIVE_VENUE, ...parent.terms });
    return;
  }
  const named = strategy === 'DEFAULT' ? undefined : strategy;
  const order = parent.terms;
  const failed = new Set<string>();
  const outcome = routeOrder(named, order, desk.view(order.symbol));
  if (!outcome.ok) throw new Error(outcome.reason);
  sendPlan(desk, parent, outcome.plan, order, { named, attempt: 1, failed });
  // Numbered as the OMS numbers routes: the first was 1, so at most MAX_ROUTE_ATTEMPTS in all.
  for (let attempt = 2; attempt <= MAX_ROUTE_ATTEMPTS && parent.unplaced() > 0; attempt++) {
    const rerouteWith = remainderStrategy(named);
    const placed = order.quantity - parent.unplaced();
    const rerouted = rerouteRemainder(order, placed, failed, desk.view(order.symbol), rerouteWith ? { attempt, strategy: rerouteWith } : { attempt });
    if (rerouted.children.length === 0) break;
    sendPlan(desk, parent, rerouted, { ...order, quantity: parent.unplaced() }, { named, attempt, failed });
  }
}

interface RouteContext {
  readonly named: StrategyName | undefined;
  readonly attempt: number;
  /** Venues that rejected this parent's children, left out of later routes. */
  readonly failed: Set<string>;
}

/** Sends a plan's children on the terms the router gives its route (termsForAttempt). */
function sendPlan(desk: ReplayDesk, parent: ParentRun, planned: StrategyPlan, routed: RoutableOrder, route: RouteContext): void {
  const nbbo = consolidatedNbbo(withoutVenues(desk.view(parent.terms.symbol), route.failed));
  const plan = termsForAttempt(planned, routed, nbbo, route.attempt, DEFAULT_MARKET_SLIPPAGE_TICKS);
  let filled = 0;
  for (const child of plan.children) {
    const reports = desk.send(parent, child);
    if (reports.length === 0 || reports.some((r) => r.execType === 'REJECTED')) route.failed.add(child.venue);
    filled += reports.reduce((sum, r) => sum + (r.execType === 'TRADE' ? r.lastQty : 0), 0);
  }
  if (plan.awaiting !== 'DARK_FILL') return;
  const lit = routeOrder(route.named, routed, desk.view(parent.terms.symbol), { darkFill: filled });
  if (lit.ok) sendPlan(desk, parent, lit.plan, routed, route);
}
