import type { Tracer } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import { createAccessControl, type AccessControl } from '../adapters/auth/index.js';
import { registerActuatorRoutes } from '../adapters/http/actuator-routes.js';
import { installApiDocs } from '../adapters/http/api-docs.js';
import { createHttpApp } from '../adapters/http/app.js';
import { installAccessControl } from '../adapters/http/auth-plugin.js';
import { installHttpTracing } from '../adapters/http/http-tracing.js';
import type { Logger } from '../adapters/observability/pino-logger.js';
import { createMetrics, type Metrics } from '../adapters/observability/prometheus-metrics.js';
import { pooledUuidV7 } from '../lib/uuid-v7.js';
import { systemClock, type Clock, type IdGenerator } from '../ports/clock.js';
import type { HealthIndicator } from '../ports/health.js';
import { ShutdownSequence, type Stoppable } from './shutdown-sequence.js';

export interface ProcessHostOptions {
  /** Where the HTTP server logs (a request that failed). */
  readonly httpLogger: Logger;
  /** OpenTelemetry tracing is on (startTracing); without it nothing is traced. */
  readonly tracer?: Tracer;
  /** The process serves a REST API, so /openapi.json and /docs describe it. */
  readonly apiDocs: boolean;
}

/**
 * What every process of either mode has, whatever it runs: metrics, the clock and ids, an HTTP
 * server behind access control with the actuator (health and metrics), and one shutdown order.
 * The embedded system is one host for every service; in distributed mode each service's host is
 * a ServiceRuntime, which adds PostgreSQL, Kafka and the outbox. So both modes serve the same
 * HTTP server, checks and stop sequence, and cannot drift apart there.
 */
export class ProcessHost {
  readonly metrics: Metrics = createMetrics();
  readonly clock: Clock = systemClock;
  /** Ids from a pool of random bytes: uuid's v7 asks the OS for each id's bytes (4–6% of a service's CPU here). */
  readonly newId: IdGenerator = pooledUuidV7();
  /** The actuator's health checks; a part adds its own as it starts. */
  readonly health: HealthIndicator[] = [];
  readonly http: FastifyInstance;
  /** Every API asks for bearer tokens (only the actuator is public). */
  readonly access: AccessControl;
  readonly tracer: Tracer | undefined;
  private readonly shutdown = new ShutdownSequence();
  private readonly httpClosing: (() => Promise<void>)[] = [];

  constructor(
    readonly config: Config,
    readonly logger: Logger,
    private readonly options: ProcessHostOptions,
  ) {
    this.tracer = options.tracer;
    this.http = createHttpApp({ logger: options.httpLogger, metrics: this.metrics });
    this.access = createAccessControl(config.auth);
    if (options.tracer) installHttpTracing(this.http, options.tracer);
  }

  /** Before any route: the API document (when there is an API) collects the routes as they are added. */
  async prepareHttp(): Promise<void> {
    if (this.options.apiDocs) await installApiDocs(this.http);
    installAccessControl(this.http, this.access);
  }

  add(name: string, part: Stoppable): void {
    this.shutdown.add(name, part);
  }

  /** On stop, runs once the HTTP server has closed: finishes what requests left in flight. */
  afterHttpClose(step: () => Promise<void>): void {
    this.httpClosing.push(step);
  }

  /** Last step of a start: the actuator and whatever routes were registered, then listen; returns the base URL. */
  async listen(): Promise<string> {
    registerActuatorRoutes(this.http, { health: this.health, registry: this.metrics.registry });
    await this.http.listen({ port: this.config.port, host: this.config.host });
    this.add('http', {
      stop: async () => {
        await this.http.close();
        for (const step of this.httpClosing) await step();
      },
    });
    const address = this.http.server.address();
    const port = typeof address === 'object' && address ? address.port : this.config.port;
    return `http://${this.config.host === '0.0.0.0' ? '127.0.0.1' : this.config.host}:${port}`;
  }

  /** Stops every part in the reverse order of its start (HTTP first, the database last). */
  stop(): Promise<void> {
    return this.shutdown.stopAll(this.logger);
  }
}
