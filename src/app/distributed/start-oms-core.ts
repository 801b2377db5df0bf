import { TOPICS } from '../../domain/events/topics.js';
import { ExecutionConsumer } from '../../services/oms-core/execution-consumer.js';
import { OrderIntakeConsumer } from '../../services/oms-core/order-intake-consumer.js';
import { RiskGrpcClient } from '../../adapters/grpc/risk-grpc-client.js';
import { SqlOrderStore } from '../../adapters/sql/orders/sql-order-store.js';
import { orderMetrics } from '../../services/order-metrics.js';
import { SqlWorkingOrders } from '../../adapters/sql/orders/sql-working-orders.js';
import { startSessionClose } from '../service-parts.js';
import { internalServiceCredentials } from './internal-service-auth.js';
import type { ServiceRuntime } from './service-runtime.js';

/**
 * oms-core: each new order's pre-trade check (risk-service over gRPC) and lifecycle, and every
 * execution applied to its parent order. A risk-service that does not answer fails the batch,
 * which is redelivered: no order is approved without a decision.
 */
export async function startOmsCore(runtime: ServiceRuntime): Promise<void> {
  await runtime.connectDatabase();
  await runtime.connectBus();
  const store = new SqlOrderStore(runtime.db, runtime.wakeRelay, runtime.stamp);
  const risk = new RiskGrpcClient({
    baseUrl: runtime.config.riskServiceUrl,
    credentials: internalServiceCredentials(runtime, 'risk-service'),
    tracer: runtime.tracer,
  });
  runtime.add('risk-service client', risk);
  const { clock, newId, logger, metrics, orderTracing: tracing } = runtime;
  const recorder = orderMetrics(metrics);
  const intake = new OrderIntakeConsumer({ store, risk, clock, newId, logger, tracing });
  const executions = new ExecutionConsumer({
    store,
    clock,
    newId,
    logger,
    tracing,
    onFinal: (order) => recorder.final(order, clock.now()),
    onFill: (fill) => recorder.fill(fill),
    onRefusedFill: (fill) => recorder.refusedFill(fill),
  });
  // One consumer for both topics (keyed by order): an instance owns an order's intake and its executions.
  await runtime.subscribeAll(
    'oms-core',
    { [TOPICS.ordersInbound]: intake.handle, [TOPICS.executionsFills]: executions.handle },
    // The two groups of earlier releases, one per topic.
    { [TOPICS.ordersInbound]: 'oms-core.intake', [TOPICS.executionsFills]: 'oms-core.executions' },
  );
  const relay = await runtime.startOutboxRelay();
  runtime.startInboxPruning();
  const working = new SqlWorkingOrders(runtime.db, newId, () => relay.wake());
  startSessionClose(runtime, () => working.expireDayOrders(), logger);
}
