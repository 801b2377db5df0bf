import type { OrderDetails } from '../api/types.js';

/** One venue's share of the account's routed orders, from their child orders. */
export interface VenueStats {
  readonly venue: string;
  readonly childOrders: number;
  readonly routedQuantity: number;
  readonly filledQuantity: number;
  /** Filled over routed, in tenths of a percent (integer arithmetic: both are share counts). */
  readonly fillRatePermille: number;
}

/**
 * Per venue, summed over the orders' children: the API reports execution quality per strategy,
 * and each order's children say where its shares went and how many filled there.
 */
export function venueStats(orders: readonly OrderDetails[]): VenueStats[] {
  const byVenue = new Map<string, { childOrders: number; routedQuantity: number; filledQuantity: number }>();
  for (const order of orders) {
    for (const child of order.children) {
      const now = byVenue.get(child.venue) ?? { childOrders: 0, routedQuantity: 0, filledQuantity: 0 };
      byVenue.set(child.venue, {
        childOrders: now.childOrders + 1,
        routedQuantity: now.routedQuantity + child.quantity,
        filledQuantity: now.filledQuantity + child.filledQuantity,
      });
    }
  }
  return [...byVenue]
    .map(([venue, s]) => ({ venue, ...s, fillRatePermille: s.routedQuantity === 0 ? 0 : Math.round((s.filledQuantity * 1000) / s.routedQuantity) }))
    .sort((a, b) => a.venue.localeCompare(b.venue));
}

/** 1000 → "100.0%". */
export const percent = (permille: number): string => `${Math.trunc(permille / 10)}.${permille % 10}%`;
