import { randomUUID } from 'node:crypto';
import { closeRedisClient, createRedisClient, waitForRedisReady, type Redis, type RedisConnectionOptions } from '../redis-connection.js';

/** The machine's Redis (127.0.0.1:6379) unless REDIS_HOST/REDIS_PORT say otherwise. */
export const TEST_REDIS = {
  host: process.env.REDIS_HOST ?? '127.0.0.1',
  port: Number(process.env.REDIS_PORT ?? 6379),
};

/** A key prefix of its own per test run, so parallel suites never see each other's keys. */
export const uniqueKeyPrefix = (): string => `oms-test:${randomUUID().slice(0, 8)}:`;

/**
 * A connected client, or a loud failure: a suite against Redis that skips itself when Redis is
 * missing would pass while testing nothing (scripts/ensure-test-services.sh starts it).
 */
export async function connectTestRedis(options: Partial<RedisConnectionOptions> = {}): Promise<Redis> {
  const client = createRedisClient({ ...TEST_REDIS, ...options });
  try {
    await waitForRedisReady(client, 5_000);
  } catch (error) {
    client.disconnect();
    throw new Error(
      `Redis is required by this suite and is not reachable at ${options.host ?? TEST_REDIS.host}:${options.port ?? TEST_REDIS.port} ` +
        `(run scripts/ensure-test-services.sh, or set REDIS_HOST/REDIS_PORT): ${(error as Error).message}`,
    );
  }
  return client;
}

/** Deletes every key under the prefix, then closes the clients given. */
export async function cleanUpRedis(keyPrefix: string, ...clients: Redis[]): Promise<void> {
  const admin = await connectTestRedis();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
      if (keys.length > 0) await admin.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await closeRedisClient(admin);
    for (const client of clients) await closeRedisClient(client);
  }
}
