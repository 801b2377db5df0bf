import { formatDecimal } from '../../domain/money/price.js';
import type { FillRecord } from '../../ports/order-store.js';
import { ORDER_ATTRIBUTES as A, ORDER_SPANS, type OrderTracing } from '../../ports/order-tracing.js';
import { orderIdAttributes } from '../order-trace-steps.js';
import type { OrderBatch } from './order-batch.js';

/**
 * Once a batch has committed: each fill it applied, and each status change it published (an
 * OrderStatusChanged in the outbox), as steps of their orders' traces. Only then, because a
 * failed batch is redelivered and applied again. Each is a mark, as in embedded mode: the work
 * was the batch's one transaction, shared by all its orders.
 */
export function traceCommittedBatch(tracing: OrderTracing, parents: OrderBatch, fills: readonly FillRecord[]): void {
  const ids = (orderId: string) => {
    const order = parents.get(orderId)?.order;
    return order ? orderIdAttributes(order) : undefined;
  };
  for (const fill of fills) {
    tracing
      .start(fill.orderId, ORDER_SPANS.fillApplied, {
        ...ids(fill.orderId),
        [A.venue]: fill.venue,
        [A.clOrdId]: fill.childOrderId,
        [A.execId]: fill.execId,
        [A.quantity]: fill.quantity,
        [A.price]: formatDecimal(fill.price),
      })
      ?.end();
  }
  for (const { orderId, status } of parents.changes().history)
    tracing.start(orderId, ORDER_SPANS.statusPublished, { ...ids(orderId), [A.status]: status })?.end();
}
