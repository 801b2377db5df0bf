import { averageCost, unrealizedPnl } from '../../domain/positions/position.js';
import { formatDecimal } from '../../domain/money/price.js';
import { toSnapshot } from '../../domain/order/snapshot.js';
import type { OrderSnapshot } from '../../domain/events/messages.js';
import type { MarketDataView } from '../../ports/market-data.js';
import type { SqlExecutor } from '../../ports/sql.js';
import type { ChildOrderView, ExecutionQualityReport, FillView, OrderDetails, OrderHistoryView, OrderQueries, PositionView } from '../../services/oms-ingest/order-queries.js';
import { decimalText, orderFromRow, ORDER_COLUMNS, positionFromRow, type OrderRow, type PositionRow } from './order-rows.js';
import { executionRecords } from './sql-execution-records.js';
import type { ChildOrder } from '../../domain/order/child-order.js';
import type { Fill, Order } from '../../domain/order/order.js';
import { executionQuality, venueExecutionQuality, type ExecutionQuality, type SymbolExecution } from '../../domain/routing/execution-quality.js';
import { aggregateExecutionQuality } from '../../domain/routing/execution-quality-aggregate.js';
import { orderExecution } from '../../domain/routing/order-execution.js';
import { aggregateExecutionQualityView, executionQualityView, venueExecutionQualityView } from '../../services/oms-ingest/execution-quality-view.js';

const iso = (value: Date | string): string => new Date(value).toISOString();

/** The API's read models, straight from the tables the services write. */
export class SqlOrderQueries implements OrderQueries {
  constructor(
    private readonly db: SqlExecutor,
    private readonly marketData: MarketDataView,
  ) {}

  async orderDetails(orderId: string): Promise<OrderDetails | null> {
    const [row] = await this.db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE order_id = $1`, [orderId]);
    if (!row) return null;
    const order = orderFromRow(row);
    const [records, events] = await Promise.all([executionRecords(this.db, [orderId]), this.history(orderId)]);
    const { children, fills } = records.get(orderId)!;
    return {
      ...toSnapshot(order),
      fills: fills.map(fillView),
      children: children.map(childView),
      events,
      executionQuality: children.length === 0 ? null : executionQualityView(this.quality(order, children, fills)),
    };
  }

  async orderStatus(orderId: string): Promise<OrderSnapshot | null> {
    const [row] = await this.db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE order_id = $1`, [orderId]);
    return row ? toSnapshot(orderFromRow(row)) : null;
  }

  async listOrders(accountId: string, limit: number): Promise<OrderSnapshot[]> {
    const rows = await this.db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE account_id = $1 ORDER BY order_id DESC LIMIT $2`, [accountId, limit]);
    return rows.map((row) => toSnapshot(orderFromRow(row)));
  }

  /** The account's latest routed orders, aggregated overall and per strategy, and their fills per venue. */
  async executionQuality(accountId: string, limit: number): Promise<ExecutionQualityReport> {
    const rows = await this.db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE account_id = $1 ORDER BY order_id DESC LIMIT $2`, [accountId, limit]);
    const orders = rows.map(orderFromRow);
    const records = await executionRecords(this.db, orders.map((o) => o.orderId));
    const byStrategy = new Map<string, ExecutionQuality[]>();
    const all: ExecutionQuality[] = [];
    const executions: SymbolExecution[] = [];
    for (const order of orders) {
      const { children, fills } = records.get(order.orderId)!;
      if (children.length === 0) continue;
      const execution = this.execution(order, children, fills);
      executions.push({ symbol: order.symbol, execution });
      const quality = executionQuality(execution);
      all.push(quality);
      const strategy = order.strategy ?? 'DEFAULT';
      byStrategy.set(strategy, [...(byStrategy.get(strategy) ?? []), quality]);
    }
    return {
      accountId,
      overall: aggregateExecutionQualityView(aggregateExecutionQuality(all)),
      byStrategy: Object.fromEntries([...byStrategy].map(([name, list]) => [name, aggregateExecutionQualityView(aggregateExecutionQuality(list))])),
      byVenue: venueExecutionQualityView(venueExecutionQuality(executions)),
    };
  }

  private quality(order: Order, children: readonly ChildOrder[], fills: readonly Fill[]): ExecutionQuality {
    return executionQuality(this.execution(order, children, fills));
  }

  private execution(order: Order, children: readonly ChildOrder[], fills: readonly Fill[]) {
    return orderExecution(order, children, fills, (venue) => this.marketData.venueProfile(venue));
  }

  async positions(accountId: string): Promise<PositionView[]> {
    const rows = await this.db.query<PositionRow>('SELECT account_id, symbol, quantity, cost_basis, realized_pnl FROM positions WHERE account_id = $1 ORDER BY symbol', [accountId]);
    return rows.map((row) => {
      const position = positionFromRow(row);
      const mark = this.marketData.referencePrice(position.symbol);
      return {
        accountId,
        symbol: position.symbol,
        quantity: position.quantity,
        averageCost: decimalText(averageCost(position)),
        costBasis: formatDecimal(position.costBasis),
        realizedPnl: formatDecimal(position.realizedPnl),
        unrealizedPnl: mark === null ? null : formatDecimal(unrealizedPnl(position, mark)),
        markPrice: mark === null ? null : formatDecimal(mark),
      };
    });
  }

  private async history(orderId: string): Promise<OrderHistoryView[]> {
    const rows = await this.db.query<{ seq: number; event_type: string; status: string; detail: Record<string, unknown>; source: string; occurred_at: Date | string }>(
      'SELECT seq, event_type, status, detail, source, occurred_at FROM order_events WHERE order_id = $1 ORDER BY seq',
      [orderId],
    );
    return rows.map((r) => ({ seq: r.seq, eventType: r.event_type, status: r.status, detail: r.detail, source: r.source, occurredAt: iso(r.occurred_at) }));
  }
}

function fillView(fill: Fill): FillView {
  return { execId: fill.execId, venue: fill.venue, childOrderId: fill.childOrderId, quantity: fill.quantity, price: formatDecimal(fill.price), occurredAt: fill.occurredAt.toISOString() };
}

function childView(c: ChildOrder): ChildOrderView {
  return {
    childOrderId: c.childOrderId,
    venue: c.venue,
    orderType: c.orderType,
    timeInForce: c.timeInForce,
    quantity: c.quantity,
    limitPrice: decimalText(c.limitPrice),
    routeAttempt: c.routeAttempt,
    strategy: c.strategy ?? null,
    nbboBid: decimalText(c.nbboBid ?? null),
    nbboAsk: decimalText(c.nbboAsk ?? null),
    routedAt: c.createdAt.toISOString(),
    status: c.status,
    filledQuantity: c.filledQuantity,
    leavesQuantity: c.leavesQuantity,
  };
}
