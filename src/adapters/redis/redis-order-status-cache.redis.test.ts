import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisOrderStatusCache } from './redis-order-status-cache.js';
import type { Redis } from './redis-connection.js';
import { snapshot } from './test-support/order-snapshot.js';
import { cleanUpRedis, connectTestRedis, uniqueKeyPrefix } from './test-support/redis.js';

describe('RedisOrderStatusCache on a real Redis', () => {
  const prefix = uniqueKeyPrefix();
  let client: Redis;
  let cache: RedisOrderStatusCache;

  beforeAll(async () => {
    client = await connectTestRedis({ keyPrefix: prefix });
    cache = new RedisOrderStatusCache(client, { ttlMs: 60_000 });
  });
  afterAll(() => cleanUpRedis(prefix, client));

  it('returns what was put, with a TTL on the key', async () => {
    const order = snapshot('o-1', 1);
    expect(await cache.put(order)).toBe('stored');
    expect(await cache.get('o-1')).toEqual(order);
    const ttl = await client.pttl('order-status:o-1');
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('never moves an order backwards: older or equal versions are ignored', async () => {
    const filled = snapshot('o-2', 3, { status: 'FILLED', filledQuantity: 100, leavesQuantity: 0, avgPrice: '150.2' });
    expect(await cache.put(snapshot('o-2', 1))).toBe('stored');
    expect(await cache.put(filled)).toBe('stored');
    expect(await cache.put(snapshot('o-2', 2, { status: 'PARTIALLY_FILLED', filledQuantity: 40, leavesQuantity: 60 }))).toBe('stale');
    expect(await cache.put(snapshot('o-2', 3, { status: 'NEW' }))).toBe('stale');
    expect(await cache.get('o-2')).toEqual(filled);
  });

  it('reads an unknown order, or an entry that is not ours, as a miss', async () => {
    expect(await cache.get('o-unknown')).toBeUndefined();
    await client.set('order-status:o-3', 'not json');
    expect(await cache.get('o-3')).toBeUndefined();
    // An unreadable entry is replaced by the next snapshot rather than blocking it.
    expect(await cache.put(snapshot('o-3', 1))).toBe('stored');
    expect((await cache.get('o-3'))?.version).toBe(1);
  });
});
