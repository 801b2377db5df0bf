import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { fromSnapshot, toSnapshot } from '../domain/order/snapshot.js';
import { InFlightLiquidity } from '../domain/routing/in-flight-liquidity.js';
import type { FixOrderGateway } from '../adapters/fix-gateway/fix-order-gateway.js';
import { FileStore } from '../fix/index.js';
import type { Tracer } from '@opentelemetry/api';
import { FileJournal } from '../adapters/journal/file-journal.js';
import { decodeStateChanges, encodeStateChanges } from '../adapters/journal/state-changes-codec.js';
import { createLogger, serviceLogger, type Logger } from '../adapters/observability/pino-logger.js';
import { orderMetrics } from '../services/order-metrics.js';
import { otelOrderTracing } from '../adapters/observability/otel-order-tracing.js';
import { EmbeddedMaintenance } from '../adapters/sql/pglite/maintenance.js';
import { runMigrations } from '../adapters/sql/migrate.js';
import { checkpointToDisk, requireRoomForCheckpoint } from '../adapters/sql/pglite/durability.js';
import { createPgliteWorkerClient } from '../adapters/sql/pglite/worker-client.js';
import { SqlOrderRecords } from '../adapters/sql/orders/sql-order-records.js';
import { SqlQueryModelWriter } from '../adapters/sql/query-model/sql-query-model-writer.js';
import { SqlRiskControlStore } from '../adapters/sql/risk/sql-risk-controls.js';
import { SqlWorkingStateLoader } from '../adapters/sql/query-model/sql-working-state-loader.js';
import { BrokerSimulator } from '../simulation/broker/broker-simulator.js';
import { LiveOrders } from '../services/oms-core/live-orders.js';
import type { Amendment } from '../services/oms-core/order-amendments.js';
import { ConsistentOrderQueries } from '../services/oms-ingest/consistent-order-queries.js';
import { OrderAmendmentService } from '../services/oms-ingest/order-amendment-service.js';
import { OrderIngestService } from '../services/oms-ingest/order-ingest-service.js';
import { OrderQueryService } from '../services/oms-ingest/order-query-service.js';
import { OrderStatusReader } from '../services/oms-ingest/order-status-reader.js';
import { OrderUpdateHub } from '../services/oms-ingest/order-update-hub.js';
import { OrderFlow, orderFlowHealth } from '../services/order-flow/order-flow.js';
import { JournalCompaction } from '../services/order-flow/journal-compaction.js';
import { QueryModelWriteBehind, queryModelHealth } from '../services/order-flow/query-model-write-behind.js';
import { catchUpQueryModel, loadWorkingState } from '../services/order-flow/recovery.js';
import { StoredClientKeys } from '../services/order-flow/stored-client-keys.js';
import { RiskBook } from '../services/risk-service/risk-book.js';
import { feedingRiskControls, readRiskControls } from '../services/risk-service/risk-control-feed.js';
import { riskPolicyFrom } from '../config/risk-policy.js';
import { Router } from '../services/sor-engine/router.js';
import { simulatedMarket } from '../simulation/market/simulated-market.js';
import { MarketDriver } from '../simulation/market/market-driver.js';
import { requireWritableDataDir } from './data-dir.js';
import { clientFixGateway, serveOrderApi, serveRiskApi } from './client-api.js';
import { ProcessHost } from './process-host.js';
import { marketDataRoutes, startSessionClose, startVenueSessions, venueSessions } from './service-parts.js';

/**
 * Records gather this long before a write to the query model (reads waiting for them do not
 * wait): most orders go from NEW to final within it, so each is written once, final, instead of
 * once per state (see QueryModelWriteBehind's gatherMs).
 */
const QUERY_MODEL_GATHER_MS = 250;
/** Final orders stay in memory this long after the query model holds them (late venue reports, reads). */
const FINAL_ORDERS_KEPT_MS = 10_000;

export interface RunningSystem {
  readonly url: string;
  /** Where the clients' FIX gateway listens, when it is on. */
  readonly fixGatewayPort?: number;
  /** Stops everything in order: HTTP first (in-flight orders still commit), the database last. */
  stop(): Promise<void>;
}

/**
 * The embedded mode's composition root: every service in this process, handing work to each
 * other in memory through the order flow, with a fsynced journal under DATA_DIR as the durable
 * record and PGlite as the query model written behind it; the simulators, and FIX over loopback
 * TCP. Start and restart are the same path: the journal's tail is written to the query model,
 * the working state is loaded from it, and the FIX stores resume their sessions.
 */
