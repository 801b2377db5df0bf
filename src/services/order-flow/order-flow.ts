import type { ChildCancelRequested, ChildOrderRouted, OrderSnapshot } from '../../domain/events/messages.js';
import type { KillSwitchScope } from '../../domain/risk/kill-switch.js';
import type { ChildOrder } from '../../domain/order/child-order.js';
import type { Order } from '../../domain/order/order.js';
import { toSnapshot } from '../../domain/order/snapshot.js';
import type { Clock } from '../../ports/clock.js';
import type { HealthIndicator } from '../../ports/health.js';
import type { Journal, JournalFailure } from '../../ports/journal.js';
import { IntakeRefusedError, type OrderIntake, type StoredOrder } from '../../ports/order-intake.js';
import { ORDER_ATTRIBUTES as A, ORDER_SPANS, type TraceSpan } from '../../ports/order-tracing.js';
import type { VenueExecutionReport, VenueGateway } from '../../ports/venue-gateway.js';
import type { WorkingOrderCanceller } from '../../ports/working-order-canceller.js';
import type { StateChanges } from '../../ports/working-state.js';
import type { Amendment } from '../oms-core/order-amendments.js';
import { endsWith, orderIdAttributes } from '../order-trace-steps.js';
import { reportedExecution, Turn, type TurnServices } from './turn.js';
import { unattributedExecution } from '../unattributed-execution.js';

export interface OrderFlowDeps extends TurnServices {
  readonly journal: Journal;
  readonly encode: (changes: StateChanges) => Uint8Array;
  readonly venues: Pick<VenueGateway, 'sendNewOrder' | 'sendCancel'>;
  readonly clock: Clock;
  /** An order no longer in memory, from the query model (a repeated submission of an old order). */
  readonly storedOrder: (orderId: string) => Promise<Order | null>;
  /** Keys of orders stored before this start are not all in memory: the order holding one, if any (undefined: none, no lookup needed). */
  readonly storedOrderIdFor?: (accountId: string, clientOrderId: string) => Promise<string | undefined> | undefined;
  /** After each durable turn, in order: the query model's write-behind, streams, metrics. */
  readonly onCommitted: (seq: number, changes: StateChanges) => void;
  readonly onStatus: (order: OrderSnapshot) => void;
  readonly onFinal: (order: Order) => void;
  /**
   * The records the query model has not written yet, and the most it may lag: past that, new
   * orders are refused (QueryModelBehindError) until it catches up, since until it does every
   * record waits in memory and no final order leaves it. Cancels and venue reports are still
   * taken. Absent: no bound.
   */
  readonly backlog?: { readonly records: () => number; readonly max: number };
}

/** Each caller waiting on a turn hears when it is durable (or that it is not). */
interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

type Input = { readonly apply: (turn: Turn) => void; readonly waiter: Waiter };

export class OrderFlowHaltedError extends Error {
  constructor(cause: unknown) {
    super(`the order flow stopped after its journal failed: ${messageOf(cause)}`, { cause });
    this.name = 'OrderFlowHaltedError';
  }
}

/** An input refused, not applied, because the journal cannot write now (a full disk): the caller may retry it. */
export class JournalStalledError extends IntakeRefusedError {
  constructor(failure: JournalFailure) {
    super(`the journal cannot write since ${failure.since.toISOString()} (${messageOf(failure.error)}); nothing new is taken until it can`, {
      cause: failure.error,
    });
    this.name = 'JournalStalledError';
  }
}

