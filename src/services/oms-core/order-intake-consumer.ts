import type { OrderReceived } from '../../domain/events/messages.js';
import type { RiskDecision } from '../../domain/risk/pre-trade.js';
import { fromSnapshot } from '../../domain/order/snapshot.js';
import type { DeliveredMessage } from '../../ports/event-bus.js';
import type { PreTradeRisk } from '../../ports/pre-trade-risk.js';
import type { OrderStore } from '../../ports/order-store.js';
import type { Clock, IdGenerator } from '../../ports/clock.js';
import type { Logger } from '../../adapters/observability/logger.js';
import { OrderBatch } from './order-batch.js';

export const INTAKE_CONSUMER = 'oms-core.intake';

export interface OrderIntakeDeps {
  readonly store: OrderStore;
  readonly risk: PreTradeRisk;
  readonly clock: Clock;
  readonly newId: IdGenerator;
  readonly logger: Logger;
}

/**
 * oms-core's first step for each new order (orders.inbound): the pre-trade risk decision, then
 * NEW and a routing request, or REJECTED with the reason. Risk is asked before the transaction
 * opens, so no database transaction waits on another service.
 */
export class OrderIntakeConsumer {
  constructor(private readonly deps: OrderIntakeDeps) {}

  readonly handle = async (batch: readonly DeliveredMessage[]): Promise<void> => {
    const received = batch.filter((m): m is DeliveredMessage<OrderReceived> => m.payload.type === 'OrderReceived');
    if (received.length === 0) return;
    // Asked all at once: over gRPC the checks overlap; risk-service serialises each account's own.
    const checked = await Promise.all(received.map(async (m): Promise<[string, RiskDecision]> => [m.payload.order.orderId, await this.deps.risk.check(fromSnapshot(m.payload.order))]));
    const decisions = new Map(checked);
    const { store, clock, newId, logger } = this.deps;
    await store.transaction(async (session) => {
      const fresh = await session.claimEvents(INTAKE_CONSUMER, received.map((m) => m.eventId));
      const orderIds = received.filter((m) => fresh.has(m.eventId)).map((m) => m.payload.order.orderId);
      const batchOrders = new OrderBatch(await session.lockOrders(orderIds), { source: 'oms-core', at: clock.now(), newId, logger });
      for (const orderId of orderIds) {
        const tracked = batchOrders.get(orderId);
        const decision = decisions.get(orderId);
        if (!tracked || !decision || tracked.order.status !== 'PENDING_NEW') continue;
        if (decision.approved) {
          if (batchOrders.apply(orderId, { type: 'Accepted' })) batchOrders.requestRoute(orderId, tracked.order.leavesQuantity);
        } else {
          logger.info({ orderId, code: decision.code, reason: decision.reason }, 'order rejected by pre-trade risk');
          batchOrders.apply(orderId, { type: 'Rejected', reason: `${decision.code}: ${decision.reason}` }, { code: decision.code });
        }
      }
      await batchOrders.save(session);
    });
  };
}
