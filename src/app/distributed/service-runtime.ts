import type { Tracer } from '@opentelemetry/api';
import type { Config, ServiceName } from '../../config/config.js';
import type { Topic } from '../../domain/events/topics.js';
import type { Logger } from '../../adapters/observability/pino-logger.js';
import { messageTracing, type MessageTracing } from '../../adapters/observability/message-tracing.js';
import { otelOrderTracing } from '../../adapters/observability/otel-order-tracing.js';
import { tracedOrders } from '../../adapters/observability/traced-orders.js';
import { OutboxRelay } from '../../adapters/outbox/index.js';
import { InboxPruner } from '../../adapters/outbox/inbox-pruner.js';
import { outboxPendingCount } from '../../adapters/outbox/pending-gauge.js';
import { runMigrations } from '../../adapters/sql/migrate.js';
import { createPostgresClient } from '../../adapters/sql/postgres/client.js';
import { createKafkaBus } from '../../adapters/bus/kafka-bus.js';
import type { BatchHandler, EventBus, OutgoingMessage, SubscribeOptions, TopicHandlers } from '../../ports/event-bus.js';
import { noOrderTracing, type OrderTracing } from '../../ports/order-tracing.js';
import type { SqlClient } from '../../ports/sql.js';
import { ProcessHost } from '../process-host.js';

/** The services that serve the REST API, and so its document at /openapi.json and /docs. */
const API_SERVICES: ReadonlySet<ServiceName> = new Set(['oms-ingest', 'risk-service']);

/**
 * What every service process of distributed mode has: the ProcessHost of both modes (metrics, an
 * HTTP server with the actuator, one shutdown order), with PostgreSQL (migrated), Kafka and this
 * process's outbox relay. A service adds its own parts to it.
 */
export class ServiceRuntime extends ProcessHost {
  private dbClient: SqlClient | undefined;
  private busClient: EventBus | undefined;
  private relay: OutboxRelay | undefined;
  private readonly messages: MessageTracing | undefined;
  /**
   * Tracing on: adds an order's trace context to a message about it, for every writer of the
   * outbox to apply; undefined when off, so writers pay one check.
   */
  readonly stamp: ((message: OutgoingMessage) => OutgoingMessage) | undefined;
  /**
   * The named steps of an order's trace (sor.route, fix.*, oms.*), under the context of the last
   * message this process consumed about the order. Nothing calls release(): a service never
   * learns that an order is final, and tracedOrders is bounded.
   */
  readonly orderTracing: OrderTracing;

  constructor(
    readonly service: ServiceName,
    config: Config,
    logger: Logger,
    /** OpenTelemetry tracing is on (startTracing); without it nothing is traced. */
    tracer?: Tracer,
  ) {
    super(config, logger, { httpLogger: logger, tracer, apiDocs: API_SERVICES.has(service) });
    this.messages = tracer && messageTracing(tracer);
    this.stamp = this.messages?.stamp;
    this.orderTracing = tracer ? otelOrderTracing(tracer, { consumed: tracedOrders }) : noOrderTracing;
  }

  get db(): SqlClient {
    if (!this.dbClient) throw new Error('connectDatabase() first');
    return this.dbClient;
  }

  get bus(): EventBus {
    if (!this.busClient) throw new Error('connectBus() first');
    return this.busClient;
  }

  /** PostgreSQL with the same migrations as embedded mode (concurrent starts serialise on a lock). */
  async connectDatabase(): Promise<SqlClient> {
    const { postgres } = this.config;
    const db = createPostgresClient({ ...postgres, onError: (error) => this.logger.warn({ err: error }, 'PostgreSQL connection error') });
    this.dbClient = db;
    this.add('database', { stop: () => db.close() });
    const applied = await runMigrations(db);
    if (applied.length > 0) this.logger.info({ applied }, 'database migrations applied');
    this.health.push({ name: 'database', gatesReadiness: true, check: async () => (await db.ping(), { up: true }) });
    this.metrics.outboxPending.sampleFrom(outboxPendingCount(db));
    return db;
  }

