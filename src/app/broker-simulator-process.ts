import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrokerSimulatorConfig } from '../config/broker-simulator-config.js';
import type { Logger } from '../adapters/observability/pino-logger.js';
import type { MarketSnapshot } from '../domain/events/messages.js';
import { DataDictionary } from '../fix/index.js';
import { BrokerSimulator } from '../simulation/broker/broker-simulator.js';
import { createReflector } from '../simulation/broker/reflector.js';
import { MarketDriver } from '../simulation/market/market-driver.js';
import { simulatedMarket } from '../simulation/market/simulated-market.js';
import { ShutdownSequence } from './shutdown-sequence.js';
import { createHttpApp } from '../adapters/http/app.js';
import { registerActuatorRoutes } from '../adapters/http/actuator-routes.js';
import { createMetrics } from '../adapters/observability/prometheus-metrics.js';
import type { HealthIndicator } from '../ports/health.js';
import { systemClock } from '../ports/clock.js';
import { followMarketFeed } from './market-feed-follower.js';

export interface RunningBrokerSimulator {
  /** Where each FIX acceptor listens (a configured port 0 shows the port chosen). */
  readonly listening: readonly { name: string; port: number }[];
  stop(): Promise<void>;
}

/** The broker simulator as a process of its own: simulated venues over their own market, or the reflector. */
export async function startBrokerSimulator(config: BrokerSimulatorConfig, logger: Logger): Promise<RunningBrokerSimulator> {
  const shutdown = new ShutdownSequence();
  const stop = () => shutdown.stopAll(logger);
  try {
    if (config.mode === 'reflector') {
      const dictionary = config.dictionaryPath ? DataDictionary.fromXml(readFileSync(config.dictionaryPath, 'utf8')) : undefined;
      const reflector = createReflector({
        port: config.port,
        host: config.host,
        senderCompId: config.senderCompId,
        targetCompIds: config.clientCompIds,
        logger,
        dictionary,
        logonLimits: config.fixLogonLimits,
      });
      await reflector.start();
      shutdown.add('reflector', reflector);
      return { listening: [{ name: 'reflector', port: reflector.port }], stop };
    }
    const market = simulatedMarket(config.marketSeed, config.venues);
    const venues = config.venues.map((venue) => ({ ...venue, host: config.host }));
    const broker = new BrokerSimulator({
      market,
      venues,
      storeDir: join(config.dataDir, 'fix', 'broker-simulator'),
      bookDir: join(config.dataDir, 'broker-simulator'),
      logger,
      resetAtUtc: config.resetAtUtc,
      logonLimits: config.fixLogonLimits,
    });
    await broker.start();
    shutdown.add('broker-simulator', broker);
    const health: HealthIndicator[] = [
      { name: 'FIX acceptors', gatesReadiness: true, check: async () => ({ up: true, detail: `${broker.endpoints().length} venues` }) },
    ];
    if (config.marketFeed === 'redis') {
      const onStep = (step: readonly MarketSnapshot[]) => {
        for (const snapshot of step) market.load(snapshot);
        broker.onMarketStep();
      };
      const { follower, freshness } = await followMarketFeed({
        redis: config.redis,
        connectionName: `broker-simulator-${config.instanceId}-market`,
        stepMs: config.marketStepMs,
        clock: systemClock,
        logger,
        onStep,
      });
      shutdown.add('market feed', follower);
      health.push(freshness);
    } else {
      const driver = new MarketDriver(market, config.marketStepMs);
      driver.onStep(() => broker.onMarketStep());
      driver.start();
      shutdown.add('market data simulator', driver);
    }
    const metrics = createMetrics();
    const http = createHttpApp({ logger, metrics });
    registerActuatorRoutes(http, { health, registry: metrics.registry });
    await http.listen({ port: config.httpPort, host: config.host });
    shutdown.add('http', { stop: () => http.close() });
    return { listening: broker.endpoints().map((e) => ({ name: e.name, port: e.port })), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
