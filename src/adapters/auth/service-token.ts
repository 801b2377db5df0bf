import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { bearerToken } from './bearer-authenticator.js';

/**
 * Service tokens: what one of our services shows another on an internal gRPC call. A short-lived
 * JWT, HS256 with the deployment's shared SERVICE_AUTH_SECRET, `sub` the calling service and `aud`
 * the called one. Users' tokens are asymmetric and from another issuer, so neither kind passes
 * as the other.
 */
export const SERVICE_TOKEN_ISSUER = 'urn:oms:service';
const ALGORITHM = 'HS256';
/** Lifetime of a token; the caller renews it at half-life, so one in use has minutes left. */
export const SERVICE_TOKEN_TTL_SECONDS = 300;

const keyOf = (secret: string): Uint8Array => new TextEncoder().encode(secret);

export interface ServiceTokenIssuerOptions {
  readonly secret: string;
  /** The calling service (`sub`). */
  readonly caller: string;
  /** The called service (`aud`). */
  readonly audience: string;
  /** For tests: the verifier refuses any token issued longer ago than SERVICE_TOKEN_TTL_SECONDS. */
  readonly ttlSeconds?: number;
  readonly now?: () => number;
}

/** Signs the calling service's token and reuses it until half its life has passed. */
export class ServiceTokenIssuer {
  private readonly key: Uint8Array;
  private readonly ttlSeconds: number;
  private readonly now: () => number;
  private current: { readonly token: string; readonly renewAtMs: number } | undefined;

  constructor(private readonly options: ServiceTokenIssuerOptions) {
    this.key = keyOf(options.secret);
    this.ttlSeconds = options.ttlSeconds ?? SERVICE_TOKEN_TTL_SECONDS;
    this.now = options.now ?? Date.now;
  }

  async token(): Promise<string> {
    const nowMs = this.now();
    if (this.current && nowMs < this.current.renewAtMs) return this.current.token;
    const issuedAt = Math.floor(nowMs / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(SERVICE_TOKEN_ISSUER)
      .setSubject(this.options.caller)
      .setAudience(this.options.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.ttlSeconds)
      .setJti(randomUUID())
      .sign(this.key);
    this.current = { token, renewAtMs: nowMs + (this.ttlSeconds * 1000) / 2 };
    return token;
  }
}

export type ServiceAuthResult = { readonly ok: true; readonly caller: string } | { readonly ok: false; readonly message: string };

export interface ServiceTokenVerifierOptions {
  readonly secret: string;
  /** This service's name: tokens for another audience are refused. */
  readonly audience: string;
  /** The services allowed to call (`sub`). */
  readonly callers: readonly string[];
  readonly clockToleranceSeconds?: number;
}

/** Checks an Authorization header's service token: signature, issuer, audience, expiry, age and caller. */
export class ServiceTokenVerifier {
  private readonly key: Uint8Array;

  constructor(private readonly options: ServiceTokenVerifierOptions) {
    this.key = keyOf(options.secret);
  }

  async verify(authorization: string | undefined): Promise<ServiceAuthResult> {
    if (authorization === undefined || authorization === '') return failure('send a service token: authorization: Bearer <token>');
    const token = bearerToken(authorization);
    if (token === undefined) return failure('the authorization metadata must be "Bearer <token>"');
    const { audience, callers, clockToleranceSeconds = 5 } = this.options;
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: SERVICE_TOKEN_ISSUER,
        audience,
        algorithms: [ALGORITHM],
        clockTolerance: clockToleranceSeconds,
        // Short-lived means short-lived: a token signed with a far-away exp is still refused.
        maxTokenAge: SERVICE_TOKEN_TTL_SECONDS + clockToleranceSeconds,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      const caller = payload.sub!;
      return callers.includes(caller) ? { ok: true, caller } : failure(`service ${caller} may not call ${audience}`);
    } catch (error) {
      return failure(reasonFor(error));
    }
  }
}

const failure = (message: string): ServiceAuthResult => ({ ok: false, message });

/** Our messages, never jose's (which may quote the token's claims). */
function reasonFor(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the service token has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `the service token's ${error.claim} claim is ${error.reason === 'missing' ? 'missing' : 'not accepted'}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return "the service token's signature does not match SERVICE_AUTH_SECRET";
  if (error instanceof errors.JOSEAlgNotAllowed) return `the service token must be signed with ${ALGORITHM}`;
  return 'the service token is not a well-formed signed JWT';
}
