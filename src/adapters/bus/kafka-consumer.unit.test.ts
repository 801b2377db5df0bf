import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { TOPICS, type Topic } from '../../domain/events/topics.js';
import type { DeliveredMessage } from '../../ports/event-bus.js';
import { toKafkaMessage } from './kafka-codec.js';
import { KafkaGroupConsumer } from './kafka-consumer.js';

/** The part of a kafkajs consumer that KafkaGroupConsumer drives, recording its pauses and resumes. */
class StandInConsumer {
  readonly events = { GROUP_JOIN: 'group_join', FETCH: 'fetch' };
  readonly pauses: string[] = [];
  readonly committed: { topic: string; partition: number; offset: string }[] = [];
  eachBatch: ((payload: EachBatchPayload) => Promise<void>) | undefined;
  async connect(): Promise<void> {}
  async subscribe(): Promise<void> {}
  on(): () => void {
    return () => undefined;
  }
  async run(options: { eachBatch: (payload: EachBatchPayload) => Promise<void> }): Promise<void> {
    this.eachBatch = options.eachBatch;
  }
  pause(topics: { topic: string }[]): void {
    this.pauses.push(...topics.map(({ topic }) => `pause ${topic}`));
  }
  resume(topics: { topic: string }[]): void {
    this.pauses.push(...topics.map(({ topic }) => `resume ${topic}`));
  }
  async commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void> {
    this.committed.push(...offsets);
  }
  async disconnect(): Promise<void> {}
}

let nextOffset = 0;
/** A fetched batch of `count` records of one topic's partition 0, as kafkajs hands it over. */
function fetched(topic: Topic, count: number): EachBatchPayload {
  const messages = Array.from({ length: count }, (): KafkaMessage => {
    const record = toKafkaMessage({
      topic,
      key: 'order-1',
      eventId: `event-${nextOffset}`,
      payload: {
        type: 'QuoteUpdated',
        symbol: 'X',
        venue: 'XNYS',
        bidPrice: '1',
        bidSize: 1,
        askPrice: null,
        askSize: 0,
        timestamp: new Date(0).toISOString(),
      },
    });
    return {
      key: Buffer.from(String(record.key)),
      value: Buffer.from(String(record.value)),
      headers: record.headers ?? {},
      offset: String(nextOffset++),
      timestamp: '0',
      attributes: 0,
    };
  });
  const batch = { topic, partition: 0, highWatermark: String(nextOffset), messages, offsetLagLow: () => '0' };
  return { batch, resolveOffset: () => undefined, heartbeat: async () => undefined, isRunning: () => true } as unknown as EachBatchPayload;
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('KafkaGroupConsumer with several topics', () => {
  it('stops fetching a topic whose records in hand pass its room, goes on with the others, and fetches it again once there is room', async () => {
    const kafkajs = new StandInConsumer();
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const routed: DeliveredMessage[] = [];
    const status: DeliveredMessage[] = [];
    const consumer = new KafkaGroupConsumer(
      kafkajs as unknown as Consumer,
      {
        group: 'room',
        maxBatch: 100,
        handlers: {
          [TOPICS.ordersRouted]: async (batch) => {
            await stuck;
            routed.push(...batch);
          },
          [TOPICS.ordersStatus]: async (batch) => void status.push(...batch),
        },
      },
      { retryDelayMs: 10 },
    );
    await consumer.start(true, false, 1_000);
    // Room per topic: 2,000 records (at least MIN_PREFETCH). The first 2,000 fit, one more does not.
    await kafkajs.eachBatch!(fetched(TOPICS.ordersRouted, 2_000));
    expect(kafkajs.pauses).toEqual([]);
    await kafkajs.eachBatch!(fetched(TOPICS.ordersRouted, 1));
    expect(kafkajs.pauses).toEqual([`pause ${TOPICS.ordersRouted}`]);

    await kafkajs.eachBatch!(fetched(TOPICS.ordersStatus, 3));
    await settle();
    expect(status).toHaveLength(3);

    release();
    await settle();
    expect(routed).toHaveLength(2_001);
    expect(kafkajs.pauses).toEqual([`pause ${TOPICS.ordersRouted}`, `resume ${TOPICS.ordersRouted}`]);
    expect(kafkajs.committed.filter((c) => c.topic === TOPICS.ordersRouted).at(-1)?.offset).toBe(String(nextOffset - 3));
    await consumer.stop();
  });
});
