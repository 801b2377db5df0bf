import type { Price } from '../../domain/money/price.js';
import type { Side } from '../../domain/order/enums.js';
import type { Position } from '../../domain/positions/position.js';
import { fillKey } from '../../ports/order-store.js';
import type { SqlClient } from '../../ports/sql.js';
import type { RecentApproval, WorkingOrderState, WorkingStateLoader } from '../../ports/working-state.js';
import { childFromRow, decimalOrNull, groupBy, orderFromRow, ORDER_COLUMNS, positionFromRow, type ChildOrderRow, type OrderRow, type PositionRow } from './order-rows.js';
import { CHILD_COLUMNS } from './order-statements.js';

/** Orders not yet final: oms-core goes on with these after a restart. */
const WORKING = `('PENDING_NEW', 'NEW', 'PARTIALLY_FILLED', 'PENDING_CANCEL', 'PENDING_REPLACE', 'DONE_FOR_DAY')`;
const WORKING_ORDER_IDS = `SELECT order_id FROM orders WHERE status IN ${WORKING}`;

type TrackedOrderRow = OrderRow & { route_requested: number; route_decided: number };

interface ApprovalRow {
  order_id: string;
  account_id: string;
  symbol: string;
  side: string;
  quantity: number | string;
  limit_price: string | null;
  order_created_at: Date | string;
  decided_at: Date | string;
}

/**
 * The working state read back from the query model at start, each part in a few set-based
 * queries over the whole tables (no query per order).
 */
export class SqlWorkingStateLoader implements WorkingStateLoader {
  constructor(private readonly db: SqlClient) {}

  async workingOrders(): Promise<WorkingOrderState[]> {
    // One transaction (one round trip on PGlite): the children and fills are those of the same orders.
    const [orderRows, childRows, fillRows] = await this.db.batch([
      { text: `SELECT ${ORDER_COLUMNS}, route_requested, route_decided FROM orders WHERE status IN ${WORKING}` },
      { text: `SELECT ${CHILD_COLUMNS} FROM child_orders WHERE parent_order_id IN (${WORKING_ORDER_IDS}) ORDER BY created_at, child_order_id` },
      { text: `SELECT order_id, venue, exec_id FROM fills WHERE order_id IN (${WORKING_ORDER_IDS})` },
    ]);
    const children = groupBy((childRows as unknown as ChildOrderRow[]).map(childFromRow), (child) => child.parentOrderId, (child) => child);
    const fillKeys = groupBy(fillRows as unknown as { order_id: string; venue: string; exec_id: string }[], (row) => row.order_id, (row) => fillKey(row.venue, row.exec_id));
    return (orderRows as unknown as TrackedOrderRow[]).map((row) => ({
      tracked: { order: orderFromRow(row), routing: { requested: row.route_requested, decided: row.route_decided } },
      children: children.get(row.order_id) ?? [],
      fillKeys: fillKeys.get(row.order_id) ?? [],
    }));
  }

  async positions(): Promise<Position[]> {
    const rows = await this.db.query<PositionRow>('SELECT account_id, symbol, quantity, cost_basis, realized_pnl FROM positions');
    return rows.map(positionFromRow);
  }

  /** risk_checks keeps what the windows compare: the order's terms and arrival, and the decision time. */
  async approvalsSince(since: Date): Promise<RecentApproval[]> {
    const rows = await this.db.query<ApprovalRow>(
      `SELECT order_id, account_id, symbol, side, quantity, limit_price, order_created_at, decided_at
       FROM risk_checks WHERE approved AND decided_at > $1::timestamptz ORDER BY decided_at, order_id`,
      [since.toISOString()],
    );
    return rows.map((row) => ({
      accountId: row.account_id,
      order: {
        orderId: row.order_id,
        symbol: row.symbol,
        side: row.side as Side,
        quantity: Number(row.quantity),
        limitPrice: decimalOrNull(row.limit_price) as Price | null,
        createdAt: new Date(row.order_created_at),
      },
      decidedAt: new Date(row.decided_at),
    }));
  }

  /**
   * Every order's keys (a million at a start is expected), as one text value the database joins
   * and JavaScript splits: on PGlite 5-7 times faster than as rows, every row being an object to
   * parse and copy out of the worker (100,000 orders: 70-250 ms instead of 450-980 ms; a million:
   * 0.7-1.6 s instead of 5-10 s, on a busy 2-core machine). The separator, chr(1), never appears in
   * validated ids (letters, digits and . _ : -); if some stored id has it anyway, the pieces do not
   * count three per order, and the rows are read one by one instead. One text value holds at most
   * 1 GB in PostgreSQL: about 15 million orders at 60-70 bytes each.
   */
  async clientOrderKeys(): Promise<{ accountId: string; clientOrderId: string; orderId: string }[]> {
    const [joined] = await this.db.query<{ n: number; keys: string | null }>(
      `SELECT count(*)::int AS n, string_agg(account_id || chr(1) || client_order_id || chr(1) || order_id::text, chr(1)) AS keys FROM orders`,
    );
    if (!joined || joined.keys === null) return [];
    const parts = joined.keys.split('\u0001');
    if (parts.length !== joined.n * 3) return this.clientOrderKeyRows();
    const keys = new Array<{ accountId: string; clientOrderId: string; orderId: string }>(joined.n);
    for (let i = 0, p = 0; i < joined.n; i++, p += 3) keys[i] = { accountId: parts[p]!, clientOrderId: parts[p + 1]!, orderId: parts[p + 2]! };
    return keys;
  }

  private async clientOrderKeyRows(): Promise<{ accountId: string; clientOrderId: string; orderId: string }[]> {
    const rows = await this.db.query<{ account_id: string; client_order_id: string; order_id: string }>('SELECT account_id, client_order_id, order_id FROM orders');
    return rows.map((row) => ({ accountId: row.account_id, clientOrderId: row.client_order_id, orderId: row.order_id }));
  }
}
