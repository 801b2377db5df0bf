import { createHash, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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

/** Who signs in at the issuer's authorization endpoint (there is no login form: the user is set by the test). */
export interface SignInUser {
  readonly subject: string;
  readonly roles: readonly string[];
  readonly accounts: readonly string[];
}

interface PendingCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly user: SignInUser;
}

/**
 * An OpenID issuer for tests, Keycloak-shaped: a discovery document and a JWKS over real HTTP on
 * 127.0.0.1, and RS256 tokens with `realm_access.roles` and an `accounts` claim. Its authorization
 * code flow takes public clients with PKCE (S256) only, as Keycloak's oms-api client is set up, and
 * signs in `signInAs` at once.
 */
export class TestIssuer {
  readonly audience = 'oms-api';
  private readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly forger: KeyObject = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  private readonly kid = 'test-key-1';
  jwksRequests = 0;
  /** When true, every request gets a 500 (an issuer that is down). */
  failing = false;
  /** The user the authorization endpoint signs in. */
  signInAs: SignInUser = { subject: 'trader-1', roles: ['trader'], accounts: ['*'] };
  private readonly codes = new Map<string, PendingCode>();

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
      // Readable from any origin, as Keycloak serves its discovery document and keys to browsers.
      const send = (status: number, body: unknown) =>
        response.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end(JSON.stringify(body));
      if (issuer.failing) return send(500, { error: 'down' });
      if (request.url === '/realms/test/.well-known/openid-configuration') return send(200, issuer.discovery());
      if (request.url?.startsWith(`${AUTHORIZE_PATH}?`)) return issuer.authorize(request, response);
      if (request.url === TOKEN_PATH) return void issuer.exchange(request, response);
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

  private discovery() {
    return {
      issuer: this.issuerUrl,
      jwks_uri: this.jwksUrl,
      authorization_endpoint: `${this.baseUrl}${AUTHORIZE_PATH}`,
      token_endpoint: `${this.baseUrl}${TOKEN_PATH}`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256'],
    };
  }

  /** The authorization endpoint: refuses a request without S256 PKCE, else redirects back with a code. */
  private authorize(request: IncomingMessage, response: ServerResponse): void {
    const query = new URL(request.url!, this.baseUrl).searchParams;
    const redirectUri = query.get('redirect_uri');
    const challenge = query.get('code_challenge');
    if (!redirectUri || query.get('response_type') !== 'code' || query.get('code_challenge_method') !== 'S256' || !challenge) {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_request: code flow with S256 PKCE only');
      return;
    }
    const code = randomUUID();
    this.codes.set(code, { clientId: query.get('client_id') ?? '', redirectUri, challenge, user: this.signInAs });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    if (query.get('state') !== null) back.searchParams.set('state', query.get('state')!);
    response.writeHead(302, { location: back.toString() }).end();
  }

  /** The token endpoint: a code once, for the same client and redirect URI, with the verifier of its challenge. */
  private async exchange(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const cors = { 'access-control-allow-origin': request.headers.origin ?? '*', 'access-control-allow-headers': '*', 'cache-control': 'no-store' };
    if (request.method === 'OPTIONS') return void response.writeHead(204, cors).end();
    let body = '';
    for await (const chunk of request) body += String(chunk);
    const form = new URLSearchParams(body);
    const pending = this.codes.get(form.get('code') ?? '');
    this.codes.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    const proven = pending !== undefined && createHash('sha256').update(verifier).digest('base64url') === pending.challenge;
    if (
      !pending ||
      !proven ||
      form.get('grant_type') !== 'authorization_code' ||
      form.get('client_id') !== pending.clientId ||
      form.get('redirect_uri') !== pending.redirectUri
    ) {
      return void response.writeHead(400, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant' }));
    }
    const { subject, roles, accounts } = pending.user;
    const now = Math.floor(Date.now() / 1000);
    const idToken = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: this.kid })
      .setIssuer(this.issuerUrl)
      .setAudience(pending.clientId)
      .setSubject(subject)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(this.key.privateKey);
    const accessToken = await this.token(roles, accounts, { subject });
    response
      .writeHead(200, { ...cors, 'content-type': 'application/json' })
      .end(JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: 300, id_token: idToken, scope: 'openid' }));
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

const AUTHORIZE_PATH = '/realms/test/protocol/openid-connect/auth';
const TOKEN_PATH = '/realms/test/protocol/openid-connect/token';

/** An unsecured JWT (`alg: none`) claiming whatever it likes: must never be accepted. */
export function unsignedToken(claims: JWTPayload): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}
