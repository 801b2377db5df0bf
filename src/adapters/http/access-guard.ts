import type { FastifyRequest } from 'fastify';
import { decide, roleRequirement, type Action } from '../../domain/access/permissions.js';
import type { Principal } from '../../domain/access/principal.js';
import { apiError, type ApiErrorAnswer } from './errors.js';

/** The caller installAccessControl() verified; a route reached without one is a wiring bug, so it fails closed. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal)
    throw new Error(`no caller on ${request.method} ${request.routeOptions.url ?? request.url}: installAccessControl() must run before the routes`);
  return request.principal;
}

/**
 * The answer when the caller may not take `action` on `accountId`, or null when it may. A missing
 * role is 403 (it reveals nothing about the account); a missing entitlement is `notEntitled`,
 * which reads make a 404 like an unknown id, so what a caller cannot see does not exist for it.
 * Without an account id (none named, or left to validation) only the role is checked.
 */
export function refusal<E extends ApiErrorAnswer>(
  request: FastifyRequest,
  action: Action,
  accountId: string | undefined,
  notEntitled: (accountId: string) => E,
): ApiErrorAnswer<'FORBIDDEN'> | E | null {
  const decision = decide(principalOf(request), action, accountId);
  if (decision === 'allow') return null;
  if (decision === 'no-role') return roleMissing(action);
  return accountId === undefined ? null : notEntitled(accountId);
}

/** The role check alone, for when the account is not known yet (an order still to be looked up). */
export const roleRefusal = (request: FastifyRequest, action: Action): ApiErrorAnswer<'FORBIDDEN'> | null => {
  const decision = decide(principalOf(request), action, undefined);
  return decision === 'no-role' ? roleMissing(action) : null;
};

/** For an action on every account at once (the global kill switch, every account's limits): the role, and entitlement to every account (*). */
export function globalRefusal(request: FastifyRequest, action: Action): ApiErrorAnswer<'FORBIDDEN'> | null {
  const decision = decide(principalOf(request), action, undefined);
  if (decision === 'allow') return null;
  return decision === 'no-role' ? roleMissing(action) : apiError('FORBIDDEN', undefined, `${action} on every account needs entitlement to every account (*)`);
}

/** Who to name in an audit trail: the token's subject. */
export const callerSubject = (request: FastifyRequest): string | undefined => request.principal?.subject;

export const accountNotFound = (accountId: string): ApiErrorAnswer<'ACCOUNT_NOT_FOUND'> =>
  apiError('ACCOUNT_NOT_FOUND', [{ field: 'accountId', message: `no account ${accountId}` }]);

export const orderNotFound = (orderId: string): ApiErrorAnswer<'ORDER_NOT_FOUND'> =>
  apiError('ORDER_NOT_FOUND', [{ field: 'orderId', message: `no order ${orderId}` }]);

const roleMissing = (action: Action): ApiErrorAnswer<'FORBIDDEN'> => apiError('FORBIDDEN', undefined, roleRequirement(action));
