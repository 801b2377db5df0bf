import type { Price } from '../money/price.js';

/**
 * Price comparisons from one side's point of view, so strategy code reads the same for buyers
 * and sellers: a buyer prefers lower prices to take, a seller higher ones.
 */

/** Negative when `a` is the better price to take: lower for a buyer, higher for a seller. */
export function compareForTaker(a: bigint, b: bigint, buying: boolean): number {
  if (a === b) return 0;
  return a < b === buying ? -1 : 1;
}

/** True when `a` is strictly better than `b` for the taker. */
export const isBetterForTaker = (a: bigint, b: bigint, buying: boolean): boolean => compareForTaker(a, b, buying) < 0;

/** A price the order may trade at: at or better than its limit (a MARKET order has none). */
export function withinLimit(price: Price, limit: Price | null, buying: boolean): boolean {
  return limit === null || !isBetterForTaker(limit, price, buying);
}

/**
 * What one share really costs a buyer (price + taker fee) or yields a seller (price - taker fee).
 * A negative fee is an inverted venue paying takers; the same formula covers it.
 */
export function effectiveTakePrice(price: Price, takerFee: Price, buying: boolean): bigint {
  return buying ? price + takerFee : price - takerFee;
}

/** The worse of two prices for the taker: the limit a child needs to reach both. */
export function worseForTaker(a: Price, b: Price, buying: boolean): Price {
  return isBetterForTaker(a, b, buying) ? b : a;
}
