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
  const improvement = far !== null && filled > 0 ? ((shares * far - paid) * sign) as Money : null;
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
