import type { FastifyInstance } from 'fastify';
import type { Logger } from '../observability/pino-logger.js';

/** Query parameters whose values are never logged (an EventSource cannot send a header, so a token may come this way). */
const SECRET_PARAM = /token|secret|password|passwd|key|auth/i;

/**
 * One debug line per answered request: method, URL (secret query values redacted), route,
 * status and duration. Fastify's own request logging stays off: two info lines per request on
 * the hot path, and its `req` carries the query string as sent.
 */
export function registerRequestLog(app: FastifyInstance, logger: Logger): void {
  app.addHook('onResponse', async (request, reply) => {
    if (!logger.isLevelEnabled('debug')) return;
    request.log.debug(
      {
        method: request.method,
        url: loggableUrl(request.url),
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request',
    );
  });
}

export function loggableUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const name of new Set(params.keys())) if (SECRET_PARAM.test(name)) params.set(name, '[redacted]');
  return `${url.slice(0, q)}?${params.toString()}`;
}
