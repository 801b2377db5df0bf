import { join } from 'node:path';
import { FileStore, FixAcceptor, type LogonLimits } from '../../fix/index.js';
import { lastResetBoundary, parseDailyTime } from '../../lib/daily-time.js';
import type { VenueEndpoint } from '../../config/config.js';
import type { SimulatedMarket } from '../market/simulated-market.js';
import { VenueMatchingEngine } from '../venue/venue-matching-engine.js';
import type { Logger } from '../../ports/logger.js';
import { DurableVenue } from './durable-venue.js';
import { sendExecutions, venueFixApplication } from './venue-fix-application.js';

interface SimulatedVenueRuntime {
  readonly endpoint: VenueEndpoint;
  readonly venue: DurableVenue;
  readonly acceptor: FixAcceptor;
}

export interface BrokerSimulatorOptions {
  readonly market: SimulatedMarket;
  readonly venues: readonly VenueEndpoint[];
  /** FIX session stores, one directory per venue. */
  readonly storeDir: string;
  /** Resting orders, one file per venue, kept across restarts; without it the books live in memory only. */
  readonly bookDir?: string;
  readonly logger: Logger;
  /** Daily session reset 'HH:MM:SS' UTC; it also ends the trading day of DAY orders (midnight UTC without it). */
  readonly resetAtUtc?: string;
  readonly logonLimits?: LogonLimits;
}

/**
 * The broker simulator: each configured venue becomes a FIX 4.4 acceptor on its port, with a
 * matching engine over the shared simulated market. Sessions keep their sequence numbers on disk,
 * and venues their resting orders (GTC, and DAY within their trading day), as real venues do.
 */
export class BrokerSimulator {
  private readonly runtimes: SimulatedVenueRuntime[];

  constructor(options: BrokerSimulatorOptions) {
    const tradingDayStart = lastResetBoundary(parseDailyTime(options.resetAtUtc ?? '00:00:00'), Date.now());
    this.runtimes = options.venues.map((endpoint) => {
      const bookPath = options.bookDir === undefined ? undefined : join(options.bookDir, endpoint.name, 'resting-orders.jsonl');
      const venue = DurableVenue.open(new VenueMatchingEngine(endpoint.name, options.market), bookPath, { tradingDayStart, logger: options.logger });
      const acceptor = new FixAcceptor(
        {
          port: endpoint.port,
          host: endpoint.host,
          logger: options.logger,
          ...options.logonLimits,
          // The venue's side of the session: our target is its sender.
          sessions: [
            {
              senderCompId: endpoint.targetCompId,
              targetCompId: endpoint.senderCompId,
              store: new FileStore(join(options.storeDir, endpoint.name)),
              resetAtUtc: options.resetAtUtc,
            },
          ],
        },
        venueFixApplication(venue, options.logger),
      );
      return { endpoint, venue, acceptor };
    });
  }

  async start(): Promise<void> {
    for (const runtime of this.runtimes) await runtime.acceptor.start();
  }

  async stop(): Promise<void> {
    for (const runtime of this.runtimes) await runtime.acceptor.stop();
    for (const runtime of this.runtimes) await runtime.venue.close();
  }

  /** The venues as listening now (a configured port 0 becomes the port the system chose). */
  endpoints(): VenueEndpoint[] {
    return this.runtimes.map(({ endpoint, acceptor }) => ({ ...endpoint, port: acceptor.port }));
  }

  /** After each market step: fills of resting orders go out as ExecutionReports. */
  onMarketStep(): void {
    for (const { venue, acceptor, endpoint } of this.runtimes) {
      const executions = venue.onMarketStep();
      if (executions.length === 0) continue;
      const session = acceptor.session(endpoint.targetCompId, endpoint.senderCompId);
      if (session) sendExecutions(session, executions);
    }
  }
}
