import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage, FrameDecoder } from './codec.js';
import { PostgresStore } from './postgres-store.js';
import { FixSession, type FixApplication, type Responder } from './session.js';
import { MemoryStore } from './store.js';
import { MsgType, Tag } from './tags.js';

const connection = {
  host: process.env.POSTGRES_HOST ?? '127.0.0.1',
  port: Number(process.env.POSTGRES_PORT ?? 5432),
  database: process.env.POSTGRES_DB ?? 'test',
  user: process.env.POSTGRES_USER ?? 'postgres',
  password: process.env.POSTGRES_PASSWORD ?? '',
};
const schema = `fix_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const freshSchema = `${schema}_fresh`;
const pools: pg.Pool[] = [];
let admin: pg.Pool;

/** A new pool in the test schema: a new pool is what a restarted process would have. */
function connect(searchPath = schema): pg.Pool {
  const pool = new pg.Pool({ ...connection, max: 4, options: `-c search_path=${searchPath}` });
  pool.on('error', () => undefined);
  pools.push(pool);
  return pool;
}

/** Ends a pool after the store's writes are done: the process stops. */
async function restart(store: PostgresStore, pool: pg.Pool): Promise<void> {
  await store.whenDurable();
  store.close();
  await pool.end();
}

beforeAll(async () => {
  admin = new pg.Pool({ ...connection, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}; CREATE SCHEMA ${freshSchema}`);
});

afterAll(async () => {
  for (const pool of pools) if (!pool.ended) await pool.end();
  await admin.query(`DROP SCHEMA ${schema} CASCADE; DROP SCHEMA ${freshSchema} CASCADE`);
  await admin.end();
});

