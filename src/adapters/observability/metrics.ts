import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Latency buckets in seconds, fine-grained below 10 ms where the ACK path lives. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Every metric the services record, on one registry per process. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    ordersReceived: new Counter({
      name: 'oms_ingest_orders_received_total',
      help: 'Order submissions received by oms-ingest, by outcome (accepted, duplicate, invalid, error)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    outboxPublished: new Counter({
      name: 'oms_ingest_outbox_published_total',
      help: 'Events published from the durable record to their consumers: outbox rows to the bus (distributed), journal records to the query model (embedded)',
      registers: [registry],
    }),
    ackLatency: new Histogram({
      name: 'oms_ingest_ack_latency_seconds',
      help: 'Time from request received to durable acknowledgement of a new order',
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    httpRequestDuration: new Histogram({
      name: 'oms_http_request_duration_seconds',
      help: 'HTTP request duration by route and status code',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    orderLifecycle: new Histogram({
      name: 'oms_order_lifecycle_seconds',
      help: 'Time from order creation to its final status, by final status',
      labelNames: ['status'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    riskDecisions: new Counter({
      name: 'oms_risk_decisions_total',
      help: 'Pre-trade risk decisions by result and reject code',
      labelNames: ['result', 'code'] as const,
      registers: [registry],
    }),
    childOrdersRouted: new Counter({
      name: 'oms_sor_child_orders_total',
      help: 'Child orders sent to venues by the router',
      labelNames: ['venue'] as const,
      registers: [registry],
    }),
    fixMessages: new Counter({
      name: 'oms_fix_messages_total',
      help: 'FIX application messages by direction, venue and MsgType',
      labelNames: ['direction', 'venue', 'msg_type'] as const,
      registers: [registry],
    }),
    fillsApplied: new Counter({
      name: 'oms_fills_applied_total',
      help: 'Fills applied to orders (replays excluded)',
      registers: [registry],
    }),
    consumerErrors: new Counter({
      name: 'oms_consumer_errors_total',
      help: 'Failed handler runs of bus consumers (the batch is redelivered)',
      labelNames: ['consumer'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
