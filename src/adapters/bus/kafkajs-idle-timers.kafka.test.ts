import { createRequire } from 'node:module';
import { Kafka, logLevel } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import { TOPICS } from '../../domain/events/topics.js';
import type { DeliveredMessage } from '../../ports/event-bus.js';
import { parseBootstrap } from './kafka-topics.js';
import { mendKafkajsIdleTimers } from './kafkajs-idle-timers.js';
import { testKafkaBootstrap, testKafkaBus, uniqueSuffix } from './test-support/kafka.js';

const RequestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as { prototype: { checkPendingRequests(): void } };

/** Counts kafkajs' checks of its connections' request queues, from now on. */
function countQueueChecks(): { count(): number; reset(): void } {
  let checks = 0;
  const original = RequestQueue.prototype.checkPendingRequests;
  RequestQueue.prototype.checkPendingRequests = function (this: unknown) {
    checks++;
    original.call(this);
  };
  return { count: () => checks, reset: () => void (checks = 0) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mendKafkajsIdleTimers on the mock broker', () => {
  const kafka = new Kafka({ clientId: `idle-timers-${uniqueSuffix()}`, brokers: parseBootstrap(testKafkaBootstrap()), logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  afterAll(() => producer.disconnect());

  it('stops the timer loop of an idle connection, and messages still flow', async () => {
    const checks = countQueueChecks();
    await producer.connect();
    await producer.send({ topic: TOPICS.marketdataQuotes, messages: [{ key: 'IDLE', value: 'before the mend' }] });
    await sleep(100);
    checks.reset();
    await sleep(1_000);
    // Unmended, each open connection re-checks its empty queue about every millisecond.
    const unmended = checks.count();
    expect(unmended).toBeGreaterThan(200);

    mendKafkajsIdleTimers();
    await sleep(100);
    checks.reset();
    await sleep(1_000);
    // Mended, an idle connection's queue is checked only when a request completes: none here.
    expect(checks.count()).toBeLessThan(5);

    // The same client still sends, and a bus built after the mend still delivers.
    await producer.send({ topic: TOPICS.marketdataQuotes, messages: [{ key: 'IDLE', value: 'after the mend' }] });
    const bus = testKafkaBus({ fromBeginning: false });
    const received: DeliveredMessage[] = [];
    const subscription = await bus.subscribe({
      group: `idle-timers-${uniqueSuffix()}`,
      topic: TOPICS.marketdataQuotes,
      handler: async (batch) => void received.push(...batch),
    });
    const eventId = uuidv7();
    await bus.publish([
      {
        topic: TOPICS.marketdataQuotes,
        key: 'IDLE',
        eventId,
        payload: {
          type: 'QuoteUpdated',
          symbol: 'IDLE',
          venue: 'XNYS',
          bidPrice: '1.5',
          bidSize: 1,
          askPrice: null,
          askSize: 0,
          timestamp: new Date(0).toISOString(),
        },
      },
    ]);
    const deadline = Date.now() + 20_000;
    while (!received.some((m) => m.eventId === eventId) && Date.now() < deadline) await sleep(20);
    await subscription.stop();
    await bus.close();
    expect(received.map((m) => m.eventId)).toContain(eventId);
  });
});
