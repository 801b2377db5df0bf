import { TOPICS } from '../../domain/events/topics.js';
import { ClaimedLiquidity } from '../../domain/routing/claimed-liquidity.js';
import { RoutingConsumer } from '../../services/sor-engine/routing-consumer.js';
import { SqlOrderStore } from '../../adapters/sql/orders/sql-order-store.js';
import { followMarket } from './market-feed.js';
import type { ServiceRuntime } from './service-runtime.js';

/** sor-engine: routing requests in, child orders out (with the outbox), over the market feed. */
export async function startSorEngine(runtime: ServiceRuntime): Promise<void> {
  await runtime.connectDatabase();
  await runtime.connectBus();
  const marketData = await followMarket(runtime);
  const store = new SqlOrderStore(runtime.db, runtime.wakeRelay, runtime.stamp);
  const { clock, newId, logger, metrics, orderTracing: tracing } = runtime;
  const venues = runtime.config.venues.map((v) => v.name);
  // What this instance routed on a step counts against that step's displayed sizes, until the next.
  const claims = new ClaimedLiquidity();
  marketData.onSnapshot((symbol) => claims.newStep(symbol));
  await runtime.subscribe(
    'sor-engine',
    TOPICS.ordersValidated,
    new RoutingConsumer({ store, marketData, venues, clock, newId, logger, metrics, tracing, claims, marketSlippageTicks: runtime.config.marketSlippageTicks })
      .handle,
  );
  await runtime.startOutboxRelay();
  runtime.startInboxPruning();
}
