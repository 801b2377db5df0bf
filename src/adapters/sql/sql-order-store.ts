import type { ChildOrder } from '../../domain/order/child-order.js';
import type { Money } from '../../domain/money/price.js';
import type { Position } from '../../domain/positions/position.js';
import type { SqlClient, SqlExecutor, SqlStatement } from '../../ports/sql.js';
import type { OutgoingMessage } from '../../ports/event-bus.js';
import {
  fillKey,
  positionKey,
  type FillRecord,
  type OrderHistoryEntry,
  type OrderStore,
  type OrderStoreSession,
  type TrackedOrder,
} from '../../ports/order-store.js';
import { appendOutbox, claimInbox } from '../outbox/index.js';
import { childFromRow, decimalText, orderFromRow, ORDER_COLUMNS, requiredDecimal, type ChildOrderRow, type OrderRow } from './order-rows.js';

/** OrderStore on PGlite or PostgreSQL: every statement is batched over arrays with unnest. */
export class SqlOrderStore implements OrderStore {
  constructor(private readonly db: SqlClient) {}

  async transaction<T>(work: (session: OrderStoreSession) => Promise<T>): Promise<T> {
    let session: SqlOrderStoreSession | undefined;
    try {
      return await this.db.transaction((tx) => work((session = new SqlOrderStoreSession(tx))));
    } catch (error) {
      // A failed write fails the COMMIT; its own error says more.
      throw session?.failure ?? error;
    }
  }
}

const CHILD_COLUMNS =
  'child_order_id, parent_order_id, venue, symbol, side, order_type, quantity, limit_price, time_in_force, route_attempt, status, filled_quantity, leaves_quantity, created_at, updated_at, strategy, nbbo_bid, nbbo_ask, cancel_requested';

/**
 * Writes whose outcome nobody reads (saves, outbox appends) are sent without waiting for the
 * database's answer, so a batch's writes and its COMMIT travel together; a failed write fails
 * the COMMIT. The connection runs statements in the order they were sent, so a later read sees
 * every earlier write.
 */
class SqlOrderStoreSession implements OrderStoreSession {
  /** The first write that failed, if any. */
  failure: unknown;

  constructor(private readonly tx: SqlExecutor) {}

  private send(write: Promise<unknown>): Promise<void> {
    write.catch((error: unknown) => (this.failure ??= error));
    return Promise.resolve();
  }

  claimEvents(consumer: string, eventIds: readonly string[]): Promise<ReadonlySet<string>> {
    return claimInbox(this.tx, consumer, eventIds);
  }

  async lockOrders(orderIds: readonly string[]): Promise<Map<string, TrackedOrder>> {
    const tracked = new Map<string, TrackedOrder>();
    if (orderIds.length === 0) return tracked;
    const rows = await this.tx.query<OrderRow & { route_requested: number; route_decided: number }>(
      `SELECT ${ORDER_COLUMNS}, route_requested, route_decided FROM orders WHERE order_id = ANY($1::uuid[]) ORDER BY order_id FOR UPDATE`,
      [orderIds],
    );
    for (const row of rows) tracked.set(row.order_id, { order: orderFromRow(row), routing: { requested: row.route_requested, decided: row.route_decided } });
    return tracked;
  }

  async childrenOf(parentOrderIds: readonly string[]): Promise<Map<string, ChildOrder[]>> {
    const byParent = new Map<string, ChildOrder[]>();
    if (parentOrderIds.length === 0) return byParent;
    const rows = await this.tx.query<ChildOrderRow>(
      `SELECT ${CHILD_COLUMNS} FROM child_orders WHERE parent_order_id = ANY($1::uuid[]) ORDER BY created_at, child_order_id FOR UPDATE`,
      [parentOrderIds],
    );
    for (const row of rows) {
      const child = childFromRow(row);
      byParent.set(child.parentOrderId, [...(byParent.get(child.parentOrderId) ?? []), child]);
    }
    return byParent;
  }

