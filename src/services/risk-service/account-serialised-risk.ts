import type { Order } from '../../domain/order/order.js';
import type { RiskDecision } from '../../domain/risk/pre-trade.js';
import type { KeyedLock } from '../../ports/keyed-lock.js';
import type { PreTradeRisk } from '../../ports/pre-trade-risk.js';

interface PendingCheck {
  readonly order: Order;
  readonly resolve: (decision: RiskDecision) => void;
  readonly reject: (error: unknown) => void;
}

/** Checks decided under one hold of an account's lock, at most. */
const MAX_CHECKS_PER_HOLD = 256;

/**
 * Pre-trade decisions of one account by one risk-service instance at a time: checks that count
 * what an account already has working (credit, positions) must not both pass on the same
 * headroom. Checks for one account queue here and are handed to the inner service together under
 * one hold of the distributed lock (it decides them in order, as one batch), so a burst costs one
 * lock round trip, not one per order, and no local callers spin on the lock against each other.
 * A lock that cannot be had fails the checks (the caller retries); it never approves.
 */
export class AccountSerialisedRisk implements PreTradeRisk {
  private readonly queues = new Map<string, PendingCheck[]>();

  constructor(
    private readonly inner: PreTradeRisk,
    private readonly lock: KeyedLock,
  ) {}

  check(order: Order): Promise<RiskDecision> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(order.accountId);
      if (queue) return void queue.push({ order, resolve, reject });
      this.queues.set(order.accountId, [{ order, resolve, reject }]);
      // After this turn: the other checks of the same call join the first hold instead of the next.
      setImmediate(() => void this.drain(order.accountId));
    });
  }

  private async drain(accountId: string): Promise<void> {
    const queue = this.queues.get(accountId)!;
    while (queue.length > 0) {
      const turn = queue.splice(0, MAX_CHECKS_PER_HOLD);
      try {
        // Handed over together, in arrival order: the inner service decides them as one batch.
        await this.lock.withLock(`risk:account:${accountId}`, () =>
          Promise.all(turn.map((pending) => this.inner.check(pending.order).then(pending.resolve, pending.reject))),
        );
      } catch (error) {
        for (const pending of turn) pending.reject(error);
      }
    }
    this.queues.delete(accountId);
  }
}
