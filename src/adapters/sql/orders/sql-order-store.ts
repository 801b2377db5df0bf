import type { ChildOrder } from '../../../domain/order/child-order.js';
import type { Position } from '../../../domain/positions/position.js';
import type { SqlClient, SqlExecutor } from '../../../ports/sql.js';
import type { OutgoingMessage } from '../../../ports/event-bus.js';
import {
  fillKey,
  positionKey,
  type FillRecord,
  type OrderHistoryEntry,
  type OrderStore,
  type OrderStoreSession,
  type TrackedOrder,
} from '../../../ports/order-store.js';
import { appendOutbox, claimInbox } from '../../outbox/index.js';
import { childFromRow, orderFromRow, ORDER_COLUMNS, positionFromRow, type ChildOrderRow, type OrderRow, type PositionRow } from './order-rows.js';
import { CHILD_COLUMNS, childrenUpsert, fillsInsert, historyInsert, orderStatesUpdate, positionsUpsert } from './order-statements.js';

/** OrderStore on PGlite or PostgreSQL: every statement is batched over arrays with unnest. */
export class SqlOrderStore implements OrderStore {
  constructor(
    private readonly db: SqlClient,
    /** After a transaction that wrote outbox messages commits: wakes this process's outbox relay. */
    private readonly afterPublish: () => void = () => undefined,
    /** Tracing on (distributed mode): adds each message's trace context to its headers. */
    private readonly stamp?: (message: OutgoingMessage) => OutgoingMessage,
  ) {}

  async transaction<T>(work: (session: OrderStoreSession) => Promise<T>): Promise<T> {
    let session: SqlOrderStoreSession | undefined;
    try {
      const result = await this.db.transaction((tx) => work((session = new SqlOrderStoreSession(tx, this.stamp))));
      if (session?.published) this.afterPublish();
      return result;
    } catch (error) {
      // A failed write fails the COMMIT; its own error says more.
      throw session?.failure ?? error;
    }
  }
}

/**
 * Writes whose outcome nobody reads (saves, outbox appends) are sent without waiting for the
 * database's answer, so a batch's writes and its COMMIT travel together; a failed write fails
 * the COMMIT. The connection runs statements in the order they were sent, so a later read sees
 * every earlier write.
 */
class SqlOrderStoreSession implements OrderStoreSession {
  /** The first write that failed, if any. */
  failure: unknown;
  /** Outbox messages were appended. */
  published = false;

  constructor(
    private readonly tx: SqlExecutor,
    private readonly stamp?: (message: OutgoingMessage) => OutgoingMessage,
  ) {}

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
    const { text, params } = fillsInsert(fills);
    const rows = await this.tx.query<{ venue: string; exec_id: string }>(text, params);
    return new Set(rows.map((r) => fillKey(r.venue, r.exec_id)));
  }

  saveOrders(orders: readonly TrackedOrder[], history: readonly OrderHistoryEntry[]): Promise<void> {
    if (orders.length > 0) {
      const { text, params } = orderStatesUpdate(orders);
      void this.send(this.tx.query(text, params));
    }
    if (history.length > 0) void this.send(appendHistory(this.tx, history));
    return Promise.resolve();
  }

  saveChildren(children: readonly ChildOrder[]): Promise<void> {
    if (children.length === 0) return Promise.resolve();
    const { text, params } = childrenUpsert(children);
    return this.send(this.tx.query(text, params));
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
    const rows = await this.tx.query<PositionRow>(
      `SELECT p.account_id, p.symbol, p.quantity, p.cost_basis, p.realized_pnl
       FROM positions p JOIN unnest($1::text[], $2::text[]) AS k(account_id, symbol) USING (account_id, symbol)
       ORDER BY p.account_id, p.symbol FOR UPDATE OF p`,
      [keys.map((k) => k.accountId), keys.map((k) => k.symbol)],
    );
    for (const row of rows) positions.set(positionKey(row.account_id, row.symbol), positionFromRow(row));
    return positions;
  }

  savePositions(positions: readonly Position[]): Promise<void> {
    if (positions.length === 0) return Promise.resolve();
    const { text, params } = positionsUpsert(positions);
    return this.send(this.tx.query(text, params));
  }

  publish(messages: readonly OutgoingMessage[]): Promise<void> {
    this.published ||= messages.length > 0;
    return this.send(appendOutbox(this.tx, this.stamp ? messages.map(this.stamp) : messages));
  }
}

/** Appends lines to orders' history; the primary key (order_id, seq) refuses any rewrite. */
async function appendHistory(tx: SqlExecutor, history: readonly OrderHistoryEntry[]): Promise<void> {
  const { text, params } = historyInsert(history);
  await tx.query(text, params);
}
