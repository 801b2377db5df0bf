import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderService, OrderStatus, OrderType, Side, TimeInForce } from '../../src/gen/oms/v1/order_pb.js';
import { RiskService } from '../../src/gen/oms/v1/risk_pb.js';
import { TcpProxy } from '../../src/adapters/redis/test-support/tcp-proxy.js';
import { TEST_POSTGRES } from '../../src/adapters/sql/test-support/postgres.js';
import { Cluster, createTestDatabase, deleteRedisKeys, startKafkaMockBroker, waitUntil } from './cluster.js';

/**
 * Distributed mode for real: the seven services as separate processes on the machine's
 * PostgreSQL and Redis and a Kafka wire-protocol broker (librdkafka's mock cluster, started here).
 * oms-ingest reaches PostgreSQL through a TCP proxy, so the test can take the database away from it.
 */

const FINAL = ['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED'];
const ACCOUNTS = ['ACC-D1', 'ACC-D2', 'ACC-D3'];
const SYMBOLS = ['AAPL', 'MSFT'];

let broker: Awaited<ReturnType<typeof startKafkaMockBroker>>;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let cluster: Cluster;
let ingestDatabaseLink: TcpProxy;
const redisKeyPrefix = `oms-e2e-${Date.now().toString(36)}:`;

interface OrderJson {
  orderId: string;
  status: string;
  filledQuantity: number;
}

