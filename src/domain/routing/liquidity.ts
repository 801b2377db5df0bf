import type { Price } from '../money/price.js';
import { isBuy } from '../order/enums.js';
import { compareForTaker, effectiveTakePrice, isBetterForTaker, withinLimit } from './side-prices.js';
import type { RoutableOrder } from './types.js';
import { takeableLevels, type MarketView, type Nbbo } from './venue-book.js';

/** One displayed level the order may take, with what a share really costs there. */
export interface Offer {
  readonly venue: string;
  readonly price: Price;
  readonly size: number;
  /** Price plus taker fee for a buyer, minus it for a seller. */
  readonly effectivePrice: bigint;
}

export interface Take {
  readonly venue: string;
  readonly price: Price;
  readonly quantity: number;
}

/**
 * Lit displayed liquidity at or better than the order's limit: every level ('DEPTH') or only each
 * venue's top ('TOP'). Per venue, best price first. Dark pools display nothing to take.
 */
export function marketableOffers(order: RoutableOrder, market: MarketView, depth: 'TOP' | 'DEPTH'): Offer[] {
  const buying = isBuy(order.side);
  // Loops, not filter/flatMap/map: every route of a taking order runs this, and the intermediate arrays were garbage.
  const offers: Offer[] = [];
  for (const venue of market.venues) {
    if (venue.profile.kind !== 'LIT') continue;
    const levels = takeableLevels(venue, buying);
    const count = depth === 'TOP' ? Math.min(1, levels.length) : levels.length;
    for (let i = 0; i < count; i++) {
      const { price, size } = levels[i]!;
      if (withinLimit(price, order.limitPrice, buying))
        offers.push({ venue: venue.profile.name, price, size, effectivePrice: effectiveTakePrice(price, venue.profile.takerFee, buying) });
    }
  }
  return offers;
}

/** Cheapest effective price first; ties: better displayed price, larger size, venue name. */
export function rankByEffectivePrice(offers: readonly Offer[], buying: boolean): Offer[] {
  return [...offers].sort(
    (a, b) =>
      compareForTaker(a.effectivePrice, b.effectivePrice, buying) ||
      compareForTaker(a.price, b.price, buying) ||
      b.size - a.size ||
      a.venue.localeCompare(b.venue),
  );
}

/**
 * Takes `quantity` from the offers in the order given, except that before taking at any price it
 * first takes, in full, every protected top on another venue that is strictly better (Reg NMS:
 * a better protected quote is taken first, never traded through). Within one venue the ranking
 * already goes best price first, since one venue has one fee.
 */
export function takeWithProtection(ranked: readonly Offer[], quantity: number, nbbo: Nbbo, buying: boolean): { takes: Take[]; left: number } {
  // Size left per venue and price (a map per venue: no string key built per offer).
  const remaining = new Map<string, Map<Price, number>>();
  const sizesAt = (venue: string): Map<Price, number> => {
    let sizes = remaining.get(venue);
    if (!sizes) remaining.set(venue, (sizes = new Map()));
    return sizes;
  };
  for (const o of ranked) sizesAt(o.venue).set(o.price, o.size);
  const tops = buying ? nbbo.protectedAsks : nbbo.protectedBids;
  const takes: Take[] = [];
  let left = quantity;
  const take = (venue: string, price: Price, size: number): void => {
    const sizes = sizesAt(venue);
    const have = sizes.get(price) ?? size;
    const quantityTaken = Math.min(left, have);
    if (quantityTaken <= 0) return;
    sizes.set(price, have - quantityTaken);
    takes.push({ venue, price, quantity: quantityTaken });
    left -= quantityTaken;
  };
  for (const offer of ranked) {
    for (const top of tops) {
      if (top.venue !== offer.venue && isBetterForTaker(top.price, offer.price, buying)) take(top.venue, top.price, top.size);
    }
    take(offer.venue, offer.price, offer.size);
    if (left === 0) break;
  }
  return { takes, left };
}