/** A new order refused, not applied, because the query model lags too far behind the journal: the client retries later. */
export class QueryModelBehindError extends IntakeRefusedError {
  constructor(records: number, max: number) {
    super(`the query model is ${records} journal records behind (at most ${max}); new orders are refused until it catches up`);
    this.name = 'QueryModelBehindError';
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The embedded runtime's order flow: one writer over the services' in-memory state. Inputs
 * (new orders, cancels and replaces, venue reports, kill-switch and session-close sweeps) that
 * arrive within one pass of the event loop form a turn; the turn runs every service in memory,
 * its changes go to the journal as one record (group-committed and fsynced with other turns),
 * and only then does anything it caused leave the process: the ACKs, the FIX messages, the
 * stream updates. The next turn may run while one is being written: effects still leave in turn
 * order, each after its own record is durable. While the journal cannot write (a full disk), the
 * turns already run wait for it to retry their records, and new inputs are refused without being
 * applied (JournalStalledError: the client retries, a venue resends), so memory never gets further
 * ahead of disk; once a write succeeds, inputs are taken again. Only a journal closed under the
 * turns, or a turn that throws, halts the flow for good (memory may be half-changed).
 */
export class OrderFlow implements OrderIntake, WorkingOrderCanceller {
  private inputs: Input[] = [];
  private scheduled = false;
  /** Resolves when every turn so far is durable and its effects have left. */
  private lastCommit: Promise<void> = Promise.resolve();
  private halted: OrderFlowHaltedError | undefined;
  /** Whether inputs are being refused because the journal cannot write (logged once per episode). */
  private refusing = false;
  /** Whether new orders are being refused for the query model's lag (logged once per episode). */
  private refusingForBacklog = false;

  constructor(private readonly deps: OrderFlowDeps) {}

  /** Why the flow takes no input now: it halted, or its journal cannot write; undefined when it takes them. */
  get failure(): Error | undefined {
    const stalled = this.deps.journal.failure;
    return this.halted ?? (stalled && new JournalStalledError(stalled));
  }

  submit(order: Order): Promise<StoredOrder> {
    const behind = this.queryModelBehind();
    if (behind) return Promise.reject(behind);
    if (this.deps.live.orderIdFor(order.accountId, order.clientOrderId) === undefined) {
      const stored = this.deps.storedOrderIdFor?.(order.accountId, order.clientOrderId);
      if (stored) return stored.then((orderId) => (orderId === undefined ? this.take(order) : this.duplicateOf(orderId)));
    }
    return this.take(order);
  }

  /** The key is checked again in the turn: the same key may have come in meanwhile. */
  private take(order: Order): Promise<StoredOrder> {
    const { live, tracing } = this.deps;
    // Here, in the caller's context (its request's span): the turn runs later, for many callers.
    if (tracing?.enabled) tracing.begin(order.orderId, orderIdAttributes(order));
    return new Promise<StoredOrder>((resolve, reject) => {
      let result: StoredOrder | Promise<StoredOrder> | undefined;
      this.push(
        (turn) => {
          const existingId = live.orderIdFor(order.accountId, order.clientOrderId);
          if (existingId === undefined) {
            turn.receive(order);
            result = { order, created: true };
            return;
          }
          tracing?.release(order.orderId);
          result = this.duplicateOf(existingId);
        },
        { resolve: () => resolve(result!), reject: (error) => (tracing?.release(order.orderId), reject(error)) },
      );
    });
  }

  private duplicateOf(orderId: string): StoredOrder | Promise<StoredOrder> {
    const existing = this.deps.live.get(orderId);
    return existing ? { order: existing, created: false } : this.storedDuplicate(orderId);
  }

  /** A client's cancel or replace; resolves once durable (its outcome shows in the order's stream). */
  amend(request: Amendment): Promise<void> {
    return this.waitFor((turn) => turn.enqueue(request));
  }

  /** A venue's ExecutionReport; resolves once applied and durable (then the FIX session counts it received). */
  readonly report = (report: VenueExecutionReport): Promise<void> => {
    const applied = this.waitFor((turn) => {
      const child = this.deps.live.children.get(report.clOrdId);
      const parent = child && this.deps.live.get(child.parentOrderId);
      if (!child || !parent) return unattributedExecution(report, this.deps.logger, this.deps.metrics);
      const { venue, execId, execType, lastQty, lastPx, text, transactTime } = report;
      turn.enqueue(
        reportedExecution(child, parent, {
          venue,
          execId,
          execType,
          lastQty,
          lastPx,
          childCumQty: report.cumQty,
          childLeavesQty: report.leavesQty,
          text,
          transactTime,
        }),
      );
    });
    return this.deps.tracing?.enabled ? this.traceReport(report, applied) : applied;
  };

  /** An ExecutionReport's span lasts until the report is applied and durable. */
  private traceReport(report: VenueExecutionReport, applied: Promise<void>): Promise<void> {
    const child = this.deps.live.children.get(report.clOrdId);
    const attributes = {
      [A.venue]: report.venue,
      [A.clOrdId]: report.clOrdId,
      [A.execId]: report.execId,
      [A.execType]: report.execType,
      [A.quantity]: report.lastQty,
    };
    return endsWith(child && this.deps.tracing?.start(child.parentOrderId, ORDER_SPANS.executionReport, attributes), applied);
  }

  /** The kill switch's cancel-all: every working order in scope goes through the normal cancel. */
  cancelAll(scope: KillSwitchScope): Promise<number> {
    return this.sweep((order) => scope.scope === 'GLOBAL' || order.accountId === scope.accountId, { requestedBy: 'kill-switch', source: 'risk-service' });
  }

  /** The session close: every working DAY order is taken out of the market and ends EXPIRED. */
  expireDayOrders(): Promise<number> {
    return this.sweep((order) => order.timeInForce === 'DAY', { requestedBy: 'session-close', source: 'oms-core', expire: true });
  }

  /** Orders received before a restart that pre-trade risk never decided: decided now. */
  redecide(orders: readonly Order[]): Promise<void> {
    return this.waitFor((turn) => {
      for (const order of orders) turn.enqueue({ type: 'OrderReceived', order: toSnapshot(order) });
    });
  }

  /**
   * The children believed live at `venue` (to ask it about after a logon), handed over once every
   * turn that made them has sent its messages: a status request sent then follows each child's
   * NewOrderSingle on the session, so "unknown order" means the venue lost it, not that it has not
   * seen it yet (a child re-placed for that would fill twice). Children of later turns are not
   * listed: their NewOrderSingles follow the logon anyway.
   */
  liveChildrenAt(venue: string): Promise<ChildOrder[]> {
    const children = this.deps.live.liveChildrenAt(venue);
    return this.lastCommit.then(
      () => children,
      () => children,
    );
  }

  /** Resolves once every turn begun so far is durable and its effects have left. */
  async idle(): Promise<void> {
    while (this.scheduled || this.inputs.length > 0) await new Promise((resolve) => setImmediate(resolve));
    await this.lastCommit.catch(() => undefined);
  }

  private sweep(inScope: (order: Order) => boolean, request: { requestedBy: string; source: string; expire?: boolean }): Promise<number> {
    let count = 0;
    return this.waitFor((turn) => {
      // PENDING_CANCEL orders are on their way out already.
      const orders = this.deps.live.working((order) => order.status !== 'PENDING_CANCEL' && inScope(order));
      for (const order of orders) turn.enqueue({ type: 'OrderCancelRequested', orderId: order.orderId, ...request });
      count = orders.length;
    }).then(() => count);
  }

  private async storedDuplicate(orderId: string): Promise<StoredOrder> {
    const order = await this.deps.storedOrder(orderId);
    if (!order) throw new Error(`order ${orderId} holds the client key but is neither in memory nor stored`);
    return { order, created: false };
  }

  private waitFor(apply: (turn: Turn) => void): Promise<void> {
    return new Promise((resolve, reject) => this.push(apply, { resolve, reject }));
  }

  private push(apply: (turn: Turn) => void, waiter: Waiter): void {
    if (this.halted) return waiter.reject(this.halted);
    const stalled = this.deps.journal.failure;
    if (stalled) return waiter.reject(this.refuse(stalled));
    if (this.refusing) {
      this.refusing = false;
      this.deps.logger.warn('the journal writes again: inputs are taken again');
    }
    this.inputs.push({ apply, waiter });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.runTurn());
    }
  }

