import { Code } from '@connectrpc/connect';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderService, OrderStatus, OrderType, Side, TimeInForce } from '../../gen/oms/v1/order_pb.js';
import { systemClock } from '../../ports/clock.js';
import type { SqlClient } from '../../ports/sql.js';
import { OrderIngestService } from '../../services/oms-ingest/order-ingest-service.js';
import { OrderUpdateHub } from '../../services/oms-ingest/order-update-hub.js';
import { DEFAULT_SYMBOLS, simulatedVenues } from '../../simulation/market/market-config.js';
import { SimulatedMarket } from '../../simulation/market/simulated-market.js';
import { createMetrics } from '../observability/prometheus-metrics.js';
import { OrderIngestStore, outboxIntake } from '../sql/orders/order-ingest-store.js';
import { SqlOrderRecords } from '../sql/orders/sql-order-records.js';
import { OrderQueryService } from '../../services/oms-ingest/order-query-service.js';
import { migratedPglite } from '../sql/test-support/pglite.js';
import { devAccess } from '../auth/test-support/access.js';
import { orderGrpcRoutes } from './order-grpc-service.js';
import { failure, startGrpcTestServer } from './test-support/grpc.js';

// oms-ingest's gRPC API over the embedded mode's real storage: group-committed inserts into
// PGlite, and the order read back through the same queries as GET /api/v1/orders/{id}.
describe('OrderService over PGlite', () => {
  let db: SqlClient;
  let store: OrderIngestStore;
  let grpc: Awaited<ReturnType<typeof startGrpcTestServer>>;

  beforeAll(async () => {
    db = await migratedPglite();
    store = new OrderIngestStore(db);
    const ingest = new OrderIngestService({ intake: outboxIntake(store, uuidv7), clock: systemClock, newId: uuidv7, metrics: createMetrics() });
    const market = new SimulatedMarket({ seed: 42, symbols: DEFAULT_SYMBOLS, venues: simulatedVenues(['XNYS', 'XNAS']) });
    grpc = await startGrpcTestServer(
      orderGrpcRoutes({
        ingest,
        queries: new OrderQueryService(new SqlOrderRecords(db), market),
        updates: new OrderUpdateHub(),
        authenticator: devAccess().authenticator,
      }),
    );
  });

  afterAll(async () => {
    await grpc?.close();
    await store?.drain();
    await db?.close();
  });

  it('stores an order once per (account_id, client_order_id) and reads it back with its history', async () => {
    const client = grpc.client(OrderService);
    const request = {
      clientOrderId: 'G-1',
      accountId: 'ACC-9',
      symbol: 'MSFT',
      side: Side.SELL,
      orderType: OrderType.LIMIT,
      quantity: 250n,
      limitPrice: '420.10',
      timeInForce: TimeInForce.GTC,
    };
    const [first, second] = await Promise.all([client.submitOrder(request), client.submitOrder(request)]);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    expect(second.order?.orderId).toBe(first.order?.orderId);

    const answer = await client.getOrder({ orderId: first.order!.orderId });
    expect(answer.order).toMatchObject({
      clientOrderId: 'G-1',
      side: Side.SELL,
      quantity: 250n,
      limitPrice: '420.1',
      status: OrderStatus.PENDING_NEW,
      leavesQuantity: 250n,
    });
    expect(answer.events.map((e) => [e.seq, e.eventType, e.status])).toEqual([[1n, expect.any(String), OrderStatus.PENDING_NEW]]);
    expect(answer.fills).toEqual([]);

    expect((await failure(client.getOrder({ orderId: uuidv7() }))).code).toBe(Code.NotFound);
  });
});
