import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRedisClient, redisHealthIndicator, type Redis } from './redis-connection.js';
import { connectTestRedis } from './test-support/redis.js';

describe('Redis connection on a real Redis', () => {
  let client: Redis;
  beforeAll(async () => {
    client = await connectTestRedis({ connectionName: 'oms-health-test' });
  });
  afterAll(() => closeRedisClient(client));

  it('reports up through the health indicator', async () => {
    const indicator = redisHealthIndicator(client);
    expect(indicator.name).toBe('redis');
    expect(await indicator.check()).toEqual({ up: true });
  });

  it('reports down, with the reason, once closed', async () => {
    await closeRedisClient(client);
    const status = await redisHealthIndicator(client).check();
    expect(status.up).toBe(false);
    expect(status.detail).toEqual(expect.any(String));
  });
});
