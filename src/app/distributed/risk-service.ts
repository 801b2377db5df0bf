import { TOPICS } from '../../domain/events/topics.js';
import { GrpcServer } from '../../adapters/grpc/grpc-server.js';
import { riskGrpcRoutes } from '../../adapters/grpc/risk-grpc-service.js';
import { RedisKeyedLock, RedisLock } from '../../adapters/redis/redis-lock.js';
import { SqlOrderStore } from '../../adapters/sql/sql-order-store.js';
import { AccountSerialisedRisk } from '../../services/risk-service/account-serialised-risk.js';
import { PositionConsumer } from '../../services/risk-service/position-consumer.js';
import { RiskService, riskLimitsFrom } from '../../services/risk-service/risk-service.js';
import { followMarket } from './market-feed.js';
import { connectRedis } from './redis.js';
import type { ServiceRuntime } from './service-runtime.js';

/**
 * risk-service: the synchronous pre-trade check over gRPC, one decision at a time per account
 * across instances (a Redis lock; Redis down means no approval), against the market feed's
 * reference prices; and positions from executions.fills, each fill applied once.
 */
export async function startRiskService(runtime: ServiceRuntime): Promise<void> {
  await runtime.connectDatabase();
  await runtime.connectBus();
  const marketData = await followMarket(runtime);
  const redis = await connectRedis(runtime, 'required');
  const lock = new RedisKeyedLock(new RedisLock(redis, { log: runtime.logger }), { ttlMs: 2_000, waitMs: 1_500 });
  const risk = new AccountSerialisedRisk(new RiskService(riskLimitsFrom(runtime.config.risk), marketData, runtime.metrics), lock);
  const grpc = new GrpcServer({ port: runtime.config.grpcPort, host: runtime.config.host, services: [riskGrpcRoutes({ risk })] });
  await grpc.start();
  runtime.add('gRPC server', grpc);
  await runtime.subscribe('risk-service.positions', TOPICS.executionsFills, new PositionConsumer(new SqlOrderStore(runtime.db)).handle);
}
