import { Writable } from 'node:stream';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from './pino-logger.js';
import { loadConfig } from '../../config/config.js';
import { startTracing, type Tracing } from './tracing.js';
import { tracedOrders } from './traced-orders.js';

const tracingWanted = (env: Record<string, string>): boolean => loadConfig(env).tracing;

describe('tracing from the OTEL_* variables', () => {
  it('is off without an OTLP endpoint, or when the SDK is disabled', () => {
    expect(tracingWanted({})).toBe(false);
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' })).toBe(false);
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' })).toBe(true);
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://jaeger:4318/v1/traces' })).toBe(true);
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
  });

  it('registers nothing when off: the API stays no-op', () => {
    expect(startTracing({ wanted: false, serviceName: 'oms' })).toBeUndefined();
    const span = trace.getTracer('t').startSpan('x');
    expect(span.isRecording()).toBe(false);
    span.end();
  });
});

describe('log lines', () => {
  let tracing: Tracing | undefined;
  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
  });

  it('carry trace_id and span_id inside an active span, and neither outside', () => {
    tracing = startTracing({ wanted: false, serviceName: 'oms-test', exporter: new InMemorySpanExporter() });
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) });
    const logger = createLogger({ level: 'info', name: 'oms', destination, traced: true });
    logger.info({ detail: 1 }, 'before');
    logger.info('outside');
    const ids = tracing!.tracer.startActiveSpan('work', (span) => {
      logger.info('inside');
      span.end();
      return span.spanContext();
    });
    const [, outside, inside] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(outside).not.toHaveProperty('trace_id');
    expect(outside).not.toHaveProperty('span_id');
    // pino merges a line's fields into the mixin's object: none may leak to the next line.
    expect(outside).not.toHaveProperty('detail');
    expect(inside).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId, service: 'oms', msg: 'inside' });
  });

  it('carry the trace of the order a line names, outside any active span (a consumer batch of orders)', () => {
    tracing = startTracing({ wanted: false, serviceName: 'oms-test', exporter: new InMemorySpanExporter() });
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'info', name: 'oms-core', destination, traced: true });
    const span = tracing!.tracer.startSpan('process orders.inbound');
    tracedOrders.set('order-1', trace.setSpan(ROOT_CONTEXT, span));
    logger.info({ orderId: 'order-1' }, 'traced order');
    logger.info({ orderId: 'order-2' }, 'untraced order');
    tracedOrders.delete('order-1');
    span.end();
    const [traced, untraced] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(traced).toMatchObject({ trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId, orderId: 'order-1' });
    expect(untraced).not.toHaveProperty('trace_id');
  });

  it('carry no ids when the logger is not traced (tracing off), even inside a span', () => {
    tracing = startTracing({ wanted: false, serviceName: 'oms-test', exporter: new InMemorySpanExporter() });
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'info', name: 'oms', destination });
    tracing!.tracer.startActiveSpan('work', (span) => (logger.info('inside'), span.end()));
    expect(JSON.parse(lines[0]!)).not.toHaveProperty('trace_id');
  });
});

function capture(): { lines: string[]; destination: Writable } {
  const lines: string[] = [];
  return { lines, destination: new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }) };
}
