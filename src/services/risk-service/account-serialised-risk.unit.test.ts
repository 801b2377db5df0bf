import { describe, expect, it } from 'vitest';
import { parsePrice } from '../../domain/money/price.js';
import { createOrder } from '../../domain/order/lifecycle.js';
import type { Order } from '../../domain/order/order.js';
import type { RiskDecision } from '../../domain/risk/pre-trade.js';
import { InMemoryKeyedLock } from '../../adapters/redis/in-memory-lock.js';
import type { KeyedLock } from '../../ports/keyed-lock.js';
import { AccountSerialisedRisk } from './account-serialised-risk.js';

const order = (id: string, accountId: string): Order =>
  createOrder(id, { clientOrderId: id, accountId, symbol: 'AAPL', side: 'BUY', orderType: 'LIMIT', quantity: 100, limitPrice: parsePrice('150')!, timeInForce: 'DAY' }, new Date());

/** A checker that records how many checks per account run at once. */
function overlapRecorder() {
  const running = new Map<string, number>();
  const maxSeen = new Map<string, number>();
  const state = { total: 0, maxTotal: 0 };
  return {
    maxSeen,
    state,
    check: async (o: Order): Promise<RiskDecision> => {
      running.set(o.accountId, (running.get(o.accountId) ?? 0) + 1);
      maxSeen.set(o.accountId, Math.max(maxSeen.get(o.accountId) ?? 0, running.get(o.accountId)!));
      state.maxTotal = Math.max(state.maxTotal, ++state.total);
      await new Promise((r) => setTimeout(r, 5));
      running.set(o.accountId, running.get(o.accountId)! - 1);
      state.total--;
      return { approved: true };
    },
  };
}

describe('AccountSerialisedRisk', () => {
  it("runs one account's checks one at a time, and different accounts' side by side", async () => {
    const inner = overlapRecorder();
    const risk = new AccountSerialisedRisk(inner, new InMemoryKeyedLock());
    await Promise.all([...Array(5)].flatMap((_, i) => [risk.check(order(`a${i}`, 'ACC-A')), risk.check(order(`b${i}`, 'ACC-B'))]));
    expect(inner.maxSeen.get('ACC-A')).toBe(1);
    expect(inner.maxSeen.get('ACC-B')).toBe(1);
    expect(inner.state.maxTotal).toBe(2);
  });

  it('fails the check, never approves, when the lock cannot be had', async () => {
    const down: KeyedLock = { withLock: () => Promise.reject(new Error('redis unavailable')) };
    const risk = new AccountSerialisedRisk({ check: async () => ({ approved: true }) }, down);
    await expect(risk.check(order('x', 'ACC-A'))).rejects.toThrow('redis unavailable');
  });
});
