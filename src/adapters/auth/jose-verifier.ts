import type { KeyObject } from 'node:crypto';
import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { authFailure, type AuthResult, type TokenVerifier } from '../../ports/authenticator.js';
import { principalFromClaims } from './claims.js';

/** Signature algorithms accepted: asymmetric only, so a public key can never be used as an HMAC secret. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** Raised by a key source that cannot reach the issuer (not the token's fault: the answer is 503, not 401). */
export class IssuerUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IssuerUnavailableError';
  }
}

export interface JoseVerifierOptions {
  /** The issuer's key set (remote JWKS) or one public key (the dev issuer). */
  readonly keys: JWTVerifyGetKey | KeyObject;
  readonly issuer: string;
  readonly audience: string;
  readonly clockToleranceSeconds: number;
}

/** A bearer token checked with jose: signature against the issuer's keys, then iss, aud, exp and nbf. */
export class JoseTokenVerifier implements TokenVerifier {
  constructor(private readonly options: JoseVerifierOptions) {}

  async verify(token: string): Promise<AuthResult> {
    const { keys, issuer, audience, clockToleranceSeconds } = this.options;
    try {
      const verifyOptions = { issuer, audience, algorithms: ACCEPTED_ALGORITHMS, clockTolerance: clockToleranceSeconds, requiredClaims: ['sub', 'exp'] };
      const { payload } = await jwtVerify(token, keys, verifyOptions);
      const principal = principalFromClaims(payload);
      return 'problem' in principal ? authFailure('invalid-claims', principal.problem) : { ok: true, principal, expiresAt: payload.exp };
    } catch (error) {
      return failureFor(error);
    }
  }
}

/** jose's errors to the port's reasons; messages are ours, since jose's may quote claims. */
function failureFor(error: unknown): AuthResult {
  if (error instanceof errors.JWTExpired) return authFailure('expired', 'the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return authFailure('not-yet-valid', 'the token is not valid yet');
    if (error.claim === 'iss') return authFailure('wrong-issuer', 'the token is from another issuer');
    if (error.claim === 'aud') return authFailure('wrong-audience', 'the token is not for this audience');
    return authFailure('invalid-claims', `the token's ${error.claim} claim is ${error.reason === 'missing' ? 'missing' : 'invalid'}`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return authFailure('bad-signature', "the token's signature does not match the issuer's keys");
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return authFailure('bad-signature', `the token must be signed with one of ${ACCEPTED_ALGORITHMS.join(', ')}`);
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) {
    return authFailure('malformed', 'the token is not a well-formed signed JWT');
  }
  // The rest (timeouts, HTTP errors, a bad key set, network failures) are about reaching the issuer.
  return authFailure('issuer-unavailable', 'the token issuer cannot be reached to check the token; retry later');
}
