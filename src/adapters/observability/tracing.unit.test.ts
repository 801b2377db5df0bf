import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { loadConfig } from '../../config/config.js';
import { startTracing, type Tracing } from './tracing.js';

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
    const logger = createLogger({ level: 'info', name: 'oms', destination });
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
});
