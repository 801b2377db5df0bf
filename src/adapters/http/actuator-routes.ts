import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { HealthIndicator } from '../../ports/health.js';

/** How long one indicator may take before it counts as down: a stuck database must not hang the probe. */
const CHECK_TIMEOUT_MS = 2_000;

/** Spring-style actuator endpoints: readiness with the failing part named, and Prometheus text. */
export function registerActuatorRoutes(app: FastifyInstance, deps: { health: readonly HealthIndicator[]; registry: Registry; checkTimeoutMs?: number }): void {
  const timeoutMs = deps.checkTimeoutMs ?? CHECK_TIMEOUT_MS;
  app.get('/actuator/health', async (_request, reply) => {
    const components: Record<string, { status: 'UP' | 'DOWN'; detail?: unknown }> = {};
    await Promise.all(
      deps.health.map(async (indicator) => {
        try {
          const result = await withTimeout(indicator.check(), timeoutMs);
          components[indicator.name] = { status: result.up ? 'UP' : 'DOWN', ...(result.detail ? { detail: result.detail } : {}) };
        } catch (error) {
          components[indicator.name] = { status: 'DOWN', detail: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    const down = Object.entries(components).filter(([, c]) => c.status === 'DOWN').map(([name]) => name);
    return reply.status(down.length === 0 ? 200 : 503).send({ status: down.length === 0 ? 'UP' : 'DOWN', ...(down.length ? { failing: down } : {}), components });
  });

  app.get('/actuator/prometheus', async (_request, reply) => {
    const text = await deps.registry.metrics();
    return reply.header('content-type', deps.registry.contentType).send(text);
  });
}

function withTimeout<T>(check: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([check, late]).finally(() => clearTimeout(timer));
}
