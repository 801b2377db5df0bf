import type { Tracer } from '@opentelemetry/api';
import type { Config, ServiceName } from '../../config/config.js';
import type { Logger } from '../../adapters/observability/pino-logger.js';
import { startExecutionAdapter } from './start-execution-adapter.js';
import { startMarketdataSimulator } from './start-marketdata-simulator.js';
import { startOmsCore } from './start-oms-core.js';
import { startOmsIngest } from './start-oms-ingest.js';
import { startRiskService } from './start-risk-service.js';
import { ServiceRuntime } from './service-runtime.js';
import { startSorEngine } from './start-sor-engine.js';

export interface RunningService {
  readonly url: string;
  stop(): Promise<void>;
}

type DistributedService = Exclude<ServiceName, 'broker-simulator'>;

const STARTERS: Record<DistributedService, (runtime: ServiceRuntime) => Promise<void>> = {
  'oms-ingest': startOmsIngest,
  'oms-core': startOmsCore,
  'sor-engine': startSorEngine,
  'execution-adapter': startExecutionAdapter,
  'risk-service': startRiskService,
  'marketdata-simulator': startMarketdataSimulator,
};

/**
 * Starts one service of distributed mode in this process. Start and restart are the same path:
 * consumers resume from their committed offsets and the outbox holds whatever was not yet sent.
 */
export async function startService(service: DistributedService, config: Config, logger: Logger, tracer?: Tracer): Promise<RunningService> {
  const runtime = new ServiceRuntime(service, config, logger, tracer);
  try {
    await runtime.prepareHttp();
    await STARTERS[service](runtime);
    return { url: await runtime.listen(), stop: () => runtime.stop() };
  } catch (error) {
    await runtime.stop();
    throw error;
  }
}
