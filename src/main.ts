/**
 * `npm start`: runs the system. Embedded mode (the default) starts every service in this process.
 * `--service <name>` runs one service alone (distributed mode: PostgreSQL, Kafka, Redis, gRPC);
 * `--service broker-simulator` runs only the broker simulator (venues or reflector; see README).
 * SIGTERM/SIGINT stop it cleanly: the HTTP server stops accepting, in-flight orders are committed,
 * consumers finish their batch, FIX sessions log out, and the database closes.
 */
import { ConfigError, loadConfig, SERVICE_NAMES, type ServiceName } from './config/config.js';
import { loadBrokerSimulatorConfig } from './config/broker-simulator-config.js';
import { startEmbeddedSystem } from './app/embedded.js';
import { DataDirError } from './app/data-dir.js';
import { startBrokerSimulator } from './app/broker-simulator-process.js';
import { startService } from './app/distributed/index.js';
import { createLogger, type Logger } from './adapters/observability/pino-logger.js';
import { startTracing } from './adapters/observability/tracing.js';

type Service = ServiceName | 'all';

/** What --help prints; the full list of variables is the README's Configuration table. */
function usage(): string {
  return [
    'node dist/main.js [--service <name>]      (npm start builds first)',
    '',
    '  (no --service)       embedded mode: every service in this process (OMS_MODE=embedded, the default)',
    `  --service <name>     one service of the distributed mode (OMS_MODE=distributed): ${SERVICE_NAMES.filter((s) => s !== 'broker-simulator').join(', ')}`,
    '  --service broker-simulator   only the simulated venues (BROKER_MODE=venues) or the reflector (BROKER_MODE=reflector)',
    '  --help, -h           this text',
    '',
    'Main environment variables (defaults in brackets):',
    '  PORT, HOST [8080, 0.0.0.0]   HTTP API; GET /actuator/health/liveness, /actuator/health/readiness, /actuator/health',
    '  LOG_LEVEL [info]             pino level; debug adds one line per HTTP request',
    '  OTEL_EXPORTER_OTLP_ENDPOINT  OpenTelemetry traces over OTLP/HTTP (unset: off); other OTEL_* as standard',
    '  DATA_DIR [./data]            embedded mode: journal, query model and FIX stores',
    '  OMS_VENUES                   venues as NAME=host:port:SenderCompID:TargetCompID,...',
    '  AUTH_MODE [dev embedded, oidc distributed], OIDC_ISSUER_URL, OIDC_AUDIENCE',
    '  POSTGRES_HOST, POSTGRES_PORT, POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD, KAFKA_BOOTSTRAP,',
    '  REDIS_HOST, REDIS_PORT, GRPC_PORT, RISK_GRPC_URL, RISK_SERVICE_URL, SERVICE_AUTH_SECRET   distributed mode',
    '',
    'Every variable, with its default: README.md, section Configuration. A bad value stops the',
    'process with every problem named (exit status 2). SIGTERM/SIGINT stop it cleanly.',
  ].join('\n');
}

function selectedService(argv: readonly string[]): Service {
  const index = argv.indexOf('--service');
  const name = index >= 0 ? argv[index + 1] : 'all';
  if (name !== 'all' && !(SERVICE_NAMES as readonly (string | undefined)[]).includes(name)) {
    console.error(`--service: "${name ?? ''}" is not one of ${SERVICE_NAMES.join(', ')}`);
    process.exit(2);
  }
  return name as Service;
}

/** Loads a configuration; a bad setting stops the process with every problem named. */
function configured<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

function stopOnSignals(logger: Logger, timeoutMs: number, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
    stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) return console.log(usage());
  const service = selectedService(process.argv);
  if (service === 'broker-simulator') {
    const config = configured(() => loadBrokerSimulatorConfig());
    const logger = createLogger({ level: config.logLevel, name: 'broker-simulator' });
    const simulator = await startBrokerSimulator(config, logger);
    logger.info({ mode: config.mode, listening: simulator.listening }, 'broker simulator started');
    stopOnSignals(logger, 10_000, () => simulator.stop());
    return;
  }
  if (service !== 'all') {
    const config = configured(() => loadConfig(undefined, service));
    const logger = createLogger({ level: config.logLevel, name: service, traced: config.tracing });
    // Before the service: the SDK's context manager and propagator must be in place first.
    const tracing = startTracing({ wanted: config.tracing, serviceName: service });
    const running = await startService(service, config, logger, tracing?.tracer).catch((error: unknown) => {
      logger.fatal({ err: error }, `${service} could not start`);
      process.exit(1);
    });
    logger.info({ url: running.url, instance: config.instanceId, tracing: Boolean(tracing) }, `${service} started (distributed mode)`);
    stopOnSignals(logger, config.shutdownTimeoutMs, async () => {
      await running.stop();
      await tracing?.shutdown();
    });
    return;
  }
  const config = configured(() => loadConfig());
  const logger = createLogger({ level: config.logLevel, name: 'oms', traced: config.tracing });
  if (config.mode !== 'embedded') {
    logger.fatal('OMS_MODE=distributed runs one process per service: start each with --service <name> (see README)');
    process.exit(2);
  }
  // Before the app: the SDK's context manager must be in place when the first request comes.
  const tracing = startTracing({ wanted: config.tracing, serviceName: 'oms' });
  if (tracing) logger.info('OpenTelemetry tracing on (OTLP)');
  const system = await startEmbeddedSystem(config, { logger, tracer: tracing?.tracer }).catch((error: unknown) => {
    // A DATA_DIR that cannot be written is the operator's to fix: its own line, no stack trace.
    if (!(error instanceof DataDirError)) throw error;
    logger.fatal(error.message);
    process.exit(1);
  });
  logger.info({ url: system.url }, 'OMS-SOR started (embedded mode)');
  stopOnSignals(logger, config.shutdownTimeoutMs, async () => {
    await system.stop();
    // Last: the spans of the orders committed while stopping are exported.
    await tracing?.shutdown();
  });
}

await main();
