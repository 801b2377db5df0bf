import { Code, ConnectError, createContextKey, type HandlerContext, type Interceptor } from '@connectrpc/connect';
import { decide, roleRequirement, type Action } from '../../domain/access/permissions.js';
import type { Principal } from '../../domain/access/principal.js';
import type { RequestAuthenticator } from '../../ports/authenticator.js';

const CALLER = createContextKey<Principal | null>(null, { description: 'the verified caller' });

/**
 * Every call of the service it is given to names its caller with `authorization: Bearer <token>`
 * metadata, as REST does: UNAUTHENTICATED otherwise (UNAVAILABLE when the issuer cannot be reached).
 */
export function authenticationInterceptor(authenticator: RequestAuthenticator): Interceptor {
  return (next) => async (request) => {
    const result = await authenticator.authenticate(request.header.get('authorization') ?? undefined);
    if (!result.ok) throw new ConnectError(result.failure.message, result.failure.reason === 'issuer-unavailable' ? Code.Unavailable : Code.Unauthenticated);
    request.contextValues.set(CALLER, result.principal);
    return next(request);
  };
}

/** The caller the interceptor verified; none means the service was registered without it, so fail closed. */
export function callerOf(context: HandlerContext): Principal {
  const caller = context.values.get(CALLER);
  if (!caller) throw new ConnectError('no authenticated caller', Code.Internal);
  return caller;
}

/**
 * REST's rules over gRPC: PERMISSION_DENIED for a missing role; for a missing entitlement,
 * `notEntitled` (NOT_FOUND on reads, so an order's existence does not leak). No account id
 * (empty in proto3): the role alone is checked.
 */
export function denial(
  caller: Principal,
  action: Action,
  accountId: string | undefined,
  notEntitled: (accountId: string) => ConnectError,
): ConnectError | null {
  const decision = decide(caller, action, accountId || undefined);
  if (decision === 'allow') return null;
  if (decision === 'no-role') return new ConnectError(roleRequirement(action), Code.PermissionDenied);
  return accountId ? notEntitled(accountId) : null;
}