  async recordFills(fills: readonly FillRecord[]): Promise<ReadonlySet<string>> {
    if (fills.length === 0) return new Set();
    const rows = await this.tx.query<{ venue: string; exec_id: string }>(
      `INSERT INTO fills (venue, exec_id, order_id, child_order_id, account_id, symbol, side, quantity, price, occurred_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::numeric[], $10::timestamptz[])
       ON CONFLICT (venue, exec_id) DO NOTHING
       RETURNING venue, exec_id`,
      [
        fills.map((f) => f.venue),
        fills.map((f) => f.execId),
        fills.map((f) => f.orderId),
        fills.map((f) => f.childOrderId),
        fills.map((f) => f.accountId),
        fills.map((f) => f.symbol),
        fills.map((f) => f.side),
        fills.map((f) => f.quantity),
        fills.map((f) => decimalText(f.price)),
        fills.map((f) => f.occurredAt.toISOString()),
      ],
    );
    return new Set(rows.map((r) => fillKey(r.venue, r.exec_id)));
  }

  saveOrders(orders: readonly TrackedOrder[], history: readonly OrderHistoryEntry[]): Promise<void> {
    if (orders.length > 0) {
      void this.send(this.tx.query(
        `UPDATE orders o SET status = u.status, filled_quantity = u.filled_quantity, leaves_quantity = u.leaves_quantity,
           filled_notional = u.filled_notional, avg_price = u.avg_price, reject_reason = u.reject_reason, version = u.version,
           route_requested = u.route_requested, route_decided = u.route_decided, updated_at = u.updated_at,
           quantity = u.quantity, limit_price = u.limit_price, replace_quantity = u.replace_quantity, replace_limit_price = u.replace_limit_price,
           expiring = u.expiring
         FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::bigint[], $5::numeric[], $6::numeric[], $7::text[], $8::int[], $9::int[], $10::int[], $11::timestamptz[],
                     $12::bigint[], $13::numeric[], $14::bigint[], $15::numeric[], $16::boolean[])
           AS u(order_id, status, filled_quantity, leaves_quantity, filled_notional, avg_price, reject_reason, version, route_requested, route_decided, updated_at,
                quantity, limit_price, replace_quantity, replace_limit_price, expiring)
         WHERE o.order_id = u.order_id`,
        [
          orders.map((t) => t.order.orderId),
          orders.map((t) => t.order.status),
          orders.map((t) => t.order.filledQuantity),
          orders.map((t) => t.order.leavesQuantity),
          orders.map((t) => decimalText(t.order.filledNotional)),
          orders.map((t) => decimalText(t.order.avgPrice)),
          orders.map((t) => t.order.rejectReason),
          orders.map((t) => t.order.version),
          orders.map((t) => t.routing.requested),
          orders.map((t) => t.routing.decided),
          orders.map((t) => t.order.updatedAt.toISOString()),
          orders.map((t) => t.order.quantity),
          orders.map((t) => decimalText(t.order.limitPrice)),
          orders.map((t) => t.order.pendingReplace?.quantity ?? null),
          orders.map((t) => decimalText(t.order.pendingReplace?.limitPrice ?? null)),
          orders.map((t) => t.order.expiring ?? false),
        ],
      ));
    }
    if (history.length > 0) void this.send(appendHistory(this.tx, history));
    return Promise.resolve();
  }

  saveChildren(children: readonly ChildOrder[]): Promise<void> {
    if (children.length === 0) return Promise.resolve();
    return this.send(this.tx.query(
      `INSERT INTO child_orders (${CHILD_COLUMNS})
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::numeric[], $9::text[], $10::int[], $11::text[], $12::bigint[], $13::bigint[], $14::timestamptz[], $15::timestamptz[], $16::text[], $17::numeric[], $18::numeric[], $19::boolean[])
       ON CONFLICT (child_order_id) DO UPDATE SET status = EXCLUDED.status, filled_quantity = EXCLUDED.filled_quantity,
         leaves_quantity = EXCLUDED.leaves_quantity, updated_at = EXCLUDED.updated_at, cancel_requested = EXCLUDED.cancel_requested`,
      [
        children.map((c) => c.childOrderId),
        children.map((c) => c.parentOrderId),
        children.map((c) => c.venue),
        children.map((c) => c.symbol),
        children.map((c) => c.side),
        children.map((c) => c.orderType),
        children.map((c) => c.quantity),
        children.map((c) => decimalText(c.limitPrice)),
        children.map((c) => c.timeInForce),
        children.map((c) => c.routeAttempt),
        children.map((c) => c.status),
        children.map((c) => c.filledQuantity),
        children.map((c) => c.leavesQuantity),
        children.map((c) => c.createdAt.toISOString()),
        children.map((c) => c.updatedAt.toISOString()),
        children.map((c) => c.strategy ?? null),
        children.map((c) => decimalText(c.nbboBid ?? null)),
        children.map((c) => decimalText(c.nbboAsk ?? null)),
        children.map((c) => c.cancelRequested ?? false),
      ],
    ));
  }