  private runTurn(): void {
    this.scheduled = false;
    const inputs = this.inputs;
    this.inputs = [];
    const turn = new Turn(this.deps, this.deps.clock.now());
    let changes: StateChanges | null;
    try {
      for (const input of inputs) input.apply(turn);
      turn.run();
      changes = turn.changes();
    } catch (error) {
      // Memory may be half-changed: nothing of this turn leaves, and the flow stops.
      return this.halt(error, inputs);
    }
    const durable = changes ? this.deps.journal.append([this.deps.encode(changes)]) : this.lastCommit.then(() => 0);
    const previous = this.lastCommit;
    this.lastCommit = Promise.all([previous, durable]).then(
      ([, seq]) => this.release(turn, changes, seq, inputs),
      (error: unknown) => this.halt(error, inputs),
    );
  }

  private release(turn: Turn, changes: StateChanges | null, seq: number, inputs: readonly Input[]): void {
    const { deps } = this;
    if (this.halted) return void inputs.forEach((input) => input.waiter.reject(this.halted));
    if (changes) {
      deps.live.finishedAt(
        turn.effects.finals.map((o) => o.orderId),
        seq,
        turn.at.getTime(),
      );
      deps.onCommitted(seq, changes);
    }
    for (const message of turn.effects.venueMessages) this.sendToVenue(message);
    for (const input of inputs) input.waiter.resolve();
    if (deps.tracing?.enabled) this.publishTraced(turn);
    else for (const status of turn.effects.statusUpdates) deps.onStatus(status);
    for (const order of turn.effects.finals) {
      deps.onFinal(order);
      deps.tracing?.release(order.orderId);
    }
  }

