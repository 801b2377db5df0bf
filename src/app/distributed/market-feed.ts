import { MarketFeedReplica } from '../../adapters/market-feed/market-feed-replica.js';
import { followMarketFeed } from '../market-feed-follower.js';
import { simulatedVenues, toVenueProfile } from '../../simulation/market/market-config.js';
import type { ServiceRuntime } from './service-runtime.js';

/**
 * The market as seen from a service other than the marketdata-simulator: every instance follows
 * the market steps on Redis' marketdata.quotes channel (each needs every snapshot, not a share;
 * no Kafka consumer group and fetch loop per process for it), and reports DOWN until snapshots
 * arrive. Venue fees and kinds come from the configured venue names.
 */
export async function followMarket(runtime: ServiceRuntime): Promise<MarketFeedReplica> {
  const replica = new MarketFeedReplica(simulatedVenues(runtime.config.venues.map((v) => v.name)).map(toVenueProfile));
  const { config } = runtime;
  const { follower, freshness } = await followMarketFeed({
    redis: config.redis,
    connectionName: `${runtime.service}-${config.instanceId}-market`,
    stepMs: config.marketStepMs,
    clock: runtime.clock,
    logger: runtime.logger,
    onStep: (step) => step.forEach((snapshot) => replica.apply(snapshot)),
  });
  runtime.add('market feed', follower);
  runtime.health.push(freshness);
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
