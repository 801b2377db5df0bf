import { closeRedisClient, createRedisClient, redisHealthIndicator, waitForRedisReady, type Redis } from '../../adapters/redis/redis-connection.js';
import type { ServiceRuntime } from './service-runtime.js';

/**
 * This process's Redis connection. A service that cannot work without it (risk-service: the
 * per-account lock) waits for it at start and reports it in /actuator/health; one that only
 * caches (oms-ingest, marketdata-simulator) starts without it and degrades to misses meanwhile.
 * Either way the client keeps reconnecting after an outage.
 */
export async function connectRedis(runtime: ServiceRuntime, use: 'required' | 'cache'): Promise<Redis> {
  const { host, port, keyPrefix } = runtime.config.redis;
  const client = createRedisClient({
    host,
    port,
    keyPrefix,
    connectionName: `${runtime.service}-${runtime.config.instanceId}`,
    onError: (error) => runtime.logger.debug({ err: error }, 'Redis connection error'),
  });
  runtime.add('redis', { stop: () => closeRedisClient(client) });
  if (use === 'required') {
    await waitForRedisReady(client, 10_000);
    runtime.health.push(redisHealthIndicator(client));
  }
  return client;
}
