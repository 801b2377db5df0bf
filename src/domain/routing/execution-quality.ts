import { averagePrice, basisPoints, notional, PRICE_SCALE, type Money, type Price } from '../money/price.js';
import { isBuy, type Side } from '../order/enums.js';

/**
 * Execution quality of one parent order, all exact: money in Money units, basis points and ratios
 * as bigints of 10^-8 (formatDecimal shows them: 1234500000n is "12.345" bp, 75000000n is 0.75).
 * Costs are signed so that positive is worse for the client on both sides.
 */

export interface ExecutionFill {
  readonly venue: string;
  readonly price: Price;
  readonly quantity: number;
  /** Fee paid for this fill; negative for a rebate received. */
  readonly fee: Money;
  readonly atMs: number;
}

/** The NBBO when the order arrived (an Nbbo fits); a missing side leaves its measures null. */
export interface ArrivalQuote {
  readonly bid: Price | null;
  readonly ask: Price | null;
}

export interface OrderExecution {
  readonly side: Side;
  readonly orderedQuantity: number;
  readonly arrival: ArrivalQuote;
  readonly arrivalAtMs: number;
  readonly childCount: number;
  readonly fills: readonly ExecutionFill[];
}

export interface ExecutionQuality {
  readonly orderedQuantity: number;
  readonly filledQuantity: number;
  /** filled / ordered, 10^-8 units. */
  readonly fillRate: bigint;
  readonly averagePrice: Price | null;
  /** Average price against the arrival mid, 10^-8 bp; positive = paid above mid / sold below. */
  readonly slippageBps: bigint | null;
  /** Slippage with fees (and rebates) counted in: the implementation shortfall of what filled. */
  readonly shortfallBps: bigint | null;
  /** Better than the arrival far side (ask for a buyer, bid for a seller); positive = improved. */
  readonly priceImprovement: Money | null;
  readonly priceImprovementPerShare: Price | null;
  readonly priceImprovementBps: bigint | null;
  readonly feesPaid: Money;
  readonly childCount: number;
  /** From arrival to the last fill, only once the order is filled in full. */
  readonly timeToFillMs: number | null;
}

/** numerator / denominator in 10^-8 units, rounded half away from zero. */
export function ratio(numerator: bigint, denominator: number): bigint {
  return averagePrice((numerator * PRICE_SCALE) as Money, denominator);
}

export function executionQuality(order: OrderExecution): ExecutionQuality {
  const sign = isBuy(order.side) ? 1n : -1n;
  const filled = order.fills.reduce((sum, f) => sum + f.quantity, 0);
  const paid = order.fills.reduce((sum, f) => sum + notional(f.quantity, f.price), 0n);
  const feesPaid = order.fills.reduce((sum, f) => sum + f.fee, 0n) as Money;
  const { bid, ask } = order.arrival;
  const far = isBuy(order.side) ? ask : bid;
  const shares = BigInt(filled);
  // Twice the mid times the shares is exact, so slippage needs no rounded mid.
  const twiceMidValue = bid !== null && ask !== null && filled > 0 ? shares * (bid + ask) : null;
  const improvement = far !== null && filled > 0 ? (((shares * far - paid) * sign) as Money) : null;
  const lastFillAt = order.fills.reduce((latest, f) => Math.max(latest, f.atMs), order.arrivalAtMs);
  return {
    orderedQuantity: order.orderedQuantity,
    filledQuantity: filled,
    fillRate: order.orderedQuantity > 0 ? ratio(BigInt(filled), order.orderedQuantity) : 0n,
    averagePrice: filled > 0 ? averagePrice(paid as Money, filled) : null,
    slippageBps: twiceMidValue === null ? null : basisPoints(sign * (2n * paid - twiceMidValue), twiceMidValue as Price),
    shortfallBps: twiceMidValue === null ? null : basisPoints(sign * (2n * paid - twiceMidValue) + 2n * feesPaid, twiceMidValue as Price),
    priceImprovement: improvement,
    priceImprovementPerShare: improvement === null ? null : averagePrice(improvement, filled),
    priceImprovementBps: improvement === null || far === null || far === 0n ? null : basisPoints(improvement, (shares * far) as Price),
    feesPaid,
    childCount: order.childCount,
    timeToFillMs: filled >= order.orderedQuantity && filled > 0 ? lastFillAt - order.arrivalAtMs : null,
  };
}

