import type {
  BusPayload,
  ChildCancelRequested,
  ChildOrderRouted,
  ExecutionReported,
  OrderReceived,
  OrderSnapshot,
  RouteRequested,
} from '../../domain/events/messages.js';
import type { ChildOrder } from '../../domain/order/child-order.js';
import type { Order } from '../../domain/order/order.js';
import type { Position } from '../../domain/positions/position.js';
import type { RiskOrder } from '../../domain/risk/exposure.js';
import { toSnapshot } from '../../domain/order/snapshot.js';
import type { Logger } from '../../ports/logger.js';
import type { ServiceMetrics } from '../../ports/metrics.js';
import { orderMetrics } from '../order-metrics.js';
import type { IdGenerator } from '../../ports/clock.js';
import { formatDecimal } from '../../domain/money/price.js';
import { ORDER_ATTRIBUTES as A, ORDER_SPANS, type OrderTracing, type TraceSpan } from '../../ports/order-tracing.js';
import type { RiskDecision } from '../../domain/risk/decision.js';
import { fillKey, type FillRecord, type OrderHistoryEntry } from '../../ports/order-store.js';
import type { RecordedDecision } from '../../ports/risk-store.js';
import type { StateChanges } from '../../ports/working-state.js';
import { applyChildOutcomes, type ChildOutcome } from '../oms-core/child-outcomes.js';
import type { LiveOrders } from '../oms-core/live-orders.js';
import { applyAmendments, type Amendment } from '../oms-core/order-amendments.js';
import { OrderBatch } from '../oms-core/order-batch.js';
import { applyRiskDecisions } from '../oms-core/risk-outcomes.js';
import type { RiskBook } from '../risk-service/risk-book.js';
import type { Router } from '../sor-engine/router.js';

export interface TurnServices {
  readonly live: LiveOrders;
  readonly risk: RiskBook;
  readonly router: Router;
  readonly newId: IdGenerator;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  /** Each order's trace (absent: not traced). */
  readonly tracing?: OrderTracing;
}

/** What a turn sends out of the process once its changes are durable, in this order. */
export interface TurnEffects {
  readonly venueMessages: (ChildOrderRouted | ChildCancelRequested)[];
  readonly statusUpdates: OrderSnapshot[];
  readonly finals: Order[];
}

/**
 * One turn of the in-memory order flow: the services of one process hand each other the same
 * messages the bus carries between processes, as calls, until nothing is left to do. oms-core,
 * risk-service, sor-engine and the execution adapter each apply their own rules to state they own
 * in memory; the turn collects what changed (the journal record) and what must leave the process
 * once that record is durable (FIX messages, stream updates).
 */
export class Turn {
  private queue: BusPayload[] = [];
  private readonly parents: OrderBatch;
  private readonly children = new Map<string, ChildOrder>();
  private readonly history: OrderHistoryEntry[] = [];
  private readonly fills: FillRecord[] = [];
  private readonly positions = new Map<string, Position>();
  private readonly decisions: RecordedDecision[] = [];
  readonly effects: TurnEffects = { venueMessages: [], statusUpdates: [], finals: [] };

  constructor(
    private readonly services: TurnServices,
    readonly at: Date,
  ) {
    const { live, newId, logger } = services;
    this.parents = new OrderBatch(live.orders, { source: 'oms-core', at, newId, logger, onFinal: (order) => this.effects.finals.push(order) });
  }

  /** A new order, stored as received (PENDING_NEW) and handed to oms-core's intake. */
  receive(order: Order): void {
    this.services.live.add(order);
    this.history.push({
      orderId: order.orderId,
      seq: order.version,
      eventType: 'Received',
      status: order.status,
      detail: {},
      source: 'oms-ingest',
      occurredAt: order.createdAt,
    });
    const snapshot = toSnapshot(order);
    this.queue.push({ type: 'OrderReceived', order: snapshot });
    this.effects.statusUpdates.push(snapshot);
  }

