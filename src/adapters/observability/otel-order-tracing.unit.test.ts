import { context, ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORDER_ATTRIBUTES as A, ORDER_SPANS } from '../../ports/order-tracing.js';
import { otelOrderTracing } from './otel-order-tracing.js';
import { TracedOrders } from './traced-orders.js';
import { startTracing, type Tracing } from './tracing.js';

describe('order steps in a process that did not take the order (distributed mode)', () => {
  let tracing: Tracing;
  let exporter: InMemorySpanExporter;
  let consumed: TracedOrders;
  beforeEach(() => {
    exporter = new InMemorySpanExporter();
    tracing = startTracing({ wanted: false, serviceName: 'oms-test', exporter })!;
    consumed = new TracedOrders();
  });
  afterEach(() => tracing.shutdown());

  /** What message-tracing leaves for an order whose message was consumed: its process span's context. */
  const consume = (orderId: string) => {
    const span = tracing.tracer.startSpan('process orders.validated');
    consumed.set(orderId, trace.setSpan(ROOT_CONTEXT, span));
    span.end();
    return span.spanContext();
  };
  const finished = (name: string) => exporter.getFinishedSpans().filter((s) => s.name === name);

  it('are children of the consumed message’s span, naming the order and what the step adds', () => {
    const consumer = consume('o-1');
    const step = otelOrderTracing(tracing.tracer, { consumed }).start('o-1', ORDER_SPANS.route, { [A.quantity]: 200 });
    step!.end({ [A.children]: 2 });
    const [route] = finished(ORDER_SPANS.route);
    expect(route!.spanContext().traceId).toBe(consumer.traceId);
    expect(route!.parentSpanContext?.spanId).toBe(consumer.spanId);
    expect(route!.attributes).toEqual({ [A.orderId]: 'o-1', [A.quantity]: 200, [A.children]: 2 });
  });

  it('follow the latest message consumed about the order', () => {
    consume('o-1');
    const later = consume('o-1');
    otelOrderTracing(tracing.tracer, { consumed }).start('o-1', ORDER_SPANS.fillApplied)!.end();
    expect(finished(ORDER_SPANS.fillApplied)[0]!.parentSpanContext?.spanId).toBe(later.spanId);
  });

  it('are none for an order no message brought, and none without the option (embedded mode)', () => {
    consume('o-1');
    expect(otelOrderTracing(tracing.tracer, { consumed }).start('o-2', ORDER_SPANS.route)).toBeUndefined();
    expect(otelOrderTracing(tracing.tracer).start('o-1', ORDER_SPANS.route)).toBeUndefined();
    expect(finished(ORDER_SPANS.route)).toHaveLength(0);
  });

  it('keep to the order’s own trace when this process began it', () => {
    consume('o-1');
    const orders = otelOrderTracing(tracing.tracer, { consumed });
    const request = tracing.tracer.startSpan('POST /api/v1/orders');
    const ids = { [A.orderId]: 'o-1', [A.accountId]: 'ACC-1' };
    // Under the request's span, active as the HTTP layer makes it.
    context.with(trace.setSpan(ROOT_CONTEXT, request), () => orders.begin('o-1', ids));
    orders.start('o-1', ORDER_SPANS.statusPublished, { [A.status]: 'NEW' })!.end();
    orders.release('o-1');
    request.end();
    const [published] = finished(ORDER_SPANS.statusPublished);
    expect(published!.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(published!.attributes).toEqual({ ...ids, [A.status]: 'NEW' });
  });

  it('fail with the reason', () => {
    consume('o-1');
    otelOrderTracing(tracing.tracer, { consumed }).start('o-1', ORDER_SPANS.newOrderSingle)!.fail('session down');
    expect(finished(ORDER_SPANS.newOrderSingle)[0]!.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'session down' });
  });
});
