import type { ChildAllocation, RoutableOrder, RoutingPlan } from './types.js';
import type { MarketView } from './venue-book.js';

export const STRATEGY_NAMES = ['BEST_PRICE_FEE_AWARE', 'SWEEP', 'SPRAY', 'DARK_FIRST', 'POST_PASSIVE'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** Why a child exists: to take displayed liquidity, to rest and wait, or to try a dark midpoint. */
export type ChildPurpose = 'TAKE' | 'POST' | 'DARK_MIDPOINT';

export interface PlannedChild extends ChildAllocation {
  readonly purpose: ChildPurpose;
  /**
   * The child's limit passes a better protected quote on another venue that the same plan takes
   * in full at the same time: it must go out as an Intermarket Sweep Order (FIX ExecInst 'f').
   */
  readonly intermarketSweep: boolean;
}

export interface StrategyPlan extends RoutingPlan {
  readonly strategy: StrategyName;
  readonly children: readonly PlannedChild[];
  /** DARK_FIRST: the lit phase waits for the dark child's fill; route again with `darkFill`. */
  readonly awaiting?: 'DARK_FILL';
}

export interface RoutingContext {
  /** DARK_FIRST's second phase: shares the dark midpoint child filled. */
  readonly darkFill?: number;
}

/** Every strategy is a pure function of the order, the market and the context. */
export type RoutingStrategy = (order: RoutableOrder, market: MarketView, context: RoutingContext) => StrategyPlan;

/** LIMIT DAY/GTC orders may rest at a venue; MARKET, IOC and FOK never do. */
export const mayRest = (order: RoutableOrder): boolean => order.orderType === 'LIMIT' && (order.timeInForce === 'DAY' || order.timeInForce === 'GTC');
