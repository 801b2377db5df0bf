import type { ExecutionReported, RouteDecided } from '../../domain/events/messages.js';
import { applyExecutionToChild, isChildLive, type ChildOrder } from '../../domain/order/child-order.js';
import { parsePrice } from '../../domain/money/price.js';
import type { Order } from '../../domain/order/order.js';
import type { DeliveredMessage } from '../../ports/event-bus.js';
import { fillKey, type FillRecord, type OrderStore } from '../../ports/order-store.js';
import type { Clock, IdGenerator } from '../../ports/clock.js';
import type { Logger } from '../../adapters/observability/logger.js';
import { OrderBatch } from './order-batch.js';
import { settleParent } from './parent-settlement.js';

export const EXECUTIONS_CONSUMER = 'oms-core.executions';

type ChildOutcome = DeliveredMessage<ExecutionReported> | DeliveredMessage<RouteDecided>;

export interface ExecutionConsumerDeps {
  readonly store: OrderStore;
  readonly clock: Clock;
  readonly newId: IdGenerator;
  readonly logger: Logger;
  readonly onFinal?: (order: Order) => void;
}

/**
 * oms-core applies what happened to child orders (executions.fills) to their parents: fills
 * (exactly once, by venue ExecID), child status, and then what to do with any unplaced remainder.
 */
export class ExecutionConsumer {
  constructor(private readonly deps: ExecutionConsumerDeps) {}

  readonly handle = async (batch: readonly DeliveredMessage[]): Promise<void> => {
    // The inbox claims an id once per statement, so an event delivered twice in one batch is kept once here.
    const outcomes = [...new Map(batch.filter((m): m is ChildOutcome => m.payload.type === 'ExecutionReported' || m.payload.type === 'RouteDecided').map((m) => [m.eventId, m])).values()];
    if (outcomes.length === 0) return;
    const { store, clock, newId, logger, onFinal } = this.deps;
    await store.transaction(async (session) => {
      // One round trip: a redelivered report's parent is locked too and its fill is already
      // stored (the insert skips it), which changes nothing.
      const parentIds = [...new Set(outcomes.map((m) => m.payload.parentOrderId))];
      const [fresh, locked, childrenByParent, newFills] = await Promise.all([
        session.claimEvents(EXECUTIONS_CONSUMER, outcomes.map((m) => m.eventId)),
        session.lockOrders(parentIds),
        session.childrenOf(parentIds),
        session.recordFills(outcomes.flatMap((m) => fillOf(m.payload))),
      ]);
      const todo = outcomes.filter((m) => fresh.has(m.eventId));
      const at = clock.now();
      const parents = new OrderBatch(locked, { source: 'oms-core', at, newId, logger, onFinal });
      const children = indexChildren(childrenByParent);
      const changedChildren = new Map<string, ChildOrder>();
      const lastReason = new Map<string, string>();

      for (const { payload } of todo) {
        if (payload.type === 'RouteDecided') {
          parents.markRouteDecided(payload.parentOrderId, payload.attempt);
          if (payload.reason) lastReason.set(payload.parentOrderId, payload.reason);
          continue;
        }
        const child = children.get(payload.childOrderId);
        if (!child) {
          logger.warn({ orderId: payload.parentOrderId, childOrderId: payload.childOrderId, venue: payload.venue }, 'execution for an unknown child order ignored');
          continue;
        }
        const [fill] = fillOf(payload);
        if (fill && newFills.has(fillKey(fill.venue, fill.execId))) {
          parents.apply(payload.parentOrderId, { type: 'Filled', fill }, { execId: fill.execId, venue: fill.venue, childOrderId: fill.childOrderId, lastQty: fill.quantity, lastPx: payload.lastPx });
        }
        const updated = applyExecutionToChild(child, payload, at);
        children.set(updated.childOrderId, updated);
        changedChildren.set(updated.childOrderId, updated);
        if (payload.execType === 'CANCEL_REJECTED' && isChildLive(updated)) refusePendingAmendment(parents, payload.parentOrderId, `${payload.venue}: ${payload.text ?? 'cancel refused'}`);
        if (payload.text && payload.execType !== 'TRADE' && payload.execType !== 'NEW') lastReason.set(payload.parentOrderId, `${payload.venue}: ${payload.text}`);
      }

      for (const parentId of new Set(todo.map((m) => m.payload.parentOrderId))) {
        const own = [...children.values()].filter((c) => c.parentOrderId === parentId);
        for (const marked of settleParent(parents, parentId, own, lastReason.get(parentId) ?? null)) changedChildren.set(marked.childOrderId, marked);
      }
      if (changedChildren.size > 0) await session.saveChildren([...changedChildren.values()]);
      await parents.save(session);
    });
  };
}

/** A venue refused to cancel a child that is still working: the client's cancel or replace cannot happen. */
function refusePendingAmendment(parents: OrderBatch, parentId: string, reason: string): void {
  const status = parents.get(parentId)?.order.status;
  if (status === 'PENDING_CANCEL') parents.apply(parentId, { type: 'CancelRejected', reason }, { reason });
  if (status === 'PENDING_REPLACE') parents.apply(parentId, { type: 'ReplaceRejected', reason }, { reason });
}

function indexChildren(byParent: Map<string, ChildOrder[]>): Map<string, ChildOrder> {
  const index = new Map<string, ChildOrder>();
  for (const list of byParent.values()) for (const child of list) index.set(child.childOrderId, child);
  return index;
}

function fillOf(payload: ExecutionReported | RouteDecided): FillRecord[] {
  if (payload.type !== 'ExecutionReported' || payload.execType !== 'TRADE' || payload.lastQty <= 0 || payload.lastPx === null) return [];
  const price = parsePrice(payload.lastPx);
  if (price === undefined) return [];
  return [
    {
      execId: payload.execId,
      orderId: payload.parentOrderId,
      childOrderId: payload.childOrderId,
      venue: payload.venue,
      quantity: payload.lastQty,
      price,
      occurredAt: new Date(payload.transactTime),
      accountId: payload.accountId,
      symbol: payload.symbol,
      side: payload.side,
    },
  ];
}
