import type { KeyedLock } from '../../ports/keyed-lock.js';
import { LockTimeoutError } from './lock-timeout.js';

interface KeyState {
  /** Waiters in arrival order; the lock is handed to the first when the holder leaves. */
  readonly waiters: Array<() => void>;
}

/**
 * KeyedLock for embedded mode, where every service shares one process: the same contract as the
 * Redis lock (mutual exclusion per key, fences rising per key, LockTimeoutError after waitMs),
 * with first-come first-served hand-off. No TTL: in one process a holder cannot die alone.
 */
export class InMemoryKeyedLock implements KeyedLock {
  private readonly held = new Map<string, KeyState>();
  private readonly fences = new Map<string, bigint>();
  private readonly waitMs: number;

  constructor(options: { waitMs?: number } = {}) {
    this.waitMs = options.waitMs ?? 5_000;
  }

  async withLock<T>(key: string, fn: (fence: bigint) => Promise<T>): Promise<T> {
    await this.acquire(key);
    const fence = (this.fences.get(key) ?? 0n) + 1n;
    this.fences.set(key, fence);
    try {
      return await fn(fence);
    } finally {
      this.release(key);
    }
  }

  private acquire(key: string): Promise<void> {
    const state = this.held.get(key);
    if (!state) {
      this.held.set(key, { waiters: [] });
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const index = state.waiters.indexOf(waiter);
        if (index >= 0) state.waiters.splice(index, 1);
        reject(new LockTimeoutError(key, this.waitMs));
      }, this.waitMs);
      state.waiters.push(waiter);
    });
  }

  private release(key: string): void {
    const state = this.held.get(key);
    const next = state?.waiters.shift();
    // Hand the lock straight to the next waiter, so no newcomer can slip in between.
    if (next) next();
    else this.held.delete(key);
  }
}
