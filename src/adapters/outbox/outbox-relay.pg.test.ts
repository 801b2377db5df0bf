import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOPICS } from '../../domain/events/topics.js';
import type { EventBus, OutgoingMessage } from '../../ports/event-bus.js';
import type { SqlClient } from '../../ports/sql.js';
import { InProcessBus } from '../bus/in-process-bus.js';
import { runMigrations } from '../sql/migrate.js';
import { isolatedPostgres, type IsolatedPostgres } from '../sql/test-support/postgres.js';
import { appendOutbox, claimInbox, OutboxRelay } from './index.js';
import { outboxPendingCount } from './pending-gauge.js';

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
  payload: {
    type: 'QuoteUpdated',
    symbol: orderKey,
    venue: 'XNYS',
    bidPrice: String(n),
    bidSize: n,
    askPrice: null,
    askSize: 0,
    timestamp: new Date(0).toISOString(),
  },
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

/** A transaction that has written `message` to the outbox (taking its id) and commits only when told. */
async function openWriter(message: OutgoingMessage): Promise<{ commit: () => Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let written!: () => void;
  const inserted = new Promise<void>((resolve) => (written = resolve));
  const committed = pg.connect({ max: 1 }).transaction(async (tx) => {
    await appendOutbox(tx, [message]);
    written();
    await released;
  });
  await Promise.race([inserted, committed]); // a failed insert fails here rather than hanging
  return { commit: () => (release(), committed) };
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
        const fresh = await db.transaction((tx) =>
          claimInbox(
            tx,
            'positions',
            batch.map((m) => m.eventId),
          ),
        );
        applied.push(...batch.filter((m) => fresh.has(m.eventId)).map((m) => m.eventId));
      },
    });
    const message = event('C', 3);
    await db.transaction((tx) => appendOutbox(tx, [message]));

    // The broker took the batch, then the relay died before its mark committed (its transaction rolls back).
    const dying: EventBus = {
      publish: async (m) => (await bus.publish(m), Promise.reject(new Error('relay killed'))),
      subscribe: (o) => bus.subscribe(o),
      close: () => bus.close(),
    };
    await expect(new OutboxRelay({ db: pg.connect({ max: 2 }), bus: dying, shared: true }).publishBatch()).rejects.toThrow('relay killed');
    expect(await unpublished()).toBe(1);

    expect(await new OutboxRelay({ db: pg.connect({ max: 2 }), bus, shared: true }).publishBatch()).toBe(1);
    expect(await unpublished()).toBe(0);
    await bus.close();
    expect(applied).toEqual([message.eventId]);
  });

  it('publishes every row while a dozen writers commit out of id order and three relays share the floor', async () => {
    const bus = new InProcessBus();
    const seen = new Set<string>();
    await bus.subscribe({ group: 'audit', topic: TOPICS.ordersStatus, handler: async (batch) => void batch.forEach((m) => seen.add(m.eventId)) });
    const relays = [0, 1, 2].map(() => new OutboxRelay({ db: pg.connect({ max: 2 }), bus, batchSize: 50, pollMs: 5, shared: true }));
    for (const relay of relays) await relay.start();
    const writers = pg.connect({ max: 12 });
    const written: string[] = [];
    // Each transaction holds its id for up to 15 ms: ids commit in another order than they were taken.
    const writer = async (w: number) => {
      for (let i = 0; i < 60; i++) {
        const message = event(`W-${w}`, i);
        await writers.transaction(async (tx) => {
          await appendOutbox(tx, [message]);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
        });
        written.push(message.eventId);
      }
    };
    await Promise.all(Array.from({ length: 12 }, (_, w) => writer(w)));
    await until(async () => (await unpublished()) === 0 && seen.size === written.length, 10_000).catch(() => undefined);
    for (const relay of relays) await relay.stop();
    await bus.close();
    expect(await unpublished()).toBe(0);
    expect(seen.size).toBe(written.length);
  });

  it('publishes a row committed after rows with higher ids were published', async () => {
    const bus = new InProcessBus();
    const seen: string[] = [];
    await bus.subscribe({ group: 'audit', topic: TOPICS.ordersStatus, handler: async (batch) => void seen.push(...batch.map((m) => m.eventId)) });
    const relay = new OutboxRelay({ db: pg.connect({ max: 2 }), bus, shared: true });
    const late = event('LATE', 1);
    // Takes the lowest id, then stays open while later writers commit and the relay publishes them.
    const lateWriter = await openWriter(late);
    const early: OutgoingMessage[] = [];
    for (let round = 0; round < 5; round++) {
      const messages = [event(`E-${round}`, round)];
      await db.transaction((tx) => appendOutbox(tx, messages));
      early.push(...messages);
      await relay.publishBatch();
    }
    expect(seen).toEqual(early.map((m) => m.eventId));
    await lateWriter.commit();
    expect(await relay.publishBatch()).toBe(1);
    await bus.close();
    expect(seen).toEqual([...early.map((m) => m.eventId), late.eventId]);
  });

  it('starts its scans (and the pending count) above the rows it published once no transaction that could still write below them is running', async () => {
    const bus = new InProcessBus();
    await bus.subscribe({ group: 'audit', topic: TOPICS.ordersStatus, handler: async () => undefined });
    const relay = new OutboxRelay({ db: pg.connect({ max: 2 }), bus, batchSize: 500, shared: true });
    const lastId = async () => Number((await db.query<{ last: string }>('SELECT last_value::text AS last FROM outbox_id_seq'))[0]!.last);
    for (let batch = 0; batch < 30; batch++)
      await db.transaction((tx) =>
        appendOutbox(
          tx,
          Array.from({ length: 100 }, (_, i) => event(`ORD-${i}`, batch)),
        ),
      );
    while ((await relay.publishBatch()) > 0);
    // The batch after them finds the transactions of the horizon it saw ended: the 3,000 ids are settled.
    await relay.publishBatch();
    expect(relay.floor).toBe(await lastId());
    // Nothing taken above the floor: an idle poll leaves the floor row as it was (no new writer of it).
    const lastWriter = async () => (await db.query<{ xmin: string }>('SELECT xmin::text FROM outbox_relay_floor'))[0]!.xmin;
    const before = await lastWriter();
    expect(await relay.publishBatch()).toBe(0);
    expect(await lastWriter()).toBe(before);

    // A writer holding an id: the floor stays below it however many batches pass.
    const writer = await openWriter(event('HELD', 1));
    const heldId = await lastId();
    for (let round = 0; round < 4; round++) {
      await db.transaction((tx) => appendOutbox(tx, [event(`AFTER-${round}`, round)]));
      await relay.publishBatch();
    }
    expect(relay.floor).toBeLessThan(heldId);
    await writer.commit();
    while ((await relay.publishBatch()) > 0);
    await relay.publishBatch();
    await relay.publishBatch();
    expect(await unpublished()).toBe(0);
    expect(relay.floor).toBe(await lastId());

    // Another relay (another process) starts where this one left off, not from the first id.
    const other = new OutboxRelay({ db: pg.connect({ max: 2 }), bus, shared: true });
    await db.transaction((tx) => appendOutbox(tx, [event('OTHER', 1)]));
    expect(await outboxPendingCount(db)()).toBe(1); // oms_outbox_pending counts above the floor too
    expect(await other.publishBatch()).toBe(1);
    expect(await outboxPendingCount(db)()).toBe(0);
    expect(other.floor).toBeGreaterThanOrEqual(relay.floor);
    await bus.close();
  });
});
