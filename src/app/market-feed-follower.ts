import { MarketFeedFreshness } from '../adapters/market-feed/market-feed-freshness.js';
import type { Logger } from '../adapters/observability/pino-logger.js';
import { followMarketSteps, marketFeedChannel, type MarketFeedFollower } from '../adapters/redis/market-feed-channel.js';
import type { RedisSettings } from '../config/config.js';
import type { MarketSnapshot } from '../domain/events/messages.js';
import type { Clock } from '../ports/clock.js';
import type { HealthIndicator } from '../ports/health.js';

export interface MarketFeedFollowing {
  readonly follower: MarketFeedFollower;
  /** DOWN once no step came for a while (not gating readiness): see MarketFeedFreshness. */
  readonly freshness: HealthIndicator;
}

/**
 * A process's following of the market feed (a service's replica, the broker simulator's venues):
 * each step to `onStep`, a step that cannot be read logged and skipped, and a silent feed reported.
 */
export async function followMarketFeed(options: {
  readonly redis: RedisSettings;
  /** Names the Redis connection (CLIENT LIST), e.g. `sor-engine-1-market`. */
  readonly connectionName: string;
  readonly stepMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly onStep: (step: readonly MarketSnapshot[]) => void;
}): Promise<MarketFeedFollowing> {
  const { redis, connectionName, logger, onStep } = options;
  const freshness = new MarketFeedFreshness(options.clock, options.stepMs);
  const follower = await followMarketSteps(
    { host: redis.host, port: redis.port, connectionName, onError: (error) => logger.debug({ err: error }, 'Redis market feed connection error') },
    marketFeedChannel(redis.keyPrefix),
    (step) => {
      freshness.stepArrived();
      onStep(step);
    },
    (error) => logger.error({ err: error }, 'skipping a market step that could not be read'),
  );
  return { follower, freshness: freshness.indicator };
}
