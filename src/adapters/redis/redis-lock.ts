import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { KeyedLock } from '../../ports/keyed-lock.js';
import { LockTimeoutError, sleep } from './lock-timeout.js';
import { LuaScript } from './lua-script.js';
import { RedisUnavailableError, silentLog, type RedisLog } from './redis-errors.js';

export { LockTimeoutError } from './lock-timeout.js';
export type { KeyedLock } from '../../ports/keyed-lock.js';
export { RedisUnavailableError } from './redis-errors.js';

/** One holding of a lock: the random token proves ownership, the fence orders holders. */
export interface LockLease {
  readonly key: string;
  readonly token: string;
  readonly fence: bigint;
}

// SET NX and INCR in one script: a fence is issued exactly when the lock is taken, never for a
// failed attempt, and no holder exists without one. The counter has no TTL, so fences keep rising
// across expiries. Returned as a string so values past 2^53 stay exact.
const ACQUIRE = new LuaScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return tostring(redis.call('INCR', KEYS[2]))
end
return false`);

// Release and extend act only while the token still matches: a holder whose lease expired must
// not delete or prolong the lock of whoever took it next.
const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

const EXTEND = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`);

export interface RedisLockOptions {
  /** Namespace of lock keys (after the client's keyPrefix). */
  readonly namespace?: string;
  readonly log?: RedisLog;
  /** First and longest pause between attempts while the lock is held by someone else. */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

/**
 * Distributed lock on one Redis (the Redlock-free single-instance algorithm): safe against a
 * holder that dies (the lease expires after its TTL) and, with the fence checked by the guarded
 * write, against a holder that stalls past it. Any Redis failure surfaces as RedisUnavailableError
 * so callers fail closed rather than run unlocked.
 */
export class RedisLock {
  private readonly namespace: string;
  private readonly log: RedisLog;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(
    private readonly client: Redis,
    options: RedisLockOptions = {},
  ) {
    this.namespace = options.namespace ?? 'lock:';
    this.log = options.log ?? silentLog;
    this.minBackoffMs = options.minBackoffMs ?? 5;
    this.maxBackoffMs = options.maxBackoffMs ?? 100;
  }

  /** One attempt: the lease, or undefined when someone else holds the lock. */
  async tryAcquire(key: string, ttlMs: number): Promise<LockLease | undefined> {
    const token = randomUUID();
    const reply = await this.call('acquire', ACQUIRE, key, [token, Math.ceil(ttlMs)]);
    if (reply === null || reply === undefined) return undefined;
    return { key, token, fence: BigInt(String(reply)) };
  }

  /** True when this lease still held the lock and released it; false when it had already lost it. */
  async release(lease: LockLease): Promise<boolean> {
    return (await this.call('release', RELEASE, lease.key, [lease.token])) === 1;
  }

  /** Resets the lease's TTL to ttlMs; false when the lease was lost (expired, and maybe re-taken). */
  async extend(lease: LockLease, ttlMs: number): Promise<boolean> {
    return (await this.call('extend', EXTEND, lease.key, [lease.token, Math.ceil(ttlMs)])) === 1;
  }

  /**
   * Runs fn while holding the lock, retrying with jittered back-off for up to waitMs (then
   * LockTimeoutError). Redis failing throws RedisUnavailableError at once, without retrying.
   * fn must finish within ttlMs (or extend the lease); past it, another holder may enter.
   */
  async withLock<T>(key: string, ttlMs: number, fn: (fence: bigint, lease: LockLease) => Promise<T>, options: { waitMs?: number } = {}): Promise<T> {
    const waitMs = options.waitMs ?? 0;
    const lease = await this.acquire(key, ttlMs, waitMs);
    try {
      return await fn(lease.fence, lease);
    } finally {
      // A failed release is not the caller's failure: the work is done and the lease expires by itself.
      await this.release(lease).then(
        (released) => {
          if (!released) this.log.warn({ lockKey: key, fence: String(lease.fence) }, 'lock lease expired before release; the guarded work overran its TTL');
        },
        (error: unknown) => this.log.warn({ lockKey: key, err: String(error) }, 'lock release failed; it will expire after its TTL'),
      );
    }
  }

  private async acquire(key: string, ttlMs: number, waitMs: number): Promise<LockLease> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const lease = await this.tryAcquire(key, ttlMs);
      if (lease) return lease;
      const remaining = started + waitMs - Date.now();
      if (remaining <= 0) throw new LockTimeoutError(key, waitMs);
      // Full jitter, so contenders that collided once do not retry in lock-step.
      const ceiling = Math.min(this.maxBackoffMs, this.minBackoffMs * 2 ** attempt);
      await sleep(Math.min(remaining, this.minBackoffMs + Math.random() * (ceiling - this.minBackoffMs)));
    }
  }

  private async call(operation: string, script: LuaScript, key: string, args: readonly (string | number)[]): Promise<unknown> {
    const lockKey = `${this.namespace}{${key}}`;
    try {
      // The braces make the lock and its counter one hash slot, as a script on a cluster requires.
      return await script.run(this.client, [lockKey, `${lockKey}:fence`], args);
    } catch (error) {
      throw new RedisUnavailableError(`lock ${operation} of ${key}`, error);
    }
  }
}

/** The KeyedLock port on Redis, with one TTL and wait for every key. */
export class RedisKeyedLock implements KeyedLock {
  constructor(
    private readonly lock: RedisLock,
    private readonly options: { readonly ttlMs: number; readonly waitMs: number },
  ) {}

  withLock<T>(key: string, fn: (fence: bigint) => Promise<T>): Promise<T> {
    return this.lock.withLock(key, this.options.ttlMs, (fence) => fn(fence), { waitMs: this.options.waitMs });
  }
}
