import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export const OPENAPI_ROUTE = '/openapi.json';
export const DOCS_PREFIX = '/docs';

/**
 * The API's contract, built from the routes' own schemas: OpenAPI 3.1 at /openapi.json and an
 * interactive page at /docs. Awaited before any route is added: @fastify/swagger collects routes
 * as they are registered. The actuator stays out of the document for now.
 */
export async function installApiDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      // 3.1: its schemas are JSON Schema, so `null` in a union means what the routes send.
      openapi: '3.1.0',
      info: {
        title: 'OMS-SOR API',
        // The contract's version: paths are /api/v1.
        version: '1.0.0',
        description:
          'Orders in, routed across venues over FIX 4.4. Errors are `{ error: { code, message, fields? } }`; bad input is a 400 VALIDATION_FAILED naming each bad field.',
      },
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'AUTH_MODE=oidc: a token from the configured issuer; AUTH_MODE=dev: from POST /api/v1/dev/token, or none',
          },
        },
      },
      security: [{ bearerAuth: [] }],
      tags: [
        { name: 'orders', description: 'Submit, read, cancel and replace orders; their stream and execution quality' },
        { name: 'market', description: 'Market data and positions' },
        { name: 'risk', description: 'Limits, kill switches and their audit (risk officers)' },
        { name: 'auth', description: "Who the caller is; dev mode's own tokens" },
      ],
    },
    hideUntagged: true,
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX });
  app.get(OPENAPI_ROUTE, { schema: { hide: true } }, (_request, reply) => reply.send(app.swagger()));
}

/** The contract and its page are public: they hold no data, and the page is where a caller pastes its token. */
export const isDocsRoute = (route: string): boolean => route === OPENAPI_ROUTE || route === DOCS_PREFIX || route.startsWith(`${DOCS_PREFIX}/`);
