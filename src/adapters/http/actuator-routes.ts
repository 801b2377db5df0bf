import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Registry } from 'prom-client';
import type { HealthIndicator, HealthStatus } from '../../ports/health.js';

/** How long one indicator may take before it counts as down: a stuck database must not hang the probe. */
const CHECK_TIMEOUT_MS = 2_000;

export const HEALTH_PATH = '/actuator/health';
export const LIVENESS_PATH = '/actuator/health/liveness';
export const READINESS_PATH = '/actuator/health/readiness';

type Component = { status: 'UP' | 'DOWN'; detail?: unknown };

/**
 * Spring-style actuator endpoints, as Kubernetes probes use them:
 * - liveness: 200 while the event loop answers, whatever the dependencies do (a venue or database
 *   outage must not restart the pod: a restart would not bring them back);
 * - readiness: the indicators that gate taking orders, the failing ones named;
 * - health: every indicator, with its detail;
 * - prometheus: the metrics as text.
 */
export function registerActuatorRoutes(app: FastifyInstance, deps: { health: readonly HealthIndicator[]; registry: Registry; checkTimeoutMs?: number }): void {
  const timeoutMs = deps.checkTimeoutMs ?? CHECK_TIMEOUT_MS;
  const answer = async (reply: FastifyReply, indicators: readonly HealthIndicator[], forReadiness: boolean) => {
    const components: Record<string, Component> = {};
    await Promise.all(
      indicators.map(async (indicator) => {
        components[indicator.name] = await evaluate(indicator, timeoutMs, forReadiness);
      }),
    );
    const down = Object.entries(components)
      .filter(([, c]) => c.status === 'DOWN')
      .map(([name]) => name);
    return reply
      .status(down.length === 0 ? 200 : 503)
      .send({ status: down.length === 0 ? 'UP' : 'DOWN', ...(down.length ? { failing: down } : {}), components });
  };

  app.get(HEALTH_PATH, (_request, reply) => answer(reply, deps.health, false));
  app.get(READINESS_PATH, (_request, reply) =>
    answer(
      reply,
      deps.health.filter((i) => i.gatesReadiness),
      true,
    ),
  );
  app.get(LIVENESS_PATH, async () => ({ status: 'UP' }));

  app.get('/actuator/prometheus', async (_request, reply) => {
    const text = await deps.registry.metrics();
    return reply.header('content-type', deps.registry.contentType).send(text);
  });
}

async function evaluate(indicator: HealthIndicator, timeoutMs: number, forReadiness: boolean): Promise<Component> {
  let result: HealthStatus;
  try {
    result = await withTimeout(indicator.check(), timeoutMs);
  } catch (error) {
    return { status: 'DOWN', detail: error instanceof Error ? error.message : String(error) };
  }
  const up = forReadiness ? (result.ready ?? result.up) : result.up;
  return { status: up ? 'UP' : 'DOWN', ...(result.detail ? { detail: result.detail } : {}) };
}

function withTimeout<T>(check: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([check, late]).finally(() => clearTimeout(timer));
}