/** An order's execution with the symbol it traded: average prices are only summed within one symbol. */
export interface SymbolExecution {
  readonly symbol: string;
  readonly execution: OrderExecution;
}

/** One venue's part in many orders' executions. */
export interface VenueExecutionQuality {
  readonly venue: string;
  readonly fills: number;
  readonly filledQuantity: number;
  /** The venue's volume-weighted fill price per symbol (prices of two symbols do not average), symbols in order. */
  readonly averagePriceBySymbol: readonly { readonly symbol: string; readonly filledQuantity: number; readonly averagePrice: Price }[];
  /**
   * The venue's fills against the arrival NBBO mid of the order each belongs to, 10^-8 bp, positive
   * = worse (as the order's slippageBps): per order, the venue's fills as one average price, then
   * weighted by the shares filled there. Weighted by filled shares, the venues' figures give the
   * orders' own (to the rounding). Null when no fill's order had both arrival sides.
   */
  readonly slippageBps: bigint | null;
  /** The fees of the venue's fills; negative: rebates received. */
  readonly feesPaid: Money;
}

/** Per venue (in name order), over every fill of the orders: where they filled, at what price against the arrival mid, at what fee. */
export function venueExecutionQuality(orders: readonly SymbolExecution[]): VenueExecutionQuality[] {
  interface Sums {
    fills: number;
    filled: number;
    fees: bigint;
    bySymbol: Map<string, { filled: number; paid: bigint }>;
    /** Sum of (shares x slippage bp) over (order, venue) pairs with an arrival mid, and their shares. */
    weightedBps: bigint;
    weight: number;
  }
  const byVenue = new Map<string, Sums>();
  for (const { symbol, execution } of orders) {
    const sign = isBuy(execution.side) ? 1n : -1n;
    const { bid, ask } = execution.arrival;
    const here = new Map<string, { filled: number; paid: bigint }>();
    for (const fill of execution.fills) {
      const venue = byVenue.get(fill.venue) ?? { fills: 0, filled: 0, fees: 0n, bySymbol: new Map(), weightedBps: 0n, weight: 0 };
      byVenue.set(fill.venue, venue);
      const paid = notional(fill.quantity, fill.price);
      venue.fills += 1;
      venue.filled += fill.quantity;
      venue.fees += fill.fee;
      const inSymbol = venue.bySymbol.get(symbol) ?? { filled: 0, paid: 0n };
      venue.bySymbol.set(symbol, { filled: inSymbol.filled + fill.quantity, paid: inSymbol.paid + paid });
      const inOrder = here.get(fill.venue) ?? { filled: 0, paid: 0n };
      here.set(fill.venue, { filled: inOrder.filled + fill.quantity, paid: inOrder.paid + paid });
    }
    if (bid === null || ask === null) continue;
    for (const [name, { filled, paid }] of here) {
      if (filled === 0) continue;
      // As the order's own slippage: twice the mid times the shares is exact.
      const twiceMidValue = BigInt(filled) * (bid + ask);
      const venue = byVenue.get(name)!;
      venue.weightedBps += BigInt(filled) * basisPoints(sign * (2n * paid - twiceMidValue), twiceMidValue as Price);
      venue.weight += filled;
    }
  }
  return [...byVenue]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([venue, s]) => ({
      venue,
      fills: s.fills,
      filledQuantity: s.filled,
      averagePriceBySymbol: [...s.bySymbol]
        .filter(([, x]) => x.filled > 0)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([symbol, x]) => ({ symbol, filledQuantity: x.filled, averagePrice: averagePrice(x.paid as Money, x.filled) })),
      slippageBps: s.weight === 0 ? null : averagePrice(s.weightedBps as Money, s.weight),
      feesPaid: s.fees as Money,
    }));
}
