/** Span attributes, flat as OpenTelemetry takes them. */
export type TraceAttributes = Readonly<Record<string, string | number | boolean>>;

export interface TraceSpan {
  /** Ends the span, adding what its work found out. */
  end(attributes?: TraceAttributes): void;
  /** Ends the span as failed. */
  fail(reason: string): void;
}

/**
 * One trace per order, as the services see it: they name steps, the adapter keeps each order's
 * trace context from its intake until it is final (the in-memory hand-off batches orders in a
 * turn, so no ambient context can carry it). Keeping OpenTelemetry out of the services keeps
 * them testable without it; `enabled` lets the hot path skip building attributes when off.
 */
export interface OrderTracing {
  readonly enabled: boolean;
  /** Begins an order's trace under the caller's active span (its HTTP request), or as a new trace. */
  begin(orderId: string, attributes: TraceAttributes): void;
  /** A step of the order's trace; undefined when the order is not traced. */
  start(orderId: string, name: string, attributes?: TraceAttributes): TraceSpan | undefined;
  /** The order is final (or was never taken): its trace context is let go. */
  release(orderId: string): void;
}

/** Tracing off: every call returns at once. */
export const noOrderTracing: OrderTracing = {
  enabled: false,
  begin: () => undefined,
  start: () => undefined,
  release: () => undefined,
};

/** Span names and attribute keys, in one place for the adapter, the services and the tests. */
export const ORDER_SPANS = {
  received: 'oms.order.received',
  riskCheck: 'risk.check',
  route: 'sor.route',
  newOrderSingle: 'fix.new_order_single',
  cancelRequest: 'fix.order_cancel_request',
  executionReport: 'fix.execution_report',
  fillApplied: 'oms.fill.applied',
  statusPublished: 'oms.status.published',
} as const;

export const ORDER_ATTRIBUTES = {
  orderId: 'oms.order_id',
  clientOrderId: 'oms.client_order_id',
  accountId: 'oms.account_id',
  symbol: 'oms.symbol',
  clOrdId: 'oms.cl_ord_id',
  venue: 'oms.venue',
  status: 'oms.status',
  execType: 'oms.exec_type',
  execId: 'oms.exec_id',
  quantity: 'oms.quantity',
  price: 'oms.price',
  approved: 'oms.risk.approved',
  rejectCode: 'oms.risk.reject_code',
  children: 'oms.route.children',
} as const;
