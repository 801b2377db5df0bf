import { isBuy } from '../../order/enums.js';
import { routeFillOrKill } from '../fill-or-kill.js';
import { marketableOffers, type Offer, type Take } from '../liquidity.js';
import { finishPlan, leftoverReason, takeChildren } from '../plan-building.js';
import { compareForTaker } from '../side-prices.js';
import type { RoutingStrategy } from '../strategy-types.js';
import { consolidatedNbbo } from '../venue-book.js';

/**
 * SPRAY: walks the consolidated book one displayed price at a time, best first. A price the order
 * can clear is taken whole; at the last price the rest is split in proportion to each venue's
 * displayed size there (largest remainder). Ranks by displayed price, not fees: it spreads the
 * order to show less of it at any one venue. Price order means every better protected quote is
 * taken before a worse price anywhere, so the plan never trades through.
 */
export const routeSpray: RoutingStrategy = (order, market) => {
  const buying = isBuy(order.side);
  const nbbo = consolidatedNbbo(market);
  const offers = marketableOffers(order, market, 'DEPTH');
  if (order.timeInForce === 'FOK') return routeFillOrKill('SPRAY', order, offers, nbbo);
  const prices = [...new Set(offers.map((o) => o.price))].sort((a, b) => compareForTaker(a, b, buying));
  const takes: Take[] = [];
  let left = order.quantity;
  for (const price of prices) {
    if (left === 0) break;
    const atPrice = offers.filter((o) => o.price === price).sort((a, b) => a.venue.localeCompare(b.venue));
    const shares = apportion(left, atPrice);
    atPrice.forEach((o, i) => takes.push({ venue: o.venue, price, quantity: shares[i] ?? 0 }));
    left -= shares.reduce((sum, n) => sum + n, 0);
  }
  const children = takeChildren(
    takes.filter((t) => t.quantity > 0),
    order,
  );
  return finishPlan('SPRAY', order, nbbo, children, left, leftoverReason(order, left));
};

/**
 * Splits `quantity` over offers in proportion to their sizes, never above a size: floors first,
 * then one share each to the largest fractional remainders, ties to the larger size, then to the
 * offer listed first (venue name). Exact in bigint, so the result never depends on rounding.
 */
export function apportion(quantity: number, offers: readonly Pick<Offer, 'size'>[]): number[] {
  const total = offers.reduce((sum, o) => sum + o.size, 0);
  if (quantity >= total) return offers.map((o) => o.size);
  const q = BigInt(quantity);
  const exact = offers.map((o, index) => ({ index, size: o.size, floor: (q * BigInt(o.size)) / BigInt(total), rest: (q * BigInt(o.size)) % BigInt(total) }));
  const shares = exact.map((e) => Number(e.floor));
  let spare = quantity - shares.reduce((sum, n) => sum + n, 0);
  const order = [...exact].sort((a, b) => (a.rest === b.rest ? b.size - a.size || a.index - b.index : a.rest > b.rest ? -1 : 1));
  for (const e of order) {
    if (spare === 0) break;
    shares[e.index] = (shares[e.index] ?? 0) + 1;
    spare -= 1;
  }
  return shares;
}
