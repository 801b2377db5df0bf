import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { TOPICS } from '../../domain/events/topics.js';
import type { DeliveredMessage, EventBus, OutgoingMessage } from '../../ports/event-bus.js';

export interface BusUnderTest {
  newBus(): Promise<EventBus>;
  cleanUp(): Promise<void>;
}

const quote = (key: string, n: number): OutgoingMessage => ({
  topic: TOPICS.marketdataQuotes,
  key,
  eventId: uuidv7(),
  payload: {
    type: 'QuoteUpdated',
    symbol: key,
    venue: 'XNYS',
    bidPrice: String(n),
    bidSize: n,
    askPrice: null,
    askSize: 0,
    timestamp: new Date(0).toISOString(),
  },
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The semantics every EventBus implementation must have (embedded log, Kafka). */
export function describeEventBusContract(name: string, factory: () => Promise<BusUnderTest>): void {
  describe(`EventBus contract: ${name}`, () => {
    let subject: BusUnderTest;
    const buses: EventBus[] = [];
    const open = async () => {
      const bus = await subject.newBus();
      buses.push(bus);
      return bus;
    };

    afterEach(async () => {
      for (const bus of buses.splice(0)) await bus.close();
      await subject.cleanUp();
    });

    it('delivers every message to each group, in publish order per key', async () => {
      subject = await factory();
      const bus = await open();
      const sent = [quote('A', 1), quote('B', 1), quote('A', 2), quote('A', 3), quote('B', 2)];
      const seen: Record<string, DeliveredMessage[]> = { g1: [], g2: [] };
      for (const group of ['g1', 'g2'])
        await bus.subscribe({ group, topic: TOPICS.marketdataQuotes, handler: async (batch) => void seen[group]!.push(...batch) });
      await bus.publish(sent);
      await until(() => seen.g1!.length === 5 && seen.g2!.length === 5);
      // Order is promised per key (Kafka: per partition), not across keys.
      const ofKey = (messages: readonly OutgoingMessage[], key: string) => messages.filter((m) => m.key === key).map((m) => m.eventId);
      for (const group of ['g1', 'g2']) {
        for (const key of ['A', 'B']) expect(ofKey(seen[group]!, key)).toEqual(ofKey(sent, key));
        const offsetsOfA = seen[group]!.filter((m) => m.key === 'A').map((m) => m.offset);
        expect([...offsetsOfA].sort((a, b) => (a < b ? -1 : 1))).toEqual(offsetsOfA);
      }
    });

    it("hands each topic of a subscription to that topic's handler, in publish order per key", async () => {
      subject = await factory();
      const bus = await open();
      const status = (key: string, n: number): OutgoingMessage => ({ ...quote(key, n), topic: TOPICS.ordersStatus });
      const seen = new Map<string, DeliveredMessage[]>([
        [TOPICS.marketdataQuotes, []],
        [TOPICS.ordersStatus, []],
      ]);
      const into = (topic: string) => async (batch: readonly DeliveredMessage[]) => void seen.get(topic)!.push(...batch);
      await bus.subscribe({
        group: 'both',
        handlers: { [TOPICS.marketdataQuotes]: into(TOPICS.marketdataQuotes), [TOPICS.ordersStatus]: into(TOPICS.ordersStatus) },
      });
      const sent = [quote('A', 1), status('A', 1), quote('A', 2), status('A', 2), status('A', 3)];
      await bus.publish(sent);
      await until(() => seen.get(TOPICS.marketdataQuotes)!.length === 2 && seen.get(TOPICS.ordersStatus)!.length === 3);
      for (const [topic, messages] of seen) expect(messages.map((m) => m.eventId)).toEqual(sent.filter((m) => m.topic === topic).map((m) => m.eventId));
    });

    it('redelivers a batch whose handler failed', async () => {
      subject = await factory();
      const bus = await open();
      let attempts = 0;
      const handled: string[] = [];
      await bus.subscribe({
        group: 'flaky',
        topic: TOPICS.marketdataQuotes,
        handler: async (batch) => {
          attempts++;
          if (attempts === 1) throw new Error('transient');
          handled.push(...batch.map((m) => m.eventId));
        },
      });
      const message = quote('A', 1);
      await bus.publish([message]);
      await until(() => handled.length === 1);
      expect(handled).toEqual([message.eventId]);
      expect(attempts).toBe(2);
    });
  });
}
