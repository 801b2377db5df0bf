import type { Principal } from '../../domain/access/principal.js';
import { authFailure, type AuthResult, type RequestAuthenticator, type TokenVerifier } from '../../ports/authenticator.js';

// RFC 6750 b64token; anything else in the header is not a bearer token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** The token of an `Authorization: Bearer <token>` header; undefined for anything else. */
export const bearerToken = (authorization: string): string | undefined => BEARER.exec(authorization)?.[1];

/**
 * An Authorization header to a caller, for HTTP and gRPC alike. Without a header the caller is
 * `implicit` when there is one (dev mode's development principal), otherwise the request has none.
 */
export class BearerAuthenticator implements RequestAuthenticator {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly implicit?: Principal,
  ) {}

  async authenticate(authorization: string | undefined): Promise<AuthResult> {
    if (authorization === undefined || authorization === '') {
      return this.implicit ? { ok: true, principal: this.implicit } : authFailure('missing', 'send a bearer token: Authorization: Bearer <token>');
    }
    const token = bearerToken(authorization);
    if (token === undefined) return authFailure('malformed', 'the Authorization header must be "Bearer <token>"');
    return this.verifier.verify(token);
  }

  isImplicit(principal: Principal): boolean {
    return principal === this.implicit;
  }
}