describe('PostgresStore', () => {
  it('keeps numbers, exact message bytes and creation time across a restart, and resets', async () => {
    const pool = connect();
    const store = await PostgresStore.open(pool, 'OMS->XNYS');
    const created = store.creationTime();
    const binary = Buffer.from([0x38, 0x3d, 0x00, 0xff, 0x01, 0x7c, 0xc3, 0xa9]);
    store.storeSent(1, Buffer.from('one'));
    store.setNextSenderSeqNum(3); // an admin message took 2
    store.storeSent(3, binary);
    store.setNextTargetSeqNum(42);
    expect(store.nextSenderSeqNum()).toBe(4); // the mirror answers at once
    await restart(store, pool);

    const pool2 = connect();
    const reopened = await PostgresStore.open(pool2, 'OMS->XNYS');
    expect([reopened.nextSenderSeqNum(), reopened.nextTargetSeqNum()]).toEqual([4, 42]);
    expect(reopened.sentBetween(1, 10).map((m) => [m.seqNum, m.message])).toEqual([
      [1, Buffer.from('one')],
      [3, binary],
    ]);
    expect(reopened.sentBetween(2, 3).map((m) => m.seqNum)).toEqual([3]);
    expect(reopened.creationTime().getTime()).toBe(created.getTime());

    reopened.storeSent(4, Buffer.from('four-a'));
    reopened.flush();
    reopened.storeSent(4, Buffer.from('four-b')); // upsert: the latest bytes win
    await reopened.whenDurable();
    const row = await pool2.query('SELECT message FROM fix_sent_messages WHERE session_id = $1 AND seq_num = 4', ['OMS->XNYS']);
    expect(row.rows.map((r: { message: Buffer }) => r.message.toString())).toEqual(['four-b']);
    await new Promise((r) => setTimeout(r, 5));
    reopened.reset();
    expect(reopened.creationTime().getTime()).toBeGreaterThan(created.getTime());
    const resetAt = reopened.creationTime();
    await restart(reopened, pool2);

    const afterReset = await PostgresStore.open(connect(), 'OMS->XNYS');
    expect([afterReset.nextSenderSeqNum(), afterReset.nextTargetSeqNum(), afterReset.sentBetween(1, 10)]).toEqual([1, 1, []]);
    expect(afterReset.creationTime().getTime()).toBe(resetAt.getTime());
  });

  it('keeps two sessions apart, also when they open at the same time on a fresh schema', async () => {
    // Four processes starting at once create the tables; each opens on its own pool.
    const [a, b] = await Promise.all(['A->B', 'C->D', 'E->F', 'G->H'].map((id) => PostgresStore.open(connect(freshSchema), id)));
    if (!a || !b) throw new Error('stores missing');
    a.storeSent(1, Buffer.from('from a'));
    a.setNextTargetSeqNum(7);
    b.storeSent(1, Buffer.from('from b'));
    b.storeSent(2, Buffer.from('b two'));
    a.reset();
    await Promise.all([a.whenDurable(), b.whenDurable()]);
    const [a2, b2] = await Promise.all([PostgresStore.open(connect(freshSchema), 'A->B'), PostgresStore.open(connect(freshSchema), 'C->D')]);
    expect([a2.nextSenderSeqNum(), a2.nextTargetSeqNum(), a2.sentBetween(1, 9)]).toEqual([1, 1, []]);
    expect(b2.nextSenderSeqNum()).toBe(3);
    expect(b2.sentBetween(1, 9).map((m) => m.message.toString())).toEqual(['from b', 'b two']);
  });

  it('writes the mutations between two flushes with one statement', async () => {
    const pool = connect();
    const queries: string[] = [];
    const store = await PostgresStore.open({ query: (text: string, params?: unknown[]) => (queries.push(text), pool.query(text, params)) }, 'BATCH');
    queries.length = 0;
    store.storeSent(1, Buffer.from('one'));
    store.setNextSenderSeqNum(3); // an admin message took 2
    store.storeSent(3, Buffer.from('three'));
    store.setNextTargetSeqNum(8);
    store.flush();
    await store.whenDurable();
    expect(queries).toHaveLength(1);
    const reopened = await PostgresStore.open(connect(), 'BATCH');
    expect([reopened.nextSenderSeqNum(), reopened.nextTargetSeqNum(), reopened.sentBetween(1, 9).map((m) => m.message.toString())]).toEqual([
      4,
      8,
      ['one', 'three'],
    ]);
  });

  it('rejects whenDurable after a failed write, and stays failed', async () => {
    let failNext = false;
    const pool = connect();
    const flaky = {
      query: (text: string, params?: unknown[]) => {
        const fail = failNext;
        failNext = false;
        return fail ? Promise.reject(new Error('connection lost')) : pool.query(text, params);
      },
    };
    const store = await PostgresStore.open(flaky, 'FLAKY');
    store.storeSent(1, Buffer.from('ok'));
    await store.whenDurable();
    failNext = true;
    store.storeSent(2, Buffer.from('lost'));
    store.setNextTargetSeqNum(5);
    await expect(store.whenDurable()).rejects.toThrow('connection lost');
    await expect(store.whenDurable()).rejects.toThrow('connection lost');
    const reopened = await PostgresStore.open(connect(), 'FLAKY');
    // Nothing after the failure was written, so the database is a consistent earlier state.
    expect([reopened.nextSenderSeqNum(), reopened.nextTargetSeqNum()]).toEqual([2, 1]);
  });
});

