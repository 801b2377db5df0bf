import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import type { BusPayload, ChildCancelRequested, ChildOrderRouted } from '../domain/events/messages.js';
import { TOPICS } from '../domain/events/topics.js';
import { parsePrice } from '../domain/money/price.js';
import { createOrder } from '../domain/order/lifecycle.js';
import type { Order } from '../domain/order/order.js';
import { toSnapshot } from '../domain/order/snapshot.js';
import { APPROVED } from '../domain/risk/decision.js';
import { createMetrics } from '../adapters/observability/prometheus-metrics.js';
import { systemClock } from '../ports/clock.js';
import type { DeliveredMessage, OutgoingMessage } from '../ports/event-bus.js';
import type { FillRecord, OrderStore, OrderStoreSession } from '../ports/order-store.js';
import { ORDER_ATTRIBUTES as A, ORDER_SPANS, type OrderTracing, type TraceAttributes } from '../ports/order-tracing.js';
import type { VenueExecutionReport, VenueGateway } from '../ports/venue-gateway.js';
import { ChildOrderDirectory } from './execution-adapter/child-order-directory.js';
import { executionEventId, ExecutionReportPublisher } from './execution-adapter/execution-report-publisher.js';
import { RoutedOrderConsumer } from './execution-adapter/routed-order-consumer.js';
import { traceCommittedBatch } from './oms-core/batch-tracing.js';
import { OrderBatch } from './oms-core/order-batch.js';
import { OrderIntakeConsumer } from './oms-core/order-intake-consumer.js';
import { silentLogger, twoVenueMarket } from './order-flow/test-support/order-flow-for-tests.js';
import { RoutingConsumer } from './sor-engine/routing-consumer.js';

/** A step as the services named it: what they gave at start and end, and how it ended. */
interface Step {
  readonly orderId: string;
  readonly name: string;
  attributes: TraceAttributes;
  ended?: 'ok' | 'failed';
}

/** An OrderTracing that records its steps; `enabled: false` to check nothing is asked of it then. */
function recording(enabled = true): OrderTracing & { steps: Step[] } {
  const steps: Step[] = [];
  return {
    enabled,
    steps,
    begin: () => expect.unreachable('distributed services never begin an order'),
    release: () => undefined,
    start(orderId, name, attributes = {}) {
      if (!enabled) expect.unreachable('started with tracing off');
      const step: Step = { orderId, name, attributes };
      steps.push(step);
      return {
        end: (found) => {
          step.ended = 'ok';
          step.attributes = { ...step.attributes, ...found };
        },
        fail: () => void (step.ended = 'failed'),
      };
    },
  };
}

/** A store whose one session answers as a fresh database would: everything claimed is new. */
function storeOf(extra: Partial<OrderStoreSession> = {}): OrderStore {
  const session = {
    claimEvents: async (_consumer: string, ids: readonly string[]) => new Set(ids),
    markChildrenSent: async (ids: readonly string[]) => new Set(ids),
    saveChildren: async () => undefined,
    saveOrders: async () => undefined,
    publish: async () => undefined,
    ...extra,
  };
  return { transaction: (work) => work(session as unknown as OrderStoreSession) };
}

const delivered = (payload: BusPayload, key: string): DeliveredMessage => ({
  topic: TOPICS.ordersRouted,
  key,
  eventId: uuidv7(),
  payload,
  offset: 0n,
  partition: 0,
});
const newOrder = (): Order =>
  createOrder(
    uuidv7(),
    { clientOrderId: 'C-1', accountId: 'ACC-1', symbol: 'AAPL', side: 'BUY', orderType: 'MARKET', quantity: 200, limitPrice: null, timeInForce: 'DAY' },
    new Date(),
  );

