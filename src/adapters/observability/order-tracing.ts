import { context, SpanStatusCode, trace, type Context, type Tracer } from '@opentelemetry/api';
import { ORDER_SPANS, type OrderTracing, type TraceAttributes, type TraceSpan } from '../../ports/order-tracing.js';

interface TracedOrder {
  readonly context: Context;
  readonly attributes: TraceAttributes;
}

/**
 * OrderTracing over OpenTelemetry: each order's context (its HTTP request's span) is kept by
 * order id from intake until final, so every step of the batched in-memory flow becomes a child
 * of it, carrying the order's ids.
 */
export function otelOrderTracing(tracer: Tracer): OrderTracing {
  const orders = new Map<string, TracedOrder>();
  return {
    enabled: true,
    begin(orderId, attributes) {
      const active = context.active();
      const request = trace.getSpan(active);
      if (request) {
        request.setAttributes(attributes);
        return void orders.set(orderId, { context: active, attributes });
      }
      // No request span (the gRPC API, or a caller without one): the order roots its own trace.
      const root = tracer.startSpan(ORDER_SPANS.received, { attributes }, active);
      root.end();
      orders.set(orderId, { context: trace.setSpan(active, root), attributes });
    },
    start(orderId, name, attributes) {
      const order = orders.get(orderId);
      if (!order) return undefined;
      const span = tracer.startSpan(name, { attributes: attributes ? { ...order.attributes, ...attributes } : order.attributes }, order.context);
      const step: TraceSpan = {
        end: (found) => {
          if (found) span.setAttributes(found);
          span.end();
        },
        fail: (reason) => {
          span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
          span.end();
        },
      };
      return step;
    },
    release(orderId) {
      orders.delete(orderId);
    },
  };
}
