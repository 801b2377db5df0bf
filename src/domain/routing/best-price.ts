import { isBuy } from '../order/enums.js';
import type { Price } from '../money/price.js';
import type { ChildAllocation, RoutableOrder, RoutingPlan, VenueQuote } from './types.js';

interface Offer {
  readonly venue: string;
  readonly price: Price;
  readonly size: number;
}

/**
 * Best displayed price first (buy: lowest ask; sell: highest bid; ties: larger size, then venue
 * name), taking displayed size at or better than the limit across venues. Marketable children are
 * IOC with the parent's limit (MARKET children are MARKET IOC), so a venue can also fill from depth.
 * The rest: DAY/GTC limit orders rest it at the best venue; MARKET and IOC orders add it to the best
 * venue's child; FOK needs one venue that alone shows enough, since a split FOK could fill partly.
 * A crossed or locked market is used as displayed: the cheapest offer is still the best price.
 */
export function routeBestPrice(order: RoutableOrder, quotes: readonly VenueQuote[], options: { defaultVenue: string }): RoutingPlan {
  const offers = marketableOffers(order, quotes);
  const bestVenue = offers[0]?.venue ?? bestQuotedVenue(order, quotes) ?? options.defaultVenue;
  if (order.timeInForce === 'FOK') return routeFillOrKill(order, offers);

  const taken = new Map<string, number>();
  let left = order.quantity;
  for (const offer of offers) {
    if (left === 0) break;
    const take = Math.min(left, offer.size);
    taken.set(offer.venue, (taken.get(offer.venue) ?? 0) + take);
    left -= take;
  }
  const children: ChildAllocation[] = [...taken].map(([venue, quantity]) => ({
    venue,
    quantity,
    orderType: order.orderType,
    limitPrice: order.limitPrice,
    timeInForce: 'IOC',
  }));
  if (left > 0) {
    const rests = order.orderType === 'LIMIT' && (order.timeInForce === 'DAY' || order.timeInForce === 'GTC');
    if (rests) {
      children.push({ venue: bestVenue, quantity: left, orderType: 'LIMIT', limitPrice: order.limitPrice, timeInForce: order.timeInForce });
    } else {
      const index = children.findIndex((c) => c.venue === bestVenue);
      if (index >= 0) children[index] = { ...children[index]!, quantity: children[index]!.quantity + left };
      else children.push({ venue: bestVenue, quantity: left, orderType: order.orderType, limitPrice: order.limitPrice, timeInForce: 'IOC' });
    }
  }
  return { children, unroutedQuantity: 0 };
}

function routeFillOrKill(order: RoutableOrder, offers: readonly Offer[]): RoutingPlan {
  const whole = offers.find((offer) => offer.size >= order.quantity);
  if (!whole) {
    return {
      children: [],
      unroutedQuantity: order.quantity,
      reason: `no single venue displays ${order.quantity} shares${order.limitPrice === null ? '' : ' at or better than the limit'}`,
    };
  }
  return {
    children: [{ venue: whole.venue, quantity: order.quantity, orderType: order.orderType, limitPrice: order.limitPrice, timeInForce: 'FOK' }],
    unroutedQuantity: 0,
  };
}

/** Displayed liquidity the order may take, best first. */
function marketableOffers(order: RoutableOrder, quotes: readonly VenueQuote[]): Offer[] {
  const buy = isBuy(order.side);
  const offers: Offer[] = [];
  for (const quote of quotes) {
    const price = buy ? quote.askPrice : quote.bidPrice;
    const size = buy ? quote.askSize : quote.bidSize;
    if (price === null || size <= 0) continue;
    if (order.limitPrice !== null && (buy ? price > order.limitPrice : price < order.limitPrice)) continue;
    offers.push({ venue: quote.venue, price, size });
  }
  return offers.sort((a, b) => comparePrice(a.price, b.price, buy) || b.size - a.size || a.venue.localeCompare(b.venue));
}

/** Where a resting order joins the best price on its own side. */
function bestQuotedVenue(order: RoutableOrder, quotes: readonly VenueQuote[]): string | undefined {
  const buy = isBuy(order.side);
  const sameSide = quotes
    .map((q) => ({ venue: q.venue, price: buy ? q.bidPrice : q.askPrice, size: buy ? q.bidSize : q.askSize }))
    .filter((q): q is { venue: string; price: Price; size: number } => q.price !== null && q.size > 0)
    .sort((a, b) => comparePrice(a.price, b.price, !buy) || b.size - a.size || a.venue.localeCompare(b.venue));
  return sameSide[0]?.venue;
}

/** Negative when `a` is the better price to take: lower for a buyer, higher for a seller. */
function comparePrice(a: Price, b: Price, buying: boolean): number {
  if (a === b) return 0;
  return a < b === buying ? -1 : 1;
}
