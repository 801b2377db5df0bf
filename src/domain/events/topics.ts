/** Every topic name in one place. Keys keep one order's events in order on every topic. */
export const TOPICS = {
  /** Orders stored by oms-ingest; key: orderId. */
  ordersInbound: 'orders.inbound',
  /** Orders that passed pre-trade risk and need routing (also re-route requests); key: orderId. */
  ordersValidated: 'orders.validated',
  /** Child orders chosen by the router, one message per child; key: parent orderId. */
  ordersRouted: 'orders.routed',
  /**
   * What happened to an order's child orders: ExecutionReports from venues (acks, fills, cancels,
   * rejects) and the router's RouteDecided; key: parent orderId, so one order's outcomes stay in order.
   */
  executionsFills: 'executions.fills',
  /** Top-of-book quotes per venue; key: symbol. */
  marketdataQuotes: 'marketdata.quotes',
  /** Every change of a parent order, for API streams and caches; key: orderId. */
  ordersStatus: 'orders.status',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];