  private publishTraced(turn: Turn): void {
    const { tracing, onStatus } = this.deps;
    for (const status of turn.effects.statusUpdates) {
      const span = tracing?.start(status.orderId, ORDER_SPANS.statusPublished, { [A.status]: status.status });
      onStatus(status);
      span?.end();
    }
  }

  private sendToVenue(message: ChildOrderRouted | ChildCancelRequested): void {
    const span = this.deps.tracing?.enabled ? this.sendSpan(message) : undefined;
    // The span ends once the message is in its session's store (it will reach the venue).
    const sent = endsWith(span, message.type === 'ChildOrderRouted' ? this.deps.venues.sendNewOrder(message) : this.deps.venues.sendCancel(message));
    // A send that fails leaves the child SENT: the reconciliation after the venue's next logon finds it.
    sent.catch((error: unknown) =>
      this.deps.logger.error({ venue: message.venue, childOrderId: message.childOrderId, err: error }, 'message to venue not sent'),
    );
  }

  private sendSpan(message: ChildOrderRouted | ChildCancelRequested): TraceSpan | undefined {
    const name = message.type === 'ChildOrderRouted' ? ORDER_SPANS.newOrderSingle : ORDER_SPANS.cancelRequest;
    const clOrdId = message.type === 'ChildOrderRouted' ? message.childOrderId : message.cancelClOrdId;
    return this.deps.tracing?.start(message.parentOrderId, name, { [A.venue]: message.venue, [A.clOrdId]: clOrdId, [A.quantity]: message.quantity });
  }

  /** Why new orders are refused now for the query model's lag (logged once per episode); undefined: taken. */
  private queryModelBehind(): QueryModelBehindError | undefined {
    const { backlog, logger } = this.deps;
    const records = backlog?.records() ?? 0;
    const behind = backlog !== undefined && records > backlog.max;
    if (behind !== this.refusingForBacklog) {
      this.refusingForBacklog = behind;
      if (behind) logger.error({ records, max: backlog.max }, 'the query model lags too far behind the journal: new orders are refused until it catches up');
      else logger.warn({ records }, 'the query model caught up: new orders are taken again');
    }
    return behind ? new QueryModelBehindError(records, backlog.max) : undefined;
  }

  private refuse(stalled: JournalFailure): JournalStalledError {
    const error = new JournalStalledError(stalled);
    if (!this.refusing) {
      this.refusing = true;
      this.deps.logger.error(
        { err: stalled.error, since: stalled.since },
        'the journal cannot write: inputs are refused until it can (turns already run wait for it)',
      );
    }
    return error;
  }

  private halt(error: unknown, inputs: readonly Input[]): void {
    this.halted ??= new OrderFlowHaltedError(error);
    this.deps.logger.fatal({ err: error }, 'journal write failed: the order flow halts; restart to recover from the durable record');
    for (const input of inputs) input.waiter.reject(this.halted);
  }
}

/** Readiness: down while the flow takes no input (its journal cannot write, or it halted), naming why. */
export function orderFlowHealth(flow: OrderFlow): HealthIndicator {
  return {
    name: 'order flow',
    gatesReadiness: true,
    check: async () => (flow.failure ? { up: false, detail: flow.failure.message } : { up: true }),
  };
}
