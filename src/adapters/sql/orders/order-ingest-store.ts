import type { Order } from '../../../domain/order/order.js';
import type { OutgoingMessage } from '../../../ports/event-bus.js';
import type { SqlClient, SqlStatement } from '../../../ports/sql.js';
import { outboxInsert } from '../../outbox/index.js';
import { orderFromRow, ORDER_COLUMNS, type OrderRow } from './order-rows.js';
import { historyInsert, newOrdersInsert } from './order-statements.js';
import { GroupCommit } from '../../../lib/group-commit.js';
import { TOPICS } from '../../../domain/events/topics.js';
import { toSnapshot } from '../../../domain/order/snapshot.js';
import type { IdGenerator } from '../../../ports/clock.js';
import type { OrderIntake, StoredOrder } from '../../../ports/order-intake.js';

export type { StoredOrder };

/** oms-ingest's intake over the database: the order and its OrderReceived event, committed together. */
export function outboxIntake(store: Pick<OrderIngestStore, 'submit'>, newId: IdGenerator, stamp?: (message: OutgoingMessage) => OutgoingMessage): OrderIntake {
  return {
    submit: (order) => {
      const event: OutgoingMessage = {
        topic: TOPICS.ordersInbound,
        key: order.orderId,
        eventId: newId(),
        payload: { type: 'OrderReceived', order: toSnapshot(order) },
      };
      // Stamped here, inside the request: the group commit writes it later, outside its context.
      return store.submit(order, stamp ? stamp(event) : event);
    },
  };
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
    // Under a burst, a second batch in flight keeps acknowledging orders ahead of the downstream flow.
    this.committer = new GroupCommit((batch) => this.write(batch), { maxInFlight: 2, extraWriteMinBatch: 32, ...options });
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
    // One round trip: the statements travel together. An order whose key was already taken is
    // not inserted, so its event and history line are left out, and the lookup finds the order
    // that holds its key.
    const [insertedRows, , , existingRows] = await this.db.batch([
      newOrdersInsert(byKey),
      outboxInsert(
        candidates.map((p) => p.event),
        { onlyIfOrderStored: candidates.map((p) => p.order.orderId) },
      ),
      historyInsert(
        candidates.map(({ order }) => ({
          orderId: order.orderId,
          seq: order.version,
          eventType: 'Received',
          status: order.status,
          detail: {},
          source: 'oms-ingest',
          occurredAt: order.createdAt,
        })),
        { onlyStoredOrders: true },
      ),
      existingOrdersSelect(candidates.map((p) => p.order)),
    ]);
    const inserted = new Set((insertedRows as { order_id: string }[]).map((r) => r.order_id));
    const existing = new Map((existingRows as unknown as OrderRow[]).map((row) => [`${row.account_id}\u0000${row.client_order_id}`, orderFromRow(row)]));
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

/** The orders that already held these orders' keys (not these orders themselves, just inserted). */
function existingOrdersSelect(orders: readonly Order[]): SqlStatement {
  return {
    text: `SELECT ${ORDER_COLUMNS} FROM orders o JOIN unnest($1::text[], $2::text[], $3::uuid[]) AS k(account_id, client_order_id, new_id) USING (account_id, client_order_id)
     WHERE o.order_id <> k.new_id`,
    params: [orders.map((o) => o.accountId), orders.map((o) => o.clientOrderId), orders.map((o) => o.orderId)],
  };
}
