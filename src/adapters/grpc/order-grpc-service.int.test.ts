import type { MessageInitShape } from '@bufbuild/protobuf';
import { Code } from '@connectrpc/connect';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { createMetrics } from '../observability/prometheus-metrics.js';
import type { OrderSnapshot } from '../../domain/events/messages.js';
import { TOPICS } from '../../domain/events/topics.js';
import type { Order } from '../../domain/order/order.js';
import { toSnapshot } from '../../domain/order/snapshot.js';
import {
  BadRequestSchema,
  ChildOrderStatus,
  OrderService,
  OrderStatus,
  OrderType,
  RoutingStrategy,
  Side,
  TimeInForce,
  SubmitOrderRequestSchema,
} from '../../gen/oms/v1/order_pb.js';

type SubmitOrderInit = MessageInitShape<typeof SubmitOrderRequestSchema>;
import type { DeliveredMessage } from '../../ports/event-bus.js';
import { OrderIngestService } from '../../services/oms-ingest/order-ingest-service.js';
import type { OrderDetails } from '../../ports/order-queries.js';
import { OrderUpdateHub } from '../../services/oms-ingest/order-update-hub.js';
import { devAccess } from '../auth/test-support/access.js';
import { orderGrpcRoutes } from './order-grpc-service.js';
import { failure, startGrpcTestServer, until } from './test-support/grpc.js';

/** The ingest store's contract in memory: one order per (accountId, clientOrderId). */
class MemoryIngestStore {
  readonly orders = new Map<string, Order>();
  failing = false;

  async submit(order: Order): Promise<{ order: Order; created: boolean }> {
    if (this.failing) throw new Error('database unavailable');
    const key = `${order.accountId}/${order.clientOrderId}`;
    const stored = this.orders.get(key);
    if (stored) return { order: stored, created: false };
    this.orders.set(key, order);
    return { order, created: true };
  }
}

const limitOrder = (overrides: SubmitOrderInit = {}): SubmitOrderInit => ({
  clientOrderId: 'TEST-001',
  accountId: 'ACC-12345',
  symbol: 'AAPL',
  side: Side.BUY,
  orderType: OrderType.LIMIT,
  quantity: 100n,
  limitPrice: '150.50',
  timeInForce: TimeInForce.DAY,
  ...overrides,
});

const statusChanged = (order: OrderSnapshot, offset: bigint): DeliveredMessage => ({
  topic: TOPICS.ordersStatus,
  key: order.orderId,
  eventId: uuidv7(),
  payload: { type: 'OrderStatusChanged', order },
  offset,
  partition: 0,
});

