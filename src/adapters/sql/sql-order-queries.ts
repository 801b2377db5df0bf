import { averageCost, unrealizedPnl, type Position } from '../../domain/positions/position.js';
import { formatDecimal, type Money } from '../../domain/money/price.js';
import { toSnapshot } from '../../domain/order/snapshot.js';
import type { OrderSnapshot } from '../../domain/events/messages.js';
import type { MarketDataView } from '../../ports/market-data.js';
import type { SqlExecutor } from '../../ports/sql.js';
import type { ChildOrderView, FillView, OrderDetails, OrderHistoryView, OrderQueries, PositionView } from '../../services/oms-ingest/order-queries.js';
import { childFromRow, decimalText, orderFromRow, ORDER_COLUMNS, requiredDecimal, type ChildOrderRow, type OrderRow } from './order-rows.js';

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
    const [fills, children, events] = await Promise.all([this.fills(orderId), this.children(orderId), this.history(orderId)]);
    return { ...toSnapshot(orderFromRow(row)), fills, children, events };
  }

  async listOrders(accountId: string, limit: number): Promise<OrderSnapshot[]> {
    const rows = await this.db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE account_id = $1 ORDER BY order_id DESC LIMIT $2`, [accountId, limit]);
    return rows.map((row) => toSnapshot(orderFromRow(row)));
  }

  async positions(accountId: string): Promise<PositionView[]> {
    const rows = await this.db.query<{ symbol: string; quantity: number | string; cost_basis: string; realized_pnl: string }>(
      'SELECT symbol, quantity, cost_basis, realized_pnl FROM positions WHERE account_id = $1 ORDER BY symbol',
      [accountId],
    );
    return rows.map((row) => {
      const position: Position = {
        accountId,
        symbol: row.symbol,
        quantity: Number(row.quantity),
        costBasis: requiredDecimal(row.cost_basis) as Money,
        realizedPnl: requiredDecimal(row.realized_pnl) as Money,
      };
      const mark = this.marketData.referencePrice(row.symbol);
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

  private async fills(orderId: string): Promise<FillView[]> {
    const rows = await this.db.query<{ exec_id: string; venue: string; child_order_id: string; quantity: number | string; price: string; occurred_at: Date | string }>(
      'SELECT exec_id, venue, child_order_id, quantity, price, occurred_at FROM fills WHERE order_id = $1 ORDER BY occurred_at, venue, exec_id',
      [orderId],
    );
    return rows.map((r) => ({
      execId: r.exec_id,
      venue: r.venue,
      childOrderId: r.child_order_id,
      quantity: Number(r.quantity),
      price: formatDecimal(requiredDecimal(r.price)),
      occurredAt: iso(r.occurred_at),
    }));
  }

  private async children(orderId: string): Promise<ChildOrderView[]> {
    const rows = await this.db.query<ChildOrderRow>('SELECT * FROM child_orders WHERE parent_order_id = $1 ORDER BY created_at, child_order_id', [orderId]);
    return rows.map(childFromRow).map((c) => ({
      childOrderId: c.childOrderId,
      venue: c.venue,
      orderType: c.orderType,
      timeInForce: c.timeInForce,
      quantity: c.quantity,
      limitPrice: decimalText(c.limitPrice),
      routeAttempt: c.routeAttempt,
      status: c.status,
      filledQuantity: c.filledQuantity,
      leavesQuantity: c.leavesQuantity,
    }));
  }

  private async history(orderId: string): Promise<OrderHistoryView[]> {
    const rows = await this.db.query<{ seq: number; event_type: string; status: string; detail: Record<string, unknown>; source: string; occurred_at: Date | string }>(
      'SELECT seq, event_type, status, detail, source, occurred_at FROM order_events WHERE order_id = $1 ORDER BY seq',
      [orderId],
    );
    return rows.map((r) => ({ seq: r.seq, eventType: r.event_type, status: r.status, detail: r.detail, source: r.source, occurredAt: iso(r.occurred_at) }));
  }
}
