import type { Price } from '../money/price.js';
import { isBuy } from '../order/enums.js';
import { tickSizeFor } from '../order/validation.js';
import { sweptInFull } from './order-protection.js';
import { isBetterForTaker, worseForTaker } from './side-prices.js';
import type { StrategyPlan } from './strategy-types.js';
import type { RoutableOrder } from './types.js';
import type { Nbbo, VenueTop } from './venue-book.js';

/** The default reach of a MARKET parent's children past the level the router planned. */
export const DEFAULT_MARKET_SLIPPAGE_TICKS = 2;

/**
 * A MARKET parent's taking children go out as LIMIT IOC at the deepest level the router saw, so
 * none pays past what was displayed. But a quote can move a tick while a child travels to its
 * venue; the child then misses and the parent is routed again, up to the last route, which has no
 * limit at all. Letting each child reach `ticks` ticks further fills it where the market went,
 * within a bound the client can see, instead.
 *
 * Reg NMS Rule 611 decides how far. A child that is not an intermarket sweep leaves order
 * protection to its venue, which must not execute it at a price worse than a protected quote
 * displayed elsewhere: it takes the whole reach, as the last route's MARKET children do. An
 * intermarket sweep child vouches that its siblings take every better protected quote, so its
 * reach stops at the best protected quote the plan leaves (filling at that quote's own price is
 * no trade-through). LIMIT parents keep their children's limits: the client chose the price.
 */
export function withMarketSlippage(plan: StrategyPlan, order: RoutableOrder, nbbo: Nbbo, ticks: number): StrategyPlan {
  if (order.orderType !== 'MARKET' || ticks <= 0) return plan;
  const buying = isBuy(order.side);
  const unswept = (buying ? nbbo.protectedAsks : nbbo.protectedBids).filter((q) => !sweptInFull(q, plan.children, buying));
  const children = plan.children.map((child) => {
    if (child.purpose !== 'TAKE' || child.orderType !== 'LIMIT' || child.limitPrice === null) return child;
    const reach = ticksBeyond(child.limitPrice, ticks, buying);
    const limitPrice = child.intermarketSweep ? stopBefore(unswept, child.venue, reach, child.limitPrice, buying) : reach;
    return limitPrice === child.limitPrice ? child : { ...child, limitPrice };
  });
  return { ...plan, children };
}

/** The price `ticks` ticks worse for the taker: a cent from one dollar up, a hundredth of a cent below. */
function ticksBeyond(limit: Price, ticks: number, buying: boolean): Price {
  let price = limit;
  // Going down, the tick is the one of the band just below: from 1.00 the next price is 0.9999.
  for (let n = 0; n < ticks; n++) {
    const next = buying ? price + tickSizeFor(price) : price - tickSizeFor((price - 1n) as Price);
    if (next <= 0n) break;
    price = next as Price;
  }
  return price;
}

/** `reach`, or the best protected quote on another venue before it, but never short of `limit`. */
function stopBefore(quotes: readonly VenueTop[], venue: string, reach: Price, limit: Price, buying: boolean): Price {
  let stop = reach;
  for (const quote of quotes) {
    if (quote.venue !== venue && isBetterForTaker(quote.price, stop, buying)) stop = quote.price;
  }
  return worseForTaker(stop, limit, buying);
}
