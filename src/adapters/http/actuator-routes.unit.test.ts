import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerActuatorRoutes } from './actuator-routes.js';

describe('GET /actuator/health', () => {
  it('answers in time when a part never answers: that part is DOWN, named, and the others keep their status', async () => {
    const app = Fastify();
    registerActuatorRoutes(app, {
      registry: new Registry(),
      checkTimeoutMs: 100,
      health: [
        { name: 'database', check: () => new Promise(() => undefined) }, // a stuck database thread
        { name: 'venues', check: async () => ({ up: true }) },
      ],
    });
    const started = Date.now();
    const response = await app.inject({ method: 'GET', url: '/actuator/health' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'DOWN',
      failing: ['database'],
      components: { database: { status: 'DOWN', detail: 'no answer within 100 ms' }, venues: { status: 'UP' } },
    });
    await app.close();
  });
});
