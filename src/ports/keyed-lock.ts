/**
 * Mutual exclusion per key (risk decisions per account), with a fencing token: a number that
 * grows with every acquisition of the key, so a write guarded by the lock can be refused when a
 * newer holder has written since (the old holder stalled past its lease). In memory in embedded
 * mode, Redis in distributed mode.
 */
export interface KeyedLock {
  withLock<T>(key: string, fn: (fence: bigint) => Promise<T>): Promise<T>;
}
