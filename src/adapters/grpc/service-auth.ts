import { Code, ConnectError, type Interceptor } from '@connectrpc/connect';
import type { ServiceAuthResult } from '../auth/service-token.js';

/** Checks an internal call's `authorization` metadata (a ServiceTokenVerifier). */
export interface ServiceCallerCheck {
  verify(authorization: string | undefined): Promise<ServiceAuthResult>;
}

/** Supplies the calling service's current token (a ServiceTokenIssuer). */
export interface ServiceCredentials {
  token(): Promise<string>;
}

/**
 * How an internal gRPC service is guarded: a check of the caller's service token, or, said out
 * loud, none (dev mode without SERVICE_AUTH_SECRET). Required, so a composition root cannot forget.
 */
export type InternalServiceAuth = ServiceCallerCheck | 'unauthenticated';

/** Server side: UNAUTHENTICATED before the handler runs, so a refused call decides (and consumes) nothing. */
export function serviceAuthInterceptor(check: ServiceCallerCheck): Interceptor {
  return (next) => async (request) => {
    const result = await check.verify(request.header.get('authorization') ?? undefined);
    if (!result.ok) throw new ConnectError(result.message, Code.Unauthenticated);
    return next(request);
  };
}

/** Client side: every call carries the calling service's token as `authorization: Bearer`. */
export function serviceCredentialsInterceptor(credentials: ServiceCredentials): Interceptor {
  return (next) => async (request) => {
    request.header.set('authorization', `Bearer ${await credentials.token()}`);
    return next(request);
  };
}

export const interceptorsFor = (auth: InternalServiceAuth): Interceptor[] => (auth === 'unauthenticated' ? [] : [serviceAuthInterceptor(auth)]);
