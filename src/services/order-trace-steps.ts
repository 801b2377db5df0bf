import { ORDER_ATTRIBUTES as A, type TraceAttributes, type TraceSpan } from '../ports/order-tracing.js';

/** What names an order on each step of its trace (embedded mode's begin() gives its steps the same). */
export interface TracedOrderIds {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly accountId: string;
  readonly symbol: string;
}

export const orderIdAttributes = (order: TracedOrderIds): TraceAttributes => ({
  [A.orderId]: order.orderId,
  [A.clientOrderId]: order.clientOrderId,
  [A.accountId]: order.accountId,
  [A.symbol]: order.symbol,
});

/** Ends the step when its work is done, as failed when the work fails; returns the work as it is. */
export function endsWith<T>(span: TraceSpan | undefined, work: Promise<T>): Promise<T> {
  if (span)
    work.then(
      () => span.end(),
      (error: unknown) => span.fail(error instanceof Error ? error.message : String(error)),
    );
  return work;
}
