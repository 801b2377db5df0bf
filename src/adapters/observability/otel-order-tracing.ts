import { context, SpanStatusCode, trace, type Context, type Tracer } from '@opentelemetry/api';
import { ORDER_ATTRIBUTES, ORDER_SPANS, type OrderTracing, type TraceAttributes, type TraceSpan } from '../../ports/order-tracing.js';
import { tracedOrders, type TracedOrders } from './traced-orders.js';

interface TracedOrder {
  readonly context: Context;
  readonly attributes: TraceAttributes;
}

export interface OrderTracingOptions {
  /**
   * Distributed mode: an order this process did not begin is traced under the context of the
   * last message consumed about it (message-tracing.ts keeps it by order id). Its steps name
   * only the order id; the services add the rest they know.
   */
  readonly consumed?: TracedOrders;
}

/**
 * OrderTracing over OpenTelemetry: each order's context (its HTTP request's span) is kept by
 * order id from intake until final, so every step of the batched in-memory flow becomes a child
 * of it, carrying the order's ids. With `consumed`, orders begun in another process are traced too.
 */
export function otelOrderTracing(tracer: Tracer, options: OrderTracingOptions = {}): OrderTracing {
  const orders = new Map<string, TracedOrder>();
  const { consumed } = options;
  const find = (orderId: string): TracedOrder | undefined => {
    const begun = orders.get(orderId);
    if (begun || !consumed) return begun;
    const last = consumed.get(orderId);
    return last && { context: last, attributes: { [ORDER_ATTRIBUTES.orderId]: orderId } };
  };
  return {
    enabled: true,
    begin(orderId, attributes) {
      const active = context.active();
      const request = trace.getSpan(active);
      if (request) {
        request.setAttributes(attributes);
        tracedOrders.set(orderId, active);
        return void orders.set(orderId, { context: active, attributes });
      }
      // No request span (the gRPC API, or a caller without one): the order roots its own trace.
      const root = tracer.startSpan(ORDER_SPANS.received, { attributes }, active);
      root.end();
      orders.set(orderId, { context: trace.setSpan(active, root), attributes });
      // Log lines naming the order carry its trace (see logger.ts).
      tracedOrders.set(orderId, trace.setSpan(active, root));
    },
    start(orderId, name, attributes) {
      const order = find(orderId);
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
      tracedOrders.delete(orderId);
    },
  };
}
