import type { OrderSnapshot } from '../../domain/events/messages.js';
import { formatDecimal, formatDecimalOrNull } from '../../domain/money/price.js';
import type { ChildOrder } from '../../domain/order/child-order.js';
import type { Fill, Order } from '../../domain/order/order.js';
import { toSnapshot } from '../../domain/order/snapshot.js';
import { averageCost, unrealizedPnl } from '../../domain/positions/position.js';
import { aggregateExecutionQuality } from '../../domain/routing/execution-quality-aggregate.js';
import {
  executionQuality,
  venueExecutionQuality,
  type ExecutionQuality,
  type OrderExecution,
  type SymbolExecution,
} from '../../domain/routing/execution-quality.js';
import { orderExecution } from '../../domain/routing/order-execution.js';
import type { MarketDataView } from '../../ports/market-data.js';
import type { ChildOrderView, ExecutionQualityReport, FillView, OrderDetails, OrderQueries, PositionView } from '../../ports/order-queries.js';
import type { OrderRecords } from '../../ports/order-records.js';
import { aggregateExecutionQualityView, executionQualityView, venueExecutionQualityView } from './execution-quality-view.js';

/**
 * The read API's views, made from the stored records: snapshots, decimals as strings, execution
 * quality against each venue's profile, positions marked to the reference price.
 */
export class OrderQueryService implements OrderQueries {
  constructor(
    private readonly records: OrderRecords,
    private readonly marketData: MarketDataView,
  ) {}

  async orderDetails(orderId: string): Promise<OrderDetails | null> {
    const order = await this.records.order(orderId);
    if (!order) return null;
    const [executions, history] = await Promise.all([this.records.executions([orderId]), this.records.history(orderId)]);
    const { children, fills } = executions.get(orderId) ?? { children: [], fills: [] };
    return {
      ...toSnapshot(order),
      fills: fills.map(fillView),
      children: children.map(childView),
      events: history.map((line) => ({ ...line, occurredAt: line.occurredAt.toISOString() })),
      executionQuality: children.length === 0 ? null : executionQualityView(executionQuality(this.execution(order, children, fills))),
    };
  }

  async orderStatus(orderId: string): Promise<OrderSnapshot | null> {
    const order = await this.records.order(orderId);
    return order ? toSnapshot(order) : null;
  }

  async listOrders(accountId: string, limit: number): Promise<OrderSnapshot[]> {
    return (await this.records.latestOrders(accountId, limit)).map(toSnapshot);
  }

  /** The account's latest routed orders, aggregated overall and per strategy, and their fills per venue. */
  async executionQuality(accountId: string, limit: number): Promise<ExecutionQualityReport> {
    const orders = await this.records.latestOrders(accountId, limit);
    const executions = await this.records.executions(orders.map((o) => o.orderId));
    const byStrategy = new Map<string, ExecutionQuality[]>();
    const all: ExecutionQuality[] = [];
    const symbolExecutions: SymbolExecution[] = [];
    for (const order of orders) {
      const { children, fills } = executions.get(order.orderId) ?? { children: [], fills: [] };
      if (children.length === 0) continue;
      const execution = this.execution(order, children, fills);
      symbolExecutions.push({ symbol: order.symbol, execution });
      const quality = executionQuality(execution);
      all.push(quality);
      const strategy = order.strategy ?? 'DEFAULT';
      byStrategy.set(strategy, [...(byStrategy.get(strategy) ?? []), quality]);
    }
    return {
      accountId,
      overall: aggregateExecutionQualityView(aggregateExecutionQuality(all)),
      byStrategy: Object.fromEntries([...byStrategy].map(([name, list]) => [name, aggregateExecutionQualityView(aggregateExecutionQuality(list))])),
      byVenue: venueExecutionQualityView(venueExecutionQuality(symbolExecutions)),
    };
  }

  async positions(accountId: string): Promise<PositionView[]> {
    return (await this.records.positions(accountId)).map((position) => {
      const mark = this.marketData.referencePrice(position.symbol);
      return {
        accountId,
        symbol: position.symbol,
        quantity: position.quantity,
        averageCost: formatDecimalOrNull(averageCost(position)),
        costBasis: formatDecimal(position.costBasis),
        realizedPnl: formatDecimal(position.realizedPnl),
        unrealizedPnl: mark === null ? null : formatDecimal(unrealizedPnl(position, mark)),
        markPrice: mark === null ? null : formatDecimal(mark),
      };
    });
  }

  private execution(order: Order, children: readonly ChildOrder[], fills: readonly Fill[]): OrderExecution {
    return orderExecution(order, children, fills, (venue) => this.marketData.venueProfile(venue));
  }
}

function fillView(fill: Fill): FillView {
  return {
    execId: fill.execId,
    venue: fill.venue,
    childOrderId: fill.childOrderId,
    quantity: fill.quantity,
    price: formatDecimal(fill.price),
    occurredAt: fill.occurredAt.toISOString(),
  };
}

function childView(c: ChildOrder): ChildOrderView {
  return {
    childOrderId: c.childOrderId,
    venue: c.venue,
    orderType: c.orderType,
    timeInForce: c.timeInForce,
    quantity: c.quantity,
    limitPrice: formatDecimalOrNull(c.limitPrice),
    routeAttempt: c.routeAttempt,
    strategy: c.strategy ?? null,
    nbboBid: formatDecimalOrNull(c.nbboBid ?? null),
    nbboAsk: formatDecimalOrNull(c.nbboAsk ?? null),
    routedAt: c.createdAt.toISOString(),
    status: c.status,
    filledQuantity: c.filledQuantity,
    leavesQuantity: c.leavesQuantity,
  };
}
