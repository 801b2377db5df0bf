import { TOPICS } from '../../domain/events/topics.js';
import { MarketFeedReplica } from '../../adapters/market-feed/market-feed-replica.js';
import { simulatedVenues, toVenueProfile } from '../../simulation/market/config.js';
import type { ServiceRuntime } from './service-runtime.js';

/**
 * The market as seen from a service other than the marketdata-simulator: every instance follows
 * marketdata.quotes in a consumer group of its own (each needs every snapshot, not a share), and
 * reports DOWN until snapshots arrive. Venue fees and kinds come from the configured venue names.
 */
export async function followMarket(runtime: ServiceRuntime): Promise<MarketFeedReplica> {
  const replica = new MarketFeedReplica(simulatedVenues(runtime.config.venues.map((v) => v.name)).map(toVenueProfile));
  await runtime.subscribe(`${runtime.service}.market.${runtime.config.instanceId}`, TOPICS.marketdataQuotes, replica.handle, 'latest');
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
