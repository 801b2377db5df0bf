import type { Principal } from '../domain/access/principal.js';

/** Why a request has no caller; each maps to one answer at the edge (401, or 503 when the issuer is unreachable). */
export type AuthFailureReason =
  'missing' | 'malformed' | 'expired' | 'not-yet-valid' | 'bad-signature' | 'wrong-audience' | 'wrong-issuer' | 'invalid-claims' | 'issuer-unavailable';

export interface AuthFailure {
  readonly reason: AuthFailureReason;
  /** For the client; never holds the token. */
  readonly message: string;
}

export type AuthResult =
  | { readonly ok: true; readonly principal: Principal; /** The token's `exp`, epoch seconds: how long the answer holds. */ readonly expiresAt?: number }
  | { readonly ok: false; readonly failure: AuthFailure };

/** Checks one bearer token (signature, issuer, audience, times) and says whom it names. */
export interface TokenVerifier {
  verify(token: string): Promise<AuthResult>;
}

/** From a request's Authorization header (undefined when absent) to its caller: what HTTP and gRPC both ask. */
export interface RequestAuthenticator {
  authenticate(authorization: string | undefined): Promise<AuthResult>;
  /** True for the development principal that stands in for "no token" in dev mode (exempt from rate limits). */
  isImplicit(principal: Principal): boolean;
}

export const authFailure = (reason: AuthFailureReason, message: string): AuthResult => ({ ok: false, failure: { reason, message } });
