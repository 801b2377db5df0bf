import { averagePrice, type Money } from '../money/price.js';
import { ratio, type ExecutionQuality } from './execution-quality.js';

export interface AggregateExecutionQuality {
  readonly orders: number;
  readonly orderedQuantity: number;
  readonly filledQuantity: number;
  /** Total filled / total ordered, 10^-8 units. */
  readonly fillRate: bigint;
  /** Weighted by each order's filled quantity, over the orders that have the measure; 10^-8 bp. */
  readonly slippageBps: bigint | null;
  readonly shortfallBps: bigint | null;
  readonly priceImprovementBps: bigint | null;
  readonly priceImprovement: Money;
  readonly feesPaid: Money;
  readonly childCount: number;
  /** Children per order, 10^-8 units. */
  readonly childrenPerOrder: bigint;
  /** Mean over the orders filled in full, rounded to the millisecond. */
  readonly averageTimeToFillMs: number | null;
}

/**
 * Execution quality over many orders, quantity-weighted: an order of 10,000 shares counts 100
 * times one of 100. Buys and sells aggregate directly, since every cost is signed "positive = worse".
 */
export function aggregateExecutionQuality(orders: readonly ExecutionQuality[]): AggregateExecutionQuality {
  const sum = (values: readonly bigint[]): bigint => values.reduce((a, b) => a + b, 0n);
  const ordered = orders.reduce((n, o) => n + o.orderedQuantity, 0);
  const filled = orders.reduce((n, o) => n + o.filledQuantity, 0);
  const weighted = (measure: (o: ExecutionQuality) => bigint | null): bigint | null => {
    const having = orders.filter((o) => measure(o) !== null && o.filledQuantity > 0);
    const weight = having.reduce((n, o) => n + o.filledQuantity, 0);
    if (weight === 0) return null;
    return averagePrice(sum(having.map((o) => BigInt(o.filledQuantity) * (measure(o) ?? 0n))) as Money, weight);
  };
  const times = orders.flatMap((o) => (o.timeToFillMs === null ? [] : [o.timeToFillMs]));
  const childCount = orders.reduce((n, o) => n + o.childCount, 0);
  return {
    orders: orders.length,
    orderedQuantity: ordered,
    filledQuantity: filled,
    fillRate: ordered > 0 ? ratio(BigInt(filled), ordered) : 0n,
    slippageBps: weighted((o) => o.slippageBps),
    shortfallBps: weighted((o) => o.shortfallBps),
    priceImprovementBps: weighted((o) => o.priceImprovementBps),
    priceImprovement: sum(orders.map((o) => o.priceImprovement ?? 0n)) as Money,
    feesPaid: sum(orders.map((o) => o.feesPaid)) as Money,
    childCount,
    childrenPerOrder: orders.length > 0 ? ratio(BigInt(childCount), orders.length) : 0n,
    averageTimeToFillMs: times.length > 0 ? Math.round(times.reduce((a, b) => a + b, 0) / times.length) : null,
  };
}