describe('FixSession on PostgresStore', () => {
  it('puts nothing on the wire before it is stored, keeps numbers across a restart, and resends stored messages', async () => {
    const venueOrders: string[] = [];
    const venueStore = new MemoryStore();
    const venue = new FixSession(
      { senderCompId: 'XNYS', targetCompId: 'OMS', role: 'acceptor', heartBtIntSeconds: 30, store: venueStore },
      {
        fromApp: (m) => void venueOrders.push(m.get(Tag.ClOrdID) ?? ''),
      },
    );
    const app: FixApplication = { fromApp: () => undefined };
    const order = (id: string) => ({ msgType: MsgType.NewOrderSingle, body: [[Tag.ClOrdID, id]] as [number, string][] });

    // First process: log on, send A, log out; then B and C are sent while disconnected (stored only).
    // Writes are slowed down, so without the session waiting for them bytes would be on the wire first.
    const pool = connect();
    const durable = durableSenderNumber(pool);
    const store = await PostgresStore.open(durable.sql, 'OMS->XNYS');
    const oms = new FixSession({ senderCompId: 'OMS', targetCompId: 'XNYS', role: 'initiator', heartBtIntSeconds: 30, store }, app);
    const onWire: [number, number][] = [];
    link(oms, venue, (seqNum) => onWire.push([seqNum, durable.next]));
    await until(() => oms.isLoggedOn && venue.isLoggedOn);
    oms.send(order('A'));
    await until(() => venueOrders.length === 1);
    oms.logout();
    await until(() => !oms.isConnected && !venue.isConnected);
    oms.send(order('B'));
    oms.send(order('C'));
    await oms.idle();
    expect(onWire.map(([seqNum]) => seqNum)).toEqual([1, 2, 3]); // Logon, A, Logout
    for (const [seqNum, durableNext] of onWire) expect(durableNext).toBeGreaterThan(seqNum);
    const numbers = [store.nextSenderSeqNum(), store.nextTargetSeqNum()];
    await restart(store, pool);

    // Second process: the numbers come back from PostgreSQL, the venue sees the gap and asks for it.
    const store2 = await PostgresStore.open(connect(), 'OMS->XNYS');
    expect([store2.nextSenderSeqNum(), store2.nextTargetSeqNum()]).toEqual(numbers);
    const oms2 = new FixSession({ senderCompId: 'OMS', targetCompId: 'XNYS', role: 'initiator', heartBtIntSeconds: 30, store: store2 }, app);
    const toVenue = link(oms2, venue);
    await until(() => venueOrders.length === 3);
    expect(venueOrders).toEqual(['A', 'B', 'C']);
    const resent = toVenue.filter((m) => m.msgType === MsgType.NewOrderSingle);
    expect(resent.map((m) => [m.get(Tag.ClOrdID), m.get(Tag.PossDupFlag)])).toEqual([
      ['B', 'Y'],
      ['C', 'Y'],
    ]);
    expect(oms2.isLoggedOn).toBe(true);
    await oms2.idle();
    await venue.idle();
    expect(venueStore.nextTargetSeqNum()).toBe(store2.nextSenderSeqNum());
    await store2.whenDurable();
  });
});

/** A pool whose writes take 10 ms longer, tracking the next sender number PostgreSQL has committed. */
function durableSenderNumber(pool: pg.Pool) {
  const tracker = {
    next: 1,
    sql: {
      query: async (text: string, params: unknown[] = []) => {
        await new Promise((r) => setTimeout(r, 10));
        const result = await pool.query(text, params);
        if (text.includes('SET next_sender_seq = $4')) tracker.next = Number(params[3]);
        return result;
      },
    },
  };
  return tracker;
}

/**
 * Wires two sessions back to back (delivery on a later turn, as a socket would) and returns what
 * the first sent. `onSend` runs synchronously as each message of the first reaches the wire.
 */
function link(a: FixSession, b: FixSession, onSend?: (seqNum: number) => void): ReturnType<typeof decodeMessage>[] {
  const sentByA: ReturnType<typeof decodeMessage>[] = [];
  const toB = new FrameDecoder();
  const toA = new FrameDecoder();
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    setImmediate(() => {
      a.disconnected(ra);
      b.disconnected(rb);
    });
  };
  const ra: Responder = {
    send: (bytes) => {
      for (const frame of toB.push(bytes)) {
        const message = decodeMessage(frame.bytes);
        sentByA.push(message);
        onSend?.(message.seqNum ?? 0);
        if (open) setImmediate(() => b.onFrame(frame));
      }
    },
    disconnect: close,
  };
  const rb: Responder = {
    send: (bytes) => {
      for (const frame of toA.push(bytes)) if (open) setImmediate(() => a.onFrame(frame));
    },
    disconnect: close,
  };
  b.connected(rb);
  a.connected(ra);
  return sentByA;
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}
