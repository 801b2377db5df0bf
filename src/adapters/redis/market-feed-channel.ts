import type { Redis } from 'ioredis';
import type { MarketSnapshot } from '../../domain/events/messages.js';
import { createRedisClient, waitForRedisReady, closeRedisClient, type RedisConnectionOptions } from './redis-connection.js';

/**
 * The channel each market step goes out on. Redis prefixes keys but not channels, so the key
 * prefix is added here: deployments (and tests) sharing one Redis hear only their own market.
 */
export const marketFeedChannel = (keyPrefix = ''): string => `${keyPrefix}marketdata.quotes`;

/**
 * Publishes one market step (every symbol's snapshot) as one message to every process that
 * follows the market. Market data is superseded every step and not business state: Redis'
 * publish/subscribe fans it out as it comes, with no consumer group, log or offset to keep, and a
 * step a follower missed (Redis down, a reconnect) is replaced by the next. Resolves with how many
 * followers got it; rejects when Redis did not take it.
 */
export async function publishMarketStep(client: Redis, channel: string, snapshots: readonly MarketSnapshot[]): Promise<number> {
  return client.publish(channel, JSON.stringify(snapshots));
}

export interface MarketFeedFollower {
  stop(): Promise<void>;
}

/**
 * Follows the market steps published on `channel`, on a connection of its own (a subscribed
 * connection takes no other command). ioredis subscribes again after each reconnection. A
 * message that is not a list of MarketSnapshots is reported and skipped.
 */
export async function followMarketSteps(
  connection: RedisConnectionOptions,
  channel: string,
  onStep: (snapshots: readonly MarketSnapshot[]) => void,
  onBadMessage: (error: Error) => void,
  readyTimeoutMs = 10_000,
): Promise<MarketFeedFollower> {
  const client = createRedisClient(connection);
  try {
    await waitForRedisReady(client, readyTimeoutMs);
    client.on('message', (from: string, text: string) => {
      if (from !== channel) return;
      try {
        onStep(parseStep(text));
      } catch (error) {
        onBadMessage(error instanceof Error ? error : new Error(String(error)));
      }
    });
    await client.subscribe(channel);
  } catch (error) {
    await closeRedisClient(client);
    throw error;
  }
  return { stop: () => closeRedisClient(client) };
}

function parseStep(text: string): MarketSnapshot[] {
  const step: unknown = JSON.parse(text);
  if (!Array.isArray(step)) throw new Error('a market step is not a list of snapshots');
  return step.map((snapshot: unknown) => {
    if (!isSnapshot(snapshot)) throw new Error('a market step holds something other than a MarketSnapshot');
    return snapshot;
  });
}

function isSnapshot(value: unknown): value is MarketSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Partial<MarketSnapshot>;
  return s.type === 'MarketSnapshot' && typeof s.symbol === 'string' && typeof s.timestamp === 'string' && Array.isArray(s.venues);
}
