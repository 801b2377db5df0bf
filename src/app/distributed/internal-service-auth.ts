import type { ServiceName } from '../../config/config.js';
import { ServiceTokenIssuer, ServiceTokenVerifier } from '../../adapters/auth/service-token.js';
import type { InternalServiceAuth, ServiceCredentials } from '../../adapters/grpc/service-auth.js';
import type { ServiceRuntime } from './service-runtime.js';

/** Unset SERVICE_AUTH_SECRET is dev mode's choice only (config refuses it with oidc); say it once, at start. */
function secretOf(runtime: ServiceRuntime, what: string): string | undefined {
  const { secret } = runtime.config.serviceAuth;
  if (secret !== undefined) return secret;
  if (runtime.config.auth.mode !== 'dev') throw new Error(`SERVICE_AUTH_SECRET is required with AUTH_MODE=${runtime.config.auth.mode}`);
  runtime.logger.warn(`SERVICE_AUTH_SECRET is unset (AUTH_MODE=dev): ${what}; set it (the same value in risk-service and oms-core) to require service tokens`);
  return undefined;
}

/** The guard of one of this service's internal gRPC services: tokens for it, from `callers`. */
export function internalServiceAuth(runtime: ServiceRuntime, callers: readonly ServiceName[]): InternalServiceAuth {
  const audience = runtime.service;
  const secret = secretOf(runtime, `${audience}'s internal gRPC service accepts calls from anyone who reaches its port`);
  return secret === undefined
    ? 'unauthenticated'
    : new ServiceTokenVerifier({ secret, audience, callers, clockToleranceSeconds: runtime.config.auth.clockToleranceSeconds });
}

/** This service's token for calling `audience`'s internal gRPC service. */
export function internalServiceCredentials(runtime: ServiceRuntime, audience: ServiceName): ServiceCredentials | undefined {
  const secret = secretOf(runtime, `calls to ${audience} carry no service token`);
  return secret === undefined ? undefined : new ServiceTokenIssuer({ secret, caller: runtime.service, audience });
}