  /** Puts a message on the turn's queue (a client's cancel or replace, a venue report, a decision to redo). */
  enqueue(payload: BusPayload): void {
    this.queue.push(payload);
  }

  /** Hands messages from service to service until none is left. */
  run(): void {
    while (this.queue.length > 0) {
      const round = this.queue;
      this.queue = [];
      this.intake(
        round.filter((m): m is OrderReceived => m.type === 'OrderReceived'),
        round.filter(isAmendment),
      );
      this.routeAll(round.filter((m): m is RouteRequested => m.type === 'RouteRequested'));
      this.sendAll(round.filter((m): m is ChildOrderRouted | ChildCancelRequested => m.type === 'ChildOrderRouted' || m.type === 'ChildCancelRequested'));
      this.applyOutcomes(round.filter((m): m is ChildOutcome => m.type === 'ExecutionReported' || m.type === 'RouteDecided'));
      for (const message of this.parents.takeMessages()) this.dispatch(message.payload);
    }
  }

  /** The journal record of this turn; null when it changed nothing. */
  changes(): StateChanges | null {
    const { orders, history } = this.parents.changes();
    const changes: StateChanges = {
      orders,
      history: [...this.history, ...history],
      children: [...this.children.values()],
      fills: this.fills,
      positions: [...this.positions.values()],
      riskDecisions: this.decisions,
    };
    const empty =
      changes.orders.length +
        changes.history.length +
        changes.children.length +
        changes.fills.length +
        changes.positions.length +
        changes.riskDecisions.length ===
      0;
    return empty ? null : changes;
  }

  private dispatch(payload: BusPayload): void {
    if (payload.type !== 'OrderStatusChanged') return void this.queue.push(payload);
    // Status changes leave the process (streams) and keep risk-service's working set in step.
    this.effects.statusUpdates.push(payload.order);
    const order = this.services.live.get(payload.order.orderId);
    if (order) this.services.risk.onOrderChanged(order);
  }

  /** oms-core's intake: pre-trade risk on new orders, then clients' cancels and replaces. */
  private intake(received: readonly OrderReceived[], amendments: readonly Amendment[]): void {
    const { live, risk, logger, metrics } = this.services;
    if (received.length > 0) {
      const orders: RiskOrder[] = received.map((m) => live.get(m.order.orderId)).filter((o): o is Order => o !== undefined);
      const checks = this.services.tracing?.enabled ? orders.map((o) => this.services.tracing?.start(o.orderId, ORDER_SPANS.riskCheck)) : undefined;
      const { decisions, records } = risk.decide(orders, this.at);
      if (checks) endRiskChecks(checks, orders, decisions);
      this.decisions.push(...records);
      for (const decision of decisions.values())
        metrics.riskDecisions.inc(decision.approved ? { result: 'approved', code: '' } : { result: 'rejected', code: decision.code });
      applyRiskDecisions(
        this.parents,
        orders.map((o) => o.orderId),
        decisions,
        logger,
      );
    }
    if (amendments.length > 0) {
      const childrenByParent = new Map(amendments.map((a) => [a.orderId, live.childrenOf(a.orderId)]));
      for (const child of applyAmendments(this.parents, amendments, childrenByParent)) this.putChild(child);
    }
  }

  /** sor-engine: each request becomes child orders; RouteDecided and the children's messages go on. */
  private routeAll(requests: readonly RouteRequested[]): void {
    const { tracing } = this.services;
    for (const request of requests) {
      const span = tracing?.enabled ? tracing.start(request.order.orderId, ORDER_SPANS.route, { [A.quantity]: request.quantity }) : undefined;
      const { children, messages } = this.services.router.route(request, this.at);
      span?.end({ [A.children]: children.length, [A.venue]: children.map((c) => c.venue).join(',') });
      for (const child of children) this.putChild(child);
      for (const message of messages) this.queue.push(message.payload);
    }
  }

