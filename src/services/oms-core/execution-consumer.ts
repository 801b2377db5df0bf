import type { ExecutionReported, RouteDecided } from '../../domain/events/messages.js';
import type { ChildOrder } from '../../domain/order/child-order.js';
import type { Order } from '../../domain/order/order.js';
import type { DeliveredMessage } from '../../ports/event-bus.js';
import { fillKey, type ExecutionSession, type FillRecord, type OrderStore } from '../../ports/order-store.js';
import type { Clock, IdGenerator } from '../../ports/clock.js';
import type { OrderTracing } from '../../ports/order-tracing.js';
import type { Logger } from '../../ports/logger.js';
import { OrderBatch } from './order-batch.js';
import { traceCommittedBatch } from './batch-tracing.js';
import { applyChildOutcomes, childBookOf, fillOf } from './child-outcomes.js';

export const EXECUTIONS_CONSUMER = 'oms-core.executions';

type DeliveredOutcome = DeliveredMessage<ExecutionReported> | DeliveredMessage<RouteDecided>;

export interface ExecutionConsumerDeps {
  readonly store: OrderStore<ExecutionSession>;
  readonly clock: Clock;
  readonly newId: IdGenerator;
  readonly logger: Logger;
  readonly onFinal?: (order: Order) => void;
  /** Each fill applied, once its transaction has committed (metrics). */
  readonly onFill?: (fill: FillRecord) => void;
  /** Each fill kept that its order refused (an overfill), once its transaction has committed (metrics). */
  readonly onRefusedFill?: (fill: FillRecord) => void;
  /** Each fill applied and status published, as steps of the orders' traces. */
  readonly tracing?: OrderTracing;
}

/**
 * oms-core applies what happened to child orders (executions.fills) to their parents: fills
 * (exactly once, by venue ExecID), child status, and then what to do with any unplaced remainder.
 */
export class ExecutionConsumer {
  constructor(private readonly deps: ExecutionConsumerDeps) {}

  readonly handle = async (batch: readonly DeliveredMessage[]): Promise<void> => {
    // The inbox claims an id once per statement, so an event delivered twice in one batch is kept once here.
    const outcomes = [
      ...new Map(
        batch.filter((m): m is DeliveredOutcome => m.payload.type === 'ExecutionReported' || m.payload.type === 'RouteDecided').map((m) => [m.eventId, m]),
      ).values(),
    ];
    if (outcomes.length === 0) return;
    const { store, clock, newId, logger, onFinal, onFill, onRefusedFill, tracing } = this.deps;
    const applied: FillRecord[] = [];
    const refused: FillRecord[] = [];
    const committed = await store.transaction(async (session) => {
      applied.length = 0; // a retried transaction starts over
      refused.length = 0;
      // One round trip: a redelivered report's parent is locked too and its fill is already
      // stored (the insert skips it), which changes nothing.
      const parentIds = [...new Set(outcomes.map((m) => m.payload.parentOrderId))];
      const [fresh, locked, childrenByParent, newFills] = await Promise.all([
        session.claimEvents(
          EXECUTIONS_CONSUMER,
          outcomes.map((m) => m.eventId),
        ),
        session.lockOrders(parentIds),
        session.childrenOf(parentIds),
        session.recordFills(outcomes.flatMap((m) => fillOf(m.payload))),
      ]);
      const todo = outcomes.filter((m) => fresh.has(m.eventId)).map((m) => m.payload);
      const at = clock.now();
      const parents = new OrderBatch(locked, { source: 'oms-core', at, newId, logger, onFinal });
      const children = childBookOf(indexChildren(childrenByParent));
      const isNewFill = (fill: FillRecord) => {
        const fresh = newFills.has(fillKey(fill.venue, fill.execId));
        if (fresh) applied.push(fill);
        return fresh;
      };
      const changed = applyChildOutcomes(parents, children, todo, isNewFill, { at, newId, logger, onRefusedFill: (fill) => refused.push(fill) });
      if (changed.size > 0) await session.saveChildren([...changed.values()]);
      await parents.save(session);
      return parents;
    });
    if (onFill) for (const fill of applied) onFill(fill);
    if (onRefusedFill) for (const fill of refused) onRefusedFill(fill);
    if (tracing?.enabled) traceCommittedBatch(tracing, committed, applied);
  };
}

function indexChildren(byParent: Map<string, ChildOrder[]>): Map<string, ChildOrder> {
  const index = new Map<string, ChildOrder>();
  for (const list of byParent.values()) for (const child of list) index.set(child.childOrderId, child);
  return index;
}
