import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { Config } from '../config/config.js';
import { TOPICS, type Topic } from '../domain/events/topics.js';
import type { Order } from '../domain/order/order.js';
import { createAccessControl } from '../adapters/auth/index.js';
import { InProcessBus } from '../adapters/bus/in-process-bus.js';
import { FixVenueGateway } from '../adapters/fix-venue/fix-venue-gateway.js';
import { GrpcServer } from '../adapters/grpc/grpc-server.js';
import { marketDataGrpcRoutes, QuoteChangeFeed } from '../adapters/grpc/marketdata-grpc-service.js';
import { orderGrpcRoutes } from '../adapters/grpc/order-grpc-service.js';
import { riskGrpcRoutes } from '../adapters/grpc/risk-grpc-service.js';
import { createHttpApp } from '../adapters/http/app.js';
import { registerActuatorRoutes } from '../adapters/http/actuator-routes.js';
import { installAccessControl } from '../adapters/http/auth-plugin.js';
import { registerMarketRoutes } from '../adapters/http/market-routes.js';
import { registerRiskRoutes } from '../adapters/http/risk-routes.js';
import { callerSubject } from '../adapters/http/access-guard.js';
import { SqlWorkingOrders } from '../adapters/sql/sql-working-orders.js';
import { registerOrderRoutes } from '../adapters/http/order-routes.js';
import { registerOrderStreamRoute } from '../adapters/http/order-stream-route.js';
import { createLogger, type Logger } from '../adapters/observability/logger.js';
import { createMetrics } from '../adapters/observability/metrics.js';
import { outboxAppender, OutboxRelay } from '../adapters/outbox/index.js';
import { registerOrderAmendmentRoutes } from '../adapters/http/order-amendment-routes.js';
import { OrderAmendmentService } from '../services/oms-ingest/order-amendment-service.js';
import { registerOutboxPendingGauge } from '../adapters/outbox/pending-gauge.js';
import { sqlChildOwnerLookup, sqlLiveChildren } from '../adapters/sql/child-owner-lookup.js';
import { EmbeddedMaintenance } from '../adapters/sql/embedded-maintenance.js';
import { runMigrations } from '../adapters/sql/migrate.js';
import { OrderIngestStore } from '../adapters/sql/order-ingest-store.js';
import { createPgliteWorkerClient } from '../adapters/sql/pglite-worker-client.js';
import { SqlOrderQueries } from '../adapters/sql/sql-order-queries.js';
import { SqlOrderStore } from '../adapters/sql/sql-order-store.js';
import { SqlRiskControlStore } from '../adapters/sql/sql-risk-controls.js';
import { SqlRiskDecisionStore } from '../adapters/sql/sql-risk-decisions.js';
import { systemClock } from '../ports/clock.js';
import type { BatchHandler } from '../ports/event-bus.js';
import { BrokerSimulator } from '../services/broker-simulator/broker-simulator.js';
import { ChildOrderDirectory } from '../services/execution-adapter/child-order-directory.js';
import { ChildReconciler } from '../services/execution-adapter/child-reconciler.js';
import { ExecutionReportPublisher } from '../services/execution-adapter/execution-report-publisher.js';
import { RoutedOrderConsumer } from '../services/execution-adapter/routed-order-consumer.js';
import { ExecutionConsumer } from '../services/oms-core/execution-consumer.js';
import { OrderIntakeConsumer } from '../services/oms-core/order-intake-consumer.js';
import { OrderIngestService } from '../services/oms-ingest/order-ingest-service.js';
import { OrderUpdateHub } from '../services/oms-ingest/order-update-hub.js';
import { OrderStatusReader } from '../services/oms-ingest/order-status-reader.js';
import { PositionConsumer } from '../services/risk-service/position-consumer.js';
import { RiskControls } from '../services/risk-service/risk-controls.js';
import { RiskService, riskPolicyFrom } from '../services/risk-service/risk-service.js';
import { RoutingConsumer } from '../services/sor-engine/routing-consumer.js';
import { DEFAULT_SYMBOLS, simulatedVenues } from '../simulation/market/config.js';
import { MarketDriver } from '../simulation/market/market-driver.js';
import { SimulatedMarket } from '../simulation/market/simulated-market.js';
import { ShutdownSequence } from './lifecycle.js';
import { SessionClose } from '../services/oms-core/session-close.js';

