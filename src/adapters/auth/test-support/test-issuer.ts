import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, SignJWT, type JWTPayload } from 'jose';

export interface TokenOptions {
  readonly claims?: JWTPayload;
  readonly subject?: string | null;
  readonly audience?: string;
  readonly issuer?: string;
  /** Seconds from now; negative for an expired token. */
  readonly expiresIn?: number;
  /** Seconds from now before which the token is not valid. */
  readonly notBefore?: number;
  /** Sign with another key (a forger), under the issuer's key id or a made-up one. */
  readonly forgedKey?: 'same-kid' | 'unknown-kid';
}

/**
 * An OpenID issuer for tests, Keycloak-shaped: a discovery document and a JWKS over real HTTP on
 * 127.0.0.1, and RS256 tokens with `realm_access.roles` and an `accounts` claim.
 */
export class TestIssuer {
  readonly audience = 'oms-api';
  private readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly forger: KeyObject = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  private readonly kid = 'test-key-1';
  jwksRequests = 0;
  /** When true, every request gets a 500 (an issuer that is down). */
  failing = false;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<TestIssuer> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const issuer = new TestIssuer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const jwk = { ...(await exportJWK(issuer.key.publicKey)), kid: issuer.kid, alg: 'RS256', use: 'sig' };
    server.on('request', (request, response) => {
      const send = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (issuer.failing) return send(500, { error: 'down' });
      if (request.url === '/realms/test/.well-known/openid-configuration') return send(200, { issuer: issuer.issuerUrl, jwks_uri: issuer.jwksUrl });
      if (request.url === '/realms/test/protocol/openid-connect/certs') {
        issuer.jwksRequests++;
        return send(200, { keys: [jwk] });
      }
      send(404, { error: 'not found' });
    });
    return issuer;
  }

  get issuerUrl(): string {
    return `${this.baseUrl}/realms/test`;
  }

  get jwksUrl(): string {
    return `${this.issuerUrl}/protocol/openid-connect/certs`;
  }

  /** A token as Keycloak issues it, for `roles` on `accounts`. */
  token(roles: readonly string[], accounts: readonly string[], options: TokenOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({ azp: 'oms-api', realm_access: { roles: ['offline_access', ...roles] }, accounts, ...options.claims })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.forgedKey === 'unknown-kid' ? 'forged-key' : this.kid })
      .setIssuer(options.issuer ?? this.issuerUrl)
      .setAudience(options.audience ?? this.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expiresIn ?? 300));
    if (options.subject !== null) jwt.setSubject(options.subject ?? 'trader-1');
    if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
    return jwt.sign(options.forgedKey ? this.forger : this.key.privateKey);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** An unsecured JWT (`alg: none`) claiming whatever it likes: must never be accepted. */
export function unsignedToken(claims: JWTPayload): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}
