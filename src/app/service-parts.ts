import { FixVenueGateway } from '../adapters/fix-venue/fix-venue-gateway.js';
import { marketDataGrpcRoutes, QuoteChangeFeed } from '../adapters/grpc/marketdata-grpc-service.js';
import type { GrpcRoutes } from '../adapters/grpc/grpc-server.js';
import type { Logger } from '../adapters/observability/pino-logger.js';
import type { MessageStore } from '../fix/index.js';
import type { ExecutionReportSink } from '../ports/venue-gateway.js';
import type { LiveChild } from '../ports/child-orders.js';
import { ChildReconciler } from '../services/execution-adapter/child-reconciler.js';
import { SessionClose } from '../services/oms-core/session-close.js';
import type { MarketDriver } from '../simulation/market/market-driver.js';
import type { SimulatedMarket } from '../simulation/market/simulated-market.js';
import type { VenueEndpoint } from '../config/config.js';
import type { ProcessHost } from './process-host.js';

/**
 * Parts of the services that both modes start the same way, whatever carries their events (the
 * order flow in process, Kafka between processes): each mode's starter gives its own stores and
 * sinks, so the two cannot drift apart in how the parts are built, stopped and checked.
 */

export interface VenueSessionParts {
  readonly venues: readonly VenueEndpoint[];
  /** Every venue's message store (sequence numbers and sent messages): files, or PostgreSQL. */
  readonly stores: ReadonlyMap<string, MessageStore>;
  readonly onReport: ExecutionReportSink;
  /** The children believed live at a venue: asked about after each logon, as the venue may have restarted. */
  readonly liveChildren: (venue: string) => Promise<LiveChild[]>;
  readonly logger: Logger;
}

/** execution-adapter's FIX side: an initiator session per venue, not yet started (startVenueSessions). */
export function venueSessions(host: ProcessHost, parts: VenueSessionParts): FixVenueGateway {
  const { config, metrics } = host;
  const gateway: FixVenueGateway = new FixVenueGateway({
    venues: parts.venues,
    storeFor: (venue) => {
      const store = parts.stores.get(venue);
      if (!store) throw new Error(`no FIX message store for venue ${venue}`);
      return store;
    },
    heartBtIntSeconds: config.fixHeartbeatSeconds,
    resetAtUtc: config.fixResetAtUtc,
    onReport: parts.onReport,
    onLogon: (venue) => reconciler.reconcile(venue),
    logger: parts.logger,
    metrics,
  });
  const reconciler = new ChildReconciler({
    liveChildren: parts.liveChildren,
    requestStatus: (venue, child) => gateway.requestStatus(venue, child),
    logger: parts.logger,
  });
  return gateway;
}

/** Logs on to every venue; the sessions stop with the host and show in its health. */
export async function startVenueSessions(host: ProcessHost, gateway: FixVenueGateway): Promise<void> {
  await gateway.start();
  host.add('execution-adapter FIX sessions', gateway);
  host.health.push(gateway.healthIndicator());
}

/** oms-core's session close (SESSION_CLOSE_UTC): DAY orders still working then expire. Nothing when unset. */
export function startSessionClose(host: ProcessHost, expireDayOrders: () => Promise<number>, logger: Logger): void {
  const { sessionCloseUtc } = host.config;
  if (!sessionCloseUtc) return;
  const close = new SessionClose({ closeUtc: sessionCloseUtc, clock: host.clock, expireDayOrders, logger });
  close.start();
  host.add('session close', close);
}

/** The gRPC MarketDataService over the simulated market: quotes once, or as a stream of each step's changes. */
export function marketDataRoutes(host: ProcessHost, market: SimulatedMarket, driver: MarketDriver): GrpcRoutes {
  const changes = new QuoteChangeFeed();
  driver.onStep(() => changes.publish(market.symbols()));
  return marketDataGrpcRoutes({ marketData: market, onQuotes: changes.onQuotes, clock: host.clock });
}
