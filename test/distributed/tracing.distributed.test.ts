import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_ATTRIBUTES as A, ORDER_SPANS } from '../../src/ports/order-tracing.js';
import { Cluster, createTestDatabase, deleteRedisKeys, startKafkaMockBroker, waitUntil } from './cluster.js';
import { OtlpReceiver, type ReceivedSpan } from './otlp-receiver.js';

/**
 * One trace per order across distributed mode's processes: each exports its spans over OTLP/HTTP
 * to a receiver of this test's own, and one order's spans, from the HTTP request on, share the
 * trace id its client sent, carried on by Kafka headers and gRPC metadata.
 */

let broker: Awaited<ReturnType<typeof startKafkaMockBroker>>;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let cluster: Cluster;
const receiver = new OtlpReceiver();
const redisKeyPrefix = `oms-trace-${Date.now().toString(36)}:`;

beforeAll(async () => {
  const endpoint = await receiver.start();
  broker = await startKafkaMockBroker();
  database = await createTestDatabase();
  const env = {
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
    // Spans leave each process within 100 ms, not the default 5 s.
    OTEL_BSP_SCHEDULE_DELAY: '100',
  };
  cluster = await Cluster.create({ kafkaBootstrap: broker.bootstrap, database: database.name, redisKeyPrefix, env });
  for (const service of ['marketdata-simulator', 'broker-simulator', 'risk-service', 'oms-core', 'sor-engine', 'execution-adapter', 'oms-ingest'] as const)
    await cluster.start(service);
}, 240_000);

afterAll(async () => {
  await cluster?.stopAll();
  await database?.drop();
  await broker?.stop();
  await receiver.stop();
  await deleteRedisKeys(redisKeyPrefix);
}, 120_000);

