import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface Tracing {
  readonly tracer: Tracer;
  /** Exports what is buffered and unregisters the SDK. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Config.tracing: an OTLP endpoint is set (and the SDK not disabled). */
  readonly wanted: boolean;
  /** service.name unless OTEL_SERVICE_NAME says otherwise. */
  readonly serviceName: string;
  /** Tests: spans go here, each as it ends, whatever the environment says. */
  readonly exporter?: SpanExporter;
}

/**
 * Starts OpenTelemetry tracing from the standard OTEL_* variables, before the app. Off (returns
 * undefined, nothing registered) when no OTLP endpoint is set: the API then hands out no-op
 * spans and the order flow skips its tracing behind one check. The SDK reads the rest itself:
 * the endpoint, headers and timeout (OTLP exporter), OTEL_TRACES_SAMPLER[_ARG] (tracer
 * provider), OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (resource), OTEL_BSP_* (batching).
 */
export function startTracing(options: TracingOptions): Tracing | undefined {
  if (!options.exporter && !options.wanted) return undefined;
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }))
    .merge(detectResources({ detectors: [envDetector] }));
  const processor = options.exporter ? new SimpleSpanProcessor(options.exporter) : new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  // Global: the API's tracer, the W3C propagator and the async-local context manager.
  provider.register();
  return {
    tracer: trace.getTracer('oms-sor'),
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
