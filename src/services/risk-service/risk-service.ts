import type { Order } from '../../domain/order/order.js';
import { EMPTY_EXPOSURE, exposureNeeds, withApprovedOrder, type RiskOrder } from '../../domain/risk/exposure.js';
import { effectiveLimits } from '../../domain/risk/limits.js';
import { checkPreTrade, type RiskDecision } from '../../domain/risk/pre-trade.js';
import type { RiskPolicy } from '../../domain/risk/policy.js';
import { GroupCommit } from '../../lib/group-commit.js';
import type { Clock } from '../../ports/clock.js';
import type { MarketDataView } from '../../ports/market-data.js';
import type { PreTradeRisk } from '../../ports/pre-trade-risk.js';
import type { RiskDecisionSession, RiskDecisionStore } from '../../ports/risk-store.js';
import type { ServiceMetrics } from '../../ports/metrics.js';

export interface RiskServiceDeps {
  readonly policy: RiskPolicy;
  readonly store: RiskDecisionStore;
  readonly marketData: Pick<MarketDataView, 'referencePrice'>;
  readonly clock: Clock;
  readonly metrics: Pick<ServiceMetrics, 'riskDecisions'>;
  /** Most orders decided in one transaction. */
  readonly maxBatch?: number;
}

/**
 * risk-service's pre-trade check. Checks that arrive together are decided together (group
 * commit): one transaction holds the accounts' locks, reads their limits, kill switches and
 * exposure once, decides the orders in arrival order (each approval adds to the exposure the
 * next one sees) and records every decision. A failed transaction fails every check in it: the
 * caller retries, and no order is ever approved without a recorded decision.
 */
export class RiskService implements PreTradeRisk {
  private readonly batches: GroupCommit<RiskOrder, RiskDecision>;

  constructor(private readonly deps: RiskServiceDeps) {
    // gatherTurn: a batch of checks handed over together (one gRPC call, one account's turn) is one decision.
    this.batches = new GroupCommit((orders) => this.decideBatch(orders), { maxBatch: deps.maxBatch ?? 500, gatherTurn: true });
  }

  check(order: Order): Promise<RiskDecision> {
    return this.batches.submit(order);
  }

  private async decideBatch(batch: readonly RiskOrder[]): Promise<RiskDecision[]> {
    // A redelivered order can be in a batch twice: decided once.
    const orders = [...new Map(batch.map((o) => [o.orderId, o])).values()];
    const accountIds = [...new Set(orders.map((o) => o.accountId))];
    const decisions = await this.deps.store.forAccounts(accountIds, (session) => this.decide(session, orders, accountIds));
    for (const decision of decisions.values()) {
      this.deps.metrics.riskDecisions.inc(decision.approved ? { result: 'approved', code: '' } : { result: 'rejected', code: decision.code });
    }
    return batch.map((o) => decisions.get(o.orderId)!);
  }

  private async decide(session: RiskDecisionSession, orders: readonly RiskOrder[], accountIds: readonly string[]): Promise<Map<string, RiskDecision>> {
    const { policy, clock, marketData } = this.deps;
    const now = clock.now();
    const { overrides, killSwitches } = await session.controls(accountIds);
    const limits = new Map(accountIds.map((id) => [id, effectiveLimits(policy.defaults, overrides.get(id))]));
    const requests = accountIds.map((accountId) => ({
      accountId,
      ...exposureNeeds(
        limits.get(accountId)!,
        orders.filter((o) => o.accountId === accountId),
        now,
      ),
    }));
    const exposures = await session.exposure(requests, orders);
    const referencePrice = (symbol: string) => marketData.referencePrice(symbol);
    const decisions = new Map<string, RiskDecision>();
    for (const order of orders) {
      const exposure = exposures.get(order.accountId) ?? EMPTY_EXPOSURE;
      const decision = checkPreTrade(order, limits.get(order.accountId)!, { knownAccounts: policy.knownAccounts, killSwitches, referencePrice, exposure });
      if (decision.approved) exposures.set(order.accountId, withApprovedOrder(exposure, order));
      decisions.set(order.orderId, decision);
    }
    await session.recordDecisions(orders.map((order) => ({ order, decision: decisions.get(order.orderId)!, decidedAt: now })));
    return decisions;
  }
}
