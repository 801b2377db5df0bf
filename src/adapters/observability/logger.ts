import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';

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
 * The active span's ids, on lines written inside one (without tracing on there never is one).
 * A new object each time: pino merges the line's fields into it.
 */
function traceIds(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** The logger without a `service` binding behind each one createLogger() returned (see serviceLogger). */
const unnamed = new WeakMap<Logger, Logger>();

/**
 * Structured JSON logs, one `service` key per line (the process's name). Lines about an order
 * carry `orderId` (use `logger.child({ orderId })`). Authorization headers and tokens are
 * redacted so no secret reaches a log. Lines written inside a span carry its `trace_id` and
 * `span_id`.
 */
export function createLogger(options: { level: string; name?: string; destination?: DestinationStream }): Logger {
  const root = pino(
    {
      level: options.level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      mixin: traceIds,
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
