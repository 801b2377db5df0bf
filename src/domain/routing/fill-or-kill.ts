import { isBuy } from '../order/enums.js';
import type { Offer } from './liquidity.js';
import { finishPlan, type DraftChild } from './plan-building.js';
import { tradesThrough } from './order-protection.js';
import { compareForTaker } from './side-prices.js';
import type { StrategyName, StrategyPlan } from './strategy-types.js';
import type { RoutableOrder } from './types.js';
import type { Nbbo } from './venue-book.js';

/**
 * FOK goes whole to one venue: split across venues, one child could fill while another is killed,
 * which is a partial fill the parent forbade. The venue must show the whole size within the limit
 * and its child (limited at the worst level it needs) must not trade through a better protected
 * quote elsewhere. Among such venues, the lowest total effective cost wins (highest for a seller).
 */
export function routeFillOrKill(strategy: StrategyName, order: RoutableOrder, offers: readonly Offer[], nbbo: Nbbo): StrategyPlan {
  const buying = isBuy(order.side);
  const venues = [...new Set(offers.map((o) => o.venue))].sort();
  let best: { child: DraftChild; cost: bigint } | undefined;
  let blockedByProtection = false;
  for (const venue of venues) {
    const levels = offers.filter((o) => o.venue === venue).sort((a, b) => compareForTaker(a.price, b.price, buying));
    let left = order.quantity;
    let cost = 0n;
    let worst: Offer | undefined;
    for (const level of levels) {
      if (left === 0) break;
      const take = Math.min(left, level.size);
      cost += BigInt(take) * level.effectivePrice;
      left -= take;
      worst = level;
    }
    if (left > 0 || worst === undefined) continue;
    const child: DraftChild = { venue, quantity: order.quantity, orderType: 'LIMIT', limitPrice: worst.price, timeInForce: 'FOK', purpose: 'TAKE' };
    if (tradesThrough(order.side, child, nbbo)) {
      blockedByProtection = true;
      continue;
    }
    if (!best || compareForTaker(cost, best.cost, buying) < 0) best = { child, cost };
  }
  if (best) return finishPlan(strategy, order, nbbo, [best.child], 0);
  const within = order.limitPrice === null ? '' : ' within the limit';
  const why = blockedByProtection ? ' without trading through a better protected quote' : '';
  return finishPlan(strategy, order, nbbo, [], order.quantity, `FOK: no single venue can fill ${order.quantity} shares${within}${why}`);
}