  async markChildrenSent(childOrderIds: readonly string[]): Promise<ReadonlySet<string>> {
    if (childOrderIds.length === 0) return new Set();
    const rows = await this.tx.query<{ child_order_id: string }>(
      `UPDATE child_orders SET status = 'SENT', updated_at = now() WHERE child_order_id = ANY($1::text[]) AND status = 'ROUTED' RETURNING child_order_id`,
      [childOrderIds],
    );
    return new Set(rows.map((r) => r.child_order_id));
  }

  async lockPositions(keys: readonly { accountId: string; symbol: string }[]): Promise<Map<string, Position>> {
    const positions = new Map<string, Position>();
    if (keys.length === 0) return positions;
    const rows = await this.tx.query<{ account_id: string; symbol: string; quantity: number | string; cost_basis: string; realized_pnl: string }>(
      `SELECT p.account_id, p.symbol, p.quantity, p.cost_basis, p.realized_pnl
       FROM positions p JOIN unnest($1::text[], $2::text[]) AS k(account_id, symbol) USING (account_id, symbol)
       ORDER BY p.account_id, p.symbol FOR UPDATE OF p`,
      [keys.map((k) => k.accountId), keys.map((k) => k.symbol)],
    );
    for (const row of rows) {
      positions.set(positionKey(row.account_id, row.symbol), {
        accountId: row.account_id,
        symbol: row.symbol,
        quantity: Number(row.quantity),
        costBasis: requiredDecimal(row.cost_basis) as Money,
        realizedPnl: requiredDecimal(row.realized_pnl) as Money,
      });
    }
    return positions;
  }

  savePositions(positions: readonly Position[]): Promise<void> {
    if (positions.length === 0) return Promise.resolve();
    return this.send(this.tx.query(
      `INSERT INTO positions (account_id, symbol, quantity, cost_basis, realized_pnl, updated_at)
       SELECT a, s, q, c, r, now() FROM unnest($1::text[], $2::text[], $3::bigint[], $4::numeric[], $5::numeric[]) AS u(a, s, q, c, r)
       ON CONFLICT (account_id, symbol) DO UPDATE SET quantity = EXCLUDED.quantity, cost_basis = EXCLUDED.cost_basis,
         realized_pnl = EXCLUDED.realized_pnl, updated_at = EXCLUDED.updated_at`,
      [
        positions.map((p) => p.accountId),
        positions.map((p) => p.symbol),
        positions.map((p) => p.quantity),
        positions.map((p) => decimalText(p.costBasis)),
        positions.map((p) => decimalText(p.realizedPnl)),
      ],
    ));
  }

  publish(messages: readonly OutgoingMessage[]): Promise<void> {
    return this.send(appendOutbox(this.tx, messages));
  }
}

/** Appends lines to orders' history; the primary key (order_id, seq) refuses any rewrite. */
async function appendHistory(tx: SqlExecutor, history: readonly OrderHistoryEntry[]): Promise<void> {
  const { text, params } = historyInsert(history);
  await tx.query(text, params);
}

/** The INSERT behind appendHistory; `onlyStoredOrders` leaves out lines of orders not in the orders table (see outboxInsert). */
export function historyInsert(history: readonly OrderHistoryEntry[], options: { onlyStoredOrders?: boolean } = {}): SqlStatement {
  return {
    text: `INSERT INTO order_events (order_id, seq, event_type, status, detail, source, occurred_at)
     SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::timestamptz[]) AS h(order_id)
     ${options.onlyStoredOrders ? 'WHERE EXISTS (SELECT 1 FROM orders o WHERE o.order_id = h.order_id)' : ''}`,
    params: [
      history.map((h) => h.orderId),
      history.map((h) => h.seq),
      history.map((h) => h.eventType),
      history.map((h) => h.status),
      history.map((h) => JSON.stringify(h.detail)),
      history.map((h) => h.source),
      history.map((h) => h.occurredAt.toISOString()),
    ],
  };
}
