import { formatDecimal, formatDecimalOrNull as decimalOrNull } from '../../domain/money/price.js';
import type { AggregateExecutionQuality } from '../../domain/routing/execution-quality-aggregate.js';
import type { ExecutionQuality, VenueExecutionQuality } from '../../domain/routing/execution-quality.js';
import type { AggregateExecutionQualityView, ExecutionQualityView, VenueExecutionQualityView } from '../../ports/order-queries.js';

export function executionQualityView(q: ExecutionQuality): ExecutionQualityView {
  return {
    orderedQuantity: q.orderedQuantity,
    filledQuantity: q.filledQuantity,
    fillRate: formatDecimal(q.fillRate),
    averagePrice: decimalOrNull(q.averagePrice),
    slippageBps: decimalOrNull(q.slippageBps),
    shortfallBps: decimalOrNull(q.shortfallBps),
    priceImprovement: decimalOrNull(q.priceImprovement),
    priceImprovementBps: decimalOrNull(q.priceImprovementBps),
    feesPaid: formatDecimal(q.feesPaid),
    childCount: q.childCount,
    timeToFillMs: q.timeToFillMs,
  };
}

export function aggregateExecutionQualityView(q: AggregateExecutionQuality): AggregateExecutionQualityView {
  return {
    orders: q.orders,
    orderedQuantity: q.orderedQuantity,
    filledQuantity: q.filledQuantity,
    fillRate: formatDecimal(q.fillRate),
    slippageBps: decimalOrNull(q.slippageBps),
    shortfallBps: decimalOrNull(q.shortfallBps),
    priceImprovementBps: decimalOrNull(q.priceImprovementBps),
    priceImprovement: formatDecimal(q.priceImprovement),
    feesPaid: formatDecimal(q.feesPaid),
    childrenPerOrder: formatDecimal(q.childrenPerOrder),
    averageTimeToFillMs: q.averageTimeToFillMs,
  };
}

/** Per venue, keyed by its name (in name order). */
export function venueExecutionQualityView(venues: readonly VenueExecutionQuality[]): Record<string, VenueExecutionQualityView> {
  return Object.fromEntries(
    venues.map((v) => [
      v.venue,
      {
        fills: v.fills,
        filledQuantity: v.filledQuantity,
        averagePriceBySymbol: Object.fromEntries(v.averagePriceBySymbol.map((s) => [s.symbol, formatDecimal(s.averagePrice)])),
        slippageBps: decimalOrNull(v.slippageBps),
        feesPaid: formatDecimal(v.feesPaid),
      },
    ]),
  );
}
