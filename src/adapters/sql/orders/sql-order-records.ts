import type { Order } from '../../../domain/order/order.js';
import type { Position } from '../../../domain/positions/position.js';
import type { ExecutionRecords, OrderHistoryRecord, OrderRecords } from '../../../ports/order-records.js';
import type { SqlExecutor } from '../../../ports/sql.js';
import { orderFromRow, ORDER_COLUMNS, positionFromRow, type OrderRow, type PositionRow } from './order-rows.js';
import { executionRecords } from './sql-execution-records.js';

interface HistoryRow {
  seq: number;
  event_type: string;
  status: string;
  detail: Record<string, unknown>;
  source: string;
  occurred_at: Date | string;
}

/** The read API's records, straight from the tables the services (or the query model's writer) write. */
export class SqlOrderRecords implements OrderRecords {
  constructor(private readonly db: SqlExecutor) {}

  async order(orderId: string): Promise<Order | null> {
    const [row] = await this.db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE order_id = $1`, [orderId]);
    return row ? orderFromRow(row) : null;
  }

  async latestOrders(accountId: string, limit: number): Promise<Order[]> {
    const rows = await this.db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE account_id = $1 ORDER BY order_id DESC LIMIT $2`, [accountId, limit]);
    return rows.map(orderFromRow);
  }

  executions(orderIds: readonly string[]): Promise<Map<string, ExecutionRecords>> {
    return executionRecords(this.db, orderIds);
  }

  async history(orderId: string): Promise<OrderHistoryRecord[]> {
    const rows = await this.db.query<HistoryRow>(
      'SELECT seq, event_type, status, detail, source, occurred_at FROM order_events WHERE order_id = $1 ORDER BY seq',
      [orderId],
    );
    return rows.map((r) => ({
      seq: r.seq,
      eventType: r.event_type,
      status: r.status,
      detail: r.detail,
      source: r.source,
      occurredAt: new Date(r.occurred_at),
    }));
  }

  async positions(accountId: string): Promise<Position[]> {
    const rows = await this.db.query<PositionRow>(
      'SELECT account_id, symbol, quantity, cost_basis, realized_pnl FROM positions WHERE account_id = $1 ORDER BY symbol',
      [accountId],
    );
    return rows.map(positionFromRow);
  }
}
