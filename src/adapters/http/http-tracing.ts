import { context, propagation, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * A server span per API request (probes and metrics scrapes left out), continuing a caller's
 * `traceparent`, and active while the handler runs so that the order taken joins it. Three
 * hooks instead of @fastify/otel: that one pulls in the instrumentation machinery (require
 * hooks) for what is, here, a span around a handler. Installed only when tracing is on.
 */
export function installHttpTracing(app: FastifyInstance, tracer: Tracer): void {
  const spans = new WeakMap<FastifyRequest, Span>();
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.url.startsWith('/actuator')) return done();
    const route = request.routeOptions.url ?? 'unmatched';
    const caller = propagation.extract(context.active(), request.headers);
    const attributes = { 'http.request.method': request.method, 'http.route': route, 'url.path': request.url.split('?')[0] ?? request.url };
    spans.set(request, tracer.startSpan(`${request.method} ${route}`, { kind: SpanKind.SERVER, attributes }, caller));
    done();
  });
  // After the body is read (its stream events do not keep an async context): the handler runs inside the span.
  app.addHook('preHandler', (request, _reply, done) => {
    const span = spans.get(request);
    if (!span) return done();
    context.with(trace.setSpan(context.active(), span), done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const span = spans.get(request);
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}
