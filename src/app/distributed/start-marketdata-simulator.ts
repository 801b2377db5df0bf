import { TOPICS } from '../../domain/events/topics.js';
import type { OutgoingMessage } from '../../ports/event-bus.js';
import { MarketDriver } from '../../simulation/market/market-driver.js';
import { marketSnapshot } from '../../simulation/market/market-snapshot.js';
import { simulatedMarket } from '../../simulation/market/simulated-market.js';
import { GrpcServer } from '../../adapters/grpc/grpc-server.js';
import { RedisQuoteCache } from '../../adapters/redis/quote-cache.js';
import { marketFeedChannel, publishMarketStep } from '../../adapters/redis/market-feed-channel.js';
import { marketDataRoutes } from '../service-parts.js';
import { connectRedis } from './redis.js';
import type { ServiceRuntime } from './service-runtime.js';

/**
 * marketdata-simulator: the seeded market, stepped every MARKET_STEP_MS, published after each step
 * as one MarketSnapshot per symbol on marketdata.quotes (key: symbol), and as one message per step
 * on Redis' channel of the same name, which the other services follow (a Kafka consumer group per
 * process only to keep the latest snapshot cost each of them a fetch loop). Market data is not
 * business state: it goes straight to Kafka and Redis, not through the outbox, and a step that
 * cannot be published is skipped (the next one supersedes it). Also: the latest quotes in Redis,
 * and the gRPC MarketDataService (quotes once or as a stream).
 */
export async function startMarketdataSimulator(runtime: ServiceRuntime): Promise<void> {
  const bus = await runtime.connectBus();
  const { config, logger } = runtime;
  const market = simulatedMarket(config.marketSeed, config.venues);
  const driver = new MarketDriver(market, config.marketStepMs);
  const redis = await connectRedis(runtime, 'cache');
  const channel = marketFeedChannel(config.redis.keyPrefix);
  let inFlight = false;
  let failing = false;
  let feedFailing = false;
  driver.onStep(() => {
    const at = runtime.clock.now();
    const snapshots = market.symbols().map((symbol) => marketSnapshot(market, symbol, at));
    publishMarketStep(redis, channel, snapshots).then(
      () => void (feedFailing = false),
      (error: unknown) => {
        if (!feedFailing) logger.warn({ err: error }, 'market step not published on Redis; later steps will be');
        feedFailing = true;
      },
    );
    if (inFlight) return;
    inFlight = true;
    const messages: OutgoingMessage[] = snapshots.map((payload) => ({
      topic: TOPICS.marketdataQuotes,
      key: payload.symbol,
      eventId: runtime.newId(),
      payload,
    }));
    bus
      .publish(messages)
      .then(
        () => {
          if (failing) logger.info('market data publishing again');
          failing = false;
        },
        (error: unknown) => {
          if (!failing) logger.warn({ err: error }, 'market data step not published; later steps will be');
          failing = true;
        },
      )
      .finally(() => (inFlight = false));
  });
  // The latest quotes in Redis for readers without a Kafka consumer; best effort, like the feed.
  const quoteCache = new RedisQuoteCache(redis, { log: logger });
  driver.onStep(() => {
    const at = runtime.clock.now().toISOString();
    for (const symbol of market.symbols())
      void quoteCache.putQuotes(
        symbol,
        market.quotes(symbol).map((q) => ({ ...q, timestamp: at })),
      );
  });
  const grpc = new GrpcServer({ port: config.grpcPort, host: config.host, services: [marketDataRoutes(runtime, market, driver)] });
  await grpc.start();
  runtime.add('gRPC server', grpc);
  driver.start();
  runtime.add('market driver', driver);
  const notTaken = () => [failing && 'Kafka', feedFailing && 'Redis'].filter(Boolean).join(' and ');
  runtime.health.push({
    name: 'market data publishing',
    gatesReadiness: true,
    check: async () => (notTaken() ? { up: false, detail: `${notTaken()} did not take the last step` } : { up: true }),
  });
}
