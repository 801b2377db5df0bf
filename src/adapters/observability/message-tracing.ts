import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { BatchHandler, DeliveredMessage, OutgoingMessage } from '../../ports/event-bus.js';
import { ORDER_ATTRIBUTES, ORDER_SPANS } from '../../ports/order-tracing.js';
import { tracedOrders, type TracedOrders } from './traced-orders.js';

/** The W3C header that carries an order's trace from one process to the next. */
export const TRACEPARENT = 'traceparent';

/**
 * One trace per order across distributed mode's processes. Every order topic is keyed by order
 * id, so the key names the order: a consumed message with a `traceparent` header gets a CONSUMER
 * span under it, and its context is kept by order id; a message written to the outbox about an
 * order of this process (or inside a request's span; a new order without one roots its own trace)
 * gets a PRODUCER span and its `traceparent`.
 * Per order, not ambient: a consumer handles a batch of orders at once.
 */
export interface MessageTracing {
  /** The handler, with a span per traced message around its batch. */
  consumer(group: string, handler: BatchHandler): BatchHandler;
  /** The message with the `traceparent` of its order's trace, or as it is when the order is not traced here. */
  stamp(message: OutgoingMessage): OutgoingMessage;
}

export function messageTracing(tracer: Tracer, orders: TracedOrders = tracedOrders): MessageTracing {
  const processSpan = (group: string, message: DeliveredMessage): Span | undefined => {
    const headers = message.headers;
    if (!headers?.[TRACEPARENT]) return undefined;
    const parent = propagation.extract(ROOT_CONTEXT, headers);
    const span = tracer.startSpan(`process ${message.topic}`, { kind: SpanKind.CONSUMER, attributes: messageAttributes(message, 'process', group) }, parent);
    orders.set(message.key, trace.setSpan(parent, span));
    return span;
  };
  // An order taken without a request span (the gRPC API) roots a trace of its own, as in embedded mode.
  const received = (message: OutgoingMessage): Context | undefined => {
    if (message.payload.type !== 'OrderReceived') return undefined;
    const root = tracer.startSpan(ORDER_SPANS.received, { attributes: { [ORDER_ATTRIBUTES.orderId]: message.key } }, ROOT_CONTEXT);
    root.end();
    return trace.setSpan(ROOT_CONTEXT, root);
  };
  return {
    consumer: (group, handler) => async (batch) => {
      const spans = batch.flatMap((message) => processSpan(group, message) ?? []);
      if (spans.length === 0) return handler(batch);
      try {
        await handler(batch);
        for (const span of spans) span.end();
      } catch (error) {
        // The batch is redelivered: its next try gets spans of its own.
        for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) }).end();
        throw error;
      }
    },
    stamp(message) {
      const order = orders.get(message.key) ?? (trace.getSpan(context.active()) ? context.active() : undefined) ?? received(message);
      if (!order) return message;
      const span = tracer.startSpan(`send ${message.topic}`, { kind: SpanKind.PRODUCER, attributes: messageAttributes(message, 'send') }, order);
      const headers: Record<string, string> = { ...message.headers };
      propagation.inject(trace.setSpan(order, span), headers);
      // Ends now: it marks the hand-off; the relay (maybe another process's) publishes after the commit.
      span.end();
      return { ...message, headers };
    },
  };
}

function messageAttributes(message: OutgoingMessage, operation: 'send' | 'process', group?: string): Record<string, string> {
  return {
    'messaging.system': 'kafka',
    'messaging.operation.type': operation,
    'messaging.destination.name': message.topic,
    'messaging.message.id': message.eventId,
    ...(group ? { 'messaging.consumer.group.name': group } : {}),
    'oms.event_type': message.payload.type,
    [ORDER_ATTRIBUTES.orderId]: message.key,
  };
}
