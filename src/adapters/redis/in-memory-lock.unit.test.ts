import { describe, expect, it } from 'vitest';
import { InMemoryKeyedLock } from './in-memory-lock.js';
import { LockTimeoutError, sleep } from './lock-timeout.js';

describe('InMemoryKeyedLock', () => {
  it('runs one holder per key at a time, with rising fences in arrival order', async () => {
    const lock = new InMemoryKeyedLock();
    let counter = 0;
    let inside = 0;
    let overlaps = 0;
    const fences: bigint[] = [];
    await Promise.all(
      Array.from({ length: 20 }, () =>
        lock.withLock('ACC-1', async (fence) => {
          if (++inside > 1) overlaps++;
          fences.push(fence);
          const read = counter;
          await sleep(1);
          counter = read + 1;
          inside--;
        }),
      ),
    );
    expect(counter).toBe(20);
    expect(overlaps).toBe(0);
    expect(fences).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i + 1)));
  });

  it('lets different keys proceed in parallel, each with its own fences', async () => {
    const lock = new InMemoryKeyedLock();
    let release!: () => void;
    const blocker = lock.withLock('A', () => new Promise<bigint>((resolve) => (release = () => resolve(0n))));
    expect(await lock.withLock('B', async (fence) => fence)).toBe(1n);
    release();
    await blocker;
    expect(await lock.withLock('A', async (fence) => fence)).toBe(2n);
  });

  it('releases on error and rethrows it', async () => {
    const lock = new InMemoryKeyedLock();
    await expect(lock.withLock('A', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await lock.withLock('A', async () => 'free')).toBe('free');
  });

  it('times out a waiter with LockTimeoutError and leaves the queue intact', async () => {
    const lock = new InMemoryKeyedLock({ waitMs: 50 });
    let release!: () => void;
    const holder = lock.withLock('A', () => new Promise<void>((resolve) => (release = resolve)));
    let ran = false;
    await expect(lock.withLock('A', async () => (ran = true))).rejects.toBeInstanceOf(LockTimeoutError);
    expect(ran).toBe(false);
    release();
    await holder;
    expect(await lock.withLock('A', async (fence) => fence)).toBe(2n);
  });
});
