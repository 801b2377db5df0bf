import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can } from '../../domain/access/permissions.js';
import type { AuthResult } from '../../ports/authenticator.js';
import { BearerAuthenticator } from './bearer-authenticator.js';
import { DEV_ISSUER, DEV_PRINCIPAL, DevTokenIssuer, parseDevTokenRequest } from './dev-issuer.js';
import { JoseTokenVerifier } from './jose-verifier.js';
import { issuerKeys } from './oidc-keys.js';
import { devAccess, oidcAccess } from './test-support/access.js';
import { TestIssuer, unsignedToken } from './test-support/test-issuer.js';

const reason = (result: AuthResult) => (result.ok ? 'ok' : result.failure.reason);

// Tokens from a Keycloak-shaped test issuer, checked against its JWKS served over real HTTP.
describe('bearer tokens against an OpenID issuer', () => {
  let issuer: TestIssuer;
  let verifier: JoseTokenVerifier;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    verifier = new JoseTokenVerifier({
      keys: issuerKeys({ issuerUrl: issuer.issuerUrl }),
      issuer: issuer.issuerUrl,
      audience: 'oms-api',
      clockToleranceSeconds: 5,
    });
  });

  afterAll(async () => {
    await issuer.close();
  });

  it('accepts a valid token and names its subject, client, roles and accounts (keys found by OpenID discovery)', async () => {
    const result = await verifier.verify(await issuer.token(['trader'], ['ACC-1', 'ACC-2']));
    expect(result).toEqual({
      ok: true,
      principal: { subject: 'trader-1', clientId: 'oms-api', roles: ['trader'], accounts: ['ACC-1', 'ACC-2'] },
      expiresAt: expect.any(Number),
    });
  });

  it('fetches the key set once and keeps it for the next tokens', async () => {
    const before = issuer.jwksRequests;
    for (let i = 0; i < 5; i++) expect(reason(await verifier.verify(await issuer.token(['viewer'], ['ACC-1'])))).toBe('ok');
    expect(issuer.jwksRequests - before).toBeLessThanOrEqual(1);
  });

  it('refuses an expired token, beyond the clock tolerance only', async () => {
    expect(await verifier.verify(await issuer.token(['trader'], ['ACC-1'], { expiresIn: -60 }))).toEqual({
      ok: false,
      failure: { reason: 'expired', message: 'the token has expired' },
    });
    expect(reason(await verifier.verify(await issuer.token(['trader'], ['ACC-1'], { expiresIn: -2 })))).toBe('ok');
  });

  it('refuses a token that is not valid yet', async () => {
    expect(reason(await verifier.verify(await issuer.token(['trader'], ['ACC-1'], { notBefore: 120 })))).toBe('not-yet-valid');
  });

  it('refuses a token for another audience', async () => {
    expect(reason(await verifier.verify(await issuer.token(['trader'], ['ACC-1'], { audience: 'another-api' })))).toBe('wrong-audience');
  });

  it('refuses a token from another issuer, even signed with the right key', async () => {
    expect(reason(await verifier.verify(await issuer.token(['trader'], ['ACC-1'], { issuer: 'http://127.0.0.1:1/realms/test' })))).toBe('wrong-issuer');
  });

  it("refuses a token signed by another key, under the issuer's key id or an unknown one", async () => {
    expect(reason(await verifier.verify(await issuer.token(['trader'], ['ACC-1'], { forgedKey: 'same-kid' })))).toBe('bad-signature');
    expect(reason(await verifier.verify(await issuer.token(['trader'], ['ACC-1'], { forgedKey: 'unknown-kid' })))).toBe('bad-signature');
  });

  it('refuses an unsigned token (alg none) and a tampered one', async () => {
    const claims = {
      sub: 'mallory',
      iss: issuer.issuerUrl,
      aud: 'oms-api',
      exp: Math.floor(Date.now() / 1000) + 300,
      realm_access: { roles: ['trader'] },
      accounts: ['*'],
    };
    expect(['malformed', 'bad-signature']).toContain(reason(await verifier.verify(unsignedToken(claims))));
    const [header, , signature] = (await issuer.token(['viewer'], ['ACC-1'])).split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    expect(reason(await verifier.verify(tampered))).toBe('bad-signature');
    expect(reason(await verifier.verify('not-a-jwt'))).toBe('malformed');
  });

  it('accepts a token without an OMS role, which then may do nothing', async () => {
    const result = await verifier.verify(await issuer.token([], ['ACC-1']));
    if (!result.ok) throw new Error(result.failure.message);
    expect(result.principal.roles).toEqual([]);
    expect(can(result.principal, 'order:read', 'ACC-1')).toBe(false);
    expect(can(result.principal, 'order:submit', 'ACC-1')).toBe(false);
  });

  it('refuses a token without a subject', async () => {
    expect(reason(await verifier.verify(await issuer.token(['trader'], ['ACC-1'], { subject: null })))).toBe('invalid-claims');
  });

  it('says the issuer is unavailable (not that the token is bad) when its keys cannot be fetched', async () => {
    const down = await TestIssuer.start();
    const token = await down.token(['trader'], ['ACC-1']);
    down.failing = true;
    const viaDiscovery = new JoseTokenVerifier({
      keys: issuerKeys({ issuerUrl: down.issuerUrl }),
      issuer: down.issuerUrl,
      audience: 'oms-api',
      clockToleranceSeconds: 0,
    });
    const viaJwks = new JoseTokenVerifier({
      keys: issuerKeys({ issuerUrl: down.issuerUrl, jwksUrl: down.jwksUrl }),
      issuer: down.issuerUrl,
      audience: 'oms-api',
      clockToleranceSeconds: 0,
    });
    expect(reason(await viaDiscovery.verify(token))).toBe('issuer-unavailable');
    expect(reason(await viaJwks.verify(token))).toBe('issuer-unavailable');
    // Once the issuer is back, discovery is tried again rather than its failure remembered.
    down.failing = false;
    expect(reason(await viaDiscovery.verify(token))).toBe('ok');
    await down.close();
  });

  it('reads the Authorization header: bearer tokens only, and a missing one is missing in oidc mode', async () => {
    const auth = oidcAccess(issuer.issuerUrl, { jwksUrl: issuer.jwksUrl }).authenticator;
    expect(reason(await auth.authenticate(`Bearer ${await issuer.token(['trader'], ['ACC-1'])}`))).toBe('ok');
    expect(reason(await auth.authenticate(`bearer  ${await issuer.token(['trader'], ['ACC-1'])}`))).toBe('ok');
    expect(reason(await auth.authenticate(undefined))).toBe('missing');
    expect(reason(await auth.authenticate('Basic dHJhZGVyOnNlY3JldA=='))).toBe('malformed');
    expect(reason(await auth.authenticate('Bearer a b'))).toBe('malformed');
  });
});