describe('distributed tracing', () => {
  it('gives one MARKET order one trace, with spans from at least five processes and each named step from its own', async () => {
    const traceId = randomBytes(16).toString('hex');
    const response = await fetch(`${cluster.url('oms-ingest')}/api/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
      body: JSON.stringify({
        clientOrderId: 'TRACE-1',
        accountId: 'ACC-T1',
        symbol: 'AAPL',
        side: 'BUY',
        orderType: 'MARKET',
        quantity: 200,
        timeInForce: 'DAY',
      }),
    });
    expect(response.status).toBeLessThan(300);
    const { orderId } = (await response.json()) as { orderId: string };
    await waitUntil(
      async () => (await database.query<{ status: string }>('SELECT status FROM orders WHERE order_id = $1', [orderId]))[0]?.status === 'FILLED',
      60_000,
      () => `order ${orderId} not FILLED`,
    );

    const ofOrder = (): ReceivedSpan[] => receiver.spans.filter((s) => s.traceId === traceId);
    const services = (): Set<string> => new Set(ofOrder().map((s) => s.service));
    const expected = ['oms-ingest', 'oms-core', 'risk-service', 'sor-engine', 'execution-adapter'];
    await waitUntil(
      () => expected.every((s) => services().has(s)),
      30_000,
      () => `spans of ${[...services()].join(', ')} only:\n${describeSpans(ofOrder())}`,
    );
    // Each process exports on its own schedule: a consumer's span can arrive before the span of
    // the send that published its message (from another process's relay), so wait for those too.
    const parentsArrived = (): boolean => {
      const ids = new Set(ofOrder().map((s) => s.spanId));
      return ofOrder().every((s) => !s.name.startsWith('process ') || ids.has(s.parentSpanId));
    };
    await waitUntil(parentsArrived, 30_000, () => `a consumer span without its parent:\n${describeSpans(ofOrder())}`);

    expect(services().size).toBeGreaterThanOrEqual(5);
    // Every span naming this order is in its one trace.
    expect(receiver.spans.filter((s) => s.attributes['oms.order_id'] === orderId && s.traceId !== traceId)).toEqual([]);
    const spans = ofOrder();
    const named = (service: string, name: string) => spans.filter((s) => s.service === service && s.name === name);
    expect(named('oms-ingest', 'POST /api/v1/orders')).toHaveLength(1);
    expect(named('oms-core', 'process orders.inbound').length).toBeGreaterThanOrEqual(1);
    expect(named('sor-engine', 'process orders.validated').length).toBeGreaterThanOrEqual(1);
    expect(named('execution-adapter', 'process orders.routed').length).toBeGreaterThanOrEqual(1);
    expect(named('oms-core', 'process executions.fills').length).toBeGreaterThanOrEqual(1);
    // The risk check continues the trace over gRPC: risk-service's span is a child of oms-core's call.
    const [check] = named('risk-service', 'risk.check');
    const [call] = named('oms-core', 'risk.check');
    expect(check?.parentSpanId).toBe(call?.spanId);
    expect(check?.attributes).toMatchObject({ 'oms.order_id': orderId, 'oms.risk.approved': true });
    // Each hop across Kafka: the consumer's span is a child of the producer's.
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    for (const consumed of spans.filter((s) => s.name.startsWith('process '))) {
      expect(byId.get(consumed.parentSpanId)?.name, `parent of ${consumed.service} ${consumed.name}`).toBe(consumed.name.replace('process ', 'send '));
    }

    // The named steps, as embedded mode has them, each from the process that takes it, under the
    // span of the message that brought the order there.
    const step = (name: string) => ofOrder().filter((s) => s.name === name);
    const finalPublished = () => step(ORDER_SPANS.statusPublished).some((s) => s.attributes[A.status] === 'FILLED');
    // A step ends before the span of the message it is under, so it may be exported first: wait for those too.
    const stepParentsArrived = (): boolean => {
      const ids = new Set(ofOrder().map((s) => s.spanId));
      return NAMED_STEPS.every(([name]) => step(name).every((s) => ids.has(s.parentSpanId)));
    };
    await waitUntil(
      () => NAMED_STEPS.every(([name]) => step(name).length > 0) && finalPublished() && stepParentsArrived(),
      30_000,
      () => `named steps missing, or their parents:\n${describeSpans(ofOrder())}`,
    );
    const all = ofOrder();
    const byIdNow = new Map(all.map((s) => [s.spanId, s]));
    for (const [name, service, under] of NAMED_STEPS) {
      for (const span of step(name)) {
        expect(span.service, name).toBe(service);
        expect(span.attributes[A.orderId], name).toBe(orderId);
        expect(under, `parent of ${name}`).toContain(byIdNow.get(span.parentSpanId)?.name);
      }
    }
    // One route, or more if a remainder was routed again: together they placed every child.
    const routes = step(ORDER_SPANS.route);
    for (const route of routes) expect(route.attributes).toMatchObject({ [A.accountId]: 'ACC-T1', [A.clientOrderId]: 'TRACE-1' });
    expect(routes.map((r) => r.attributes[A.quantity])).toContain(200);
    const children = await database.query<{ child_order_id: string; venue: string }>(
      'SELECT child_order_id, venue FROM child_orders WHERE parent_order_id = $1',
      [orderId],
    );
    expect(routes.reduce((n, r) => n + Number(r.attributes[A.children]), 0)).toBe(children.length);
    const sent = step(ORDER_SPANS.newOrderSingle);
    expect(sent.map((s) => `${s.attributes[A.clOrdId]}@${s.attributes[A.venue]}`).sort()).toEqual(children.map((c) => `${c.child_order_id}@${c.venue}`).sort());
    const reports = step(ORDER_SPANS.executionReport);
    for (const report of reports) expect(children.map((c) => c.child_order_id)).toContain(report.attributes[A.clOrdId]);
    expect(reports.filter((s) => s.attributes[A.execType] === 'TRADE').length).toBeGreaterThanOrEqual(1);
    const fills = await database.query<{ exec_id: string }>('SELECT exec_id FROM fills WHERE order_id = $1', [orderId]);
    expect(
      step(ORDER_SPANS.fillApplied)
        .map((s) => s.attributes[A.execId])
        .sort(),
    ).toEqual(fills.map((f) => f.exec_id).sort());
    expect(step(ORDER_SPANS.statusPublished).map((s) => s.attributes[A.status])).toContain('NEW');
  }, 120_000);
});

/** Each named step of a MARKET order in distributed mode: its process, and the span it is under. */
const NAMED_STEPS: readonly (readonly [string, string, readonly string[]])[] = [
  [ORDER_SPANS.route, 'sor-engine', ['process orders.validated']],
  [ORDER_SPANS.newOrderSingle, 'execution-adapter', ['process orders.routed']],
  [ORDER_SPANS.executionReport, 'execution-adapter', ['process orders.routed']],
  [ORDER_SPANS.fillApplied, 'oms-core', ['process executions.fills']],
  // NEW after the risk check, then each fill's status.
  [ORDER_SPANS.statusPublished, 'oms-core', ['process orders.inbound', 'process executions.fills']],
];

const describeSpans = (spans: readonly ReceivedSpan[]): string => spans.map((s) => `${s.service}: ${s.name}`).join('\n');
