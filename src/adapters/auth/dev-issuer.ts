import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { ALL_ACCOUNTS, isRole, ROLES, type Principal, type Role } from '../../domain/access/principal.js';
import type { Validated, FieldError } from '../../domain/order/validation.js';
import type { TokenVerifier } from '../../ports/authenticator.js';
import { JoseTokenVerifier } from './jose-verifier.js';

/** The `iss` of development tokens: never a real issuer's URL, so no real deployment trusts them by accident. */
export const DEV_ISSUER = 'urn:oms:dev-issuer';

/** Who a request without a token is in dev mode: every role on every account (what `npm start` users expect). */
export const DEV_PRINCIPAL: Principal = Object.freeze({ subject: 'dev', roles: ROLES, accounts: [ALL_ACCOUNTS] });

const MAX_TTL_SECONDS = 24 * 3600;

export interface DevTokenRequest {
  readonly subject: string;
  readonly roles: readonly Role[];
  readonly accounts: readonly string[];
  readonly expiresInSeconds: number;
}

/**
 * Development mode's token issuer: a key pair made at start (tokens die with the process), real
 * ES256-signed JWTs, verified by the same jose path as a real issuer's, so roles and entitlements
 * are exercised in development too.
 */
export class DevTokenIssuer {
  private readonly keyId = randomUUID();
  private readonly privateKey: KeyObject;
  readonly verifier: TokenVerifier;

  constructor(private readonly audience: string) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    this.verifier = new JoseTokenVerifier({ keys: publicKey, issuer: DEV_ISSUER, audience, clockToleranceSeconds: 0 });
  }

  async issue(request: DevTokenRequest): Promise<string> {
    return new SignJWT({ roles: request.roles, accounts: request.accounts })
      .setProtectedHeader({ alg: 'ES256', kid: this.keyId, typ: 'JWT' })
      .setIssuer(DEV_ISSUER)
      .setAudience(this.audience)
      .setSubject(request.subject)
      .setIssuedAt()
      .setExpirationTime(`${request.expiresInSeconds}s`)
      .setJti(randomUUID())
      .sign(this.privateKey);
  }
}

/** POST /api/v1/dev/token's body: `{ subject, roles, accounts, expiresInSeconds? }`, every bad field named. */
export function parseDevTokenRequest(body: unknown): Validated<DevTokenRequest> {
  const input = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const errors: FieldError[] = [];
  const { subject, roles, accounts, expiresInSeconds = 3600 } = input;
  if (typeof subject !== 'string' || !/^[\w.@:-]{1,128}$/.test(subject))
    errors.push({ field: 'subject', message: 'must be 1 to 128 letters, digits or ._@:-' });
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string' && isRole(r)))
    errors.push({ field: 'roles', message: `must be an array of ${ROLES.join(', ')}` });
  if (!Array.isArray(accounts) || !accounts.every((a) => typeof a === 'string' && a !== ''))
    errors.push({ field: 'accounts', message: `must be an array of account ids (${ALL_ACCOUNTS} for all)` });
  if (!Number.isInteger(expiresInSeconds) || (expiresInSeconds as number) < 1 || (expiresInSeconds as number) > MAX_TTL_SECONDS) {
    errors.push({ field: 'expiresInSeconds', message: `must be an integer from 1 to ${MAX_TTL_SECONDS}` });
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { subject: subject as string, roles: roles as Role[], accounts: accounts as string[], expiresInSeconds: expiresInSeconds as number },
  };
}
