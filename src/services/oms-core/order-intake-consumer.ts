import type { OrderReceived } from '../../domain/events/messages.js';
import { applyAmendments, type Amendment } from './order-amendments.js';
import type { RiskDecision } from '../../domain/risk/pre-trade.js';
import { fromSnapshot } from '../../domain/order/snapshot.js';
import type { DeliveredMessage } from '../../ports/event-bus.js';
import type { PreTradeRisk } from '../../ports/pre-trade-risk.js';
import type { OrderIntakeSession, OrderStore } from '../../ports/order-store.js';
import type { Clock, IdGenerator } from '../../ports/clock.js';
import type { OrderTracing } from '../../ports/order-tracing.js';
import type { Logger } from '../../ports/logger.js';
import { OrderBatch } from './order-batch.js';
import { traceCommittedBatch } from './batch-tracing.js';
import { applyRiskDecisions } from './risk-outcomes.js';

export const INTAKE_CONSUMER = 'oms-core.intake';

export interface OrderIntakeDeps {
  readonly store: OrderStore<OrderIntakeSession>;
  readonly risk: PreTradeRisk;
  readonly clock: Clock;
  readonly newId: IdGenerator;
  readonly logger: Logger;
  /** Each status published (NEW or REJECTED, an amendment's), as a step of its order's trace. */
  readonly tracing?: OrderTracing;
}

/**
 * oms-core's first step for each new order (orders.inbound): the pre-trade risk decision, then
 * NEW and a routing request, or REJECTED with the reason. Risk is asked before the transaction
 * opens, so no database transaction waits on another service. Clients' cancel and replace
 * requests arrive on the same topic, in order after their order, and start here too.
 */
export class OrderIntakeConsumer {
  constructor(private readonly deps: OrderIntakeDeps) {}

  readonly handle = async (batch: readonly DeliveredMessage[]): Promise<void> => {
    const received = batch.filter((m): m is DeliveredMessage<OrderReceived> => m.payload.type === 'OrderReceived');
    const amendments = batch.filter(
      (m): m is DeliveredMessage<Amendment> => m.payload.type === 'OrderCancelRequested' || m.payload.type === 'OrderReplaceRequested',
    );
    if (received.length === 0 && amendments.length === 0) return;
    // Asked all at once: over gRPC the checks overlap; risk-service serialises each account's own.
    const checked = await Promise.all(
      received.map(async (m): Promise<[string, RiskDecision]> => [m.payload.order.orderId, await this.deps.risk.check(fromSnapshot(m.payload.order))]),
    );
    const decisions = new Map(checked);
    const { store, clock, newId, logger, tracing } = this.deps;
    const committed = await store.transaction(async (session) => {
      // Sent together: the orders of redelivered events are locked too, which changes nothing.
      const [fresh, locked] = await Promise.all([
        session.claimEvents(
          INTAKE_CONSUMER,
          [...received, ...amendments].map((m) => m.eventId),
        ),
        session.lockOrders([...new Set([...received.map((m) => m.payload.order.orderId), ...amendments.map((m) => m.payload.orderId)])]),
      ]);
      const orderIds = received.filter((m) => fresh.has(m.eventId)).map((m) => m.payload.order.orderId);
      const amended = amendments.filter((m) => fresh.has(m.eventId)).map((m) => m.payload);
      const batchOrders = new OrderBatch(locked, { source: 'oms-core', at: clock.now(), newId, logger });
      applyRiskDecisions(batchOrders, orderIds, decisions, logger);
      // After the new orders: a cancel or replace always follows its order's OrderReceived (same key).
      if (amended.length > 0) {
        const children = await session.childrenOf([...new Set(amended.map((a) => a.orderId))]);
        const marked = applyAmendments(batchOrders, amended, children);
        if (marked.length > 0) await session.saveChildren(marked);
      }
      await batchOrders.save(session);
      return batchOrders;
    });
    if (tracing?.enabled) traceCommittedBatch(tracing, committed, []);
  };
}
