/**
 * `npm start`: runs the system. Embedded mode (the default) starts every service in this process.
 * SIGTERM/SIGINT stop it cleanly: the HTTP server stops accepting, in-flight orders are committed,
 * consumers finish their batch, FIX sessions log out, and the database closes.
 */
import { ConfigError, loadConfig } from './config/config.js';
import { startEmbeddedSystem } from './app/embedded.js';
import { createLogger } from './adapters/observability/logger.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, name: 'oms' });
  if (config.mode !== 'embedded') {
    logger.fatal('OMS_MODE=distributed: one process per service is not available yet; run the embedded mode');
    process.exit(2);
  }
  const system = await startEmbeddedSystem(config, { logger });
  logger.info({ url: system.url }, 'OMS-SOR started (embedded mode)');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    system.stop().then(
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

await main();
