import type { Order } from '../../domain/order/order.js';
import type { OutgoingMessage } from '../../ports/event-bus.js';
import type { SqlClient, SqlExecutor } from '../../ports/sql.js';
import { appendOutbox } from '../outbox/index.js';
import { decimalText, orderFromRow, ORDER_COLUMNS, type OrderRow } from './order-rows.js';
import { appendHistory } from './sql-order-store.js';
import { GroupCommit } from '../../lib/group-commit.js';

export interface StoredOrder {
  readonly order: Order;
  /** false when an order with the same (accountId, clientOrderId) already existed: it is returned instead. */
  readonly created: boolean;
}

interface Submission {
  readonly order: Order;
  readonly event: OutgoingMessage;
}

const idempotencyKey = (order: Order): string => `${order.accountId}\u0000${order.clientOrderId}`;

/**
 * oms-ingest's hot path with group commit: orders that arrive while a transaction is in flight
 * share the next one (one INSERT ... unnest for the orders, one for their outbox events, one for
 * their history). An idle store flushes at once, so a lone order waits for nothing. If a
 * transaction fails, every order in it fails: nothing is half-written.
 */
export class OrderIngestStore {
  private readonly committer: GroupCommit<Submission, StoredOrder>;

  constructor(
    private readonly db: SqlClient,
    options: { maxBatch?: number; afterCommit?: () => void } = {},
  ) {
    this.committer = new GroupCommit((batch) => this.write(batch), options);
  }

  submit(order: Order, event: OutgoingMessage): Promise<StoredOrder> {
    return this.committer.submit({ order, event });
  }

  /** Resolves when every order submitted so far is committed (or failed). */
  drain(): Promise<void> {
    return this.committer.drain();
  }

  private async write(batch: readonly Submission[]): Promise<StoredOrder[]> {
    // Requests for the same key in one batch: the first one inserts, the others get its order.
    const leaders = new Map<string, Submission>();
    for (const pending of batch) if (!leaders.has(idempotencyKey(pending.order))) leaders.set(idempotencyKey(pending.order), pending);
    const candidates = [...leaders.values()];
    // Orders go in by key: two processes inserting overlapping keys then take the unique-index locks
    // in the same order, and one waits for the other instead of both batches failing in a deadlock.
    // Events keep arrival order.
    const byKey = [...leaders.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, pending]) => pending.order);
    const { inserted, existing } = await this.db.transaction(async (tx) => {
      const insertedIds = await insertOrders(tx, byKey);
      const fresh = candidates.filter((p) => insertedIds.has(p.order.orderId));
      await appendOutbox(tx, fresh.map((p) => p.event));
      await appendHistory(
        tx,
        fresh.map(({ order }) => ({ orderId: order.orderId, seq: order.version, eventType: 'Received', status: order.status, detail: {}, source: 'oms-ingest', occurredAt: order.createdAt })),
      );
      const conflicts = candidates.filter((p) => !insertedIds.has(p.order.orderId));
      return { inserted: insertedIds, existing: await findExisting(tx, conflicts.map((p) => p.order)) };
    });
    return batch.map((pending) => {
      const key = idempotencyKey(pending.order);
      const leader = leaders.get(key)!;
      if (leader === pending && inserted.has(pending.order.orderId)) return { order: pending.order, created: true };
      const stored = inserted.has(leader.order.orderId) ? leader.order : existing.get(key);
      if (!stored) throw new Error(`order ${key} neither inserted nor found`);
      return { order: stored, created: false };
    });
  }
}

async function insertOrders(tx: SqlExecutor, orders: readonly Order[]): Promise<Set<string>> {
  const rows = await tx.query<{ order_id: string }>(
    `INSERT INTO orders (order_id, client_order_id, account_id, symbol, side, order_type, quantity, limit_price, time_in_force,
                         routing_strategy, status, filled_quantity, leaves_quantity, filled_notional, version, created_at, updated_at)
     SELECT id, cid, acc, sym, side, ot, qty, px, tif, strat, st, 0, qty, 0, 1, at, at
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::numeric[], $9::text[], $10::text[], $11::timestamptz[], $12::text[])
       AS u(id, cid, acc, sym, side, ot, qty, px, tif, st, at, strat)
     ON CONFLICT (account_id, client_order_id) DO NOTHING
     RETURNING order_id`,
    [
      orders.map((o) => o.orderId),
      orders.map((o) => o.clientOrderId),
      orders.map((o) => o.accountId),
      orders.map((o) => o.symbol),
      orders.map((o) => o.side),
      orders.map((o) => o.orderType),
      orders.map((o) => o.quantity),
      orders.map((o) => decimalText(o.limitPrice)),
      orders.map((o) => o.timeInForce),
      orders.map((o) => o.status),
      orders.map((o) => o.createdAt.toISOString()),
      orders.map((o) => o.strategy ?? null),
    ],
  );
  return new Set(rows.map((r) => r.order_id));
}

async function findExisting(tx: SqlExecutor, orders: readonly Order[]): Promise<Map<string, Order>> {
  if (orders.length === 0) return new Map();
  const rows = await tx.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders o JOIN unnest($1::text[], $2::text[]) AS k(account_id, client_order_id) USING (account_id, client_order_id)`,
    [orders.map((o) => o.accountId), orders.map((o) => o.clientOrderId)],
  );
  return new Map(rows.map((row) => [`${row.account_id}\u0000${row.client_order_id}`, orderFromRow(row)]));
}