describe('development mode', () => {
  it('issues real signed tokens that its own verifier accepts, and a real issuer would not', async () => {
    const dev = new DevTokenIssuer('oms-api');
    const token = await dev.issue({ subject: 'alice', roles: ['viewer'], accounts: ['ACC-7'], expiresInSeconds: 60 });
    expect(await dev.verifier.verify(token)).toEqual({
      ok: true,
      principal: { subject: 'alice', roles: ['viewer'], accounts: ['ACC-7'] },
      expiresAt: expect.any(Number),
    });
    expect(reason(await new DevTokenIssuer('oms-api').verifier.verify(token))).toBe('bad-signature');
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())).toMatchObject({ iss: DEV_ISSUER, aud: 'oms-api', sub: 'alice' });
  });

  it('lets a request without a token act as the development principal, and still checks a token that is sent', async () => {
    const { authenticator, devIssuer } = devAccess();
    const implicit = await authenticator.authenticate(undefined);
    expect(implicit).toEqual({ ok: true, principal: DEV_PRINCIPAL });
    expect(implicit.ok && authenticator.isImplicit(implicit.principal)).toBe(true);
    const token = await devIssuer!.issue({ subject: 'bob', roles: ['trader'], accounts: ['ACC-1'], expiresInSeconds: 60 });
    const sent = await authenticator.authenticate(`Bearer ${token}`);
    expect(sent.ok && sent.principal.subject).toBe('bob');
    expect(sent.ok && authenticator.isImplicit(sent.principal)).toBe(false);
    expect(reason(await authenticator.authenticate('Bearer x.y.z'))).toBe('malformed');
  });

  it('names every bad field of a token request', () => {
    expect(parseDevTokenRequest({ subject: 'alice', roles: ['trader'], accounts: ['ACC-1'] })).toEqual({
      ok: true,
      value: { subject: 'alice', roles: ['trader'], accounts: ['ACC-1'], expiresInSeconds: 3600 },
    });
    const bad = parseDevTokenRequest({ subject: '', roles: ['admin'], accounts: 'ACC-1', expiresInSeconds: 0 });
    expect(bad.ok ? [] : bad.errors.map((e) => e.field)).toEqual(['subject', 'roles', 'accounts', 'expiresInSeconds']);
  });
});

describe('bearer header parsing', () => {
  it('never calls the verifier for a header that holds no bearer token', async () => {
    let calls = 0;
    const auth = new BearerAuthenticator({ verify: async () => (calls++, { ok: false, failure: { reason: 'bad-signature', message: '' } }) });
    await auth.authenticate('Token abc');
    await auth.authenticate('Bearer');
    expect(calls).toBe(0);
  });
});
