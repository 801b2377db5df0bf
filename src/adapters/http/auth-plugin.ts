import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../domain/access/principal.js';
import type { AuthFailure } from '../../ports/authenticator.js';
import { parseDevTokenRequest } from '../auth/dev-issuer.js';
import type { AccessControl } from '../auth/index.js';
import { principalOf } from './access-guard.js';
import { isDocsRoute } from './api-docs.js';
import { isWebRoute } from './web-app.js';
import { apiError } from './errors.js';
import { devTokenSchema, webLoginSchema } from './schemas/auth-schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller; null only on public routes (actuator, dev token). */
    principal: Principal | null;
  }
}

export const DEV_TOKEN_ROUTE = '/api/v1/dev/token';
/** Where the web blotter learns how to sign in (issuer and public client), before it has a token. */
export const WEB_LOGIN_ROUTE = '/api/v1/auth/web-login';

/** Health and metrics stay open to probes and Prometheus; so do dev mode's token endpoint, the web login's settings, the API's documentation and the web blotter's files. */
const isPublic = (request: FastifyRequest): boolean => {
  const route = request.routeOptions.url;
  return (
    route !== undefined && (route.startsWith('/actuator/') || route === DEV_TOKEN_ROUTE || route === WEB_LOGIN_ROUTE || isDocsRoute(route) || isWebRoute(route))
  );
};

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/**
 * Every request but the public ones names its caller with a bearer token (401 otherwise, with
 * WWW-Authenticate as RFC 6750 says); routes then ask the caller's roles and accounts. Each
 * caller (token subject) is then rate limited. One app-level hook does both, in that order, for
 * every route whenever it was registered.
 */
export function installAccessControl(app: FastifyInstance, access: AccessControl): void {
  const { authenticator, devIssuer, settings } = access;
  app.decorateRequest('principal', null);

  let limiter: Limiter | undefined;
  if (settings.rateLimitPerMinute > 0) {
    // The plugin only supplies the counting (its per-route hooks would miss routes added before it loads).
    void app.register(rateLimit, { global: false });
    app.after(() => {
      limiter = app.createRateLimit({ max: settings.rateLimitPerMinute, timeWindow: 60_000, keyGenerator: (request) => `sub:${principalOf(request).subject}` });
    });
  }

  app.addHook('onRequest', async (request, reply) => {
    if (isPublic(request)) return;
    const result = await authenticator.authenticate(request.headers.authorization);
    if (!result.ok) return refuse(reply, result.failure);
    request.principal = result.principal;
    // Dev mode's token-less caller is the local developer (and `npm run bench`): not limited.
    if (!limiter || authenticator.isImplicit(result.principal)) return;
    const verdict = await limiter(request);
    if (!verdict.isAllowed && verdict.isExceeded) {
      const mapped = apiError('RATE_LIMITED');
      return reply.status(mapped.status).header('retry-after', String(verdict.ttlInSeconds)).header('x-ratelimit-limit', String(verdict.max)).send(mapped.body);
    }
  });

  app.get(WEB_LOGIN_ROUTE, { schema: webLoginSchema }, async (_request, reply) => {
    if (settings.mode !== 'oidc' || settings.issuerUrl === undefined || settings.webClientId === '') {
      const mapped = apiError('NOT_FOUND', undefined, 'The web blotter has no sign-in here: dev mode needs none; with AUTH_MODE=oidc set OIDC_WEB_CLIENT_ID');
      return reply.status(mapped.status).send(mapped.body);
    }
    return reply.send({ issuer: settings.issuerUrl, clientId: settings.webClientId, scope: 'openid' });
  });

  if (devIssuer) {
    const acknowledged = settings.insecureDevModeAcknowledged;
    app.log[acknowledged ? 'error' : 'warn'](
      { authMode: 'dev', tokenEndpoint: `POST ${DEV_TOKEN_ROUTE}` },
      'AUTH_MODE=dev: requests without a token act with every role on every account, and this process issues its own tokens; never use it in production (set AUTH_MODE=oidc)',
    );
    app.withTypeProvider<TypeBoxTypeProvider>().post(DEV_TOKEN_ROUTE, { schema: devTokenSchema }, async (request, reply) => {
      const parsed = parseDevTokenRequest(request.body);
      if (!parsed.ok) {
        const mapped = apiError('VALIDATION_FAILED', parsed.errors);
        return reply.status(mapped.status).send(mapped.body);
      }
      const token = await devIssuer.issue(parsed.value);
      return reply.header('cache-control', 'no-store').send({ access_token: token, token_type: 'Bearer', expires_in: parsed.value.expiresInSeconds });
    });
  }
}

function refuse(reply: FastifyReply, failure: AuthFailure): FastifyReply {
  if (failure.reason === 'issuer-unavailable') {
    const mapped = apiError('SERVICE_UNAVAILABLE', undefined, failure.message);
    return reply.status(mapped.status).header('retry-after', '5').send(mapped.body);
  }
  // RFC 6750: no error code when no credentials were sent; invalid_token for a bad one.
  const challenge =
    failure.reason === 'missing'
      ? 'Bearer realm="oms"'
      : `Bearer realm="oms", error="invalid_token", error_description="${failure.message.replaceAll('"', "'")}"`;
  const mapped = apiError('UNAUTHORIZED', undefined, failure.message);
  return reply.status(mapped.status).header('www-authenticate', challenge).send(mapped.body);
}
