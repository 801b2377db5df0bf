import { trace, type Span } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';
import { tracedOrders } from './traced-orders.js';

export type { Logger };

/**
 * Where a secret could sit in a logged object: headers (a logged request, or an error carrying
 * one), tokens under their usual names, passwords. pino's `*` matches one level.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'authorization',
  '*.authorization',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'accessToken',
  '*.accessToken',
  'password',
  '*.password',
];

/**
 * The ids of the span a line is written in: the active one (a request's handler, a risk check),
 * or else the trace of the order the line names (`orderId`), which a batch of orders leaves no
 * active span for. A new object each time: pino merges the line's fields into it.
 */
function traceIds(fields: object): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan() ?? orderSpan(fields);
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

function orderSpan(fields: object): Span | undefined {
  const orderId = (fields as { orderId?: unknown }).orderId;
  const order = typeof orderId === 'string' ? tracedOrders.get(orderId) : undefined;
  return order && trace.getSpan(order);
}

/** The logger without a `service` binding behind each one createLogger() returned (see serviceLogger). */
const unnamed = new WeakMap<Logger, Logger>();

/**
 * Structured JSON logs, one `service` key per line (the process's name). Lines about an order
 * carry `orderId` (use `logger.child({ orderId })`). Authorization headers and tokens are
 * redacted so no secret reaches a log. With `traced` (tracing on), lines written inside a span,
 * or about an order traced here, carry its `trace_id` and `span_id`; off, no line pays for it.
 */
export function createLogger(options: { level: string; name?: string; destination?: DestinationStream; traced?: boolean }): Logger {
  const root = pino(
    {
      level: options.level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      ...(options.traced ? { mixin: traceIds } : {}),
    },
    options.destination,
  );
  const logger = root.child({ service: options.name ?? 'oms' });
  unnamed.set(logger, root);
  return logger;
}

/**
 * The logger of one service inside a process that runs several (embedded mode): its lines name
 * that service instead of the process's. pino appends a child's bindings to its parent's, so a
 * plain child({ service }) would write the key twice.
 */
export function serviceLogger(logger: Logger, service: string): Logger {
  return (unnamed.get(logger) ?? logger).child({ service });
}
