import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOPICS } from '../../domain/events/topics.js';
import type { DeliveredMessage, OutgoingMessage } from '../../ports/event-bus.js';
import { traceRiskCall, traceRiskCheck } from '../grpc/risk-call-tracing.js';
import { messageTracing, TRACEPARENT } from './message-tracing.js';
import { TracedOrders } from './traced-orders.js';
import { startTracing, type Tracing } from './tracing.js';

const cancel = (orderId: string): OutgoingMessage => ({
  topic: TOPICS.ordersInbound,
  key: orderId,
  eventId: `e-${orderId}`,
  payload: { type: 'OrderCancelRequested', orderId, requestedBy: 't', source: 'test' },
});
const delivered = (message: OutgoingMessage): DeliveredMessage => ({ ...message, offset: 0n, partition: 0 });
const traceIdOf = (traceparent: string | undefined): string | undefined => traceparent?.split('-')[1];

describe('an order trace across processes', () => {
  let tracing: Tracing;
  let exporter: InMemorySpanExporter;
  beforeEach(() => {
    exporter = new InMemorySpanExporter();
    tracing = startTracing({ wanted: false, serviceName: 'oms-test', exporter })!;
  });
  afterEach(() => tracing.shutdown());

  it('continues from a consumed traceparent into what the batch writes about the same order, and leaves others alone', async () => {
    const tracer = tracing.tracer;
    // The upstream process: written inside a request's span, the message carries its context.
    const sent = tracer.startActiveSpan('POST /api/v1/orders', (span) => (span.end(), messageTracing(tracer, new TracedOrders()).stamp(cancel('o-1'))));
    expect(sent.headers?.[TRACEPARENT]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    const here = messageTracing(tracer, new TracedOrders());
    const written: OutgoingMessage[] = [];
    await here.consumer(
      'oms-core.intake',
      async () => void written.push(here.stamp(cancel('o-1')), here.stamp(cancel('o-2'))),
    )([delivered(sent), delivered(cancel('o-2'))]);

    expect(traceIdOf(written[0]!.headers?.[TRACEPARENT])).toBe(traceIdOf(sent.headers?.[TRACEPARENT]));
    expect(written[1]!.headers).toBeUndefined();
    const spans = exporter.getFinishedSpans();
    const processed = spans.find((s) => s.name === `process ${TOPICS.ordersInbound}`)!;
    expect(processed.kind).toBe(SpanKind.CONSUMER);
    expect(processed.parentSpanContext?.spanId).toBe(sent.headers?.[TRACEPARENT]?.split('-')[2]);
    expect(processed.attributes).toMatchObject({ 'oms.order_id': 'o-1', 'messaging.destination.name': TOPICS.ordersInbound });
    const send = spans.filter((s) => s.name === `send ${TOPICS.ordersInbound}` && s.parentSpanContext?.spanId === processed.spanContext().spanId);
    expect(send).toHaveLength(1);
  });

  it('roots a trace for a new order taken without a request span (the gRPC API)', () => {
    const received: OutgoingMessage = { ...cancel('o-4'), payload: { type: 'OrderReceived', order: {} as never } };
    const stamped = messageTracing(tracing.tracer, new TracedOrders()).stamp(received);
    const root = exporter.getFinishedSpans().find((s) => s.name === 'oms.order.received')!;
    expect(traceIdOf(stamped.headers?.[TRACEPARENT])).toBe(root.spanContext().traceId);
  });

  it('stamps nothing and adds no span when no order is traced and no span is active', () => {
    const message = cancel('o-3');
    expect(messageTracing(tracing.tracer, new TracedOrders()).stamp(message)).toBe(message);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it('carries each order of a batched risk call in the gRPC metadata, and the check continues it', async () => {
    const orders = new TracedOrders();
    const order = tracing.tracer.startSpan('process orders.inbound');
    orders.set('o-1', trace.setSpan(ROOT_CONTEXT, order));
    const call = traceRiskCall(tracing.tracer, ['o-0', 'o-1'], orders)!;
    expect(call.headers['oms-order-traceparents']).toMatch(/^-,00-/);
    const header = new Headers(call.headers);
    const decisions = [
      await traceRiskCheck(tracing.tracer, header, 0, 'o-0', async () => ({ approved: true })),
      await traceRiskCheck(tracing.tracer, header, 1, 'o-1', async () => ({ approved: true })),
    ];
    call.end(decisions);
    order.end();
    const [server, client] = exporter.getFinishedSpans().filter((s) => s.name === 'risk.check');
    expect(server!.kind).toBe(SpanKind.SERVER);
    expect(client!.kind).toBe(SpanKind.CLIENT);
    expect(server!.parentSpanContext?.spanId).toBe(client!.spanContext().spanId);
    expect(client!.parentSpanContext?.spanId).toBe(order.spanContext().spanId);
    expect(server!.attributes).toMatchObject({ 'oms.order_id': 'o-1', 'oms.risk.approved': true });
    expect(traceRiskCall(tracing.tracer, ['o-0'], orders)).toBeUndefined();
  });
});
