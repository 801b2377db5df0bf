import { v5 as uuidv5 } from 'uuid';
import { TOPICS } from '../../domain/events/topics.js';
import type { EventBus, OutgoingMessage } from '../../ports/event-bus.js';
import { ORDER_ATTRIBUTES as A, ORDER_SPANS, type OrderTracing, type TraceSpan } from '../../ports/order-tracing.js';
import { GroupCommit } from '../../lib/group-commit.js';
import type { VenueExecutionReport } from '../../ports/venue-gateway.js';
import type { Logger } from '../../ports/logger.js';
import type { ServiceMetrics } from '../../ports/metrics.js';
import { endsWith } from '../order-trace-steps.js';
import { unattributedExecution } from '../unattributed-execution.js';
import type { ChildOrderDirectory } from './child-order-directory.js';
import type { ChildOrderOwner } from '../../ports/child-orders.js';

/** Namespace for event ids derived from venue executions (any fixed UUID works; this one is ours). */
const EXECUTION_NAMESPACE = '3f0f6c39-5d55-4a53-9a0c-6a5f2f1e7b21';

/**
 * The same execution has the same event id however often the venue sends it (a FIX resend, a
 * replay after restart), so every consumer's inbox drops the repeats.
 */
export const executionEventId = (venue: string, execId: string): string => uuidv5(`${venue}|${execId}`, EXECUTION_NAMESPACE);

/**
 * Puts venue ExecutionReports on executions.fills, keyed by parent order. Reports that arrive while
 * a publish is in flight share the next (group commit, one batch in flight, so one parent's reports
 * keep their order).
 * `publish` resolves once its report is durable on the bus, and only then does the FIX session
 * count the message as received: a crash before that makes the venue resend it, and the resent
 * report's event id is the same (executionEventId), so every consumer's inbox drops it. No outbox:
 * a report changes no state of this service that the message would have to commit with, only the
 * session's inbound sequence number, which advances after the publish.
 */
export class ExecutionReportPublisher {
  private readonly committer: GroupCommit<OutgoingMessage, void>;
  /** Reports are submitted in arrival order even when finding a report's parent takes a query. */
  private submitted: Promise<unknown> = Promise.resolve();

  /** `deliver`: the bus's publish, which resolves once the messages are durable there (Kafka: acked by every replica). */
  constructor(
    private readonly deps: {
      deliver: EventBus['publish'];
      directory: ChildOrderDirectory;
      logger: Logger;
      metrics: Pick<ServiceMetrics, 'fillsUnattributed'>;
      tracing?: OrderTracing;
    },
  ) {
    this.committer = new GroupCommit<OutgoingMessage, void>(async (messages) => {
      await deps.deliver(messages);
      return messages.map((): void => undefined);
    });
  }

  readonly publish = async (report: VenueExecutionReport): Promise<void> => {
    const owner = this.deps.directory.find(report.clOrdId);
    // Wrapped, so the chain waits for the submission only, not for its commit: commits batch.
    const turn = this.submitted.then(async () => ({ committed: this.submit(report, await owner) }));
    this.submitted = turn.catch(() => undefined);
    await (
      await turn
    ).committed;
  };

  private async submit(report: VenueExecutionReport, owner: ChildOrderOwner | undefined): Promise<void> {
    if (!owner) return unattributedExecution(report, this.deps.logger, this.deps.metrics);
    const span = this.deps.tracing?.enabled ? this.reportSpan(this.deps.tracing, report, owner) : undefined;
    const committed = this.committer.submit({
      topic: TOPICS.executionsFills,
      key: owner.parentOrderId,
      eventId: executionEventId(report.venue, report.execId),
      payload: {
        type: 'ExecutionReported',
        accountId: owner.accountId,
        symbol: owner.symbol,
        side: owner.side,
        execId: report.execId,
        childOrderId: report.clOrdId,
        parentOrderId: owner.parentOrderId,
        venue: report.venue,
        execType: report.execType,
        lastQty: report.lastQty,
        lastPx: report.lastPx,
        childCumQty: report.cumQty,
        childLeavesQty: report.leavesQty,
        text: report.text,
        transactTime: report.transactTime,
      },
    });
    if (report.leavesQty === 0 && report.execType !== 'PENDING_NEW' && report.execType !== 'NEW') this.deps.directory.forget(report.clOrdId);
    await endsWith(span, committed);
  }

  /** The report as a step of its parent's trace, as embedded mode names it: until it is durable. */
  private reportSpan(tracing: OrderTracing, report: VenueExecutionReport, owner: ChildOrderOwner): TraceSpan | undefined {
    return tracing.start(owner.parentOrderId, ORDER_SPANS.executionReport, {
      [A.accountId]: owner.accountId,
      [A.symbol]: owner.symbol,
      [A.venue]: report.venue,
      [A.clOrdId]: report.clOrdId,
      [A.execId]: report.execId,
      [A.execType]: report.execType,
      [A.quantity]: report.lastQty,
    });
  }
}
