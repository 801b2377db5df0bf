import { MarketFeedFreshness } from '../../adapters/market-feed/market-feed-freshness.js';
import { MarketFeedReplica } from '../../adapters/market-feed/market-feed-replica.js';
import { followMarketSteps, marketFeedChannel } from '../../adapters/redis/market-feed-channel.js';
import { simulatedVenues, toVenueProfile } from '../../simulation/market/config.js';
import type { ServiceRuntime } from './service-runtime.js';

/**
 * The market as seen from a service other than the marketdata-simulator: every instance follows
 * the market steps on Redis' marketdata.quotes channel (each needs every snapshot, not a share;
 * no Kafka consumer group and fetch loop per process for it), and reports DOWN until snapshots
 * arrive. Venue fees and kinds come from the configured venue names.
 */
export async function followMarket(runtime: ServiceRuntime): Promise<MarketFeedReplica> {
  const replica = new MarketFeedReplica(simulatedVenues(runtime.config.venues.map((v) => v.name)).map(toVenueProfile));
  const { host, port, keyPrefix } = runtime.config.redis;
  const freshness = new MarketFeedFreshness(runtime.clock, runtime.config.marketStepMs);
  const follower = await followMarketSteps(
    { host, port, connectionName: `${runtime.service}-${runtime.config.instanceId}-market`, onError: (error) => runtime.logger.debug({ err: error }, 'Redis market feed connection error') },
    marketFeedChannel(keyPrefix),
    (step) => {
      freshness.stepArrived();
      for (const snapshot of step) replica.apply(snapshot);
    },
    (error) => runtime.logger.error({ err: error }, 'skipping a market step that could not be read'),
  );
  runtime.add('market feed', follower);
  runtime.health.push(freshness.indicator);
  runtime.health.push({
    name: 'market data',
    gatesReadiness: true,
    check: async () => {
      const symbols = replica.symbols();
      return symbols.length > 0 ? { up: true } : { up: false, detail: 'no market snapshot received yet' };
    },
  });
  return replica;
}
