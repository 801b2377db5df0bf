import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOPICS } from '../../domain/events/topics.js';
import type { EventBus, OutgoingMessage } from '../../ports/event-bus.js';
import type { SqlClient } from '../../ports/sql.js';
import { InProcessBus } from '../bus/in-process-bus.js';
import { runMigrations } from '../sql/migrate.js';
import { isolatedPostgres, type IsolatedPostgres } from '../sql/test-support/postgres.js';
import { appendOutbox, claimInbox, OutboxRelay } from './index.js';

let pg: IsolatedPostgres;
let db: SqlClient;
beforeEach(async () => {
  pg = await isolatedPostgres();
  db = pg.connect();
  await runMigrations(db);
});
afterEach(async () => {
  await pg.drop();
});

const event = (orderKey: string, n: number): OutgoingMessage => ({
  topic: TOPICS.ordersStatus,
  key: orderKey,
  eventId: uuidv7(),
  payload: { type: 'QuoteUpdated', symbol: orderKey, venue: 'XNYS', bidPrice: String(n), bidSize: n, askPrice: null, askSize: 0, timestamp: new Date(0).toISOString() },
});

const unpublished = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'))[0]!.n;

async function until(check: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A bus whose publish waits until `release()`: a relay stuck between publish and mark. */
function stalledBus(inner: EventBus): { bus: EventBus; entered: Promise<void>; release: () => void } {
  let release!: () => void;
  let entered!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const reached = new Promise<void>((r) => (entered = r));
  return {
    bus: { publish: async (messages) => (entered(), await gate, inner.publish(messages)), subscribe: (o) => inner.subscribe(o), close: () => inner.close() },
    entered: reached,
    release,
  };
}

describe('OutboxRelay shared by several instances on PostgreSQL', () => {
  it('publishes every row exactly once and in id order while two relays and writers run at once', async () => {
    const bus = new InProcessBus();
    const seen: string[] = [];
    await bus.subscribe({ group: 'audit', topic: TOPICS.ordersStatus, handler: async (batch) => void seen.push(...batch.map((m) => m.eventId)) });
    const relays = [0, 1].map(() => new OutboxRelay({ db: pg.connect({ max: 2 }), bus, batchSize: 50, pollMs: 10, shared: true }));
    for (const relay of relays) await relay.start();

    const written: string[] = [];
    for (let batch = 0; batch < 40; batch++) {
      const messages = Array.from({ length: 25 }, (_, i) => event(`ORD-${i % 7}`, batch));
      await db.transaction((tx) => appendOutbox(tx, messages));
      written.push(...messages.map((m) => m.eventId));
    }
    await until(async () => (await unpublished()) === 0);
    for (const relay of relays) await relay.stop();
    await bus.close();

    expect(seen).toHaveLength(written.length);
    expect(seen).toEqual(written);
  });

  it('does not let a second relay take rows the first is publishing', async () => {
    const inner = new InProcessBus();
    const seen: string[] = [];
    await inner.subscribe({ group: 'audit', topic: TOPICS.ordersStatus, handler: async (batch) => void seen.push(...batch.map((m) => m.eventId)) });
    const messages = [event('A', 1), event('B', 2)];
    await db.transaction((tx) => appendOutbox(tx, messages));

    const stalled = stalledBus(inner);
    const first = new OutboxRelay({ db: pg.connect({ max: 2 }), bus: stalled.bus, shared: true });
    const firstBatch = first.publishBatch();
    await stalled.entered;
    const second = new OutboxRelay({ db: pg.connect({ max: 2 }), bus: inner, shared: true });
    expect(await second.publishBatch()).toBe(0);
    stalled.release();
    expect(await firstBatch).toBe(2);
    expect(await second.publishBatch()).toBe(0);
    await inner.close();
    expect(seen).toEqual(messages.map((m) => m.eventId));
  });

  it('republishes a batch whose relay died between publish and mark; an idempotent consumer drops the copy', async () => {
    const applied: string[] = [];
    const bus = new InProcessBus({ retryDelayMs: 5 });
    await bus.subscribe({
      group: 'positions',
      topic: TOPICS.ordersStatus,
      handler: async (batch) => {
        const fresh = await db.transaction((tx) => claimInbox(tx, 'positions', batch.map((m) => m.eventId)));
        applied.push(...batch.filter((m) => fresh.has(m.eventId)).map((m) => m.eventId));
      },
    });
    const message = event('C', 3);
    await db.transaction((tx) => appendOutbox(tx, [message]));

    // The broker took the batch, then the relay died before its mark committed (its transaction rolls back).
    const dying: EventBus = { publish: async (m) => (await bus.publish(m), Promise.reject(new Error('relay killed'))), subscribe: (o) => bus.subscribe(o), close: () => bus.close() };
    await expect(new OutboxRelay({ db: pg.connect({ max: 2 }), bus: dying, shared: true }).publishBatch()).rejects.toThrow('relay killed');
    expect(await unpublished()).toBe(1);

    expect(await new OutboxRelay({ db: pg.connect({ max: 2 }), bus, shared: true }).publishBatch()).toBe(1);
    expect(await unpublished()).toBe(0);
    await bus.close();
    expect(applied).toEqual([message.eventId]);
  });

  it('vacuums the outbox after every so many rows it deleted, so scans do not walk the deleted rows', async () => {
    const bus = new InProcessBus();
    const seen: string[] = [];
    await bus.subscribe({ group: 'audit', topic: TOPICS.ordersStatus, handler: async (batch) => void seen.push(...batch.map((m) => m.eventId)) });
    const vacuums = async () => (await db.query<{ n: number }>("SELECT vacuum_count::int AS n FROM pg_stat_user_tables WHERE relname = 'outbox' AND schemaname = current_schema()"))[0]!.n;
    const pagesScanned = async () => {
      // What the relay's scan walks: with the deleted rows' entries gone, a few index pages at most.
      const plan = await db.query<{ 'QUERY PLAN': string }>('EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) SELECT id FROM outbox WHERE published_at IS NULL AND id > 0 ORDER BY id LIMIT 1000');
      const buffers = plan.map((row) => row['QUERY PLAN']).find((line) => line.includes('Buffers:')) ?? '';
      return Number(/hit=(\d+)/.exec(buffers)?.[1] ?? 0) + Number(/read=(\d+)/.exec(buffers)?.[1] ?? 0);
    };
    const fill = async (rows: number) => {
      for (let batch = 0; batch < rows / 100; batch++) await db.transaction((tx) => appendOutbox(tx, Array.from({ length: 100 }, (_, i) => event(`ORD-${i}`, batch))));
    };

    const lazy = new OutboxRelay({ db: pg.connect({ max: 2 }), bus, batchSize: 500, shared: true, vacuumAfterRows: 0 });
    await fill(3_000);
    while ((await lazy.publishBatch()) > 0);
    const unvacuumedPages = await pagesScanned();

    const relay = new OutboxRelay({ db: pg.connect({ max: 2 }), bus, batchSize: 500, shared: true, vacuumAfterRows: 2_000 });
    await fill(3_000);
    while ((await relay.publishBatch()) > 0);
    await until(async () => (await vacuums()) >= 1);
    await bus.close();

    expect(seen).toHaveLength(6_000);
    expect(new Set(seen).size).toBe(6_000);
    expect(await unpublished()).toBe(0);
    // Its VACUUM, after its first 2,000 rows, removed the entries of the 5,000 deleted by then: the
    // scan walks at most the last 1,000, fewer pages than after the relay that never vacuums.
    expect(await pagesScanned()).toBeLessThan(unvacuumedPages);
  });
});
