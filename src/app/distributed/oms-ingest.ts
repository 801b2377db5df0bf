import { TOPICS } from '../../domain/events/topics.js';
import { GrpcServer } from '../../adapters/grpc/grpc-server.js';
import { registerOrderAmendmentRoutes } from '../../adapters/http/order-amendment-routes.js';
import { outboxAppender } from '../../adapters/outbox/index.js';
import { OrderAmendmentService } from '../../services/oms-ingest/order-amendment-service.js';
import { orderGrpcRoutes } from '../../adapters/grpc/order-grpc-service.js';
import { registerMarketRoutes } from '../../adapters/http/market-routes.js';
import { registerRiskForwarding } from '../../adapters/http/risk-forwarding.js';
import { registerOrderRoutes } from '../../adapters/http/order-routes.js';
import { registerOrderStreamRoute } from '../../adapters/http/order-stream-route.js';
import { installWebApp } from '../../adapters/http/web-app.js';
import { registerMeRoute } from '../../adapters/http/me-route.js';
import { OrderIngestStore, outboxIntake } from '../../adapters/sql/order-ingest-store.js';
import { SqlOrderQueries } from '../../adapters/sql/sql-order-queries.js';
import { OrderIngestService } from '../../services/oms-ingest/order-ingest-service.js';
import { OrderUpdateHub } from '../../services/oms-ingest/order-update-hub.js';
import { RedisOrderStatusCache } from '../../adapters/redis/order-status-cache.js';
import { OrderStatusReader } from '../../services/oms-ingest/order-status-reader.js';
import { startFixGatewayWhenOwner } from './fix-gateway.js';
import { followMarket } from './market-feed.js';
import { connectRedis } from './redis.js';
import type { ServiceRuntime } from './service-runtime.js';

/**
 * oms-ingest: the REST (and gRPC) API. An order is acknowledged once it and its OrderReceived
 * event are committed to PostgreSQL; this process's outbox relay (or any other's) takes the event
 * to Kafka. With PostgreSQL unreachable, submissions get 503 and nothing is acknowledged.
 */
export async function startOmsIngest(runtime: ServiceRuntime): Promise<void> {
  const db = await runtime.connectDatabase();
  await runtime.connectBus();
  const marketData = await followMarket(runtime);
  const { config, clock, newId, metrics } = runtime;
  // Every instance streams every update to its own clients: a consumer group per instance.
  const updates = new OrderUpdateHub();
  await runtime.subscribe(`oms-ingest.order-updates.${config.instanceId}`, TOPICS.ordersStatus, updates.handle, 'latest');
  const relay = await runtime.startOutboxRelay();
  const queries = new SqlOrderQueries(db, marketData);
  const status = new OrderStatusReader(queries, new RedisOrderStatusCache(await connectRedis(runtime, 'cache'), { log: runtime.logger }));
  await runtime.subscribe('oms-ingest.status-cache', TOPICS.ordersStatus, status.handle);

  const ingestStore = new OrderIngestStore(db, { maxBatch: config.groupCommitMaxBatch, afterCommit: () => relay.wake() });
  const ingest = new OrderIngestService({ intake: outboxIntake(ingestStore, newId, runtime.stamp), clock, newId, metrics });
  const grpc = new GrpcServer({
    port: config.grpcPort,
    host: config.host,
    services: [orderGrpcRoutes({ ingest, queries, updates, authenticator: runtime.access.authenticator, onError: (error) => runtime.logger.error({ err: error }, 'order not stored') })],
  });
  await grpc.start();
  runtime.add('gRPC server', grpc);
  // The web blotter's question of who its user is, beside the page it serves.
  registerMeRoute(runtime.http);
  registerOrderStreamRoute(runtime.http, updates);
  registerOrderRoutes(runtime.http, { ingest, queries, status });
  const amendments = new OrderAmendmentService({ queries, append: outboxAppender(db, () => relay.wake(), runtime.stamp), newId });
  registerOrderAmendmentRoutes(runtime.http, amendments);
  if (config.fixGateway.port !== undefined) startFixGatewayWhenOwner(runtime, { ingest, amendments, orderStatus: (orderId) => queries.orderStatus(orderId) });
  registerMarketRoutes(runtime.http, { marketData, queries });
  // The risk API is risk-service's: forwarded, so the web blotter's risk view works from this one origin.
  await registerRiskForwarding(runtime.http, { riskServiceUrl: config.riskApiUrl });
  await installWebApp(runtime.http);
  runtime.afterHttpClose(() => ingestStore.drain());
}
