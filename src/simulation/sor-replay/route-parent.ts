import { MAX_ROUTE_ATTEMPTS } from '../../domain/order/remainder.js';
import { onParentTerms, rerouteRemainder } from '../../domain/routing/reroute.js';
import { remainderStrategy, routeOrder } from '../../domain/routing/strategy-registry.js';
import { STRATEGY_NAMES, type StrategyName, type StrategyPlan } from '../../domain/routing/strategy-types.js';
import type { RoutableOrder } from '../../domain/routing/types.js';
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
  sendPlan(desk, parent, outcome.plan, order, named, failed);
  // Numbered as the OMS numbers routes: the first was 1, so at most MAX_ROUTE_ATTEMPTS in all.
  for (let attempt = 2; attempt <= MAX_ROUTE_ATTEMPTS && parent.unplaced() > 0; attempt++) {
    const rerouteWith = remainderStrategy(named);
    const placed = order.quantity - parent.unplaced();
    const rerouted = rerouteRemainder(order, placed, failed, desk.view(order.symbol), rerouteWith ? { attempt, strategy: rerouteWith } : { attempt });
    const plan = attempt === MAX_ROUTE_ATTEMPTS ? onParentTerms(rerouted, { ...order, quantity: parent.unplaced() }) : rerouted;
    if (plan.children.length === 0) break;
    sendPlan(desk, parent, plan, { ...order, quantity: parent.unplaced() }, named, failed);
  }
}

function sendPlan(desk: ReplayDesk, parent: ParentRun, plan: StrategyPlan, routed: RoutableOrder, named: StrategyName | undefined, failed: Set<string>): void {
  let filled = 0;
  for (const child of plan.children) {
    const reports = desk.send(parent, child);
    if (reports.length === 0 || reports.some((r) => r.execType === 'REJECTED')) failed.add(child.venue);
    filled += reports.reduce((sum, r) => sum + (r.execType === 'TRADE' ? r.lastQty : 0), 0);
  }
  if (plan.awaiting !== 'DARK_FILL') return;
  const lit = routeOrder(named, routed, desk.view(parent.terms.symbol), { darkFill: filled });
  if (lit.ok) sendPlan(desk, parent, lit.plan, routed, named, failed);
}
