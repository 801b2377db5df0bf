import type { Order } from '../../domain/order/order.js';
import type { RiskDecision } from '../../domain/risk/pre-trade.js';
import type { KeyedLock } from '../../ports/keyed-lock.js';
import type { PreTradeRisk } from '../../ports/pre-trade-risk.js';

/**
 * Pre-trade decisions one at a time per account, across every risk-service instance: checks that
 * count what an account already has working (credit, positions) must not both pass on the same
 * headroom. A lock that cannot be had fails the check (the caller retries), it never approves.
 */
export class AccountSerialisedRisk implements PreTradeRisk {
  constructor(
    private readonly inner: PreTradeRisk,
    private readonly lock: KeyedLock,
  ) {}

  check(order: Order): Promise<RiskDecision> {
    return this.lock.withLock(`risk:account:${order.accountId}`, () => this.inner.check(order));
  }
}
