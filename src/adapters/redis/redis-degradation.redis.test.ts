import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSnapshot } from '../../domain/events/messages.js';
import { RedisOrderStatusCache } from './redis-order-status-cache.js';
import { RedisQuoteCache } from './quote-cache.js';
import { closeRedisClient, createRedisClient, pingRedis, waitForRedisReady, type Redis } from './redis-connection.js';
import { RedisLock, RedisUnavailableError } from './redis-lock.js';
import { snapshot } from './test-support/order-snapshot.js';
import { RecordingLog } from './test-support/recording-log.js';
import { TEST_REDIS, cleanUpRedis, connectTestRedis, uniqueKeyPrefix } from './test-support/redis.js';
import { TcpProxy } from './test-support/tcp-proxy.js';

const quote = { venue: 'NYSE', bidPrice: null, bidSize: 0, askPrice: null, askSize: 0, timestamp: '2026-01-05T14:30:00.000Z' };

async function elapsed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

describe('Redis down from the start (nothing listens on the port)', () => {
  let client: Redis;
  afterEach(() => closeRedisClient(client));

  it('answers misses and no-ops within a second, logging the outage once', async () => {
    client = createRedisClient({ host: '127.0.0.1', port: 1 });
    const log = new RecordingLog();
    const orders = new RedisOrderStatusCache<OrderSnapshot>(client, { log });
    const quotes = new RedisQuoteCache(client, { log: new RecordingLog() });

    const { ms } = await elapsed(async () => {
      expect(await orders.get('o-1')).toBeUndefined();
      expect(await orders.put(snapshot('o-1', 1))).toBe('unavailable');
      expect(await quotes.putQuotes('AAPL', [quote])).toBe(false);
      expect(await quotes.getQuotes('AAPL')).toBeUndefined();
      for (let i = 0; i < 10; i++) await orders.get('o-1');
    });
    expect(ms).toBeLessThan(1_000);
    expect(log.count('warn')).toBe(1);
    expect((await pingRedis(client)).up).toBe(false);
  });

  it('fails withLock fast with RedisUnavailableError, never running the work unlocked', async () => {
    client = createRedisClient({ host: '127.0.0.1', port: 1 });
    let ran = false;
    const { value: error, ms } = await elapsed(() =>
      new RedisLock(client).withLock('account-1', 5_000, async () => (ran = true), { waitMs: 5_000 }).catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(ms).toBeLessThan(1_000);
    expect(ran).toBe(false);
  });
});

describe('Redis lost and recovered (through a TCP proxy stopped and restarted)', () => {
  const prefix = uniqueKeyPrefix();
  const proxy = new TcpProxy(TEST_REDIS);
  let client: Redis;

  beforeAll(async () => {
    const port = await proxy.start();
    client = await connectTestRedis({ port, keyPrefix: prefix, maxReconnectDelayMs: 200, commandTimeoutMs: 300 });
  });
  afterAll(async () => {
    await proxy.stop();
    await cleanUpRedis(prefix, client);
  });

  it('degrades while Redis is gone and works again when it returns', async () => {
    const log = new RecordingLog();
    const orders = new RedisOrderStatusCache<OrderSnapshot>(client, { log });
    const lock = new RedisLock(client);
    expect(await orders.put(snapshot('o-1', 1))).toBe('stored');
    expect((await pingRedis(client)).up).toBe(true);

    await proxy.stop();
    const { ms } = await elapsed(async () => {
      expect(await orders.get('o-1')).toBeUndefined();
      expect(await orders.put(snapshot('o-1', 2))).toBe('unavailable');
      await expect(lock.withLock('account-1', 1_000, async () => 'ran')).rejects.toBeInstanceOf(RedisUnavailableError);
    });
    expect(ms).toBeLessThan(1_000);
    expect((await pingRedis(client)).up).toBe(false);
    expect(log.count('warn')).toBe(1);

    await proxy.start();
    await waitForRedisReady(client, 10_000);
    // The entry written before the outage is intact, and writes resume.
    expect((await orders.get('o-1'))?.version).toBe(1);
    expect(await orders.put(snapshot('o-1', 2))).toBe('stored');
    expect(await lock.withLock('account-1', 1_000, async (fence) => fence)).toBeTypeOf('bigint');
    expect((await pingRedis(client)).up).toBe(true);
    expect(log.lines.map((line) => line.level)).toEqual(['warn', 'info']);
  });

  it('does not stall on a connection that stays open but goes silent (partition)', async () => {
    const orders = new RedisOrderStatusCache<OrderSnapshot>(client);
    const lock = new RedisLock(client);
    expect(await orders.put(snapshot('o-2', 1))).toBe('stored');

    proxy.freeze();
    // commandTimeoutMs (300 ms here) bounds every call, reads and lock alike.
    const { ms } = await elapsed(async () => {
      expect(await orders.get('o-2')).toBeUndefined();
      await expect(lock.withLock('account-2', 1_000, async () => 'ran')).rejects.toBeInstanceOf(RedisUnavailableError);
    });
    expect(ms).toBeLessThan(1_000);

    // The late replies arrive and are discarded; later commands get their own replies.
    proxy.thaw();
    expect((await orders.get('o-2'))?.version).toBe(1);
    expect(await orders.put(snapshot('o-2', 2))).toBe('stored');
    expect((await orders.get('o-2'))?.version).toBe(2);
  });
});
