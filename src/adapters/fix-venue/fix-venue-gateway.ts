import { fix44, FixInitiator, MsgType, Tag, type FixApplication, type FixMessage, type FixSession, type MessageStore } from '../../fix/index.js';
import type { ChildCancelRequested, ChildExecutionType, ChildOrderRouted } from '../../domain/events/messages.js';
import type { Side } from '../../domain/order/enums.js';
import type { VenueEndpoint } from '../../config/config.js';
import type { HealthIndicator } from '../../ports/health.js';
import type { ExecutionReportSink, VenueExecutionReport, VenueGateway } from '../../ports/venue-gateway.js';
import type { Logger } from '../observability/pino-logger.js';
import type { Metrics } from '../observability/prometheus-metrics.js';
import { rejectedOrderReport, SentOrders } from './venue-rejects.js';

export interface FixVenueGatewayOptions {
  readonly venues: readonly VenueEndpoint[];
  /**
   * Where each venue session keeps its sequence numbers and sent messages: files in embedded mode,
   * PostgreSQL in distributed mode (so sessions survive moving host). Throws for a venue it has none for.
   */
  readonly storeFor: (venue: string) => MessageStore;
  readonly heartBtIntSeconds: number;
  /** Daily session reset 'HH:MM:SS' UTC, as agreed with the venues. */
  readonly resetAtUtc?: string;
  readonly onReport: ExecutionReportSink;
  /** Called at each logon, e.g. to ask the venue for the status of orders we think are live. */
  readonly onLogon?: (venue: string) => void;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** The execution adapter's FIX side: one initiator session per venue, NewOrderSingle out, ExecutionReports in. */
export class FixVenueGateway implements VenueGateway {
  private readonly initiators = new Map<string, FixInitiator>();
  private readonly sentOrders = new Map<string, SentOrders>();

  constructor(private readonly options: FixVenueGatewayOptions) {
    for (const venue of options.venues) {
      const initiator = new FixInitiator(
        {
          host: venue.host,
          port: venue.port,
          senderCompId: venue.senderCompId,
          targetCompId: venue.targetCompId,
          heartBtIntSeconds: options.heartBtIntSeconds,
          resetAtUtc: options.resetAtUtc,
          store: options.storeFor(venue.name),
          reconnectMs: 500,
          logger: options.logger,
        },
        this.application(venue.name),
      );
      this.initiators.set(venue.name, initiator);
      this.sentOrders.set(venue.name, new SentOrders());
    }
    // Read at each scrape: a logout we start (daily reset, stop) calls no onLogout.
    options.metrics.fixSessionLoggedOn.sampleFrom(() => [...this.initiators].map(([venue, i]) => [{ venue }, i.session.isLoggedOn ? 1 : 0] as const));
  }

  get venues(): readonly string[] {
    return [...this.initiators.keys()];
  }

  async start(): Promise<void> {
    for (const initiator of this.initiators.values()) await initiator.start();
  }

  async stop(): Promise<void> {
    for (const initiator of this.initiators.values()) await initiator.stop();
  }

  isReady(venue: string): boolean {
    return this.initiators.get(venue)?.session.isLoggedOn ?? false;
  }

  /** Resolves once every venue session has logged on (or after the timeout). */
  async ready(timeoutMs: number): Promise<void> {
    await Promise.race([Promise.all([...this.initiators.values()].map((i) => i.session.loggedOn())), new Promise((r) => setTimeout(r, timeoutMs))]);
  }

  async sendNewOrder(child: ChildOrderRouted): Promise<void> {
    const session = this.session(child.venue);
    // Built field by field: V8 builds a literal that spreads in an optional field slowly.
    const order: fix44.Mutable<fix44.NewOrderSingle> = {
      clOrdId: child.childOrderId,
      account: child.accountId,
      symbol: child.symbol,
      side: child.side,
      orderQty: String(child.quantity),
      ordType: child.orderType,
      timeInForce: child.timeInForce,
      transactTime: new Date(),
    };
    if (child.limitPrice !== null) order.price = child.limitPrice;
    if (child.intermarketSweep) order.execInst = fix44.INTERMARKET_SWEEP;
    const seqNum = session.send(fix44.newOrderSingle(order));
    this.sentOrders.get(child.venue)?.remember(seqNum, child.childOrderId);
    this.options.metrics.fixMessages.inc({ direction: 'out', venue: child.venue, msg_type: MsgType.NewOrderSingle });
  }

  /** Sends an OrderCancelRequest for a child; the venue answers with an ExecutionReport or an OrderCancelReject. */
  async sendCancel(request: ChildCancelRequested): Promise<void> {
    this.session(request.venue).send(
      fix44.orderCancelRequest({
        origClOrdId: request.childOrderId,
        clOrdId: request.cancelClOrdId,
        symbol: request.symbol,
        side: request.side,
        orderQty: String(request.quantity),
        transactTime: new Date(),
      }),
    );
    this.options.metrics.fixMessages.inc({ direction: 'out', venue: request.venue, msg_type: MsgType.OrderCancelRequest });
  }

  requestStatus(venue: string, child: { childOrderId: string; symbol: string; side: Side }): void {
    this.session(venue).send(fix44.orderStatusRequest({ clOrdId: child.childOrderId, symbol: child.symbol, side: child.side }));
  }

  healthIndicator(): HealthIndicator {
    return {
      name: 'venues',
      gatesReadiness: true,
      // Health is DOWN while any session is logged out; readiness only while none is logged on,
      // since orders are still taken (a child for a venue that is down waits for its logon).
      check: async () => {
        const sessions = [...this.initiators.values()].map((i) => i.session.isLoggedOn);
        const detail = Object.fromEntries([...this.initiators].map(([venue, i]) => [venue, i.session.isLoggedOn ? 'logged on' : 'not logged on']));
        return { up: sessions.every(Boolean), ready: sessions.some(Boolean), detail };
      },
    };
  }

