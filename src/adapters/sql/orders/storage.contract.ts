import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePrice as price } from '../../../domain/money/price.js';
import { SqlOrderStore } from './sql-order-store.js';
import { TOPICS } from '../../../domain/events/topics.js';
import { parsePrice } from '../../../domain/money/price.js';
import { createOrder } from '../../../domain/order/lifecycle.js';
import { toSnapshot } from '../../../domain/order/snapshot.js';
import type { Order } from '../../../domain/order/order.js';
import type { OutgoingMessage } from '../../../ports/event-bus.js';
import type { SqlClient } from '../../../ports/sql.js';
import { InProcessBus } from '../../bus/in-process-bus.js';
import { OutboxRelay } from '../../outbox/index.js';
import { OrderIngestStore } from './order-ingest-store.js';

export interface StorageUnderTest {
  readonly db: SqlClient;
  cleanUp(): Promise<void>;
}

/** The storage adapters' behaviour, the same on PGlite and on PostgreSQL. */
export function describeStorage(name: string, open: () => Promise<StorageUnderTest>): void {
  describe(`storage on ${name}`, () => {
    let db: SqlClient;
    let subject: StorageUnderTest;
    beforeEach(async () => {
      subject = await open();
      db = subject.db;
    });
    afterEach(async () => {
      await subject.cleanUp();
    });

    function newOrder(clientOrderId: string, accountId = 'ACC'): { order: Order; event: OutgoingMessage } {
      const order = createOrder(
        uuidv7(),
        { clientOrderId, accountId, symbol: 'AAPL', side: 'BUY', orderType: 'LIMIT', quantity: 100, limitPrice: parsePrice('150.25')!, timeInForce: 'DAY' },
        new Date(),
      );
      return {
        order,
        event: { topic: TOPICS.ordersInbound, key: order.orderId, eventId: uuidv7(), payload: { type: 'OrderReceived', order: toSnapshot(order) } },
      };
    }

    const count = async (table: string) => Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);

    describe('OrderIngestStore (group commit on PGlite)', () => {
      it('stores a thousand concurrent orders with one outbox event and one history line each', async () => {
        const store = new OrderIngestStore(db, { maxBatch: 200 });
        const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => newOrder(`C-${i}`)).map(({ order, event }) => store.submit(order, event)));
        expect(results.every((r) => r.created)).toBe(true);
        expect(await count('orders')).toBe(1000);
        expect(await count('outbox')).toBe(1000);
        expect(await count('order_events')).toBe(1000);
        const [row] = await db.query<{ limit_price: string }>("SELECT limit_price FROM orders WHERE client_order_id = 'C-7'");
        expect(row!.limit_price).toBe('150.25000000');
      });

      it('gives racing duplicates, in one batch or across batches, the first order', async () => {
        const store = new OrderIngestStore(db, { maxBatch: 3 });
        const attempts = Array.from({ length: 10 }, () => newOrder('SAME'));
        const results = await Promise.all(attempts.map(({ order, event }) => store.submit(order, event)));
        expect(new Set(results.map((r) => r.order.orderId)).size).toBe(1);
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(await count('orders')).toBe(1);
        expect(await count('outbox')).toBe(1);
        // The history has no foreign key (008): the losers' Received lines must be left out by the store itself.
        expect(await count('order_events')).toBe(1);
        const [orphans] = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM order_events e WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.order_id = e.order_id)',
        );
        expect(orphans!.n).toBe(0);
      });

      it('keeps the order history append-only: the database refuses to change or remove a line', async () => {
        const { order, event } = newOrder('AUDIT');
        await new OrderIngestStore(db).submit(order, event);
        await expect(db.query("UPDATE order_events SET source = 'mallory'")).rejects.toThrow(/append-only/);
        await expect(db.query('DELETE FROM order_events')).rejects.toThrow(/append-only/);
        await expect(db.query('TRUNCATE order_events CASCADE')).rejects.toThrow(/append-only/);
        expect(await count('order_events')).toBe(1);
      });

      it('writes nothing of a batch whose transaction fails', async () => {
        const store = new OrderIngestStore(db);
        const good = newOrder('GOOD');
        const bad = newOrder('BAD');
        const broken = { ...bad.event, eventId: 'not-a-uuid' };
        const outcomes = await Promise.allSettled([store.submit(good.order, good.event), store.submit(bad.order, broken)]);
        expect(outcomes.some((o) => o.status === 'rejected')).toBe(true);
        await store.drain();
        expect(await count('orders')).toBe(outcomes.filter((o) => o.status === 'fulfilled').length);
        expect(await count('outbox')).toBe(await count('orders'));
      });
    });

    describe('OutboxRelay into the in-process bus', () => {
      const unpublished = async () => Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'))[0]!.n);

      it('delivers each outbox row in order and deletes it only after it was handled', async () => {
        const store = new OrderIngestStore(db);
        const orders = Array.from({ length: 50 }, (_, i) => newOrder(`R-${i}`));
        for (const { order, event } of orders) await store.submit(order, event);
        const bus = new InProcessBus({ retryDelayMs: 5 });
        let published = 0;
        const relay = new OutboxRelay({ db, bus, batchSize: 7, pollMs: 20, onPublished: (n) => (published += n) });
        const seen: string[] = [];
        let failOnce = true;
        await bus.subscribe({
          group: 'test',
          topic: TOPICS.ordersInbound,
          handler: async (batch) => {
            expect(await unpublished()).toBeGreaterThanOrEqual(batch.length);
            if (failOnce) {
              failOnce = false;
              throw new Error('transient');
            }
            seen.push(...batch.map((m) => m.eventId));
          },
        });
        await relay.start();
        const deadline = Date.now() + 5000;
        while (published < 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        await relay.stop();
        await bus.close();
        expect(seen).toEqual(orders.map((o) => o.event.eventId));
        expect(published).toBe(50);
        expect(await unpublished()).toBe(0);
        expect(await count('outbox')).toBe(0);
      });

      it('leaves rows unpublished when the bus stops before handling them, so a restart replays them', async () => {
        const store = new OrderIngestStore(db);
        const { order, event } = newOrder('STOP');
        await store.submit(order, event);
        const bus = new InProcessBus({ retryDelayMs: 1000 });
        await bus.subscribe({
          group: 'broken',
          topic: TOPICS.ordersInbound,
          handler: async () => {
            throw new Error('down');
          },
        });
        const relay = new OutboxRelay({ db, bus, pollMs: 20 });
        await relay.start();
        await new Promise((r) => setTimeout(r, 50));
        await bus.close();
        await relay.stop();
        expect(await unpublished()).toBe(1);
        const replayed: string[] = [];
        const fresh = new InProcessBus();
        await fresh.subscribe({ group: 'broken', topic: TOPICS.ordersInbound, handler: async (b) => void replayed.push(...b.map((m) => m.eventId)) });
        await new OutboxRelay({ db, bus: fresh }).publishBatch();
        expect(replayed).toEqual([event.eventId]);
        expect(await unpublished()).toBe(0);
      });
    });

    describe('SqlOrderStore', () => {
      it('applies a fill once however often it is recorded, and locks and saves orders and positions', async () => {
        const { order, event } = newOrder('FILL-ONCE');
        await new OrderIngestStore(db).submit(order, event);
        const store = new SqlOrderStore(db);
        const fill = {
          execId: 'E1',
          orderId: order.orderId,
          childOrderId: 'K1',
          venue: 'XNYS',
          quantity: 40,
          price: price('150.25')!,
          occurredAt: new Date(),
          accountId: 'ACC',
          symbol: 'AAPL',
          side: 'BUY' as const,
        };
        const first = await store.transaction((s) => s.recordFills([fill]));
        const again = await store.transaction((s) => s.recordFills([fill, { ...fill }]));
        expect([...first]).toEqual(['XNYS|E1']);
        expect([...again]).toEqual([]);
        await store.transaction(async (s) => {
          const tracked = (await s.lockOrders([order.orderId])).get(order.orderId)!;
          expect(tracked.routing).toEqual({ requested: 0, decided: 0 });
          await s.saveOrders(
            [{ ...tracked, order: { ...tracked.order, status: 'NEW', version: 2 }, routing: { requested: 1, decided: 0 } }],
            [{ orderId: order.orderId, seq: 2, eventType: 'Accepted', status: 'NEW', detail: {}, source: 'test', occurredAt: new Date() }],
          );
          await s.savePositions([{ accountId: 'ACC', symbol: 'AAPL', quantity: -40, costBasis: -6010n as never, realizedPnl: 1n as never }]);
        });
        await store.transaction(async (s) => {
          const tracked = (await s.lockOrders([order.orderId])).get(order.orderId)!;
          expect([tracked.order.status, tracked.order.version, tracked.routing.requested]).toEqual(['NEW', 2, 1]);
          const position = (await s.lockPositions([{ accountId: 'ACC', symbol: 'AAPL' }])).get('ACC|AAPL');
          expect(position).toEqual({ accountId: 'ACC', symbol: 'AAPL', quantity: -40, costBasis: -6010n, realizedPnl: 1n });
        });
        const history = await db.query<{ seq: number }>('SELECT seq FROM order_events WHERE order_id = $1 ORDER BY seq', [order.orderId]);
        expect(history.map((h) => h.seq)).toEqual([1, 2]);
        await expect(
          store.transaction((s) =>
            s.saveOrders([], [{ orderId: order.orderId, seq: 2, eventType: 'Rewrite', status: 'NEW', detail: {}, source: 'test', occurredAt: new Date() }]),
          ),
        ).rejects.toThrow();
      });
    });
  });
}