export interface RunningSystem {
  readonly url: string;
  /** Stops everything in order: HTTP first (in-flight orders still commit), the database last. */
  stop(): Promise<void>;
}

/**
 * The embedded mode's composition root: every service in this process, on PGlite under
 * DATA_DIR, the database-backed bus, the simulators, and FIX over loopback TCP. Start and
 * restart are the same path: whatever was in flight when the process died resumes from the
 * outbox, the bus offsets and the FIX stores.
 */
export async function startEmbeddedSystem(config: Config, options: { logger?: Logger } = {}): Promise<RunningSystem> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, name: 'oms' });
  const metrics = createMetrics();
  const shutdown = new ShutdownSequence();
  const newId = () => uuidv7();
  const clock = systemClock;
  const fail = async (error: unknown): Promise<never> => {
    await shutdown.stopAll((name, e) => logger.error({ part: name, err: e }, 'stop failed'));
    throw error;
  };

  try {
    const db = await createPgliteWorkerClient({ dataDir: join(config.dataDir, 'pglite') });
    shutdown.add('database', { stop: () => db.close() });
    const applied = await runMigrations(db);
    if (applied.length > 0) logger.info({ applied }, 'database migrations applied');
    const maintenance = new EmbeddedMaintenance({ db, logger: logger.child({ part: 'database maintenance' }) });
    maintenance.start();
    shutdown.add('database maintenance', maintenance);

    const bus = new InProcessBus({
      maxBatch: 100,
      onHandlerError: (group, topic, error) => {
        metrics.consumerErrors.inc({ consumer: group });
        logger.warn({ group, topic, err: error }, 'consumer batch failed; it will be redelivered');
      },
    });
    shutdown.add('event bus', { stop: () => bus.close() });
    const relay = new OutboxRelay({
      db,
      bus,
      onPublished: (count) => metrics.outboxPublished.inc(count),
      onError: (error) => logger.error({ err: error }, 'outbox relay failed; retrying'),
    });
    registerOutboxPendingGauge(metrics.registry, db, 'Outbox events not yet handled by every consumer (the flow is idle at 0)');

    const market = new SimulatedMarket({ seed: config.marketSeed, symbols: DEFAULT_SYMBOLS, venues: simulatedVenues(config.venues.map((v) => v.name)) });
    const driver = new MarketDriver(market, config.marketStepMs);
    let venues = config.venues;
    if (config.startBrokerSimulator) {
      const broker = new BrokerSimulator({ market, venues, storeDir: join(config.dataDir, 'fix', 'broker-simulator'), logger: logger.child({ service: 'broker-simulator' }), resetAtUtc: config.fixResetAtUtc });
      await broker.start();
      shutdown.add('broker-simulator', broker);
      driver.onStep(() => broker.onMarketStep());
      venues = broker.endpoints();
    }
    driver.start();
    shutdown.add('market data simulator', driver);

    const store = new SqlOrderStore(db);
    const riskPolicy = riskPolicyFrom(config.risk);
    const risk = new RiskService({ policy: riskPolicy, store: new SqlRiskDecisionStore(db), marketData: market, clock, metrics });
    const directory = new ChildOrderDirectory(sqlChildOwnerLookup(db));
    const publisher = new ExecutionReportPublisher({ store, directory, logger });
    const gateway = new FixVenueGateway({
      venues,
      storeDir: join(config.dataDir, 'fix', 'execution-adapter'),
      heartBtIntSeconds: config.fixHeartbeatSeconds,
      resetAtUtc: config.fixResetAtUtc,
      onReport: publisher.publish,
      // After each logon, ask the venue about orders we believe live there (it may have restarted).
      onLogon: (venue) => reconciler.reconcile(venue),
      logger: logger.child({ service: 'execution-adapter' }),
      metrics,
    });
    const reconciler = new ChildReconciler({ liveChildren: sqlLiveChildren(db), requestStatus: (venue, child) => gateway.requestStatus(venue, child), logger });
    await gateway.start();
    shutdown.add('execution-adapter FIX sessions', gateway);
    await gateway.ready(5_000);

    const subscribe = async (group: string, topic: Topic, handler: BatchHandler) => shutdown.add(`consumer ${group}`, await bus.subscribe({ group, topic, handler }));
    const onFinal = (order: Order) => metrics.orderLifecycle.observe({ status: order.status }, (clock.now().getTime() - order.createdAt.getTime()) / 1000);
    await subscribe('oms-core.intake', TOPICS.ordersInbound, new OrderIntakeConsumer({ store, risk, clock, newId, logger: logger.child({ service: 'oms-core' }) }).handle);
    await subscribe('sor-engine', TOPICS.ordersValidated, new RoutingConsumer({ store, marketData: market, venues: gateway.venues, clock, newId, logger: logger.child({ service: 'sor-engine' }), metrics }).handle);
    await subscribe('execution-adapter', TOPICS.ordersRouted, new RoutedOrderConsumer({ store, gateway, directory, logger: logger.child({ service: 'execution-adapter' }) }).handle);
    await subscribe('oms-core.executions', TOPICS.executionsFills, new ExecutionConsumer({ store, clock, newId, logger: logger.child({ service: 'oms-core' }), onFinal }).handle);
    await subscribe('risk-service.positions', TOPICS.executionsFills, new PositionConsumer(store).handle);
    const updates = new OrderUpdateHub();
    await subscribe('oms-ingest.order-updates', TOPICS.ordersStatus, updates.handle);
    // Only now: a row published before its consumers subscribed would be deleted unhandled.
    await relay.start();
    shutdown.add('outbox relay', relay);
    // Kill-switch cancels and session-close expiries, each a cancel request per working order.
    const workingOrders = new SqlWorkingOrders(db.urgent, newId, () => relay.wake());
    if (config.sessionCloseUtc) {
      const close = new SessionClose({ closeUtc: config.sessionCloseUtc, clock, expireDayOrders: () => workingOrders.expireDayOrders(), logger: logger.child({ service: 'oms-core' }) });
      close.start();
      shutdown.add('session close', close);
    }

    const ingestStore = new OrderIngestStore(db.urgent, { maxBatch: config.groupCommitMaxBatch, afterCommit: () => relay.wake() });
    const ingest = new OrderIngestService({ store: ingestStore, clock, newId, metrics });
    const queries = new SqlOrderQueries(db, market);
    const app = createHttpApp({ logger: logger.child({ service: 'oms-ingest' }), metrics });
    const access = createAccessControl(config.auth);
    installAccessControl(app, access);
    const quoteChanges = new QuoteChangeFeed();
    driver.onStep(() => quoteChanges.publish(market.symbols()));
    const grpc = new GrpcServer({
      port: config.grpcPort,
      host: config.host,
      services: [
        orderGrpcRoutes({ ingest, queries, updates, authenticator: access.authenticator, onError: (error) => logger.error({ err: error }, 'order not stored') }),
        riskGrpcRoutes({ risk }),
        marketDataGrpcRoutes({ marketData: market, onQuotes: quoteChanges.onQuotes, clock }),
      ],
    });
    await grpc.start();
    shutdown.add('gRPC server', grpc);
    registerOrderStreamRoute(app, updates);
    registerOrderRoutes(app, { ingest, queries, status: new OrderStatusReader(queries) });
    registerOrderAmendmentRoutes(app, new OrderAmendmentService({ queries, append: outboxAppender(db.urgent, () => relay.wake()), newId }));
    registerMarketRoutes(app, { marketData: market, queries });
    registerRiskRoutes(
      app,
      new RiskControls({ store: new SqlRiskControlStore(db), policy: riskPolicy, clock, logger: logger.child({ service: 'risk-service' }), canceller: workingOrders }),
      { actorOf: callerSubject },
    );
    registerActuatorRoutes(app, {
      health: [{ name: 'database', check: async () => (await db.ping(), { up: true }) }, gateway.healthIndicator()],
      registry: metrics.registry,
    });
    await app.listen({ port: config.port, host: config.host });
    shutdown.add('http', {
      stop: async () => {
        await app.close();
        await ingestStore.drain();
      },
    });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
    return { url: `http://${host}:${port}`, stop: () => shutdown.stopAll((name, error) => logger.error({ part: name, err: error }, 'stop failed')) };
  } catch (error) {
    return fail(error);
  }
}
