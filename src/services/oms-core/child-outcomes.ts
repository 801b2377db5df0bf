import type { ExecutionReported, RouteDecided } from '../../domain/events/messages.js';
import { applyExecutionToChild, isChildLive, reportsShares, type ChildOrder } from '../../domain/order/child-order.js';
import { lostChildReason, replacementForLostChild } from '../../domain/order/lost-child.js';
import { parsePrice } from '../../domain/money/price.js';
import type { Logger } from '../../ports/logger.js';
import type { IdGenerator } from '../../ports/clock.js';
import type { FillRecord } from '../../ports/order-store.js';
import type { OrderBatch } from './order-batch.js';
import { settleParent } from './parent-settlement.js';

export type ChildOutcome = ExecutionReported | RouteDecided;

/** The child orders a batch works on: read, replaced by their new state, listed by parent (new children included). */
export interface ChildBook {
  get(childOrderId: string): ChildOrder | undefined;
  put(child: ChildOrder): void;
  childrenOf(parentId: string): readonly ChildOrder[];
}

/**
 * oms-core's rule for what happened to child orders, on state already in hand (loaded from the
 * database, or the in-memory working state): router decisions and venue reports applied to the
 * children and their parents, each new fill once, a child its venue lost re-placed, then what each
 * touched parent does next (a pending cancel or replace, or its remainder). `children` is updated
 * as it goes; returns the children that changed or were created, for the caller to save.
 */
export function applyChildOutcomes(
  parents: OrderBatch,
  children: ChildBook,
  outcomes: readonly ChildOutcome[],
  isNewFill: (fill: FillRecord) => boolean,
  context: { at: Date; newId: IdGenerator; logger: Logger; onRefusedFill?: (fill: FillRecord) => void },
): Map<string, ChildOrder> {
  const { at, logger } = context;
  const changed = new Map<string, ChildOrder>();
  const put = (child: ChildOrder) => {
    children.put(child);
    changed.set(child.childOrderId, child);
  };
  const lastReason = new Map<string, string>();
  for (const payload of outcomes) {
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
    if (fill && isNewFill(fill)) {
      const taken = parents.apply(
        payload.parentOrderId,
        { type: 'Filled', fill },
        { execId: fill.execId, venue: fill.venue, childOrderId: fill.childOrderId, lastQty: fill.quantity, lastPx: payload.lastPx },
      );
      if (!taken) refusedFill(fill, context);
    }
    const updated = applyExecutionToChild(child, payload, at);
    put(updated);
    if (payload.execType === 'UNKNOWN_ORDER') replaceLost(parents, children, child, context, put);
    if (payload.execType === 'CANCEL_REJECTED' && isChildLive(updated))
      refusePendingAmendment(parents, payload.parentOrderId, `${payload.venue}: ${payload.text ?? 'cancel refused'}`);
    if (payload.text && payload.execType !== 'TRADE' && payload.execType !== 'NEW') lastReason.set(payload.parentOrderId, `${payload.venue}: ${payload.text}`);
  }
  for (const parentId of new Set(outcomes.map((m) => m.parentOrderId))) {
    for (const marked of settleParent(parents, parentId, children.childrenOf(parentId), lastReason.get(parentId) ?? null)) put(marked);
  }
  return changed;
}

/**
 * A fill the venue reported that its order refused (more than it had left, or the order is final):
 * the execution happened, so it stays in fills and positions, and someone must settle it with the
 * venue (an overfill, a child placed twice).
 */
function refusedFill(fill: FillRecord, context: { logger: Logger; onRefusedFill?: (fill: FillRecord) => void }): void {
  const { orderId, childOrderId, venue, execId, quantity } = fill;
  context.logger.error(
    { orderId, childOrderId, venue, execId, quantity },
    'venue fill refused by its order (overfill or order final): kept in fills and positions; check it with the venue',
  );
  context.onRefusedFill?.(fill);
}

/** A child the venue no longer knows: its open quantity goes back to the venue, if the parent still wants it there. */
function replaceLost(
  parents: OrderBatch,
  children: ChildBook,
  lost: ChildOrder,
  context: { at: Date; newId: IdGenerator },
  put: (child: ChildOrder) => void,
): void {
  const parent = parents.get(lost.parentOrderId)?.order;
  if (!parent) return;
  const replacement = replacementForLostChild(parent, children.childrenOf(lost.parentOrderId), lost, context.newId(), context.at);
  if (replacement && parents.replaceLostChild(lost, replacement, lostChildReason(lost.venue, replacement.quantity))) put(replacement);
}

/** A child book over a map of the children a batch loaded. */
export function childBookOf(index: Map<string, ChildOrder>): ChildBook {
  return {
    get: (childOrderId) => index.get(childOrderId),
    put: (child) => void index.set(child.childOrderId, child),
    childrenOf: (parentId) => [...index.values()].filter((c) => c.parentOrderId === parentId),
  };
}

/** A venue refused to cancel a child that is still working: the client's cancel or replace cannot happen. */
function refusePendingAmendment(parents: OrderBatch, parentId: string, reason: string): void {
  const status = parents.get(parentId)?.order.status;
  if (status === 'PENDING_CANCEL') parents.apply(parentId, { type: 'CancelRejected', reason }, { reason });
  if (status === 'PENDING_REPLACE') parents.apply(parentId, { type: 'ReplaceRejected', reason }, { reason });
}

/** The fill a report carries: a TRADE with a positive quantity and a valid price. */
export function fillOf(payload: ChildOutcome): FillRecord[] {
  if (payload.type !== 'ExecutionReported' || !reportsShares(payload) || payload.lastPx === null) return [];
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