  /** The execution adapter: a routed child is SENT once its NewOrderSingle leaves, after the commit. */
  private sendAll(messages: readonly (ChildOrderRouted | ChildCancelRequested)[]): void {
    for (const message of messages) {
      if (message.type === 'ChildOrderRouted') {
        const child = this.services.live.children.get(message.childOrderId);
        if (!child || child.status !== 'ROUTED') continue;
        this.putChild({ ...child, status: 'SENT', updatedAt: this.at });
      }
      this.effects.venueMessages.push(message);
    }
  }

  /** oms-core applies what happened to children (each fill once); risk-service moves positions. */
  private applyOutcomes(outcomes: readonly ChildOutcome[]): void {
    if (outcomes.length === 0) return;
    const { live, risk, router, logger, metrics } = this.services;
    for (const outcome of outcomes) if (outcome.type === 'ExecutionReported') router.venueAnswered(outcome.childOrderId);
    // Reports reach the turn only for children in memory (see OrderFlow.report).
    const newFills: FillRecord[] = [];
    const isNewFill = (fill: FillRecord) => {
      const fresh = live.firstFill(fill.orderId, fillKey(fill.venue, fill.execId));
      if (fresh) newFills.push(fill);
      return fresh;
    };
    const children = {
      get: (id: string) => live.children.get(id),
      put: (child: ChildOrder) => live.putChild(child),
      childrenOf: (id: string) => live.childrenOf(id),
    };
    const onRefusedFill = (fill: FillRecord) => orderMetrics(metrics).refusedFill(fill);
    const changed = applyChildOutcomes(this.parents, children, outcomes, isNewFill, { at: this.at, newId: this.services.newId, logger, onRefusedFill });
    for (const child of changed.values()) this.putChild(child);
    for (const fill of newFills) {
      this.fills.push(fill);
      const position = risk.onFill(fill);
      this.positions.set(`${position.accountId}|${position.symbol}`, position);
      orderMetrics(metrics).fill(fill);
      if (this.services.tracing?.enabled) {
        const attributes = {
          [A.venue]: fill.venue,
          [A.clOrdId]: fill.childOrderId,
          [A.execId]: fill.execId,
          [A.quantity]: fill.quantity,
          [A.price]: formatDecimal(fill.price),
        };
        this.services.tracing.start(fill.orderId, ORDER_SPANS.fillApplied, attributes)?.end();
      }
    }
  }

  private putChild(child: ChildOrder): void {
    this.services.live.putChild(child);
    this.children.set(child.childOrderId, child);
  }
}

/** Each order's risk check span ends with its decision (the decision is taken for the batch). */
function endRiskChecks(checks: readonly (TraceSpan | undefined)[], orders: readonly RiskOrder[], decisions: ReadonlyMap<string, RiskDecision>): void {
  orders.forEach((order, i) => {
    const decision = decisions.get(order.orderId);
    checks[i]?.end(decision && !decision.approved ? { [A.approved]: false, [A.rejectCode]: decision.code } : { [A.approved]: decision?.approved ?? false });
  });
}

const isAmendment = (m: BusPayload): m is Amendment => m.type === 'OrderCancelRequested' || m.type === 'OrderReplaceRequested';

/** A venue report for a child we know, as oms-core reads it. */
export function reportedExecution(
  child: ChildOrder,
  order: Order,
  report: Omit<ExecutionReported, 'type' | 'accountId' | 'symbol' | 'side' | 'childOrderId' | 'parentOrderId'>,
): ExecutionReported {
  // Field by field: a spread that adds properties costs V8 microseconds per object (see createOrder).
  const { venue, execId, execType, lastQty, lastPx, childCumQty, childLeavesQty, text, transactTime } = report;
  return {
    type: 'ExecutionReported',
    accountId: order.accountId,
    symbol: child.symbol,
    side: child.side,
    childOrderId: child.childOrderId,
    parentOrderId: child.parentOrderId,
    venue,
    execId,
    execType,
    lastQty,
    lastPx,
    childCumQty,
    childLeavesQty,
    text,
    transactTime,
  };
}