/** `tracer`: OpenTelemetry tracing is on (startTracing); without it nothing is traced. */
export async function startEmbeddedSystem(config: Config, options: { logger?: Logger; tracer?: Tracer } = {}): Promise<RunningSystem> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, name: 'oms' });
  // One host for every service: its HTTP server is oms-ingest's API.
  const host = new ProcessHost(config, logger, { httpLogger: serviceLogger(logger, 'oms-ingest'), tracer: options.tracer, apiDocs: true });
  const { metrics, newId, clock } = host;

  try {
    await host.prepareHttp();
    await requireWritableDataDir(config.dataDir);
    const pgliteDir = join(config.dataDir, 'pglite');
    const opening = createPgliteWorkerClient({
      dataDir: pgliteDir,
      onRestart: (reason) => logger.error({ reason }, 'the database thread was stuck: replaced by a new one, which recovers from its WAL'),
    });
    host.add('database', { stop: async () => (await opening).close() });
    // PGlite opens on its own thread; meanwhile this one reads the FIX stores, which replay their
    // message logs (seconds, with a million orders behind them).
    const market = simulatedMarket(config.marketSeed, config.venues);
    const driver = new MarketDriver(market, config.marketStepMs);
    const broker = config.startBrokerSimulator
      ? new BrokerSimulator({
          market,
          venues: config.venues,
          storeDir: join(config.dataDir, 'fix', 'broker-simulator'),
          bookDir: join(config.dataDir, 'broker-simulator'),
          logger: serviceLogger(logger, 'broker-simulator'),
          resetAtUtc: config.fixResetAtUtc,
          logonLimits: config.fixLogonLimits,
        })
      : undefined;
    const fixStores = new Map(config.venues.map((venue) => [venue.name, new FileStore(join(config.dataDir, 'fix', 'execution-adapter', venue.name))] as const));
    host.add('execution-adapter FIX stores', { stop: async () => fixStores.forEach((store) => store.close()) });
    const db = await opening;
    const applied = await runMigrations(db);
    if (applied.length > 0) logger.info({ applied }, 'database migrations applied');
    const maintenance = new EmbeddedMaintenance({
      db,
      logger: logger.child({ part: 'database maintenance' }),
      checkpointAllowed: () => requireRoomForCheckpoint(pgliteDir),
    });
    maintenance.start();
    host.add('database maintenance', maintenance);

    // The durable record of the hot path, and the tables written behind it (the query model).
    const journal = await FileJournal.open({
      dir: join(config.dataDir, 'journal'),
      sync: config.journalSync,
      segmentBytes: config.journalSegmentBytes,
      commitDelayMs: config.journalCommitDelayMs,
      preallocate: true,
      onDurable: (seconds) => metrics.journalWriteDuration.observe(seconds),
    });
    host.add('journal', { stop: () => journal.close() });
    const writer = new SqlQueryModelWriter(db);
    const watermark = await catchUpQueryModel(journal, writer, decodeStateChanges);

    let venues = config.venues;
    if (broker) {
      await broker.start();
      host.add('broker-simulator', broker);
      driver.onStep(() => broker.onMarketStep());
      venues = broker.endpoints();
    }
    driver.start();
    host.add('market data simulator', driver);

    // Working state in memory, loaded from the query model (which the journal brought up to date).
    const live = new LiveOrders();
    const riskPolicy = riskPolicyFrom(config.risk);
    const riskBook = new RiskBook({ policy: riskPolicy, marketData: market });
    const controlStore = feedingRiskControls(new SqlRiskControlStore(db), (controls) => riskBook.setControls(controls));
    const loader = new SqlWorkingStateLoader(db);
    await loadWorkingState(loader, { live, risk: riskBook }, await readRiskControls(controlStore), clock.now());
    // A repeated client key is looked up on the acknowledgement path: the urgent lane.
    const urgentLoader = new SqlWorkingStateLoader(db.urgent);
    const storedKeys = new StoredClientKeys(
      { orderIdForClientKey: (account, key) => urgentLoader.orderIdForClientKey(account, key), clientKeyFilter: () => loader.clientKeyFilter() },
      logger.child({ part: 'client keys' }),
    );
    const tables = new OrderQueryService(new SqlOrderRecords(db), market);
    const writeBehind = new QueryModelWriteBehind(
      {
        writer,
        logger: logger.child({ part: 'query model' }),
        gatherMs: QUERY_MODEL_GATHER_MS,
        onWatermark: (seq, records) => {
          metrics.outboxPublished.inc(records);
          live.evict(seq, Date.now() - FINAL_ORDERS_KEPT_MS);
        },
      },
      watermark,
    );
    /** Journal records not yet in the query model. */
    const queryModelLag = (): number => journal.lastSeq - writeBehind.watermark;
    const updates = new OrderUpdateHub();
    // The clients' FIX gateway, when configured: it reports committed states, as the streams do.
    let clientFix: FixOrderGateway | undefined;
    const gateway = venueSessions(host, {
      venues,
      stores: fixStores,
      onReport: (report): Promise<void> => flow.report(report),
      liveChildren: (venue) => flow.liveChildrenAt(venue),
      logger: serviceLogger(logger, 'execution-adapter'),
    });
    const flow: OrderFlow = new OrderFlow({
      live,
      risk: riskBook,
      router: new Router({
        marketData: market,
        venues: gateway.venues,
        newId,
        logger: serviceLogger(logger, 'sor-engine'),
        metrics,
        claims: new InFlightLiquidity(),
        marketSlippageTicks: config.marketSlippageTicks,
      }),
      newId,
      logger: serviceLogger(logger, 'oms-core'),
      metrics,
      journal,
      encode: encodeStateChanges,
      venues: gateway,
      clock,
      storedOrderIdFor: (accountId, clientOrderId) => storedKeys.orderIdFor(accountId, clientOrderId),
      storedOrder: async (orderId) => {
        const stored = await tables.orderStatus(orderId);
        return stored && fromSnapshot(stored);
      },
      onCommitted: (seq, changes) => {
        writeBehind.push(seq, changes);
        clientFix?.onFills(changes.fills);
      },
      onStatus: (order) => {
        updates.publish(order);
        clientFix?.onStatus(order);
      },
      onFinal: (order) => orderMetrics(metrics).final(order, clock.now()),
      tracing: options.tracer && otelOrderTracing(options.tracer),
      backlog: { records: queryModelLag, max: config.queryModelMaxLagRecords },
    });
    host.add('query model write-behind', writeBehind);
    metrics.queryModelLag.sampleFrom(queryModelLag);
    // Segments the query model holds on disk leave the journal, so that it does not grow for ever.
    const compaction = new JournalCompaction({
      journal,
      watermark: () => writeBehind.watermark,
      makeDurable: async () => void (await checkpointToDisk(db, pgliteDir)),
      logger: logger.child({ part: 'journal compaction' }),
    });
    compaction.start();
    host.add('journal compaction', compaction);
    await startVenueSessions(host, gateway);
    host.add('order flow', { stop: () => flow.idle() });
    await gateway.ready(5_000);
    // Orders acknowledged by an earlier version that pre-trade risk had not decided yet.
    const undecided = live.working((order) => order.status === 'PENDING_NEW');
    if (undecided.length > 0) await flow.redecide(undecided);
    startSessionClose(host, () => flow.expireDayOrders(), serviceLogger(logger, 'oms-core'));

    const ingest = new OrderIngestService({ intake: flow, clock, newId, metrics });
    const queries = new ConsistentOrderQueries({
      tables,
      inMemory: (orderId) => {
        const order = live.get(orderId);
        return order && toSnapshot(order);
      },
      caughtUp: () => writeBehind.caughtUp(journal.lastSeq),
    });
    const amendments = new OrderAmendmentService({ queries, append: (message) => flow.amend(message.payload as Amendment), newId });
    await serveOrderApi(host, {
      ingest,
      amendments,
      queries,
      status: new OrderStatusReader(queries),
      updates,
      marketData: market,
      moreGrpc: [marketDataRoutes(host, market, driver)],
    });
    serveRiskApi(host, { store: controlStore, policy: riskPolicy, logger: serviceLogger(logger, 'risk-service'), canceller: flow });
    if (config.fixGateway.port !== undefined) {
      clientFix = clientFixGateway(host, {
        store: (name) => new FileStore(join(config.dataDir, 'fix', 'gateway', name)),
        logger: serviceLogger(logger, 'oms-ingest'),
        ingest,
        amendments,
        orderStatus: (orderId) => queries.orderStatus(orderId),
      });
      await clientFix.start();
      host.add('FIX gateway', clientFix);
    }
    host.health.push(
      { name: 'database', gatesReadiness: true, check: async () => (await db.ping(), { up: true }) },
      orderFlowHealth(flow),
      queryModelHealth(writeBehind),
      ...(clientFix ? [clientFix.healthIndicator()] : []),
    );
    // In-flight requests' orders are committed before the parts behind them stop.
    host.afterHttpClose(() => flow.idle());
    const url = await host.listen();
    // After readiness: without the filter every new key is looked up, which is correct, only slower.
    void storedKeys.loadFilter();
    host.add('client key filter', storedKeys);
    return { url, ...(clientFix ? { fixGatewayPort: clientFix.port } : {}), stop: () => host.stop() };
  } catch (error) {
    await host.stop();
    throw error;
  }
}
