import { TOPICS } from '../../domain/events/topics.js';
import type { MessageStore } from '../../fix/index.js';
import type { OutgoingMessage } from '../../ports/event-bus.js';
import { sqlChildOwnerLookup, sqlLiveChildren } from '../../adapters/sql/orders/child-owner-lookup.js';
import { SqlOrderStore } from '../../adapters/sql/orders/sql-order-store.js';
import { ChildOrderDirectory } from '../../services/execution-adapter/child-order-directory.js';
import { ExecutionReportPublisher } from '../../services/execution-adapter/execution-report-publisher.js';
import { RoutedOrderConsumer } from '../../services/execution-adapter/routed-order-consumer.js';
import { startVenueSessions, venueSessions } from '../service-parts.js';
import { openPostgresFixStore } from './fix-stores.js';
import type { ServiceRuntime } from './service-runtime.js';

/**
 * execution-adapter: a FIX initiator per configured venue (OMS_VENUES), child orders in, venue
 * ExecutionReports straight onto Kafka (no outbox: see ExecutionReportPublisher). Session sequence
 * numbers and sent messages live in PostgreSQL, so a restarted (or moved) adapter resends what a
 * venue missed and nothing twice. It writes no outbox rows, so it runs no outbox relay.
 */
export async function startExecutionAdapter(runtime: ServiceRuntime): Promise<void> {
  const db = await runtime.connectDatabase();
  const bus = await runtime.connectBus();
  const { config, logger, orderTracing: tracing } = runtime;
  const stores = new Map<string, MessageStore>();
  for (const venue of config.venues) stores.set(venue.name, await openPostgresFixStore(db, `${venue.senderCompId}->${venue.targetCompId}@${venue.name}`));

  const store = new SqlOrderStore(db);
  const directory = new ChildOrderDirectory(sqlChildOwnerLookup(db));
  const { stamp } = runtime;
  const deliver = (messages: readonly OutgoingMessage[]) => bus.publish(stamp ? messages.map(stamp) : messages);
  const publisher = new ExecutionReportPublisher({ deliver, directory, logger, metrics: runtime.metrics, tracing });
  const gateway = venueSessions(runtime, { venues: config.venues, stores, onReport: publisher.publish, liveChildren: sqlLiveChildren(db), logger });
  await startVenueSessions(runtime, gateway);
  await runtime.subscribe('execution-adapter', TOPICS.ordersRouted, new RoutedOrderConsumer({ store, gateway, directory, logger, tracing }).handle);
  runtime.startInboxPruning();
}
