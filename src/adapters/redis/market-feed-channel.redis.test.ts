import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MarketSnapshot } from '../../domain/events/messages.js';
import { followMarketSteps, marketFeedChannel, publishMarketStep, type MarketFeedFollower } from './market-feed-channel.js';
import type { Redis } from './redis-connection.js';
import { cleanUpRedis, connectTestRedis, TEST_REDIS, uniqueKeyPrefix } from './test-support/redis.js';

const snapshot = (symbol: string, bid: string, timestamp: string): MarketSnapshot => ({
  type: 'MarketSnapshot',
  symbol,
  referencePrice: bid,
  venues: [{ venue: 'XNYS', bids: [[bid, 300]], asks: [['150.27', 200]] }],
  timestamp,
});

/** Resolves with the next `count` steps a follower hears, or rejects after 5 s. */
function collector() {
  const steps: (readonly MarketSnapshot[])[] = [];
  let wake = (): void => undefined;
  return {
    onStep: (step: readonly MarketSnapshot[]) => (steps.push(step), wake()),
    steps,
    async waitFor(count: number): Promise<void> {
      const deadline = Date.now() + 5_000;
      while (steps.length < count) {
        if (Date.now() > deadline) throw new Error(`heard ${steps.length} steps, expected ${count}`);
        await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, 50)));
      }
    },
  };
}

describe('the market feed over Redis publish/subscribe', () => {
  const prefix = uniqueKeyPrefix();
  let publisher: Redis;
  const followers: MarketFeedFollower[] = [];
  const connection = { host: TEST_REDIS.host, port: TEST_REDIS.port };

  beforeAll(async () => {
    publisher = await connectTestRedis({ keyPrefix: prefix });
  });
  afterAll(async () => {
    await Promise.all(followers.map((f) => f.stop()));
    await cleanUpRedis(prefix, publisher);
  });

  it('hands every follower each step whole, prices as published, and nothing of another prefix', async () => {
    const channel = marketFeedChannel(prefix);
    const [first, second, elsewhere] = [collector(), collector(), collector()];
    const onBad = (error: Error) => expect.fail(error.message);
    followers.push(await followMarketSteps(connection, channel, first.onStep, onBad));
    followers.push(await followMarketSteps(connection, channel, second.onStep, onBad));
    followers.push(await followMarketSteps(connection, marketFeedChannel(uniqueKeyPrefix()), elsewhere.onStep, onBad));

    const step = [snapshot('AAPL', '0.30000001', '2026-01-05T14:30:00.100Z'), snapshot('MSFT', '12345678901.00000001', '2026-01-05T14:30:00.100Z')];
    expect(await publishMarketStep(publisher, channel, step)).toBe(2);
    await first.waitFor(1);
    await second.waitFor(1);
    expect(first.steps).toEqual([step]);
    expect(second.steps).toEqual([step]);
    expect(elsewhere.steps).toEqual([]);
  });

  it('reports a message that is not a market step, skips it, and goes on with the next', async () => {
    const channel = marketFeedChannel(uniqueKeyPrefix());
    const heard = collector();
    const bad: string[] = [];
    followers.push(await followMarketSteps(connection, channel, heard.onStep, (error) => void bad.push(error.message)));
    await publisher.publish(channel, '{"type":"OrderReceived"}');
    await publisher.publish(channel, JSON.stringify([{ type: 'OrderReceived' }]));
    await publisher.publish(channel, 'not json');
    const good = [snapshot('AAPL', '150.25', '2026-01-05T14:30:00.200Z')];
    await publishMarketStep(publisher, channel, good);
    await heard.waitFor(1);
    expect(heard.steps).toEqual([good]);
    expect(bad).toHaveLength(3);
    expect(bad[0]).toMatch(/not a list of snapshots/);
    expect(bad[1]).toMatch(/other than a MarketSnapshot/);
  });

  it('subscribes again by itself after Redis dropped its connection', async () => {
    const channel = marketFeedChannel(uniqueKeyPrefix());
    const heard = collector();
    const name = `market-feed-test-${prefix}`;
    followers.push(await followMarketSteps({ ...connection, connectionName: name }, channel, heard.onStep, (error) => expect.fail(error.message)));
    const killed = Number(await publisher.call('CLIENT', 'KILL', 'ID', String(await clientId(publisher, name))));
    expect(killed).toBe(1);
    const step = [snapshot('AAPL', '150.26', '2026-01-05T14:30:00.300Z')];
    // Published until heard: the follower is back once Redis counts it among the channel's subscribers again.
    const deadline = Date.now() + 10_000;
    while (heard.steps.length === 0 && Date.now() < deadline) {
      await publishMarketStep(publisher, channel, step);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(heard.steps[0]).toEqual(step);
  });
});

/** The id Redis gives the connection named `name` (CLIENT LIST). */
async function clientId(client: Redis, name: string): Promise<number> {
  const list = String(await client.call('CLIENT', 'LIST'));
  const line = list.split('\n').find((l) => l.includes(` name=${name} `));
  if (!line) throw new Error(`no Redis connection named ${name}`);
  return Number(/(?:^|\s)id=(\d+)/.exec(line)![1]);
}
