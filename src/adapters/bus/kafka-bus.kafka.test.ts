import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { TOPICS, type Topic } from '../../domain/events/topics.js';
import type { DeliveredMessage, OutgoingMessage, Subscription } from '../../ports/event-bus.js';
import { describeEventBusContract } from './event-bus.contract.js';
import { KafkaBus } from './kafka-bus.js';
import { testKafkaBootstrap, testKafkaBus, uniqueSuffix, withGroupSuffix } from './test-support/kafka.js';

// The contract counts exact deliveries, so its groups start at the end of the shared broker's
// topics (fromBeginning: false) under names no earlier run used.
describeEventBusContract('KafkaBus', async () => {
  const suffix = uniqueSuffix();
  return { newBus: async () => withGroupSuffix(testKafkaBus({ fromBeginning: false }), suffix), cleanUp: async () => undefined };
});

// The transport does not look at payload types: quotes stand in for any payload, on any topic.
const message = (topic: Topic, key: string, seq: number, headers?: Record<string, string>): OutgoingMessage => ({
  topic,
  key,
  eventId: uuidv7(),
  payload: {
    type: 'QuoteUpdated',
    symbol: key,
    venue: 'XNYS',
    bidPrice: '1.5',
    bidSize: seq,
    askPrice: null,
    askSize: 0,
    timestamp: new Date(0).toISOString(),
  },
  ...(headers ? { headers } : {}),
});

const seqOf = (m: DeliveredMessage): number => (m.payload.type === 'QuoteUpdated' ? m.payload.bidSize : -1);

async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * These groups start at the beginning of topics that keep earlier runs' messages (the broker is
 * shared), so each test counts only the messages it published itself.
 */
