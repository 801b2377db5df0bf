import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from '../observability/pino-logger.js';
import type { Metrics } from '../observability/prometheus-metrics.js';
import { apiError, type ApiErrorCode } from './errors.js';
import { lazyRequestLogger } from './lazy-request-logger.js';
import { fieldWithNul } from './nul-guard.js';
import { registerRequestLog } from './request-log.js';

/** Orders are small; a bigger body is a mistake or an attack. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/**
 * Builds the HTTP app without listening (tests use inject()). Routes are registered by the caller;
 * this sets the error shape shared by every route and the request metrics.
 */
export function createHttpApp(options: { logger: Logger; metrics: Metrics }): FastifyInstance {
  // pino's Logger is a FastifyBaseLogger; naming the wider type keeps FastifyInstance's default generics.
  const loggerInstance: FastifyBaseLogger = options.logger;
  const app = Fastify({
    loggerInstance,
    // Fastify's request lines are at info; ours (registerRequestLog) are at debug. Failures are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  // The API speaks JSON only; anything else is a 415, not a string handed to the validators.
  app.removeContentTypeParser('text/plain');

  // Route schemas are the published contract (/openapi.json), not the checks: the domain answers bad
  // input with a 400 VALIDATION_FAILED naming every field, so Ajv must not refuse a request first.
  app.setValidatorCompiler(() => () => true);
  // Answers are serialised as without a schema: fast-json-stringify would drop any field a schema
  // does not name. The contract test checks that answers match their schemas instead.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const code = errorCodeFor(error);
    if (code === 'INTERNAL') request.log.error({ err: error }, 'request failed');
    const aboutBody = code === 'MALFORMED_JSON' || code === 'BODY_TOO_LARGE' || code === 'UNSUPPORTED_MEDIA_TYPE';
    const mapped = apiError(code, aboutBody ? [{ field: 'body', message: error.message }] : undefined);
    void reply.status(mapped.status).send(mapped.body);
  });

  app.setNotFoundHandler((_request, reply) => {
    const mapped = apiError('NOT_FOUND');
    void reply.status(mapped.status).send(mapped.body);
  });

  app.addHook('preValidation', async (request, reply) => {
    const field = fieldWithNul(request.params) ?? fieldWithNul(request.query) ?? fieldWithNul(request.body);
    if (field === undefined) return;
    const mapped = apiError('VALIDATION_FAILED', [{ field, message: 'must not contain a NUL character (U+0000)' }]);
    return reply.status(mapped.status).send(mapped.body);
  });

  const { httpRequestDuration } = options.metrics;
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    httpRequestDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  registerRequestLog(app, options.logger);
  closeKeptAliveConnections(app);

  return app;
}

/**
 * Node keeps a keep-alive connection open after `close()` when a response was in flight at that
 * moment, so the close would wait for the client's idle timeout (up to Fastify's 72 s). Answers
 * sent while closing say `connection: close`; whatever is still open after the grace period is cut.
 */
function closeKeptAliveConnections(app: FastifyInstance, graceMs = CLOSE_GRACE_MS): void {
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    setTimeout(() => app.server.closeAllConnections(), graceMs).unref();
    done();
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) void reply.header('connection', 'close');
    return payload;
  });
}

/** How long requests in flight at shutdown get to finish before their connections are cut. */
const CLOSE_GRACE_MS = 5_000;

function errorCodeFor(error: FastifyError): ApiErrorCode {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'BODY_TOO_LARGE';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'MALFORMED_JSON';
    default:
      if (error instanceof SyntaxError) return 'MALFORMED_JSON';
      return error.statusCode === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL';
  }
}
