import { TOPICS } from '../../domain/events/topics.js';
import { outboxAppender } from '../../adapters/outbox/index.js';
import { OrderAmendmentService } from '../../services/oms-ingest/order-amendment-service.js';
import { registerRiskForwarding } from '../../adapters/http/risk-forwarding.js';
import { OrderIngestStore, outboxIntake } from '../../adapters/sql/orders/order-ingest-store.js';
import { SqlOrderRecords } from '../../adapters/sql/orders/sql-order-records.js';
import { OrderQueryService } from '../../services/oms-ingest/order-query-service.js';
import { OrderIngestService } from '../../services/oms-ingest/order-ingest-service.js';
import { OrderUpdateHub } from '../../services/oms-ingest/order-update-hub.js';
import { RedisOrderStatusCache } from '../../adapters/redis/redis-order-status-cache.js';
import { OrderStatusReader } from '../../services/oms-ingest/order-status-reader.js';
import { startFixGatewayWhenOwner } from './start-fix-gateway.js';
import { followMarket } from './market-feed.js';
import { connectRedis } from './redis.js';
import { serveOrderApi } from '../client-api.js';
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
  const queries = new OrderQueryService(new SqlOrderRecords(db), marketData);
  const status = new OrderStatusReader(queries, new RedisOrderStatusCache(await connectRedis(runtime, 'cache'), { log: runtime.logger }));
  await runtime.subscribe('oms-ingest.status-cache', TOPICS.ordersStatus, status.handle);

  const ingestStore = new OrderIngestStore(db, { maxBatch: config.groupCommitMaxBatch, afterCommit: () => relay.wake() });
  const ingest = new OrderIngestService({ intake: outboxIntake(ingestStore, newId, runtime.stamp), clock, newId, metrics });
  const amendments = new OrderAmendmentService({ queries, append: outboxAppender(db, () => relay.wake(), runtime.stamp), newId });
  await serveOrderApi(runtime, { ingest, amendments, queries, status, updates, marketData });
  if (config.fixGateway.port !== undefined) startFixGatewayWhenOwner(runtime, { ingest, amendments, orderStatus: (orderId) => queries.orderStatus(orderId) });
  // The risk API is risk-service's: forwarded, so the web blotter's risk view works from this one origin.
  await registerRiskForwarding(runtime.http, { riskServiceUrl: config.riskApiUrl });
  runtime.afterHttpClose(() => ingestStore.drain());
}
