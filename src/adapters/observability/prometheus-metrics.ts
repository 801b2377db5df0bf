import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { sampledGauge } from './sampled-gauge.js';

/** Latency buckets in seconds, fine-grained below 10 ms where the ACK path lives. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** An order may rest for minutes before its final status. */
const LIFECYCLE_BUCKETS = [...LATENCY_BUCKETS, 10, 30, 60, 300];
/** A routing decision is pure computation: tens of microseconds. */
const ROUTE_BUCKETS = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05];

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
      help: 'Time from request received to durable acknowledgement of a new order (POST to ACK)',
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    journalWriteDuration: new Histogram({
      name: 'oms_journal_write_duration_seconds',
      help: 'Embedded journal: time to make one group-committed batch durable (its O_DSYNC write, or write and fdatasync), successful writes only',
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
      help: 'Time from order creation (its POST) to its final status, by final status: status="FILLED" is POST to FILLED',
      labelNames: ['status'] as const,
      buckets: LIFECYCLE_BUCKETS,
      registers: [registry],
    }),
    ordersFinal: new Counter({
      name: 'oms_orders_final_total',
      help: 'Orders that reached a final status (FILLED, CANCELED, REJECTED, EXPIRED), by that status',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    orderRejects: new Counter({
      name: 'oms_order_rejects_total',
      help: 'Orders that ended REJECTED, by reason code: a pre-trade risk code, or VENUE_OR_ROUTE when no venue took the order',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    riskDecisions: new Counter({
      name: 'oms_risk_decisions_total',
      help: 'Pre-trade risk decisions by result and reject code',
      labelNames: ['result', 'code'] as const,
      registers: [registry],
    }),
    routeDuration: new Histogram({
      name: 'oms_sor_route_duration_seconds',
      help: 'Time sor-engine takes to decide one routing request (strategy and child orders, no I/O)',
      buckets: ROUTE_BUCKETS,
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
      help: 'Fills applied to orders (replays excluded), by venue',
      labelNames: ['venue'] as const,
      registers: [registry],
    }),
    fillsRefusedByOrder: new Counter({
      name: 'oms_fills_refused_by_order_total',
      help: 'Venue fills kept in fills and positions (the execution happened) that their order refused: more than it had left, or the order already final. Check each with the venue; by venue',
      labelNames: ['venue'] as const,
      registers: [registry],
    }),
    fillsUnattributed: new Counter({
      name: 'oms_fills_unattributed_total',
      help: 'Venue fills on a ClOrdID the OMS does not hold (never placed by it, or its order final and no longer in memory): in no order or position. Check each with the venue; by venue',
      labelNames: ['venue'] as const,
      registers: [registry],
    }),
    filledQuantity: new Counter({
      name: 'oms_filled_quantity_total',
      help: 'Shares filled (replays excluded), by venue',
      labelNames: ['venue'] as const,
      registers: [registry],
    }),
    fillNotionalCents: new Counter({
      name: 'oms_fill_notional_cents_total',
      help: 'Filled notional (quantity x price) in cents of the quote currency, by venue; summed exactly in fixed point, whole cents counted (a fraction of a cent waits for the next fill)',
      labelNames: ['venue'] as const,
      registers: [registry],
    }),
    fixSessionLoggedOn: sampledGauge(registry, {
      name: 'oms_fix_session_logged_on',
      help: 'Whether the FIX session to a venue is logged on (1) or not (0), read at each scrape',
      labelNames: ['venue'] as const,
    }),
    fixSequenceGaps: new Counter({
      name: 'oms_fix_sequence_gaps_total',
      help: 'Inbound FIX sequence gaps detected (each answered by a ResendRequest unless one is open), by venue',
      labelNames: ['venue'] as const,
      registers: [registry],
    }),
    fixGatewayMessages: new Counter({
      name: 'oms_fix_gateway_messages_total',
      help: "Clients' FIX gateway: application messages received (in) and reports sent from committed states (out), by client session (SenderCompID) and MsgType",
      labelNames: ['direction', 'session', 'msg_type'] as const,
      registers: [registry],
    }),
    fixGatewayLoggedOn: sampledGauge(registry, {
      name: 'oms_fix_gateway_session_logged_on',
      help: "Whether a client's FIX session (order entry or drop copy) is logged on (1) or not (0), read at each scrape",
      labelNames: ['session', 'kind'] as const,
    }),
    consumerLag: new Gauge({
      name: 'oms_consumer_lag_messages',
      help: 'Messages on a bus partition not yet consumed by a consumer group, as of its latest fetch',
      labelNames: ['consumer', 'topic', 'partition'] as const,
      registers: [registry],
    }),
    outboxPending: sampledGauge(registry, {
      name: 'oms_outbox_pending',
      help: 'Outbox events not yet published to Kafka (by any relay), read from the database at each scrape',
    }),
    queryModelLag: sampledGauge(registry, { name: 'oms_query_model_lag_records', help: 'Journal records not yet written to the query model (embedded mode)' }),
    killSwitchesEngaged: sampledGauge(registry, {
      name: 'oms_kill_switches_engaged',
      help: 'Kill switches engaged now, by scope (GLOBAL, ACCOUNT); read from the risk controls at each scrape',
      labelNames: ['scope'] as const,
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
