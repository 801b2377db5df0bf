import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from './lock-timeout.js';
import type { Redis } from './redis-connection.js';
import { LockTimeoutError, RedisKeyedLock, RedisLock } from './redis-lock.js';
import { cleanUpRedis, connectTestRedis, uniqueKeyPrefix } from './test-support/redis.js';

describe('RedisLock on a real Redis', () => {
  const prefix = uniqueKeyPrefix();
  let a: Redis;
  let b: Redis;
  let lockA: RedisLock;
  let lockB: RedisLock;

  beforeAll(async () => {
    // Two connections stand for two risk-service instances.
    a = await connectTestRedis({ keyPrefix: prefix, connectionName: 'lock-test-a' });
    b = await connectTestRedis({ keyPrefix: prefix, connectionName: 'lock-test-b' });
    lockA = new RedisLock(a);
    lockB = new RedisLock(b);
  });
  afterAll(() => cleanUpRedis(prefix, a, b));

  it('serialises read-modify-write across two clients, with rising fences', async () => {
    let inside = 0;
    let overlaps = 0;
    const fences: bigint[] = [];
    const increment = (lock: RedisLock) =>
      lock.withLock(
        'account-1',
        5_000,
        async (fence) => {
          inside++;
          if (inside > 1) overlaps++;
          fences.push(fence);
          // A read, a pause, then a write: lost updates appear at once without exclusion.
          const current = Number((await a.get('counter')) ?? 0);
          await sleep(2);
          await b.set('counter', String(current + 1));
          inside--;
        },
        { waitMs: 20_000 },
      );
    await Promise.all(Array.from({ length: 20 }, (_, i) => increment(i % 2 === 0 ? lockA : lockB)));
    expect(await a.get('counter')).toBe('20');
    expect(overlaps).toBe(0);
    expect(fences).toHaveLength(20);
    for (let i = 1; i < fences.length; i++) expect(fences[i]! > fences[i - 1]!).toBe(true);
  });

  it('keeps raising the fence across separate acquisitions and clients', async () => {
    const first = await lockA.tryAcquire('account-2', 1_000);
    expect(first).toBeDefined();
    expect(await lockA.release(first!)).toBe(true);
    const second = await lockB.tryAcquire('account-2', 1_000);
    expect(second!.fence).toBe(first!.fence + 1n);
    await lockB.release(second!);
    // Script keys carry the client's prefix like any other key (so the suite's clean-up finds them).
    const bare = await connectTestRedis();
    expect(await bare.get(`${prefix}lock:{account-2}:fence`)).toBe(String(second!.fence));
    bare.disconnect();
  });

  it('lets a lock whose holder died expire, and a late release does not free the new holder', async () => {
    const dead = await lockA.tryAcquire('account-3', 200);
    expect(dead).toBeDefined();
    expect(await lockB.tryAcquire('account-3', 1_000)).toBeUndefined();

    const started = Date.now();
    await lockB.withLock(
      'account-3',
      5_000,
      async (fence, lease) => {
        expect(Date.now() - started).toBeGreaterThanOrEqual(150);
        expect(fence > dead!.fence).toBe(true);
        // The dead holder wakes up: neither its release nor its extend touches the new lease.
        expect(await lockA.release(dead!)).toBe(false);
        expect(await lockA.extend(dead!, 10_000)).toBe(false);
        expect(await b.get(`lock:{account-3}`)).toBe(lease.token);
        expect(await lockA.tryAcquire('account-3', 1_000)).toBeUndefined();
      },
      { waitMs: 3_000 },
    );
    expect(await a.exists('lock:{account-3}')).toBe(0);
  });

  it('extends a lease it still holds', async () => {
    const lease = await lockA.tryAcquire('account-4', 300);
    expect(await lockA.extend(lease!, 5_000)).toBe(true);
    const ttl = await a.pttl('lock:{account-4}');
    expect(ttl).toBeGreaterThan(4_000);
    await sleep(400);
    expect(await lockB.tryAcquire('account-4', 1_000)).toBeUndefined();
    expect(await lockA.release(lease!)).toBe(true);
  });

  it('gives up with LockTimeoutError after waitMs while another holds the key', async () => {
    const held = await lockA.tryAcquire('account-5', 10_000);
    const started = Date.now();
    const attempt = lockB.withLock('account-5', 1_000, async () => 'ran', { waitMs: 300 });
    await expect(attempt).rejects.toBeInstanceOf(LockTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(1_000);
    await lockA.release(held!);
  });

  it('releases the lock when the guarded work throws, and rethrows its error', async () => {
    await expect(lockA.withLock('account-6', 5_000, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await a.exists('lock:{account-6}')).toBe(0);
  });

  it('offers the KeyedLock port with fixed TTL and wait', async () => {
    const keyed = new RedisKeyedLock(lockA, { ttlMs: 1_000, waitMs: 1_000 });
    const fences = [await keyed.withLock('account-7', async (fence) => fence), await keyed.withLock('account-7', async (fence) => fence)];
    expect(fences[1]).toBe(fences[0]! + 1n);
  });
});