describe('the named steps of distributed mode’s services', () => {
  it('sor-engine: sor.route with the quantity asked for and the children placed', async () => {
    const tracing = recording();
    const order = newOrder();
    const consumer = new RoutingConsumer({
      store: storeOf(),
      clock: systemClock,
      marketData: twoVenueMarket(),
      venues: ['XNYS', 'XNAS'],
      newId: uuidv7,
      logger: silentLogger,
      metrics: createMetrics(),
      tracing,
    });
    await consumer.handle([delivered({ type: 'RouteRequested', order: toSnapshot({ ...order, status: 'NEW' }), quantity: 200, attempt: 1 }, order.orderId)]);
    const [route] = tracing.steps;
    expect(route).toMatchObject({ orderId: order.orderId, name: ORDER_SPANS.route, ended: 'ok' });
    expect(route!.attributes).toMatchObject({ [A.orderId]: order.orderId, [A.clientOrderId]: 'C-1', [A.accountId]: 'ACC-1', [A.quantity]: 200 });
    expect(route!.attributes[A.children]).toBeGreaterThan(0);
  });

  it('execution-adapter: each NewOrderSingle and cancel on its session, each ExecutionReport until durable', async () => {
    const tracing = recording();
    const sent: string[] = [];
    const gateway: VenueGateway = {
      venues: ['XNYS'],
      isReady: () => true,
      sendNewOrder: async (c) => void sent.push(c.childOrderId),
      sendCancel: async () => Promise.reject(new Error('session down')),
    };
    const directory = new ChildOrderDirectory(async () => new Map());
    const routed: ChildOrderRouted = {
      type: 'ChildOrderRouted',
      childOrderId: 'K-1',
      parentOrderId: 'P-1',
      accountId: 'ACC-1',
      venue: 'XNYS',
      symbol: 'AAPL',
      side: 'BUY',
      orderType: 'MARKET',
      quantity: 100,
      limitPrice: null,
      timeInForce: 'DAY',
      attempt: 1,
    };
    const cancel: ChildCancelRequested = {
      type: 'ChildCancelRequested',
      childOrderId: 'K-1',
      parentOrderId: 'P-1',
      cancelClOrdId: 'X-1',
      venue: 'XNYS',
      symbol: 'AAPL',
      side: 'BUY',
      quantity: 100,
    };
    const consumer = new RoutedOrderConsumer({ store: storeOf(), gateway, directory, logger: silentLogger, tracing });
    await expect(consumer.handle([delivered(routed, 'P-1'), delivered(cancel, 'P-1')])).rejects.toThrow('session down');
    expect(sent).toEqual(['K-1']);
    const [nos, cancelStep] = tracing.steps;
    expect(nos).toMatchObject({
      orderId: 'P-1',
      name: ORDER_SPANS.newOrderSingle,
      ended: 'ok',
      attributes: { [A.clOrdId]: 'K-1', [A.venue]: 'XNYS', [A.accountId]: 'ACC-1', [A.quantity]: 100 },
    });
    expect(cancelStep).toMatchObject({ orderId: 'P-1', name: ORDER_SPANS.cancelRequest, ended: 'failed', attributes: { [A.clOrdId]: 'X-1' } });

    const published: OutgoingMessage[] = [];
    const publisher = new ExecutionReportPublisher({
      deliver: async (messages) => void published.push(...messages),
      directory,
      logger: silentLogger,
      metrics: createMetrics(),
      tracing,
    });
    const report: VenueExecutionReport = {
      venue: 'XNYS',
      clOrdId: 'K-1',
      execId: 'E-1',
      execType: 'TRADE',
      lastQty: 100,
      lastPx: '10.00',
      cumQty: 100,
      leavesQty: 0,
      text: null,
      transactTime: new Date().toISOString(),
      possibleDuplicate: false,
    };
    await publisher.publish(report);
    // On executions.fills under its parent, with the id every resend of the same execution gets.
    expect(published).toMatchObject([
      {
        topic: TOPICS.executionsFills,
        key: 'P-1',
        eventId: executionEventId('XNYS', 'E-1'),
        payload: { type: 'ExecutionReported', childOrderId: 'K-1', execId: 'E-1', lastQty: 100 },
      },
    ]);
    expect(tracing.steps[2]).toMatchObject({
      orderId: 'P-1',
      name: ORDER_SPANS.executionReport,
      ended: 'ok',
      attributes: { [A.clOrdId]: 'K-1', [A.venue]: 'XNYS', [A.execType]: 'TRADE', [A.execId]: 'E-1', [A.accountId]: 'ACC-1' },
    });
  });

  it('execution-adapter: a batch delivered again after a failed send does not send its NewOrderSingle twice', async () => {
    const sent: string[] = [];
    let cancelFails = true;
    const gateway: VenueGateway = {
      venues: ['XNYS'],
      isReady: () => true,
      sendNewOrder: async (c) => void sent.push(`D ${c.childOrderId}`),
      sendCancel: async (c) => (cancelFails ? Promise.reject(new Error('session down')) : void sent.push(`F ${c.cancelClOrdId}`)),
    };
    const marked: string[][] = [];
    // Each delivery meets the database as the rollback left it: nothing marked.
    const store = storeOf({ markChildrenSent: async (ids: readonly string[]) => (marked.push([...ids]), new Set(ids)) });
    const consumer = new RoutedOrderConsumer({ store, gateway, directory: new ChildOrderDirectory(async () => new Map()), logger: silentLogger });
    const routed: ChildOrderRouted = {
      type: 'ChildOrderRouted',
      childOrderId: 'K-9',
      parentOrderId: 'P-9',
      accountId: 'ACC-1',
      venue: 'XNYS',
      symbol: 'AAPL',
      side: 'BUY',
      orderType: 'LIMIT',
      quantity: 100,
      limitPrice: '10.00',
      timeInForce: 'DAY',
      attempt: 1,
    };
    const cancel: ChildCancelRequested = {
      type: 'ChildCancelRequested',
      childOrderId: 'K-9',
      parentOrderId: 'P-9',
      cancelClOrdId: 'X-9',
      venue: 'XNYS',
      symbol: 'AAPL',
      side: 'BUY',
      quantity: 100,
    };
    const batch = [delivered(routed, 'P-9'), delivered(cancel, 'P-9')];

    await expect(consumer.handle(batch)).rejects.toThrow('session down');
    cancelFails = false;
    await consumer.handle(batch);
    expect(sent).toEqual(['D K-9', 'F X-9']);
    expect(marked).toEqual([['K-9'], ['K-9']]);

    // Once a batch has committed the database alone decides again (this one answers 'not sent' to
    // every call), so nothing stays remembered.
    await consumer.handle([delivered(routed, 'P-9')]);
    expect(sent).toEqual(['D K-9', 'F X-9', 'D K-9']);
  });

  it('execution-adapter: reports that come while a publish is in flight share the next, and a failed publish is not acknowledged to the FIX session', async () => {
    const calls: string[][] = [];
    let kafkaDown = true;
    const deliver = async (messages: readonly OutgoingMessage[]) => {
      calls.push(messages.map((m) => (m.payload.type === 'ExecutionReported' ? m.payload.execId : m.payload.type)));
      await new Promise((resolve) => setImmediate(resolve)); // the broker's round trip
      if (kafkaDown) throw new Error('broker unreachable');
    };
    const directory = new ChildOrderDirectory(async () => new Map());
    directory.remember('K-2', { parentOrderId: 'P-2', accountId: 'ACC-1', symbol: 'AAPL', side: 'BUY' });
    const publisher = new ExecutionReportPublisher({ deliver, directory, logger: silentLogger, metrics: createMetrics() });
    const report = (execId: string, execType: VenueExecutionReport['execType'], lastQty: number): VenueExecutionReport => ({
      venue: 'XNYS',
      clOrdId: 'K-2',
      execId,
      execType,
      lastQty,
      lastPx: lastQty > 0 ? '10.00' : null,
      cumQty: lastQty,
      leavesQty: 100 - lastQty,
      text: null,
      transactTime: new Date().toISOString(),
      possibleDuplicate: false,
    });
    const reports = () => [report('E-1', 'NEW', 0), report('E-2', 'TRADE', 40), report('E-3', 'TRADE', 60)];

    // Not on Kafka: every publish fails, so the session counts none of them received and the venue resends them.
    const failed = await Promise.allSettled(reports().map(publisher.publish));
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    kafkaDown = false;
    calls.length = 0;
    await Promise.all(reports().map(publisher.publish));
    // In arrival order: the first goes at once, the two that came meanwhile in the next publish.
    expect(calls).toEqual([['E-1'], ['E-2', 'E-3']]);
  });

  it('oms-core: each status published once committed (intake), and each fill applied', async () => {
    const tracing = recording();
    const order = newOrder();
    const lockOrders = async () => new Map([[order.orderId, { order, routing: { requested: 0, decided: 0 } }]]);
    const intake = new OrderIntakeConsumer({
      store: storeOf({ lockOrders }),
      risk: { check: async () => APPROVED },
      clock: systemClock,
      newId: uuidv7,
      logger: silentLogger,
      tracing,
    });
    await intake.handle([delivered({ type: 'OrderReceived', order: toSnapshot(order) }, order.orderId)]);
    expect(tracing.steps).toMatchObject([
      {
        orderId: order.orderId,
        name: ORDER_SPANS.statusPublished,
        ended: 'ok',
        attributes: { [A.status]: 'NEW', [A.accountId]: 'ACC-1', [A.clientOrderId]: 'C-1' },
      },
    ]);

    const batch = new OrderBatch(await lockOrders(), { source: 'oms-core', at: new Date(), newId: uuidv7, logger: silentLogger });
    const fill: FillRecord = {
      execId: 'E-1',
      orderId: order.orderId,
      childOrderId: 'K-1',
      venue: 'XNYS',
      quantity: 200,
      price: parsePrice('10.5')!,
      occurredAt: new Date(),
      accountId: 'ACC-1',
      symbol: 'AAPL',
      side: 'BUY',
    };
    traceCommittedBatch(tracing, batch, [fill]);
    expect(tracing.steps[1]).toMatchObject({
      name: ORDER_SPANS.fillApplied,
      attributes: { [A.orderId]: order.orderId, [A.clOrdId]: 'K-1', [A.execId]: 'E-1', [A.price]: '10.5', [A.quantity]: 200 },
    });
  });

  it('ask nothing of the tracing when it is off', async () => {
    const tracing = recording(false);
    const gateway: VenueGateway = { venues: ['XNYS'], isReady: () => true, sendNewOrder: async () => undefined, sendCancel: async () => undefined };
    const directory = new ChildOrderDirectory(async () => new Map());
    const routed: ChildOrderRouted = {
      type: 'ChildOrderRouted',
      childOrderId: 'K-2',
      parentOrderId: 'P-2',
      accountId: 'ACC-1',
      venue: 'XNYS',
      symbol: 'AAPL',
      side: 'BUY',
      orderType: 'MARKET',
      quantity: 100,
      limitPrice: null,
      timeInForce: 'DAY',
      attempt: 1,
    };
    await new RoutedOrderConsumer({ store: storeOf(), gateway, directory, logger: silentLogger, tracing }).handle([delivered(routed, 'P-2')]);
    const order = newOrder();
    const consumer = new RoutingConsumer({
      store: storeOf(),
      clock: systemClock,
      marketData: twoVenueMarket(),
      venues: ['XNYS', 'XNAS'],
      newId: uuidv7,
      logger: silentLogger,
      metrics: createMetrics(),
      tracing,
    });
    await consumer.handle([delivered({ type: 'RouteRequested', order: toSnapshot({ ...order, status: 'NEW' }), quantity: 200, attempt: 1 }, order.orderId)]);
    expect(tracing.steps).toEqual([]);
  });
});
