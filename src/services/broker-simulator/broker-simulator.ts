import { join } from 'node:path';
import { FileStore, FixAcceptor, type LogonLimits } from '../../fix/index.js';
import type { VenueEndpoint } from '../../config/config.js';
import type { SimulatedMarket } from '../../simulation/market/simulated-market.js';
import { VenueMatchingEngine } from '../../simulation/venue/venue-matching-engine.js';
import type { Logger } from '../../adapters/observability/logger.js';
import { sendExecutions, venueFixApplication } from './venue-fix-application.js';

interface SimulatedVenueRuntime {
  readonly endpoint: VenueEndpoint;
  readonly engine: VenueMatchingEngine;
  readonly acceptor: FixAcceptor;
}

/**
 * The broker simulator: each configured venue becomes a FIX 4.4 acceptor on its port, with a
 * matching engine over the shared simulated market. Sessions keep their sequence numbers on disk.
 */
export class BrokerSimulator {
  private readonly runtimes: SimulatedVenueRuntime[];

  constructor(options: { market: SimulatedMarket; venues: readonly VenueEndpoint[]; storeDir: string; logger: Logger; resetAtUtc?: string; logonLimits?: LogonLimits }) {
    this.runtimes = options.venues.map((endpoint) => {
      const engine = new VenueMatchingEngine(endpoint.name, options.market);
      const acceptor = new FixAcceptor(
        {
          port: endpoint.port,
          host: endpoint.host,
          logger: options.logger,
          ...options.logonLimits,
          // The venue's side of the session: our target is its sender.
          sessions: [{ senderCompId: endpoint.targetCompId, targetCompId: endpoint.senderCompId, store: new FileStore(join(options.storeDir, endpoint.name)), resetAtUtc: options.resetAtUtc }],
        },
        venueFixApplication(engine, options.logger),
      );
      return { endpoint, engine, acceptor };
    });
  }

  async start(): Promise<void> {
    for (const runtime of this.runtimes) await runtime.acceptor.start();
  }

  async stop(): Promise<void> {
    for (const runtime of this.runtimes) await runtime.acceptor.stop();
  }

  /** The venues as listening now (a configured port 0 becomes the port the system chose). */
  endpoints(): VenueEndpoint[] {
    return this.runtimes.map(({ endpoint, acceptor }) => ({ ...endpoint, port: acceptor.port }));
  }

  /** After each market step: fills of resting orders go out as ExecutionReports. */
  onMarketStep(): void {
    for (const { engine, acceptor, endpoint } of this.runtimes) {
      const executions = engine.onMarketStep();
      if (executions.length === 0) continue;
      const session = acceptor.session(endpoint.targetCompId, endpoint.senderCompId);
      if (session) sendExecutions(session, executions);
    }
  }
}
