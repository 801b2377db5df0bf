import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, createTestDatabase, startKafkaMockBroker, waitUntil } from './cluster.js';
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
  for (const service of ['marketdata-simulator', 'broker-simulator', 'risk-service', 'oms-core', 'sor-engine', 'execution-adapter', 'oms-ingest'] as const) await cluster.start(service);
}, 240_000);

afterAll(async () => {
  await cluster?.stopAll();
  await database?.drop();
  await broker?.stop();
  await receiver.stop();
  const redis = new Redis({ host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) });
  const keys = await redis.keys(`${redisKeyPrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}, 120_000);

describe('distributed tracing', () => {
  it('gives one MARKET order one trace, with spans from at least five processes', async () => {
    const traceId = randomBytes(16).toString('hex');
    const response = await fetch(`${cluster.url('oms-ingest')}/api/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
      body: JSON.stringify({ clientOrderId: 'TRACE-1', accountId: 'ACC-T1', symbol: 'AAPL', side: 'BUY', orderType: 'MARKET', quantity: 200, timeInForce: 'DAY' }),
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
    await waitUntil(() => expected.every((s) => services().has(s)), 30_000, () => `spans of ${[...services()].join(', ')} only:\n${describeSpans(ofOrder())}`);

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
  }, 120_000);
});

const describeSpans = (spans: readonly ReceivedSpan[]): string => spans.map((s) => `${s.service}: ${s.name}`).join('\n');
