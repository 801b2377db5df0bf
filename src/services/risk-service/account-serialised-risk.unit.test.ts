import { describe, expect, it } from 'vitest';
import { parsePrice } from '../../domain/money/price.js';
import { createOrder } from '../../domain/order/lifecycle.js';
import type { Order } from '../../domain/order/order.js';
import { InMemoryKeyedLock } from '../../adapters/redis/in-memory-lock.js';
import type { KeyedLock } from '../../ports/keyed-lock.js';
import { AccountSerialisedRisk } from './account-serialised-risk.js';

const order = (id: string, accountId: string): Order =>
  createOrder(
    id,
    { clientOrderId: id, accountId, symbol: 'AAPL', side: 'BUY', orderType: 'LIMIT', quantity: 100, limitPrice: parsePrice('150')!, timeInForce: 'DAY' },
    new Date(),
  );

/** A lock that records how many holds of each key overlap, over the real in-memory lock. */
function holdRecorder() {
  const inner = new InMemoryKeyedLock();
  const holding = new Map<string, number>();
  const maxPerKey = new Map<string, number>();
  const state = { total: 0, maxTotal: 0 };
  const lock: KeyedLock = {
    withLock: (key, fn) =>
      inner.withLock(key, async (fence) => {
        holding.set(key, (holding.get(key) ?? 0) + 1);
        maxPerKey.set(key, Math.max(maxPerKey.get(key) ?? 0, holding.get(key)!));
        state.maxTotal = Math.max(state.maxTotal, ++state.total);
        try {
          await new Promise((r) => setTimeout(r, 5));
          return await fn(fence);
        } finally {
          holding.set(key, holding.get(key)! - 1);
          state.total--;
        }
      }),
  };
  return { lock, maxPerKey, state };
}

describe('AccountSerialisedRisk', () => {
  it("decides one account's checks under one hold at a time, in arrival order, and different accounts side by side", async () => {
    const recorder = holdRecorder();
    const decided: string[] = [];
    const risk = new AccountSerialisedRisk({ check: async (o) => (decided.push(o.orderId), { approved: true }) }, recorder.lock);
    await Promise.all([...Array(5)].flatMap((_, i) => [risk.check(order(`a${i}`, 'ACC-A')), risk.check(order(`b${i}`, 'ACC-B'))]));
    expect(recorder.maxPerKey.get('risk:account:ACC-A')).toBe(1);
    expect(recorder.maxPerKey.get('risk:account:ACC-B')).toBe(1);
    expect(recorder.state.maxTotal).toBe(2);
    expect(decided.filter((id) => id.startsWith('a'))).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
  });

  it('fails the check, never approves, when the lock cannot be had', async () => {
    const down: KeyedLock = { withLock: () => Promise.reject(new Error('redis unavailable')) };
    const risk = new AccountSerialisedRisk({ check: async () => ({ approved: true }) }, down);
    await expect(risk.check(order('x', 'ACC-A'))).rejects.toThrow('redis unavailable');
  });
});

describe('AccountSerialisedRisk under a burst', () => {
  it("decides a burst of one account's orders under few holds of the lock, each order once", async () => {
    let holds = 0;
    const inner = new InMemoryKeyedLock();
    const counting: KeyedLock = { withLock: (key, fn) => inner.withLock(key, (fence) => (holds++, fn(fence))) };
    const decided: string[] = [];
    const risk = new AccountSerialisedRisk({ check: async (o) => (decided.push(o.orderId), { approved: true }) }, counting);
    const decisions = await Promise.all([...Array(100)].map((_, i) => risk.check(order(`o${i}`, 'ACC-A'))));
    expect(decisions.every((d) => d.approved)).toBe(true);
    expect(decided).toEqual([...Array(100)].map((_, i) => `o${i}`));
    expect(holds).toBeLessThanOrEqual(2);
  });
});
