import { isBuy } from '../../order/enums.js';
import { routeFillOrKill } from '../fill-or-kill.js';
import { marketableOffers, rankByEffectivePrice, takeWithProtection } from '../liquidity.js';
import { finishPlan, leftoverReason, takeChildren, type DraftChild } from '../plan-building.js';
import type { StrategyName, StrategyPlan } from '../strategy-types.js';
import type { RoutableOrder } from '../types.js';
import { consolidatedNbbo, type MarketView, type Nbbo } from '../venue-book.js';

export interface TakenLiquidity {
  readonly nbbo: Nbbo;
  readonly children: DraftChild[];
  readonly left: number;
}

/**
 * Takes displayed liquidity within the limit, cheapest effective price (price +/- taker fee)
 * first, taking better protected quotes first where the ranking would pass them.
 */
export function takeFeeAware(order: RoutableOrder, market: MarketView, depth: 'TOP' | 'DEPTH'): TakenLiquidity {
  const buying = isBuy(order.side);
  const nbbo = consolidatedNbbo(market);
  const ranked = rankByEffectivePrice(marketableOffers(order, market, depth), buying);
  const { takes, left } = takeWithProtection(ranked, order.quantity, nbbo, buying);
  return { nbbo, children: takeChildren(takes, order), left };
}

/** A taking strategy: what cannot be taken now stays with the parent (or is canceled, per TIF). */
export function routeFeeAwareTaking(strategy: StrategyName, order: RoutableOrder, market: MarketView, depth: 'TOP' | 'DEPTH'): StrategyPlan {
  if (order.timeInForce === 'FOK') return routeFillOrKill(strategy, order, marketableOffers(order, market, depth), consolidatedNbbo(market));
  const { nbbo, children, left } = takeFeeAware(order, market, depth);
  return finishPlan(strategy, order, nbbo, children, left, leftoverReason(order, left));
}
