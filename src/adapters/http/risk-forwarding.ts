import replyFrom from '@fastify/reply-from';
import { context, propagation } from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, RawServerBase, RouteGenericInterface } from 'fastify';
import { apiError } from './errors.js';

/** Every path of the risk API (registerRiskRoutes) starts with this. */
export const RISK_API_PREFIX = '/api/v1/risk/';

export interface RiskForwardingOptions {
  /** risk-service's HTTP origin, e.g. http://risk-service:8084. */
  readonly riskServiceUrl: string;
  /** Longest wait for risk-service's answer (its headers, then between body chunks). */
  readonly answerTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
}

const RISK_API_METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const RETRY_AFTER_SECONDS = '5';

/**
 * Distributed mode: oms-ingest serves the web blotter, risk-service the risk API. This forwards
 * `/api/v1/risk/*` to risk-service, so the page has one origin (no CORS, risk-service stays
 * internal). The caller's Authorization goes on unchanged: risk-service checks the user's own
 * roles and accounts, as it does for a direct call. oms-ingest has already authenticated the
 * caller (and counted it against the rate limit), so anonymous traffic never reaches risk-service.
 * Unreachable or silent, risk-service becomes a 503 with the API's JSON error, never a hang.
 */
export async function registerRiskForwarding(app: FastifyInstance, options: RiskForwardingOptions): Promise<void> {
  const answerTimeoutMs = options.answerTimeoutMs ?? 10_000;
  // Encapsulated: reply.from exists in this scope only.
  await app.register(async (scope) => {
    await scope.register(replyFrom, {
      base: options.riskServiceUrl,
      // Our own request log (debug) already has a line per request.
      disableRequestLogging: true,
      undici: { headersTimeout: answerTimeoutMs, bodyTimeout: answerTimeoutMs, connect: { timeout: options.connectTimeoutMs ?? 2_000 } },
    });
    scope.route({
      method: RISK_API_METHODS,
      url: `${RISK_API_PREFIX}*`,
      // Documented in risk-service's own /openapi.json.
      schema: { hide: true },
      handler: (_request, reply) => {
        try {
          return reply.from(undefined, {
            // The page polls every 5 s: a retried GET (reply-from retries a 503 up to 10 times) would only make it wait.
            retryDelay: () => null,
            rewriteRequestHeaders: (_forwarded, headers) => {
              // Tracing on: risk-service's span joins this request's; off, the caller's traceparent goes on as sent.
              propagation.inject(context.active(), headers);
              return headers;
            },
            onError: (failed, { error }) => void unavailable(failed, error),
          });
        } catch {
          // reply-from refuses a path that climbs out with '..' (or is badly encoded): not a risk resource.
          const mapped = apiError('NOT_FOUND');
          return reply.status(mapped.status).send(mapped.body);
        }
      },
    });
  });
}

/** reply-from hands its onError a reply typed for any server (HTTP/1 or HTTP/2). */
type AnyReply = FastifyReply<RouteGenericInterface, RawServerBase>;

function unavailable(reply: AnyReply, error: Error & { code?: string; cause?: unknown }): AnyReply {
  // Connected, but no answer in time: unlike a refused connection, the request may have been carried out.
  const timedOut = error.code === 'FST_REPLY_FROM_GATEWAY_TIMEOUT';
  const causeCode = (error.cause as { code?: unknown } | undefined)?.code;
  const cause = typeof causeCode === 'string' ? causeCode : error.message;
  const message = timedOut
    ? 'risk-service, which serves the risk API, did not answer in time; a change may still have been made: read it again before retrying'
    : `risk-service, which serves the risk API, could not be reached (${cause}); retry later`;
  const mapped = apiError('SERVICE_UNAVAILABLE', undefined, message);
  return reply.status(mapped.status).header('retry-after', RETRY_AFTER_SECONDS).send(mapped.body);
}
