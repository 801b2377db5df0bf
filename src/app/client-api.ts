import { FixOrderGateway, type FixOrderGatewayOptions } from '../adapters/fix-gateway/fix-order-gateway.js';
import { GrpcServer, type GrpcRoutes } from '../adapters/grpc/grpc-server.js';
import { orderGrpcRoutes } from '../adapters/grpc/order-grpc-service.js';
import { callerSubject } from '../adapters/http/access-guard.js';
import { registerMarketRoutes } from '../adapters/http/market-routes.js';
import { registerMeRoute } from '../adapters/http/me-route.js';
import { registerOrderAmendmentRoutes } from '../adapters/http/order-amendment-routes.js';
import { registerOrderRoutes } from '../adapters/http/order-routes.js';
import { registerOrderStreamRoute } from '../adapters/http/order-stream-route.js';
import { registerRiskRoutes } from '../adapters/http/risk-routes.js';
import { installWebApp } from '../adapters/http/web-app.js';
import { engagedKillSwitches } from '../adapters/observability/kill-switch-sample.js';
import type { MarketDataView } from '../ports/market-data.js';
import type { OrderQueries } from '../ports/order-queries.js';
import type { OrderAmendmentService } from '../services/oms-ingest/order-amendment-service.js';
import type { OrderIngestService } from '../services/oms-ingest/order-ingest-service.js';
import type { OrderStatusReader } from '../services/oms-ingest/order-status-reader.js';
import type { OrderUpdateHub } from '../services/oms-ingest/order-update-hub.js';
import { RiskControlService, type RiskControlsDeps } from '../services/risk-service/risk-controls.js';
import type { ProcessHost } from './process-host.js';

/** What oms-ingest's API serves from; each mode builds these over its own order flow and stores. */
export interface OrderApiParts {
  readonly ingest: OrderIngestService;
  readonly amendments: OrderAmendmentService;
  readonly queries: OrderQueries;
  readonly status: OrderStatusReader;
  readonly updates: OrderUpdateHub;
  readonly marketData: MarketDataView;
  /** gRPC services served beside the order service on the same port (embedded mode: market data). */
  readonly moreGrpc?: readonly GrpcRoutes[];
}

/**
 * oms-ingest's client API, one definition for both modes: orders over REST and gRPC, cancels and
 * replaces, the order stream, market views, the caller's identity and the web blotter. Where the
 * risk API is served (in process, or forwarded to risk-service) and who owns the clients' FIX
 * gateway differ by mode, so each mode's starter calls serveRiskApi and clientFixGateway itself.
 */
export async function serveOrderApi(host: ProcessHost, parts: OrderApiParts): Promise<void> {
  const { ingest, amendments, queries, status, updates, marketData } = parts;
  const grpc = new GrpcServer({
    port: host.config.grpcPort,
    host: host.config.host,
    services: [
      orderGrpcRoutes({
        ingest,
        queries,
        updates,
        authenticator: host.access.authenticator,
        onError: (error) => host.logger.error({ err: error }, 'order not stored'),
      }),
      ...(parts.moreGrpc ?? []),
    ],
  });
  await grpc.start();
  host.add('gRPC server', grpc);
  // The web blotter's question of who its user is, beside the page it serves.
  registerMeRoute(host.http);
  registerOrderStreamRoute(host.http, updates);
  registerOrderRoutes(host.http, { ingest, queries, status });
  registerOrderAmendmentRoutes(host.http, amendments);
  registerMarketRoutes(host.http, { marketData, queries });
  await installWebApp(host.http);
}

/**
 * risk-service's API, limits and kill switches, one definition for both modes: each mode gives
 * its control store and how a kill switch cancels working orders (the order flow in process, the
 * outbox in distributed mode). The engaged switches are a metric too.
 */
export function serveRiskApi(host: ProcessHost, deps: Omit<RiskControlsDeps, 'clock'>): void {
  registerRiskRoutes(host.http, new RiskControlService({ ...deps, clock: host.clock }), { actorOf: callerSubject });
  host.metrics.killSwitchesEngaged.sampleFrom(engagedKillSwitches(() => deps.store.killSwitches()));
}

/** What the clients' FIX gateway takes beyond its host's configuration: its session stores, its logger and the API's services. */
export type FixGatewayParts = Pick<FixOrderGatewayOptions, 'store' | 'logger' | 'ingest' | 'amendments' | 'orderStatus'>;

/** The clients' FIX order-entry gateway on the configured FIX_GATEWAY_PORT, not yet started; one definition for both modes. */
export function clientFixGateway(host: ProcessHost, parts: FixGatewayParts): FixOrderGateway {
  const { config } = host;
  if (config.fixGateway.port === undefined) throw new Error('the FIX gateway needs FIX_GATEWAY_PORT');
  return new FixOrderGateway({
    ...config.fixGateway,
    port: config.fixGateway.port,
    host: config.host,
    resetAtUtc: config.fixResetAtUtc,
    logonLimits: config.fixLogonLimits,
    metrics: host.metrics,
    ...parts,
  });
}