describe('OrderService over gRPC', () => {
  let store: MemoryIngestStore;
  let hub: OrderUpdateHub;
  let details: Map<string, OrderDetails>;
  let errors: unknown[];
  let grpc: Awaited<ReturnType<typeof startGrpcTestServer>>;

  beforeEach(async () => {
    store = new MemoryIngestStore();
    hub = new OrderUpdateHub();
    details = new Map();
    errors = [];
    const ingest = new OrderIngestService({
      intake: store,
      clock: { now: () => new Date('2026-01-02T14:30:00.123Z') },
      newId: uuidv7,
      metrics: createMetrics(),
    });
    const queries = { orderDetails: async (orderId: string) => details.get(orderId) ?? null };
    grpc = await startGrpcTestServer(
      orderGrpcRoutes({ ingest, queries, updates: hub, authenticator: devAccess().authenticator, onError: (e) => errors.push(e) }),
    );
  });

  afterEach(async () => {
    await grpc.close();
  });

  it('acknowledges a valid order with its UUIDv7 id, and a retry with the same order', async () => {
    const client = grpc.client(OrderService);
    const first = await client.submitOrder(limitOrder({ strategy: RoutingStrategy.SWEEP }));
    expect(first.created).toBe(true);
    expect(first.order?.orderId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.order).toMatchObject({
      status: OrderStatus.PENDING_NEW,
      quantity: 100n,
      leavesQuantity: 100n,
      limitPrice: '150.5',
      strategy: RoutingStrategy.SWEEP,
    });
    expect(first.order?.avgPrice).toBeUndefined();

    const again = await client.submitOrder(limitOrder({ quantity: 999n }));
    expect(again.created).toBe(false);
    expect(again.order?.orderId).toBe(first.order?.orderId);
    expect(again.order?.quantity).toBe(100n);
    expect(store.orders.size).toBe(1);
  });

  it('rejects bad input with INVALID_ARGUMENT naming every bad field, and stores nothing', async () => {
    const client = grpc.client(OrderService);
    const error = await failure(
      client.submitOrder(limitOrder({ side: Side.UNSPECIFIED, orderType: OrderType.MARKET, quantity: 0n, clientOrderId: '', timeInForce: 99 as TimeInForce })),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    const violations = error.findDetails(BadRequestSchema)[0]?.fieldViolations.map((v) => [v.field, v.description]);
    expect(violations).toEqual([
      ['client_order_id', 'is required'],
      ['side', 'is required'],
      ['time_in_force', 'must be one of DAY, GTC, IOC, FOK'],
      ['quantity', 'must be greater than 0'],
      ['limit_price', 'must be absent for a MARKET order'],
    ]);
    for (const field of ['client_order_id', 'side', 'time_in_force', 'quantity', 'limit_price']) expect(error.rawMessage).toContain(field);
    expect(store.orders.size).toBe(0);
  });

  it('rejects a quantity no JS number holds as too large rather than rounding it', async () => {
    const error = await failure(grpc.client(OrderService).submitOrder(limitOrder({ quantity: 2n ** 64n - 1n })));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage).toContain('quantity must be at most 1000000000');
  });

  it('answers UNAVAILABLE when the order cannot be stored', async () => {
    store.failing = true;
    const error = await failure(grpc.client(OrderService).submitOrder(limitOrder()));
    expect(error.code).toBe(Code.Unavailable);
    expect(errors).toHaveLength(1);
  });

  it('reads an order back with its details, and NOT_FOUND for an unknown or malformed id', async () => {
    const client = grpc.client(OrderService);
    const { order } = await client.submitOrder(limitOrder());
    const stored = [...store.orders.values()][0]!;
    details.set(stored.orderId, {
      ...toSnapshot(stored),
      fills: [{ execId: 'E1', venue: 'XNYS', childOrderId: 'C1', quantity: 40, price: '150.49', occurredAt: '2026-01-02T14:30:01.000Z' }],
      children: [
        {
          childOrderId: 'C1',
          venue: 'XNYS',
          orderType: 'LIMIT',
          timeInForce: 'DAY',
          quantity: 100,
          limitPrice: '150.5',
          routeAttempt: 1,
          strategy: 'SWEEP',
          nbboBid: '150.49',
          nbboAsk: '150.5',
          routedAt: '2026-01-02T14:30:00.200Z',
          status: 'PARTIALLY_FILLED',
          filledQuantity: 40,
          leavesQuantity: 60,
        },
      ],
      events: [
        {
          seq: 1,
          eventType: 'OrderReceived',
          status: 'PENDING_NEW',
          detail: { note: 'hello', n: 1 },
          source: 'oms-ingest',
          occurredAt: '2026-01-02T14:30:00.123Z',
        },
      ],
      executionQuality: null,
    });

    const answer = await client.getOrder({ orderId: order!.orderId });
    expect(answer.order?.clientOrderId).toBe('TEST-001');
    expect(answer.fills[0]).toMatchObject({ execId: 'E1', quantity: 40n, price: '150.49' });
    expect(answer.children[0]).toMatchObject({ status: ChildOrderStatus.PARTIALLY_FILLED, strategy: RoutingStrategy.SWEEP, leavesQuantity: 60n });
    expect(answer.events[0]?.detail).toEqual({ note: 'hello', n: 1 });
    expect(answer.executionQuality).toBeUndefined();

    for (const orderId of [uuidv7(), 'not-a-uuid']) {
      const error = await failure(client.getOrder({ orderId }));
      expect(error.code).toBe(Code.NotFound);
    }
  });

  it('streams status changes of the requested account only, and unsubscribes when the client cancels', async () => {
    const client = grpc.client(OrderService);
    await client.submitOrder(limitOrder());
    const base = toSnapshot([...store.orders.values()][0]!);
    const abort = new AbortController();
    const received: { accountId: string; status: OrderStatus; version: bigint }[] = [];
    const reading = failure(
      (async () => {
        for await (const update of client.streamOrderUpdates({ accountId: 'ACC-12345' }, { signal: abort.signal })) {
          received.push({ accountId: update.order!.accountId, status: update.order!.status, version: update.order!.version });
          if (received.length === 2) abort.abort();
        }
      })(),
    );
    await until(() => hub.size === 1);

    await hub.handle([
      statusChanged({ ...base, status: 'NEW', version: 2 }, 1n),
      statusChanged({ ...base, accountId: 'OTHER', orderId: uuidv7(), status: 'NEW' }, 2n),
      statusChanged({ ...base, status: 'FILLED', filledQuantity: 100, leavesQuantity: 0, avgPrice: '150.5', version: 3 }, 3n),
    ]);
    expect((await reading).code).toBe(Code.Canceled);
    expect(received).toEqual([
      { accountId: 'ACC-12345', status: OrderStatus.NEW, version: 2n },
      { accountId: 'ACC-12345', status: OrderStatus.FILLED, version: 3n },
    ]);
    await until(() => hub.size === 0);
  });

  it('ends open streams with UNAVAILABLE when the server stops', async () => {
    const client = grpc.client(OrderService);
    const reading = failure(
      (async () => {
        for await (const _update of client.streamOrderUpdates({})) void _update;
      })(),
    );
    await until(() => hub.size === 1);
    await grpc.server.stop();
    expect((await reading).code).toBe(Code.Unavailable);
    expect(hub.size).toBe(0);
  });
});