describe('KafkaBus on the mock broker', () => {
  const buses: KafkaBus[] = [];
  const open = (): KafkaBus => {
    const bus = testKafkaBus();
    buses.push(bus);
    return bus;
  };
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });

  it('answers the readiness ping while the brokers answer, and fails it when they do not', { timeout: 30_000 }, async () => {
    await open().ping();
    const nowhere = new KafkaBus({ bootstrap: '127.0.0.1:1', clientId: `ping-${uniqueSuffix()}` });
    buses.push(nowhere);
    const noAnswer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 3 s')), 3_000));
    await expect(Promise.race([nowhere.ping(), noAnswer])).rejects.toThrow();
  });

  it('carries event-id, event-type and traceparent as record headers, and rebuilds the message from them', { timeout: 60_000 }, async () => {
    const bus = open();
    const traceparent = `00-${uuidv7().replaceAll('-', '')}-${'ab'.repeat(8)}-01`;
    const sent = message(TOPICS.ordersStatus, 'order-1', 7, { traceparent });
    const raw = new Kafka({ clientId: 'raw-reader', brokers: testKafkaBootstrap().split(','), logLevel: logLevel.NOTHING }).consumer({
      groupId: `raw.${uniqueSuffix()}`,
      maxWaitTimeInMs: 10,
      sessionTimeout: 10_000,
    });
    let record: { key: string | undefined; value: unknown; headers: IHeaders } | undefined;
    const delivered: DeliveredMessage[] = [];
    try {
      await raw.connect();
      await raw.subscribe({ topics: [TOPICS.ordersStatus], fromBeginning: true });
      await Promise.all([
        raw.run({
          eachMessage: async ({ message: m }) => {
            if (m.headers?.['event-id']?.toString() === sent.eventId)
              record = { key: m.key?.toString(), value: JSON.parse(m.value?.toString() ?? 'null'), headers: m.headers };
          },
        }),
        bus.subscribe({
          group: `headers.${uniqueSuffix()}`,
          topic: TOPICS.ordersStatus,
          handler: async (batch) => void delivered.push(...batch.filter((m) => m.eventId === sent.eventId)),
        }),
      ]);
      await bus.publish([sent]);
      await until(() => record !== undefined && delivered.length === 1);
    } finally {
      await raw.disconnect();
    }
    expect(record!.key).toBe('order-1');
    expect(record!.value).toEqual(sent.payload);
    expect(record!.headers['event-type']?.toString()).toBe('QuoteUpdated');
    expect(record!.headers.traceparent?.toString()).toBe(traceparent);
    const got = delivered[0]!;
    expect({ topic: got.topic, key: got.key, eventId: got.eventId, payload: got.payload, headers: got.headers }).toEqual(sent);
    expect(typeof got.offset).toBe('bigint');
    expect(got.partition).toBeGreaterThanOrEqual(0);
  });

  it('resumes a restarted group after its last committed offset: nothing committed comes twice, nothing is lost', { timeout: 60_000 }, async () => {
    const bus = open();
    const group = `resume.${uniqueSuffix()}`;
    const early = Array.from({ length: 40 }, (_, i) => message(TOPICS.executionsFills, `order-${i % 8}`, i));
    const mine = new Set(early.map((m) => m.eventId));
    const before: string[] = [];
    const first: { subscription?: Subscription } = {};
    let stopping: Promise<void> | undefined;
    first.subscription = await bus.subscribe({
      group,
      topic: TOPICS.executionsFills,
      maxBatch: 5,
      handler: async (batch) => {
        before.push(...batch.filter((m) => mine.has(m.eventId)).map((m) => m.eventId));
        // Stop from inside: stop() waits for this batch, so it is committed before the group is left.
        if (before.length >= 15) stopping ??= first.subscription?.stop();
      },
    });
    await bus.publish(early);
    await until(() => stopping !== undefined);
    await stopping;

    const second = Array.from({ length: 20 }, (_, i) => message(TOPICS.executionsFills, `order-${i % 8}`, 40 + i));
    for (const m of second) mine.add(m.eventId);
    await bus.publish(second);
    const after: string[] = [];
    await bus.subscribe({
      group,
      topic: TOPICS.executionsFills,
      handler: async (batch) => void after.push(...batch.filter((m) => mine.has(m.eventId)).map((m) => m.eventId)),
    });
    await until(() => new Set([...before, ...after]).size === mine.size);
    await new Promise((r) => setTimeout(r, 300)); // room for a wrong duplicate to show up

    expect(before.length).toBeGreaterThanOrEqual(15);
    expect(before.length).toBeLessThan(40);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
    expect(new Set(after).size).toBe(after.length);
    expect(before.length + after.length).toBe(mine.size);
  });

  it('splits the partitions between two consumers of one group, which together see each message once', { timeout: 90_000 }, async () => {
    const group = `split.${uniqueSuffix()}`;
    const seen: DeliveredMessage[][] = [[], []];
    const mine = new Set<string>();
    // Two buses, as two service instances would have.
    for (const index of [0, 1]) {
      await open().subscribe({
        group,
        topic: TOPICS.ordersValidated,
        handler: async (batch) => void seen[index]!.push(...batch.filter((m) => mine.has(m.eventId))),
      });
    }
    // Until the first member rejoins after the second joined, it still holds every partition (on a
    // busy machine that takes it a few heartbeats), so rounds of messages go out until one shows
    // the split. Every message of every round is seen exactly once.
    let split = false;
    for (let round = 0; round < 15 && !split; round++) {
      const sent = Array.from({ length: 60 }, (_, i) => message(TOPICS.ordersValidated, `order-${i % 30}`, i));
      const ids = new Set(sent.map((m) => m.eventId));
      for (const id of ids) mine.add(id);
      await buses[0]!.publish(sent);
      const ofRound = () => seen.map((list) => list.filter((m) => ids.has(m.eventId)));
      await until(() => ofRound().flat().length >= sent.length);
      await new Promise((r) => setTimeout(r, 300));
      const received = ofRound();
      const all = received.flat().map((m) => m.eventId);
      expect(new Set(all).size).toBe(sent.length);
      expect(all).toHaveLength(sent.length);
      const partitions = received.map((list) => new Set(list.map((m) => m.partition)));
      split = partitions[0]!.size > 0 && partitions[1]!.size > 0 && [...partitions[0]!].every((p) => !partitions[1]!.has(p));
    }
    expect(split).toBe(true);
  });

  it('takes several topics in one member: each topic to its handler, and each member owns the same partitions of both', { timeout: 90_000 }, async () => {
    const group = `both.${uniqueSuffix()}`;
    const mine = new Set<string>();
    type Seen = { topic: Topic; handler: Topic; partition: number; key: string };
    const seen: Seen[][] = [[], []];
    const handler = (index: number, handler: Topic) => async (batch: readonly DeliveredMessage[]) =>
      void seen[index]!.push(...batch.filter((m) => mine.has(m.eventId)).map((m) => ({ topic: m.topic, handler, partition: m.partition, key: m.key })));
    for (const index of [0, 1]) {
      await open().subscribe({
        group,
        handlers: { [TOPICS.ordersInbound]: handler(index, TOPICS.ordersInbound), [TOPICS.executionsFills]: handler(index, TOPICS.executionsFills) },
      });
    }
    // As in the split test: rounds until the second member's join shows in the assignment.
    let split = false;
    for (let round = 0; round < 15 && !split; round++) {
      const keys = Array.from({ length: 30 }, (_, i) => `order-${uniqueSuffix()}-${i}`);
      const sent = keys.flatMap((key, i) => [message(TOPICS.ordersInbound, key, i), message(TOPICS.executionsFills, key, i)]);
      const ids = new Set(sent.map((m) => m.eventId));
      for (const id of ids) mine.add(id);
      await buses[0]!.publish(sent);
      const ofRound = () => seen.map((list) => list.filter((m) => keys.includes(m.key)));
      await until(() => ofRound().flat().length >= sent.length);
      await new Promise((r) => setTimeout(r, 300));
      const received = ofRound();
      expect(received.flat()).toHaveLength(sent.length);
      expect(received.flat().every((m) => m.topic === m.handler)).toBe(true);
      // Keyed alike on topics of as many partitions: a key's messages on both topics reach one member.
      for (const key of keys) expect(received.filter((list) => list.some((m) => m.key === key)).length).toBe(1);
      const partitions = received.map((list) => new Set(list.map((m) => m.partition)));
      split = partitions[0]!.size > 0 && partitions[1]!.size > 0;
    }
    expect(split).toBe(true);
  });

  it("keeps taking one topic while another's handler is stuck with more records than a topic may hold in hand", { timeout: 90_000 }, async () => {
    const bus = open();
    const suffix = uniqueSuffix();
    let unblock!: () => void;
    const stuck = new Promise<void>((resolve) => (unblock = resolve));
    const backlog = Array.from({ length: 2_100 }, (_, i) => message(TOPICS.ordersRouted, `order-${suffix}-${i % 30}`, i));
    const mine = new Set(backlog.map((m) => m.eventId));
    let backlogSeen = 0;
    const other: string[] = [];
    await bus.subscribe({
      group: `room.${suffix}`,
      maxBatch: 50,
      handlers: {
        [TOPICS.ordersRouted]: async (batch) => {
          backlogSeen += batch.filter((m) => mine.has(m.eventId)).length;
          if (backlogSeen > 0) await stuck;
        },
        [TOPICS.ordersStatus]: async (batch) => void other.push(...batch.map((m) => m.eventId)),
      },
    });
    try {
      await bus.publish(backlog);
      await until(() => backlogSeen > 0);
      // Let the fetches bring the whole backlog into hand, past the 2,000 records a topic may hold.
      await new Promise((r) => setTimeout(r, 1_000));
      const late = message(TOPICS.ordersStatus, `order-${suffix}`, 1);
      await bus.publish([late]);
      await until(() => other.includes(late.eventId), 15_000);
    } finally {
      unblock();
    }
  });

  it('goes on from the committed offsets of the groups it replaces, and from its own once it has them', { timeout: 90_000 }, async () => {
    const bus = open();
    const suffix = uniqueSuffix();
    const former = { [TOPICS.ordersInbound]: `former-intake.${suffix}`, [TOPICS.executionsFills]: `former-executions.${suffix}` };
    const mine = new Set<string>();
    const publish = async (count: number, keys: number): Promise<string[]> => {
      const sent = Array.from({ length: count }, (_, i) => [
        message(TOPICS.ordersInbound, `order-${suffix}-${i % keys}`, i),
        message(TOPICS.executionsFills, `order-${suffix}-${i % keys}`, i),
      ]).flat();
      for (const m of sent) mine.add(m.eventId);
      await bus.publish(sent);
      return sent.map((m) => m.eventId);
    };
    const consume = async (
      options: { group: string; topic: Topic } | { group: string; continuesFrom: typeof former },
      expected: readonly string[],
    ): Promise<string[]> => {
      const got: string[] = [];
      const take = async (batch: readonly DeliveredMessage[]) => void got.push(...batch.filter((m) => mine.has(m.eventId)).map((m) => m.eventId));
      const subscription = await bus.subscribe(
        'topic' in options ? { ...options, handler: take } : { ...options, handlers: { [TOPICS.ordersInbound]: take, [TOPICS.executionsFills]: take } },
      );
      await until(() => expected.every((id) => got.includes(id)));
      await new Promise((r) => setTimeout(r, 500)); // room for what should not come
      await subscription.stop();
      return got;
    };

    // The former groups, one per topic, handle and commit what was published so far: twelve keys,
    // so several partitions of each topic.
    const early = await publish(24, 12);
    for (const topic of [TOPICS.ordersInbound, TOPICS.executionsFills] as const)
      await consume(
        { group: former[topic], topic },
        early.filter((_, i) => i % 2 === (topic === TOPICS.ordersInbound ? 0 : 1)),
      );
    const group = `merged.${suffix}`;
    // One key: the merged group commits one partition of each topic, the others stay the former groups'.
    const later = await publish(5, 1);
    expect((await consume({ group, continuesFrom: former }, later)).sort()).toEqual([...later].sort());
    // A restart takes up after its own offsets where it has them, and after the former groups' elsewhere.
    const last = await publish(3, 1);
    expect((await consume({ group, continuesFrom: former }, last)).sort()).toEqual([...last].sort());
  });

  it('fetches ahead while a slow handler works: what arrived meanwhile comes in the next call, in order', { timeout: 60_000 }, async () => {
    const bus = open();
    const key = `order-${uniqueSuffix()}`;
    const calls: number[][] = [];
    await bus.subscribe({
      group: `ahead.${uniqueSuffix()}`,
      topic: TOPICS.ordersStatus,
      handler: async (batch) => {
        const mine = batch.filter((m) => m.key === key).map(seqOf);
        if (mine.length === 0) return;
        calls.push(mine);
        await new Promise((r) => setTimeout(r, 300));
      },
    });
    // Thirty publish calls, so thirty record batches in one partition: the test broker answers a
    // fetch with one record batch per partition, so a consumer that fetched only between handler
    // calls would need thirty calls of 300 ms.
    for (let seq = 0; seq < 30; seq++) await bus.publish([message(TOPICS.ordersStatus, key, seq)]);
    await until(() => calls.flat().length >= 30);

    expect(calls.flat()).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(calls.length).toBeLessThanOrEqual(6);
  });

  it('retries every partition of a failed handler call, and each gets through', { timeout: 60_000 }, async () => {
    const bus = open();
    const keys = Array.from({ length: 12 }, (_, i) => `order-${uniqueSuffix()}-${i}`);
    const sent = keys.map((key, i) => message(TOPICS.ordersRouted, key, i));
    const mine = new Set(sent.map((m) => m.eventId));
    const handled = new Set<string>();
    let failures = 0;
    await bus.subscribe({
      group: `retry.${uniqueSuffix()}`,
      topic: TOPICS.ordersRouted,
      handler: async (batch) => {
        const ours = batch.filter((m) => mine.has(m.eventId));
        // The first two calls with messages of several partitions fail: each partition backs off on its own.
        if (new Set(ours.map((m) => m.partition)).size > 1 && failures < 2) {
          failures++;
          throw new Error('transient');
        }
        for (const m of ours) handled.add(m.eventId);
      },
    });
    await bus.publish(sent);
    await until(() => handled.size === sent.length);
    expect(failures).toBeGreaterThan(0);
  });

  it('keeps per-key order across many keys spread over the partitions', { timeout: 60_000 }, async () => {
    const bus = open();
    const keys = Array.from({ length: 20 }, (_, i) => `order-${uniqueSuffix()}-${i}`);
    const received = new Map<string, DeliveredMessage[]>(keys.map((key) => [key, []]));
    await bus.subscribe({
      group: `order.${uniqueSuffix()}`,
      topic: TOPICS.ordersRouted,
      maxBatch: 7,
      handler: async (batch) => batch.forEach((m) => received.get(m.key)?.push(m)),
    });
    // Five publish calls in turn, each holding the next two messages of every key.
    for (let round = 0; round < 5; round++) {
      await bus.publish(keys.flatMap((key) => [message(TOPICS.ordersRouted, key, round * 2), message(TOPICS.ordersRouted, key, round * 2 + 1)]));
    }
    await until(() => [...received.values()].every((list) => list.length >= 10));

    const partitions = new Set<number>();
    for (const list of received.values()) {
      expect(list.map(seqOf)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(new Set(list.map((m) => m.partition)).size).toBe(1);
      expect(list.every((m, i) => i === 0 || m.offset > list[i - 1]!.offset)).toBe(true);
      partitions.add(list[0]!.partition);
    }
    expect(partitions.size).toBeGreaterThan(2);
  });
});
