import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { TOPICS } from '../../../domain/events/topics.js';
import { parsePrice } from '../../../domain/money/price.js';
import { createOrder } from '../../../domain/order/lifecycle.js';
import { toSnapshot } from '../../../domain/order/snapshot.js';
import type { Order } from '../../../domain/order/order.js';
import type { OutgoingMessage } from '../../../ports/event-bus.js';
import type { SqlClient } from '../../../ports/sql.js';
import { OrderIngestStore } from './order-ingest-store.js';
import { migratedPostgres, type IsolatedPostgres } from '../test-support/postgres.js';

function newOrder(clientOrderId: string): { order: Order; event: OutgoingMessage } {
  const order = createOrder(
    uuidv7(),
    { clientOrderId, accountId: 'ACC', symbol: 'AAPL', side: 'BUY', orderType: 'LIMIT', quantity: 100, limitPrice: parsePrice('150.25')!, timeInForce: 'DAY' },
    new Date(),
  );
  return { order, event: { topic: TOPICS.ordersInbound, key: order.orderId, eventId: uuidv7(), payload: { type: 'OrderReceived', order: toSnapshot(order) } } };
}

const count = async (db: SqlClient, table: string) => (await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n;

// Single-process behaviour is in storage.contract.ts; this is what needs two processes on one database.
describe('OrderIngestStore on PostgreSQL, two processes', () => {
  let pg: IsolatedPostgres | undefined;
  afterEach(async () => {
    await pg?.drop();
    pg = undefined;
  });

  it('lets the unique constraint decide between two processes racing with the same client order ids, without deadlocks', async () => {
    const setup = await migratedPostgres();
    pg = setup.pg;
    // Two stores on their own pools stand for two oms-ingest processes; each sees the keys in the
    // other's reverse order, which deadlocked whole batches before inserts were sorted by key.
    const stores = [new OrderIngestStore(pg.connect()), new OrderIngestStore(pg.connect())];
    const submit = (store: OrderIngestStore, key: string) => {
      const { order, event } = newOrder(key);
      return store.submit(order, event);
    };
    const rounds = 15;
    for (let round = 0; round < rounds; round++) {
      const keys = Array.from({ length: 200 }, (_, i) => `RACE-${round}-${i}`);
      const orderings = [keys, [...keys].reverse()];
      const results = await Promise.all(stores.flatMap((store, s) => orderings[s]!.map((key) => submit(store, key))));
      const idsByKey = new Map<string, Set<string>>();
      for (const { order } of results) idsByKey.set(order.clientOrderId, (idsByKey.get(order.clientOrderId) ?? new Set()).add(order.orderId));
      expect([...idsByKey.values()].every((ids) => ids.size === 1)).toBe(true);
      expect(results.filter((r) => r.created)).toHaveLength(200);
    }
    expect(await count(setup.db, 'orders')).toBe(200 * rounds);
    expect(await count(setup.db, 'outbox')).toBe(200 * rounds);
  });
});
