import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { oidcAccess } from '../auth/test-support/access.js';
import { TestIssuer } from '../auth/test-support/test-issuer.js';
import { createLogger } from '../observability/pino-logger.js';
import { createMetrics } from '../observability/prometheus-metrics.js';
import { createHttpApp } from './app.js';
import { installAccessControl } from './auth-plugin.js';
import { registerRiskForwarding } from './risk-forwarding.js';

/** What the fake risk-service was sent. */
interface Forwarded {
  method: string;
  url: string;
  authorization: string | undefined;
  body: unknown;
}

/**
 * oms-ingest's side (the API's app with oidc access control) forwarding to a fake risk-service over
 * real sockets: a Fastify server that records each request and answers like risk-service would.
 */
describe('forwarding the risk API to risk-service', () => {
  let issuer: TestIssuer;
  let upstream: FastifyInstance;
  let upstreamUrl: string;
  const received: Forwarded[] = [];
  const apps: FastifyInstance[] = [];

  async function edge(riskServiceUrl: string, answerTimeoutMs?: number): Promise<FastifyInstance> {
    const app = createHttpApp({ logger: createLogger({ level: 'silent' }), metrics: createMetrics() });
    installAccessControl(app, oidcAccess(issuer.issuerUrl));
    await registerRiskForwarding(app, { riskServiceUrl, answerTimeoutMs });
    await app.ready();
    apps.push(app);
    return app;
  }

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    upstream = Fastify({ forceCloseConnections: true });
    upstream.route({
      method: ['GET', 'POST', 'PUT', 'DELETE'],
      url: '/api/v1/risk/*',
      handler: async (request, reply) => {
        received.push({ method: request.method, url: request.url, authorization: request.headers.authorization, body: request.body });
        if (request.url === '/api/v1/risk/slow') return new Promise(() => undefined);
        // risk-service's own check: the forwarded token is what decides.
        if (request.headers.authorization !== `Bearer ${officerToken}`)
          return reply.status(403).send({ error: { code: 'FORBIDDEN', message: 'Not allowed for this caller' } });
        return reply.header('x-risk-service', 'yes').send({ accountId: 'ACC-1', limits: { maxOrderQuantity: 500 } });
      },
    });
    await upstream.listen({ port: 0, host: '127.0.0.1' });
    upstreamUrl = `http://127.0.0.1:${(upstream.server.address() as AddressInfo).port}`;
    officerToken = await issuer.token(['risk-officer'], ['*'], { subject: 'risk-1' });
    traderToken = await issuer.token(['trader'], ['ACC-1'], { subject: 'trader-1' });
  });
  let officerToken = '';
  let traderToken = '';

  afterEach(async () => {
    received.length = 0;
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await upstream?.close();
    await issuer?.close();
  });

  it("forwards method, path, query and JSON body with the caller's Authorization unchanged, and sends back risk-service's answer", async () => {
    const app = await edge(upstreamUrl);
    const answer = await app.inject({
      method: 'PUT',
      url: '/api/v1/risk/limits/ACC-1?note=x',
      headers: { authorization: `Bearer ${officerToken}` },
      payload: { maxOrderQuantity: 500 },
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['x-risk-service']).toBe('yes');
    expect(answer.json()).toEqual({ accountId: 'ACC-1', limits: { maxOrderQuantity: 500 } });
    expect(received).toEqual([
      { method: 'PUT', url: '/api/v1/risk/limits/ACC-1?note=x', authorization: `Bearer ${officerToken}`, body: { maxOrderQuantity: 500 } },
    ]);

    const release = await app.inject({ method: 'DELETE', url: '/api/v1/risk/kill-switch?scope=GLOBAL', headers: { authorization: `Bearer ${officerToken}` } });
    expect(release.statusCode).toBe(200);
    expect(received[1]).toMatchObject({ method: 'DELETE', url: '/api/v1/risk/kill-switch?scope=GLOBAL' });
  });

  it("passes risk-service's refusal through: a user without the role gets its 403", async () => {
    const app = await edge(upstreamUrl);
    const answer = await app.inject({ method: 'GET', url: '/api/v1/risk/limits', headers: { authorization: `Bearer ${traderToken}` } });
    expect(answer.statusCode).toBe(403);
    expect(answer.json()).toEqual({ error: { code: 'FORBIDDEN', message: 'Not allowed for this caller' } });
    expect(received[0]?.authorization).toBe(`Bearer ${traderToken}`);
  });

  it('refuses a caller without a valid token itself (401), and forwards nothing', async () => {
    const app = await edge(upstreamUrl);
    expect((await app.inject({ method: 'GET', url: '/api/v1/risk/limits' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/risk/limits', headers: { authorization: 'Bearer not-a-token' } })).statusCode).toBe(401);
    expect(received).toEqual([]);
  });

  it('forwards only the risk API: other paths, and paths that climb out of it, stay 404 here', async () => {
    const app = await edge(upstreamUrl);
    const headers = { authorization: `Bearer ${officerToken}` };
    for (const url of ['/api/v1/riskx', '/api/v1/risk', '/api/v1/risk/../orders', '/api/v1/risk/%2e%2e/orders']) {
      const answer = await app.inject({ method: 'GET', url, headers });
      expect(answer.statusCode, url).toBe(404);
      expect(answer.json(), url).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
    expect(received).toEqual([]);
  });

  it('answers 503 with a JSON error at once when risk-service is down', async () => {
    const closed = Fastify();
    await closed.listen({ port: 0, host: '127.0.0.1' });
    const downUrl = `http://127.0.0.1:${(closed.server.address() as AddressInfo).port}`;
    await closed.close();
    const app = await edge(downUrl);
    const started = Date.now();
    const answer = await app.inject({ method: 'GET', url: '/api/v1/risk/limits', headers: { authorization: `Bearer ${officerToken}` } });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(answer.statusCode).toBe(503);
    expect(answer.headers['retry-after']).toBe('5');
    expect(answer.json()).toEqual({
      error: { code: 'SERVICE_UNAVAILABLE', message: 'risk-service, which serves the risk API, could not be reached (ECONNREFUSED); retry later' },
    });
  });

  it('answers 503 when risk-service takes the request but does not answer in time', async () => {
    const app = await edge(upstreamUrl, 300);
    const answer = await app.inject({
      method: 'POST',
      url: '/api/v1/risk/slow',
      headers: { authorization: `Bearer ${officerToken}` },
      payload: { scope: 'GLOBAL', reason: 'x' },
    });
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE', message: expect.stringContaining('did not answer in time') } });
  });
});
