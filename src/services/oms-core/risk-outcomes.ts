import type { RiskDecision } from '../../domain/risk/pre-trade.js';
import type { Logger } from '../../ports/logger.js';
import type { OrderBatch } from './order-batch.js';

/**
 * oms-core's step after pre-trade risk: an approved order goes NEW and asks the router for its
 * whole quantity; a denied one ends REJECTED with the risk code and reason. Only orders still
 * PENDING_NEW move (a redelivered decision changes nothing).
 */
export function applyRiskDecisions(parents: OrderBatch, orderIds: readonly string[], decisions: ReadonlyMap<string, RiskDecision>, logger: Logger): void {
  for (const orderId of orderIds) {
    const tracked = parents.get(orderId);
    const decision = decisions.get(orderId);
    if (!tracked || !decision || tracked.order.status !== 'PENDING_NEW') continue;
    if (decision.approved) {
      if (parents.apply(orderId, { type: 'Accepted' })) parents.requestRoute(orderId, tracked.order.leavesQuantity);
    } else {
      logger.info({ orderId, code: decision.code, reason: decision.reason }, 'order rejected by pre-trade risk');
      parents.apply(orderId, { type: 'Rejected', reason: `${decision.code}: ${decision.reason}` }, { code: decision.code });
    }
  }
}