  async connectBus(): Promise<EventBus> {
    const bus = await createKafkaBus({
      bootstrap: this.config.kafkaBootstrap,
      clientId: `${this.service}-${this.config.instanceId}`,
      maxWaitTimeInMs: this.config.kafkaFetchMaxWaitMs,
      sessionTimeoutMs: this.config.kafkaSessionTimeoutMs,
      partitionsConcurrently: this.config.kafkaPartitionsConcurrently,
      logger: this.logger,
      onHandlerError: (group, topic, error) => {
        this.metrics.consumerErrors.inc({ consumer: group });
        this.logger.warn({ group, topic, err: error }, 'consumer batch failed; it will be redelivered');
      },
      onConsumerLag: (group, topic, partition, lag) => this.metrics.consumerLag.set({ consumer: group, topic, partition: String(partition) }, lag),
    });
    this.busClient = bus;
    this.add('event bus', { stop: () => bus.close() });
    this.health.push({ name: 'event bus', gatesReadiness: true, check: async () => (await bus.ping(), { up: true }) });
    return bus;
  }

  /** A consumer in `group`; `startAt` 'latest' for per-instance groups that want only what is current. */
  async subscribe(group: string, topic: Topic, handler: BatchHandler, startAt: 'earliest' | 'latest' = 'earliest'): Promise<void> {
    this.add(`consumer ${group}`, await this.bus.subscribe({ group, topic, handler: this.traced(group, handler), startAt }));
  }

  /**
   * One consumer in `group` for several topics: this process is one member of the group and owns
   * the same partitions of each topic, so one order's messages on all of them come here. It goes on
   * from the committed offsets of the groups it replaces (`continuesFrom`, per topic).
   */
  async subscribeAll(group: string, handlers: TopicHandlers, continuesFrom?: SubscribeOptions['continuesFrom']): Promise<void> {
    const traced = Object.fromEntries(Object.entries(handlers).map(([topic, handler]) => [topic, handler && this.traced(group, handler)]));
    this.add(`consumer ${group}`, await this.bus.subscribe({ group, handlers: traced, ...(continuesFrom ? { continuesFrom } : {}) }));
  }

  /** The handler with a span per message when tracing is on; as it is otherwise. */
  private traced(group: string, handler: BatchHandler): BatchHandler {
    return this.messages ? this.messages.consumer(group, handler) : handler;
  }

  /**
   * This process's outbox relay. Every service that writes the outbox runs one; they share the
   * table, one publishes at a time, and any survivor drains what a killed one left.
   */
  async startOutboxRelay(): Promise<OutboxRelay> {
    const relay = new OutboxRelay({
      db: this.db,
      bus: this.bus,
      shared: true,
      onPublished: (count) => this.metrics.outboxPublished.inc(count),
      onError: (error) => this.logger.error({ err: error }, 'outbox relay failed; retrying'),
    });
    await relay.start();
    this.relay = relay;
    this.add('outbox relay', relay);
    return relay;
  }

  /**
   * For a service whose consumers claim events in the inbox: deletes claims older than
   * INBOX_RETENTION_HOURS, by then Kafka can no longer deliver their events again. Every such
   * process runs one; a lock lets one work at a time.
   */
  startInboxPruning(): void {
    const pruner = new InboxPruner({
      db: this.db,
      retentionSeconds: this.config.inboxRetentionHours * 3600,
      onPruned: (count) => this.logger.info({ count }, 'inbox claims past their retention deleted'),
      onError: (error) => this.logger.warn({ err: error }, 'inbox pruning failed; the next round tries again'),
    });
    pruner.start();
    this.add('inbox pruner', pruner);
  }

  /** For writers of the outbox, after their commit: this process's relay publishes at once (no NOTIFY crosses processes). */
  readonly wakeRelay = (): void => this.relay?.wake();

  /**
   * Crash-only, for a part that can no longer run correctly (it lost what made it the one owner
   * of something): the process ends at once, and its supervisor starts it again.
   */
  abort(message: string, error: unknown): never {
    this.logger.fatal({ err: error }, message);
    process.exit(1);
  }
}
