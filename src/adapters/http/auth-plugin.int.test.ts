import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccessControl } from '../auth/index.js';
import { devAccess, oidcAccess } from '../auth/test-support/access.js';
import { TestIssuer } from '../auth/test-support/test-issuer.js';
import { createLogger } from '../observability/pino-logger.js';
import { createMetrics } from '../observability/prometheus-metrics.js';
import { globalRefusal, principalOf } from './access-guard.js';
import { registerActuatorRoutes } from './actuator-routes.js';
import { createHttpApp } from './app.js';
import { installAccessControl } from './auth-plugin.js';

/** An app with the access control, the actuator, and two routes: who am I, and one that fails. */
async function appWith(access: AccessControl, logLines: string[] = []): Promise<FastifyInstance> {
  const destination = new Writable({ write: (chunk: Buffer, _encoding, done) => (logLines.push(chunk.toString()), done()) });
  const app = createHttpApp({ logger: createLogger({ level: 'trace', destination }), metrics: createMetrics() });
  installAccessControl(app, access);
  app.get('/api/v1/whoami', async (request) => principalOf(request));
  app.post('/api/v1/kill-switch', async (request, reply) => {
    const refused = globalRefusal(request, 'risk:kill-switch');
    return refused ? reply.status(refused.status).send(refused.body) : reply.send({ engaged: true });
  });
  app.get('/api/v1/boom', async () => {
    throw new Error('boom');
  });
  registerActuatorRoutes(app, { health: [], registry: new Registry() });
  await app.ready();
  return app;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('HTTP access control, oidc mode', () => {
  let issuer: TestIssuer;
  const apps: FastifyInstance[] = [];
  const start = async (overrides: Parameters<typeof oidcAccess>[1] = {}, logLines?: string[]) => {
    const app = await appWith(oidcAccess(issuer.issuerUrl, overrides), logLines);
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await issuer.close();
  });

  it('attaches the verified caller to the request', async () => {
    const app = await start();
    const response = await app.inject({ url: '/api/v1/whoami', headers: bearer(await issuer.token(['trader'], ['ACC-1'])) });
    expect(response.json()).toEqual({ subject: 'trader-1', clientId: 'oms-api', roles: ['trader'], accounts: ['ACC-1'] });
  });

  it('answers 401 with a JSON error and a Bearer challenge: none for no token, invalid_token for a bad one', async () => {
    const app = await start();
    const missing = await app.inject({ url: '/api/v1/whoami' });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="oms"');
    expect(missing.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'send a bearer token: Authorization: Bearer <token>' } });

    const expired = await app.inject({ url: '/api/v1/whoami', headers: bearer(await issuer.token(['trader'], ['ACC-1'], { expiresIn: -60 })) });
    expect(expired.statusCode).toBe(401);
    expect(expired.headers['www-authenticate']).toBe('Bearer realm="oms", error="invalid_token", error_description="the token has expired"');
    expect(expired.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'the token has expired' } });

    const basic = await app.inject({ url: '/api/v1/whoami', headers: { authorization: 'Basic dTpw' } });
    expect(basic.headers['www-authenticate']).toBe(
      `Bearer realm="oms", error="invalid_token", error_description="the Authorization header must be 'Bearer <token>'"`,
    );
    // Unknown routes too: what exists is not told to strangers.
    expect((await app.inject({ url: '/api/v1/nothing-here' })).statusCode).toBe(401);
  });

  it('lets only a risk officer entitled to every account act on every account at once', async () => {
    const app = await start();
    const attempt = async (roles: string[], accounts: string[]) => {
      const response = await app.inject({ method: 'POST', url: '/api/v1/kill-switch', headers: bearer(await issuer.token(roles, accounts)) });
      return [response.statusCode, response.json().error?.message ?? 'ok'];
    };
    expect(await attempt(['risk-officer'], ['*'])).toEqual([200, 'ok']);
    expect(await attempt(['risk-officer'], ['ACC-1'])).toEqual([403, 'risk:kill-switch on every account needs entitlement to every account (*)']);
    expect(await attempt(['trader'], ['*'])).toEqual([403, 'risk:kill-switch needs the role risk-officer']);
  });

  it('keeps the actuator public', async () => {
    const app = await start();
    expect((await app.inject({ url: '/actuator/health' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/actuator/prometheus' })).statusCode).toBe(200);
  });

  it('answers 503 (not 401) when the issuer cannot be reached', async () => {
    const app = await start({ jwksUrl: 'http://127.0.0.1:1/certs' });
    const response = await app.inject({ url: '/api/v1/whoami', headers: bearer(await issuer.token(['trader'], ['ACC-1'])) });
    expect(response.statusCode).toBe(503);
    expect(response.json().error.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('rate limits each caller by token subject: 429 with Retry-After, other callers unaffected, the actuator never', async () => {
    const app = await start({ rateLimitPerMinute: 3 });
    const alice = bearer(await issuer.token(['viewer'], ['ACC-1'], { subject: 'alice' }));
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await app.inject({ url: '/api/v1/whoami', headers: alice })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await app.inject({ url: '/api/v1/whoami', headers: alice });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect((await app.inject({ url: '/api/v1/whoami', headers: bearer(await issuer.token(['viewer'], ['ACC-1'], { subject: 'bob' })) })).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await app.inject({ url: '/actuator/health' })).statusCode).toBe(200);
  });

  it('tells the web blotter, without a token, which issuer and public client to sign in with, once OIDC_WEB_CLIENT_ID is set', async () => {
    const unset = await (await start()).inject({ url: '/api/v1/auth/web-login' });
    expect(unset.statusCode).toBe(404);
    expect(unset.json().error.message).toContain('OIDC_WEB_CLIENT_ID');
    const set = await (await start({ webClientId: 'oms-blotter' })).inject({ url: '/api/v1/auth/web-login' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({ issuer: issuer.issuerUrl, clientId: 'oms-blotter', scope: 'openid' });
  });

  it('has no dev token endpoint', async () => {
    const app = await start();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/dev/token',
      headers: bearer(await issuer.token(['trader'], ['*'])),
      payload: { subject: 'x', roles: ['trader'], accounts: ['*'] },
    });
    expect(response.statusCode).toBe(404);
  });

  it('never logs a token: not for a refused one, not in an error log of a request that carried one', async () => {
    const lines: string[] = [];
    const app = await start({}, lines);
    const tokens = [
      await issuer.token(['trader'], ['ACC-1'], { forgedKey: 'same-kid' }),
      await issuer.token(['trader'], ['ACC-1'], { expiresIn: -60 }),
      await issuer.token(['trader'], ['ACC-1']),
    ];
    for (const token of tokens.slice(0, 2)) expect((await app.inject({ url: '/api/v1/whoami', headers: bearer(token) })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/boom', headers: bearer(tokens[2]!) })).statusCode).toBe(500);
    // A token in the query string (as an EventSource client might send it) stays out of the request log too.
    expect((await app.inject({ url: `/api/v1/whoami?access_token=${tokens[2]!}&accountId=ACC-1` })).statusCode).toBe(401);
    const log = lines.join('');
    expect(log).toContain('request failed');
    const requestLines = lines
      .map((line) => JSON.parse(line) as { msg: string; level: number; url?: string; status?: number; durationMs?: number })
      .filter((line) => line.msg === 'request');
    expect(requestLines.map((line) => [line.level, line.url, line.status])).toEqual([
      [20, '/api/v1/whoami', 401],
      [20, '/api/v1/whoami', 401],
      [20, '/api/v1/boom', 500],
      [20, '/api/v1/whoami?access_token=%5Bredacted%5D&accountId=ACC-1', 401],
    ]);
    expect(requestLines.every((line) => typeof line.durationMs === 'number')).toBe(true);
    for (const token of tokens) for (const part of token.split('.')) expect(log).not.toContain(part);
  });

  it('redacts authorization headers and tokens from whatever is logged', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }) });
    logger.info(
      {
        req: { headers: { authorization: 'Bearer secret-1' } },
        headers: { authorization: 'Bearer secret-2' },
        token: 'secret-3',
        body: { access_token: 'secret-4', password: 'secret-5' },
      },
      'x',
    );
    expect(lines.join('')).not.toMatch(/secret-/);
  });
});

describe('HTTP access control, dev mode', () => {
  let app: FastifyInstance;
  const lines: string[] = [];

  beforeAll(async () => {
    app = await appWith(devAccess({ rateLimitPerMinute: 2 }), lines);
  });
  afterAll(async () => {
    await app.close();
  });

  it('says so in the log at start', () => {
    expect(lines.join('')).toMatch(/"level":40.*AUTH_MODE=dev/);
  });

  it('lets requests without a token act as the development principal, without a rate limit', async () => {
    for (let i = 0; i < 5; i++) {
      const response = await app.inject({ url: '/api/v1/whoami' });
      expect(response.json()).toEqual({ subject: 'dev', roles: ['trader', 'risk-officer', 'viewer'], accounts: ['*'] });
    }
  });

  it('has no web sign-in: the page needs none', async () => {
    expect((await app.inject({ url: '/api/v1/auth/web-login' })).statusCode).toBe(404);
  });

  it('issues tokens that are then checked like any other (and rate limited)', async () => {
    const issued = await app.inject({
      method: 'POST',
      url: '/api/v1/dev/token',
      payload: { subject: 'alice', roles: ['viewer'], accounts: ['ACC-1'], expiresInSeconds: 60 },
    });
    expect(issued.statusCode).toBe(200);
    expect(issued.headers['cache-control']).toBe('no-store');
    const { access_token: token, token_type: type, expires_in: expiresIn } = issued.json<{ access_token: string; token_type: string; expires_in: number }>();
    expect([type, expiresIn]).toEqual(['Bearer', 60]);
    expect((await app.inject({ url: '/api/v1/whoami', headers: bearer(token) })).json()).toEqual({ subject: 'alice', roles: ['viewer'], accounts: ['ACC-1'] });
    expect((await app.inject({ url: '/api/v1/whoami', headers: bearer(token) })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/whoami', headers: bearer(token) })).statusCode).toBe(429);
    expect((await app.inject({ url: '/api/v1/whoami', headers: bearer(`${token.slice(0, -4)}AAAA`) })).statusCode).toBe(401);
  });

  it('names every bad field of a token request', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/dev/token', payload: { roles: ['root'], accounts: [] } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields.map((f: { field: string }) => f.field)).toEqual(['subject', 'roles']);
  });
});
