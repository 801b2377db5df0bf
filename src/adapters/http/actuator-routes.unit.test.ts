import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthIndicator } from '../../ports/health.js';
import { registerActuatorRoutes } from './actuator-routes.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

function appWith(health: HealthIndicator[], checkTimeoutMs?: number): FastifyInstance {
  const app = Fastify();
  registerActuatorRoutes(app, { registry: new Registry(), health, ...(checkTimeoutMs ? { checkTimeoutMs } : {}) });
  apps.push(app);
  return app;
}

const get = async (app: FastifyInstance, url: string) => {
  const response = await app.inject({ method: 'GET', url });
  return [response.statusCode, response.json()] as const;
};

describe('GET /actuator/health', () => {
  it('answers in time when a part never answers: that part is DOWN, named, and the others keep their status', async () => {
    const app = appWith(
      [
        { name: 'database', gatesReadiness: true, check: () => new Promise(() => undefined) }, // a stuck database thread
        { name: 'venues', gatesReadiness: true, check: async () => ({ up: true }) },
      ],
      100,
    );
    const started = Date.now();
    const response = await app.inject({ method: 'GET', url: '/actuator/health' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'DOWN',
      failing: ['database'],
      components: { database: { status: 'DOWN', detail: 'no answer within 100 ms' }, venues: { status: 'UP' } },
    });
    // Liveness asks no indicator: a stuck database never restarts the process.
    expect(await get(app, '/actuator/health/liveness')).toEqual([200, { status: 'UP' }]);
  });
});

describe('the probes: liveness, readiness and the full health', () => {
  const database = (up: boolean): HealthIndicator => ({
    name: 'database',
    gatesReadiness: true,
    check: async () => (up ? { up } : { up, detail: 'connection refused' }),
  });
  const queryModel: HealthIndicator = { name: 'query model', gatesReadiness: false, check: async () => ({ up: false, detail: 'writes failing' }) };
  const venues = (loggedOn: number): HealthIndicator => ({
    name: 'venues',
    gatesReadiness: true,
    check: async () => ({
      up: loggedOn === 2,
      ready: loggedOn > 0,
      detail: { XNYS: loggedOn > 0 ? 'logged on' : 'not logged on', XNAS: loggedOn > 1 ? 'logged on' : 'not logged on' },
    }),
  });

  it('all up: 200 on all three', async () => {
    const app = appWith([database(true), venues(2)]);
    expect(await get(app, '/actuator/health/liveness')).toEqual([200, { status: 'UP' }]);
    expect(await get(app, '/actuator/health/readiness')).toEqual([
      200,
      { status: 'UP', components: { database: { status: 'UP' }, venues: { status: 'UP', detail: { XNYS: 'logged on', XNAS: 'logged on' } } } },
    ]);
    expect((await get(app, '/actuator/health'))[0]).toBe(200);
  });

  it('the database down: readiness and health 503 naming it, liveness 200', async () => {
    const app = appWith([database(false), venues(2)]);
    expect(await get(app, '/actuator/health/liveness')).toEqual([200, { status: 'UP' }]);
    const [status, body] = await get(app, '/actuator/health/readiness');
    expect([status, body.failing, body.components.database]).toEqual([503, ['database'], { status: 'DOWN', detail: 'connection refused' }]);
    expect((await get(app, '/actuator/health'))[1].failing).toEqual(['database']);
  });

  it('a part that does not gate taking orders (the query model) down: health 503, readiness and liveness 200', async () => {
    const app = appWith([database(true), queryModel]);
    expect(await get(app, '/actuator/health')).toEqual([
      503,
      { status: 'DOWN', failing: ['query model'], components: { database: { status: 'UP' }, 'query model': { status: 'DOWN', detail: 'writes failing' } } },
    ]);
    expect(await get(app, '/actuator/health/readiness')).toEqual([200, { status: 'UP', components: { database: { status: 'UP' } } }]);
    expect((await get(app, '/actuator/health/liveness'))[0]).toBe(200);
  });

  it('one venue of two logged out: health 503, still ready (orders are taken); none logged on: not ready; liveness 200 throughout', async () => {
    const one = appWith([database(true), venues(1)]);
    expect((await get(one, '/actuator/health'))[1].failing).toEqual(['venues']);
    expect(await get(one, '/actuator/health/readiness')).toEqual([
      200,
      { status: 'UP', components: { database: { status: 'UP' }, venues: { status: 'UP', detail: { XNYS: 'logged on', XNAS: 'not logged on' } } } },
    ]);
    expect((await get(one, '/actuator/health/liveness'))[0]).toBe(200);
    const none = appWith([database(true), venues(0)]);
    const [status, body] = await get(none, '/actuator/health/readiness');
    expect([status, body.status, body.failing]).toEqual([503, 'DOWN', ['venues']]);
    expect((await get(none, '/actuator/health/liveness'))[0]).toBe(200);
  });

  it('a check that throws counts as DOWN with its message', async () => {
    const app = appWith([{ name: 'redis', gatesReadiness: true, check: () => Promise.reject(new Error('ECONNREFUSED')) }]);
    expect(await get(app, '/actuator/health/readiness')).toEqual([
      503,
      { status: 'DOWN', failing: ['redis'], components: { redis: { status: 'DOWN', detail: 'ECONNREFUSED' } } },
    ]);
  });
});
