import { Code } from '@connectrpc/connect';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../domain/access/principal.js';
import { TOPICS } from '../../domain/events/topics.js';
import type { Order } from '../../domain/order/order.js';
import { toSnapshot } from '../../domain/order/snapshot.js';
import { OrderService, OrderType, Side, TimeInForce } from '../../gen/oms/v1/order_pb.js';
import { OrderIngestService } from '../../services/oms-ingest/order-ingest-service.js';
import type { OrderDetails } from '../../ports/order-queries.js';
import { OrderUpdateHub } from '../../services/oms-ingest/order-update-hub.js';
import { BearerAuthenticator } from '../auth/bearer-authenticator.js';
import { DevTokenIssuer } from '../auth/dev-issuer.js';
import { createMetrics } from '../observability/prometheus-metrics.js';
import { orderGrpcRoutes } from './order-grpc-service.js';
import { failure, startGrpcTestServer, until } from './test-support/grpc.js';

// The REST rules over gRPC: tokens in `authorization` metadata, with no implicit caller (oidc mode).
describe('OrderService access control', () => {
  const orders = new Map<string, Order>();
  const hub = new OrderUpdateHub();
  const issuer = new DevTokenIssuer('oms-api');
  let grpc: Awaited<ReturnType<typeof startGrpcTestServer>>;

  const intake = { submit: async (order: Order) => (orders.set(order.orderId, order), { order, created: true }) };
  const queries = {
    orderDetails: async (orderId: string): Promise<OrderDetails | null> => {
      const order = orders.get(orderId);
      return order ? { ...toSnapshot(order), fills: [], children: [], events: [], executionQuality: null } : null;
    },
  };
  const as = async (roles: Role[], accounts: string[]) => ({
    headers: { authorization: `Bearer ${await issuer.issue({ subject: 'u1', roles, accounts, expiresInSeconds: 60 })}` },
  });
  const order = (accountId: string) => ({
    clientOrderId: uuidv7(),
    accountId,
    symbol: 'AAPL',
    side: Side.BUY,
    orderType: OrderType.LIMIT,
    quantity: 10n,
    limitPrice: '150',
    timeInForce: TimeInForce.DAY,
  });

  beforeAll(async () => {
    const ingest = new OrderIngestService({ intake, clock: { now: () => new Date() }, newId: uuidv7, metrics: createMetrics() });
    grpc = await startGrpcTestServer(orderGrpcRoutes({ ingest, queries, updates: hub, authenticator: new BearerAuthenticator(issuer.verifier) }));
  });

  afterAll(async () => {
    await grpc.close();
  });

  it('needs a valid token on every method', async () => {
    const client = grpc.client(OrderService);
    expect((await failure(client.submitOrder(order('ACC-1')))).code).toBe(Code.Unauthenticated);
    expect((await failure(client.getOrder({ orderId: uuidv7() }, { headers: { authorization: 'Bearer not.a.token' } }))).code).toBe(Code.Unauthenticated);
    const forged = await new DevTokenIssuer('oms-api').issue({ subject: 'u1', roles: ['trader'], accounts: ['*'], expiresInSeconds: 60 });
    expect((await failure(client.submitOrder(order('ACC-1'), { headers: { authorization: `Bearer ${forged}` } }))).code).toBe(Code.Unauthenticated);
    expect(orders.size).toBe(0);
  });

  it('lets a trader submit on its accounts only, and a viewer not at all', async () => {
    const client = grpc.client(OrderService);
    expect((await client.submitOrder(order('ACC-1'), await as(['trader'], ['ACC-1']))).created).toBe(true);
    const other = await failure(client.submitOrder(order('ACC-2'), await as(['trader'], ['ACC-1'])));
    expect([other.code, other.rawMessage]).toEqual([Code.PermissionDenied, 'not entitled to trade on account ACC-2 (account_id)']);
    expect((await failure(client.submitOrder(order('ACC-1'), await as(['viewer'], ['ACC-1'])))).code).toBe(Code.PermissionDenied);
  });

  it("answers another account's order exactly as an unknown one", async () => {
    const client = grpc.client(OrderService);
    const { order: placed } = await client.submitOrder(order('ACC-1'), await as(['trader'], ['ACC-1']));
    expect((await client.getOrder({ orderId: placed!.orderId }, await as(['viewer'], ['ACC-1']))).order?.accountId).toBe('ACC-1');
    const hidden = await failure(client.getOrder({ orderId: placed!.orderId }, await as(['trader'], ['ACC-2'])));
    const unknownId = uuidv7();
    const unknown = await failure(client.getOrder({ orderId: unknownId }, await as(['trader'], ['ACC-2'])));
    expect([hidden.code, hidden.rawMessage]).toEqual([Code.NotFound, `no order ${placed!.orderId}`]);
    expect([unknown.code, unknown.rawMessage]).toEqual([Code.NotFound, `no order ${unknownId}`]);
  });

  it("streams only the caller's accounts, and NOT_FOUND for a named account it may not see", async () => {
    const client = grpc.client(OrderService);
    expect(
      (
        await failure(
          (async () => {
            for await (const _ of client.streamOrderUpdates({ accountId: 'ACC-2' }, await as(['viewer'], ['ACC-1']))) void _;
          })(),
        )
      ).code,
    ).toBe(Code.NotFound);

    const abort = new AbortController();
    const seen: string[] = [];
    const reading = failure(
      (async () => {
        for await (const update of client.streamOrderUpdates({}, { ...(await as(['viewer'], ['ACC-1'])), signal: abort.signal })) {
          seen.push(update.order!.accountId);
          if (seen.length === 2) abort.abort();
        }
      })(),
    );
    await until(() => hub.size === 1);
    const base = toSnapshot([...orders.values()][0]!);
    const changed = (accountId: string, offset: bigint) => ({
      topic: TOPICS.ordersStatus,
      key: base.orderId,
      eventId: uuidv7(),
      payload: { type: 'OrderStatusChanged' as const, order: { ...base, accountId } },
      offset,
      partition: 0,
    });
    await hub.handle([changed('ACC-2', 1n), changed('ACC-1', 2n), changed('ACC-3', 3n), changed('ACC-1', 4n)]);
    expect((await reading).code).toBe(Code.Canceled);
    expect(seen).toEqual(['ACC-1', 'ACC-1']);
  });
});
