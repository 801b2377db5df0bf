import { TOPICS } from '../../domain/events/topics.js';
import { GrpcServer } from '../../adapters/grpc/grpc-server.js';
import { riskGrpcRoutes } from '../../adapters/grpc/risk-grpc-service.js';
import { SqlWorkingOrders } from '../../adapters/sql/orders/sql-working-orders.js';
import { RedisKeyedLock, RedisLock } from '../../adapters/redis/redis-lock.js';
import { SqlOrderStore } from '../../adapters/sql/orders/sql-order-store.js';
import { SqlRiskControlStore } from '../../adapters/sql/risk/sql-risk-controls.js';
import { SqlRiskDecisionStore } from '../../adapters/sql/risk/sql-risk-decisions.js';
import { AccountSerialisedRisk } from '../../services/risk-service/account-serialised-risk.js';
import { PositionConsumer } from '../../services/risk-service/position-consumer.js';
import { riskPolicyFrom } from '../../config/risk-policy.js';
import { RiskService } from '../../services/risk-service/risk-service.js';
import { followMarket } from './market-feed.js';
import { connectRedis } from './redis.js';
import { internalServiceAuth } from './internal-service-auth.js';
import { serveRiskApi } from '../client-api.js';
import type { ServiceRuntime } from './service-runtime.js';

/**
 * risk-service: the synchronous pre-trade check over gRPC (for oms-core, with its service token),
 * decided per account one batch at a time across instances (a Redis lock, and PostgreSQL advisory
 * locks inside the decision's transaction; Redis down means no approval), against the market
 * feed's reference prices; limits and kill switches over HTTP (a switch cancels every working
 * order in its scope); and positions from executions.fills, each fill applied once.
 */
export async function startRiskService(runtime: ServiceRuntime): Promise<void> {
  await runtime.connectDatabase();
  await runtime.connectBus();
  const marketData = await followMarket(runtime);
  const redis = await connectRedis(runtime, 'required');
  const lock = new RedisKeyedLock(new RedisLock(redis, { log: runtime.logger }), { ttlMs: 2_000, waitMs: 1_500 });
  const policy = riskPolicyFrom(runtime.config.risk);
  const { db, clock, metrics, logger } = runtime;
  const risk = new AccountSerialisedRisk(new RiskService({ policy, store: new SqlRiskDecisionStore(db), marketData, clock, metrics }), lock);
  // Only oms-core may ask: a check spends the account's throttle, so an open port let anyone reject its orders.
  const auth = internalServiceAuth(runtime, ['oms-core']);
  const grpc = new GrpcServer({ port: runtime.config.grpcPort, host: runtime.config.host, services: [riskGrpcRoutes({ risk, auth, tracer: runtime.tracer })] });
  await grpc.start();
  runtime.add('gRPC server', grpc);
  await runtime.subscribe('risk-service.positions', TOPICS.executionsFills, new PositionConsumer(new SqlOrderStore(runtime.db)).handle);
  // The kill switch's cancel-all writes to the outbox: this process relays too.
  const relay = await runtime.startOutboxRelay();
  runtime.startInboxPruning();
  const canceller = new SqlWorkingOrders(db, runtime.newId, () => relay.wake());
  const controls = new SqlRiskControlStore(db);
  serveRiskApi(runtime, { store: controls, policy, logger, canceller });
}
