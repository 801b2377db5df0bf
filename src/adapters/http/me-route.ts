import type { FastifyInstance } from 'fastify';
import { ACTIONS, hasRoleFor } from '../../domain/access/permissions.js';
import { principalOf } from './access-guard.js';
import { meSchema } from './schemas/auth-schemas.js';

export const ME_ROUTE = '/api/v1/me';

/**
 * The caller as the server sees it (dev mode's token-less caller included). The web blotter asks
 * this rather than decoding the token itself: which claims carry roles is the server's business
 * (Keycloak's realm roles, dev tokens), and the server's own rules say what each role may do.
 */
export function registerMeRoute(app: FastifyInstance): void {
  app.get(ME_ROUTE, { schema: meSchema }, async (request, reply) => {
    const principal = principalOf(request);
    return reply.header('cache-control', 'no-store').send({
      subject: principal.subject,
      roles: principal.roles,
      accounts: principal.accounts,
      actions: ACTIONS.filter((action) => hasRoleFor(principal, action)),
    });
  });
}
