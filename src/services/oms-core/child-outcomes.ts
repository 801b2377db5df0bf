import type { ExecutionReported, RouteDecided } from '../../domain/events/messages.js';
import { applyExecutionToChild, isChildLive, type ChildOrder } from '../../domain/order/child-order.js';
import { parsePrice } from '../../domain/money/price.js';
import type { Logger } from '../../adapters/observability/logger.js';
import type { FillRecord } from '../../ports/order-store.js';
import type { OrderBatch } from './order-batch.js';
import { settleParent } from './parent-settlement.js';

export type ChildOutcome = ExecutionReported | RouteDecided;

/**
 * oms-core's rule for what happened to child orders, on state already in hand (loaded from the
 * database, or the in-memory working state): router decisions and venue reports applied to the
 * children and their parents, each new fill once, then what each touched parent does next (a
 * pending cancel or replace, or its remainder). `children` is updated in place; returns the
 * children that changed, for the caller to save.
 */
export function applyChildOutcomes(
  parents: OrderBatch,
  children: Map<string, ChildOrder>,
  childrenOf: (parentId: string) => readonly ChildOrder[],
  outcomes: readonly ChildOutcome[],
  isNewFill: (fill: FillRecord) => boolean,
  context: { at: Date; logger: Logger },
): Map<string, ChildOrder> {
  const { at, logger } = context;
  const changed = new Map<string, ChildOrder>();
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
      parents.apply(payload.parentOrderId, { type: 'Filled', fill }, { execId: fill.execId, venue: fill.venue, childOrderId: fill.childOrderId, lastQty: fill.quantity, lastPx: payload.lastPx });
    }
    const updated = applyExecutionToChild(child, payload, at);
    children.set(updated.childOrderId, updated);
    changed.set(updated.childOrderId, updated);
    if (payload.execType === 'CANCEL_REJECTED' && isChildLive(updated)) refusePendingAmendment(parents, payload.parentOrderId, `${payload.venue}: ${payload.text ?? 'cancel refused'}`);
    if (payload.text && payload.execType !== 'TRADE' && payload.execType !== 'NEW') lastReason.set(payload.parentOrderId, `${payload.venue}: ${payload.text}`);
  }
  for (const parentId of new Set(outcomes.map((m) => m.parentOrderId))) {
    for (const marked of settleParent(parents, parentId, childrenOf(parentId), lastReason.get(parentId) ?? null)) {
      children.set(marked.childOrderId, marked);
      changed.set(marked.childOrderId, marked);
    }
  }
  return changed;
}

/** A venue refused to cancel a child that is still working: the client's cancel or replace cannot happen. */
function refusePendingAmendment(parents: OrderBatch, parentId: string, reason: string): void {
  const status = parents.get(parentId)?.order.status;
  if (status === 'PENDING_CANCEL') parents.apply(parentId, { type: 'CancelRejected', reason }, { reason });
  if (status === 'PENDING_REPLACE') parents.apply(parentId, { type: 'ReplaceRejected', reason }, { reason });
}

/** The fill a report carries: a TRADE with a positive quantity and a valid price. */
export function fillOf(payload: ChildOutcome): FillRecord[] {
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