  private session(venue: string): FixSession {
    const initiator = this.initiators.get(venue);
    if (!initiator) throw new Error(`no FIX session for venue ${venue}`);
    return initiator.session;
  }

  private application(venue: string): FixApplication {
    const { logger, metrics, onReport, onLogon } = this.options;
    return {
      onLogon: () => onLogon?.(venue),
      onLogout: () => logger.warn({ venue }, 'FIX session to venue logged out'),
      onSequenceGap: () => metrics.fixSequenceGaps.inc({ venue }),
      fromApp: async (message: FixMessage) => {
        metrics.fixMessages.inc({ direction: 'in', venue, msg_type: message.msgType });
        if (message.msgType === MsgType.BusinessMessageReject) return this.onRefused(venue, message);
        if (message.msgType === MsgType.OrderCancelReject) return this.onCancelRejected(venue, message);
        if (message.msgType !== MsgType.ExecutionReport) {
          logger.warn({ venue, msgType: message.msgType, text: message.get(58) }, 'FIX application message from venue not handled');
          return;
        }
        const parsed = fix44.readExecutionReport(message);
        if (!parsed.ok) {
          logger.error({ venue, reason: parsed.reason }, 'invalid ExecutionReport from venue ignored');
          return;
        }
        // A report about a cancel names the cancel request in ClOrdID and our child in OrigClOrdID.
        const report = toVenueReport(venue, parsed.value, message.get(Tag.OrigClOrdID) ?? parsed.value.clOrdId, message.get(Tag.PossDupFlag) === 'Y');
        if (report) await onReport(report);
      },
      onReject: (reject: FixMessage) => this.onRefused(venue, reject),
    };
  }

  /** The venue would not cancel a child (too late, unknown): reported so oms-core can resolve the parent's request. */
  private async onCancelRejected(venue: string, message: FixMessage): Promise<void> {
    const parsed = fix44.readOrderCancelReject(message);
    if (!parsed.ok) {
      this.options.logger.error({ venue, reason: parsed.reason }, 'invalid OrderCancelReject from venue ignored');
      return;
    }
    const reject = parsed.value;
    this.options.logger.info({ venue, childOrderId: reject.origClOrdId, reason: reject.reason, text: reject.text }, 'venue refused to cancel a child order');
    await this.options.onReport({
      venue,
      clOrdId: reject.origClOrdId,
      execId: `CXLREJ-${reject.clOrdId}`,
      execType: 'CANCEL_REJECTED',
      lastQty: 0,
      lastPx: null,
      cumQty: 0,
      leavesQty: 0,
      text: reject.text ?? `cancel refused (CxlRejReason ${reject.reason ?? 'not given'})`,
      transactTime: new Date().toISOString(),
      possibleDuplicate: message.get(Tag.PossDupFlag) === 'Y',
    });
  }

  /** A Reject or BusinessMessageReject of one of our orders: the child is rejected, with the venue's reason. */
  private async onRefused(venue: string, reject: FixMessage): Promise<void> {
    const report = rejectedOrderReport(venue, reject, this.sentOrders.get(venue)!);
    this.options.logger.warn(
      { venue, msgType: reject.msgType, refMsgType: reject.get(372), text: reject.get(58), clOrdId: report?.clOrdId },
      'venue refused a message',
    );
    if (report) await this.options.onReport(report);
  }
}

const WHOLE = /^\d+(\.0*)?$/;
const shares = (text: string | undefined): number => (text !== undefined && WHOLE.test(text) ? Number(text.split('.')[0]) : 0);

/** Maps a FIX ExecutionReport to the OMS's view; a status answer reports a final state, a working order, or nothing new. */
function toVenueReport(venue: string, er: fix44.ExecutionReport, clOrdId: string, possibleDuplicate: boolean): VenueExecutionReport | undefined {
  const execType = childExecType(er);
  if (!execType) return undefined;
  return {
    venue,
    clOrdId,
    execId: er.execId,
    execType,
    lastQty: execType === 'TRADE' ? shares(er.lastQty) : 0,
    lastPx: execType === 'TRADE' ? (er.lastPx ?? null) : null,
    cumQty: shares(er.cumQty),
    leavesQty: shares(er.leavesQty),
    text: er.text ?? null,
    transactTime: er.transactTime.toISOString(),
    possibleDuplicate,
  };
}

function childExecType(er: fix44.ExecutionReport): ChildExecutionType | undefined {
  switch (er.execType) {
    case 'NEW':
    case 'TRADE':
    case 'CANCELED':
    case 'REJECTED':
    case 'EXPIRED':
    case 'PENDING_NEW':
      return er.execType;
    case 'ORDER_STATUS':
      // We ask only about children we believe live there: "unknown order" means the venue lost it.
      if (er.ordStatus === 'REJECTED' && er.ordRejReason === fix44.OrdRejReason.UnknownOrder) return 'UNKNOWN_ORDER';
      if (er.ordStatus === 'REJECTED' || er.ordStatus === 'CANCELED' || er.ordStatus === 'EXPIRED') return er.ordStatus;
      // Working there: acknowledges a child whose NEW report a crash lost (the venue kept the order, not the report).
      if (er.ordStatus === 'NEW' || er.ordStatus === 'PARTIALLY_FILLED') return 'NEW';
      return undefined;
    default:
      return undefined;
  }
}