async function submit(body: Record<string, unknown>): Promise<{ status: number; order?: OrderJson }> {
  try {
    const response = await fetch(`${cluster.url('oms-ingest')}/api/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as OrderJson;
    return response.status === 200 || response.status === 201 ? { status: response.status, order: json } : { status: response.status };
  } catch {
    return { status: 0 };
  }
}

const until = (check: () => Promise<boolean>, ms: number, what: string): Promise<void> => waitUntil(check, ms, () => `timed out waiting for ${what}`);

/** Orders not yet final: a marketable order's flow has not finished. */
async function unsettled(orderIds: readonly string[]): Promise<{ order_id: string; status: string }[]> {
  return database.query('SELECT order_id::text, status FROM orders WHERE order_id = ANY($1::uuid[]) AND status <> ALL($2::text[])', [orderIds, FINAL]);
}

/** Submits a marketable order every `everyMs` until stopped; keeps every acknowledged orderId. */
function steadyLoad(tag: string, everyMs: number) {
  const acked: string[] = [];
  const refused: number[] = [];
  let running = true;
  let n = 0;
  const done = (async () => {
    while (running) {
      n++;
      const result = await submit({
        clientOrderId: `${tag}-${n}`,
        accountId: ACCOUNTS[n % ACCOUNTS.length],
        symbol: SYMBOLS[n % SYMBOLS.length],
        side: n % 2 === 0 ? 'BUY' : 'SELL',
        orderType: 'MARKET',
        quantity: 100 * (1 + (n % 4)),
        timeInForce: 'DAY',
      });
      if (result.order) acked.push(result.order.orderId);
      else refused.push(result.status);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    acked,
    refused,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

/** What a user checks after faults: fills, orders and positions agree, each fill counted once. */
async function expectBooksBalance(orderIds: readonly string[]): Promise<void> {
  const stored = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM orders WHERE order_id = ANY($1::uuid[])', [orderIds]);
  expect(stored[0]!.n).toBe(orderIds.length);
  const parentMismatch = await database.query(
    `SELECT o.order_id, o.filled_quantity, COALESCE(sum(f.quantity), 0)::bigint AS filled
       FROM orders o LEFT JOIN fills f ON f.order_id = o.order_id
      GROUP BY o.order_id HAVING o.filled_quantity <> COALESCE(sum(f.quantity), 0)
         OR (o.status = 'FILLED' AND o.filled_quantity <> o.quantity) OR o.filled_quantity > o.quantity`,
  );
  expect(parentMismatch).toEqual([]);
  const childMismatch = await database.query(
    `SELECT c.child_order_id FROM child_orders c LEFT JOIN fills f ON f.child_order_id = c.child_order_id
      GROUP BY c.child_order_id HAVING c.filled_quantity <> COALESCE(sum(f.quantity), 0) OR c.filled_quantity > c.quantity`,
  );
  expect(childMismatch).toEqual([]);
  const childrenVsParent = await database.query(
    `SELECT o.order_id FROM orders o JOIN child_orders c ON c.parent_order_id = o.order_id
      GROUP BY o.order_id, o.filled_quantity HAVING sum(c.filled_quantity) <> o.filled_quantity`,
  );
  expect(childrenVsParent).toEqual([]);
  // risk-service applies fills to positions from executions.fills in a consumer of its own, so it
  // may still be catching up when the orders are settled: a fill lost or counted twice never agrees.
  const positionMismatch = () =>
    database.query(
      `WITH signed AS (
         SELECT account_id, symbol, sum(CASE WHEN side = 'BUY' THEN quantity ELSE -quantity END)::bigint AS net FROM fills GROUP BY account_id, symbol)
       SELECT s.account_id, s.symbol, s.net, p.quantity FROM signed s LEFT JOIN positions p USING (account_id, symbol)
        WHERE p.quantity IS DISTINCT FROM s.net`,
    );
  await until(async () => (await positionMismatch()).length === 0, 30_000, 'positions to agree with the fills').catch(() => undefined);
  expect(await positionMismatch()).toEqual([]);
}

beforeAll(async () => {
  broker = await startKafkaMockBroker();
  database = await createTestDatabase();
  ingestDatabaseLink = new TcpProxy({ host: TEST_POSTGRES.host, port: TEST_POSTGRES.port });
  await ingestDatabaseLink.start();
  cluster = await Cluster.create({ kafkaBootstrap: broker.bootstrap, database: database.name, redisKeyPrefix });
  for (const service of ['marketdata-simulator', 'broker-simulator', 'risk-service', 'oms-core', 'sor-engine', 'execution-adapter'] as const)
    await cluster.start(service);
  await cluster.start('oms-ingest', { POSTGRES_PORT: String(ingestDatabaseLink.port) });
}, 240_000);

afterAll(async () => {
  await cluster?.stopAll();
  await ingestDatabaseLink?.stop();
  await database?.drop();
  await broker?.stop();
  await deleteRedisKeys(redisKeyPrefix);
}, 120_000);

describe('distributed mode: seven processes on PostgreSQL, Kafka and Redis', () => {
  it('fills orders submitted over REST and over gRPC', async () => {
    const rest = await submit({
      clientOrderId: 'REST-1',
      accountId: 'ACC-D1',
      symbol: 'AAPL',
      side: 'BUY',
      orderType: 'LIMIT',
      quantity: 300,
      limitPrice: 160,
      timeInForce: 'DAY',
    });
    expect(rest.status).toBe(201);
    const again = await submit({
      clientOrderId: 'REST-1',
      accountId: 'ACC-D1',
      symbol: 'AAPL',
      side: 'BUY',
      orderType: 'LIMIT',
      quantity: 300,
      limitPrice: 160,
      timeInForce: 'DAY',
    });
    expect(again).toMatchObject({ status: 200, order: { orderId: rest.order!.orderId } });

    const sessions = new Http2SessionManager(cluster.grpcUrl('oms-ingest'));
    const grpc = createClient(OrderService, createGrpcTransport({ baseUrl: cluster.grpcUrl('oms-ingest'), sessionManager: sessions }));
    try {
      const submitted = await grpc.submitOrder({
        clientOrderId: 'GRPC-1',
        accountId: 'ACC-D2',
        symbol: 'MSFT',
        side: Side.SELL,
        orderType: OrderType.MARKET,
        quantity: 200n,
        timeInForce: TimeInForce.DAY,
      });
      expect(submitted.created).toBe(true);
      const grpcOrderId = submitted.order!.orderId;
      await until(async () => (await unsettled([rest.order!.orderId, grpcOrderId])).length === 0, 60_000, 'both orders to finish');
      const viaGrpc = await grpc.getOrder({ orderId: grpcOrderId });
      expect(viaGrpc.order?.status).toBe(OrderStatus.FILLED);
      expect(viaGrpc.order?.filledQuantity).toBe(200n);
      const viaRest = (await (await fetch(`${cluster.url('oms-ingest')}/api/v1/orders/${rest.order!.orderId}`)).json()) as OrderJson & {
        fills: { quantity: number }[];
      };
      expect(viaRest.status).toBe('FILLED');
      expect(viaRest.fills.reduce((sum, f) => sum + f.quantity, 0)).toBe(300);
      // The status endpoint answers from the Redis cache that follows orders.status: it catches up
      // once the FILLED event has gone through the outbox and Kafka, a moment after the database.
      const cachedStatus = async () => ((await (await fetch(`${cluster.url('oms-ingest')}/api/v1/orders/${grpcOrderId}/status`)).json()) as OrderJson).status;
      await until(async () => (await cachedStatus()) === 'FILLED', 10_000, 'the status cache to say FILLED');
    } finally {
      sessions.abort();
    }
    await expectBooksBalance([rest.order!.orderId]);
  }, 120_000);

  it("refuses a risk check without oms-core's service token (UNAUTHENTICATED), while oms-core's own are decided", async () => {
    const sessions = new Http2SessionManager(cluster.grpcUrl('risk-service'));
    const risk = createClient(RiskService, createGrpcTransport({ baseUrl: cluster.grpcUrl('risk-service'), sessionManager: sessions }));
    try {
      const refused = await risk.checkOrders({ orders: [] }).then(
        () => undefined,
        (e: unknown) => ConnectError.from(e),
      );
      expect(refused?.code).toBe(Code.Unauthenticated);
    } finally {
      sessions.abort();
    }
    // The first test's orders were filled, so oms-core's checks passed: here one more, after the refusal.
    const after = await submit({
      clientOrderId: 'AUTH-1',
      accountId: 'ACC-D3',
      symbol: 'AAPL',
      side: 'BUY',
      orderType: 'MARKET',
      quantity: 100,
      timeInForce: 'DAY',
    });
    expect(after.status).toBe(201);
    await until(async () => (await unsettled([after.order!.orderId])).length === 0, 60_000, 'the order to finish');
    const [stored] = await database.query<{ status: string }>('SELECT status FROM orders WHERE order_id = $1', [after.order!.orderId]);
    expect(stored?.status).toBe('FILLED');
  }, 120_000);

  it('loses no acknowledged order and applies no fill twice when oms-core, sor-engine and the execution-adapter are killed under load', async () => {
    const load = steadyLoad('KILL', 100);
    for (const victim of ['oms-core', 'sor-engine', 'execution-adapter'] as const) {
      await new Promise((r) => setTimeout(r, 3_000));
      await cluster.kill(victim);
      await new Promise((r) => setTimeout(r, 1_000));
      await cluster.start(victim);
    }
    await new Promise((r) => setTimeout(r, 3_000));
    await load.stop();
    expect(load.acked.length).toBeGreaterThan(50);
    expect(load.refused).toEqual([]);
    await until(async () => (await unsettled(load.acked)).length === 0, 150_000, 'every acknowledged order to finish');
    await expectBooksBalance(load.acked);
  }, 400_000);

  it('answers 503 while its database is unreachable, acknowledges nothing it did not store, and recovers', async () => {
    await ingestDatabaseLink.stop();
    const during = await submit({
      clientOrderId: 'PG-DOWN-1',
      accountId: 'ACC-D3',
      symbol: 'AAPL',
      side: 'BUY',
      orderType: 'MARKET',
      quantity: 100,
      timeInForce: 'DAY',
    });
    expect(during.status).toBe(503);
    const health = await fetch(`${cluster.url('oms-ingest')}/actuator/health`);
    expect(health.status).toBe(503);
    await ingestDatabaseLink.start();
    let after: Awaited<ReturnType<typeof submit>> = { status: 0 };
    await until(
      async () =>
        (after = await submit({
          clientOrderId: 'PG-DOWN-1',
          accountId: 'ACC-D3',
          symbol: 'AAPL',
          side: 'BUY',
          orderType: 'MARKET',
          quantity: 100,
          timeInForce: 'DAY',
        })).status === 201,
      30_000,
      'ingest to store again',
    );
    await until(async () => (await unsettled([after.order!.orderId])).length === 0, 60_000, 'the order to finish');
    const stored = await database.query<{ n: number }>("SELECT count(*)::int AS n FROM orders WHERE client_order_id = 'PG-DOWN-1'");
    expect(stored[0]!.n).toBe(1);
  }, 120_000);

  it('keeps acknowledging while Kafka is unreachable, and the outbox drains when it returns', async () => {
    broker.process.kill('SIGSTOP');
    const acked: string[] = [];
    try {
      for (let i = 0; i < 10; i++) {
        const result = await submit({
          clientOrderId: `KAFKA-DOWN-${i}`,
          accountId: 'ACC-D1',
          symbol: 'MSFT',
          side: 'BUY',
          orderType: 'MARKET',
          quantity: 100,
          timeInForce: 'DAY',
        });
        expect(result.status).toBe(201);
        acked.push(result.order!.orderId);
      }
      await new Promise((r) => setTimeout(r, 2_000));
      const waiting = await database.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL AND topic = 'orders.inbound'");
      expect(waiting[0]!.n).toBeGreaterThanOrEqual(10);
    } finally {
      broker.process.kill('SIGCONT');
    }
    await until(async () => (await unsettled(acked)).length === 0, 150_000, 'the queued orders to finish');
    // The transaction that settles an order also writes its orders.status event, which the relay
    // publishes just after: the outbox drains shortly after the last order settles, not before.
    const outboxLeft = async () => (await database.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'))[0]!.n;
    await until(async () => (await outboxLeft()) === 0, 30_000, 'the outbox to drain');
    await expectBooksBalance(acked);
  }, 240_000);
});
