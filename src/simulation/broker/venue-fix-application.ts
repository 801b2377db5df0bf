import { fix44, MsgType, Tag, type FixApplication, type FixMessage, type FixSession } from '../../fix/index.js';
import { formatDecimal, parsePrice } from '../../domain/money/price.js';
import type { VenueExecution } from '../venue/venue-matching-engine.js';
import type { Logger } from '../../ports/logger.js';
import type { VenueOrders } from './durable-venue.js';

/**
 * A simulated venue's FIX application: NewOrderSingle into the matching engine, cancels, status
 * requests, and every execution back as an ExecutionReport. Anything else gets a BusinessMessageReject.
 */
export function venueFixApplication(engine: VenueOrders, logger: Logger): FixApplication {
  return {
    onLogon: (session) => logger.info({ venue: engine.venue, session: session.id }, 'venue session logged on'),
    fromApp: (message: FixMessage, session: FixSession) => {
      switch (message.msgType) {
        case MsgType.NewOrderSingle:
          return newOrder(engine, message, session);
        case MsgType.OrderCancelRequest: {
          const reports = engine.cancel(message.get(Tag.OrigClOrdID) ?? '');
          if (reports.length === 0) {
            session.send({
              msgType: MsgType.OrderCancelReject,
              body: [
                [Tag.OrderID, 'NONE'],
                [Tag.ClOrdID, message.get(Tag.ClOrdID) ?? ''],
                [Tag.OrigClOrdID, message.get(Tag.OrigClOrdID) ?? ''],
                [Tag.OrdStatus, '8'],
                [Tag.CxlRejResponseTo, '1'],
                [Tag.Text, 'unknown or final order'],
              ],
            });
          }
          return sendExecutions(session, reports);
        }
        case MsgType.OrderStatusRequest:
          return orderStatus(engine, message, session);
        default:
          session.send(
            fix44.businessMessageReject({
              refSeqNum: message.seqNum ?? 0,
              refMsgType: message.msgType,
              reason: fix44.BusinessRejectReason.UnsupportedMessageType,
              text: `message type ${message.msgType} not supported`,
            }),
          );
      }
    },
  };
}

function newOrder(engine: VenueOrders, message: FixMessage, session: FixSession): void {
  const parsed = fix44.readNewOrderSingle(message);
  const clOrdId = message.get(Tag.ClOrdID);
  if (!parsed.ok || !clOrdId) {
    const text = parsed.ok ? 'ClOrdID missing' : parsed.reason;
    if (!clOrdId) {
      session.send(
        fix44.businessMessageReject({
          refSeqNum: message.seqNum ?? 0,
          refMsgType: message.msgType,
          reason: fix44.BusinessRejectReason.ConditionallyRequiredFieldMissing,
          text,
        }),
      );
      return;
    }
    session.send(fix44.executionReport(fix44.notStoredReject(message, { ordRejReason: fix44.OrdRejReason.Other, text, at: new Date() })));
    return;
  }
  const order = parsed.value;
  // A resent copy of an order the venue holds (a crash kept the order, not the sequence number): its state, not a duplicate reject.
  const held = message.get(Tag.PossDupFlag) === 'Y' ? engine.status(order.clOrdId) : undefined;
  if (held) return sendExecutions(session, [held]);
  const limitPrice = order.price === undefined ? null : (parsePrice(order.price) ?? null);
  const quantity = Number(order.orderQty);
  sendExecutions(
    session,
    engine.submit({
      clOrdId: order.clOrdId,
      symbol: order.symbol,
      side: order.side,
      orderType: order.ordType,
      quantity,
      limitPrice,
      timeInForce: order.timeInForce,
    }),
  );
}

function orderStatus(engine: VenueOrders, message: FixMessage, session: FixSession): void {
  const clOrdId = message.get(Tag.ClOrdID) ?? '';
  const status = engine.status(clOrdId);
  if (status) return sendExecutions(session, [status]);
  session.send(
    fix44.executionReport(
      fix44.notStoredReject(message, { execType: 'ORDER_STATUS', ordRejReason: fix44.OrdRejReason.UnknownOrder, text: 'unknown order', at: new Date() }),
    ),
  );
}

/** Sends the engine's executions as ExecutionReports on the venue's session. */
export function sendExecutions(session: FixSession, executions: readonly VenueExecution[]): void {
  for (const execution of executions) {
    // Optional fields assigned, not spread in: V8 builds a literal with a non-empty spread slowly.
    const report: fix44.Mutable<fix44.ExecutionReport> = {
      orderId: execution.orderId,
      clOrdId: execution.clOrdId,
      execId: execution.execId,
      execType: execution.execType,
      ordStatus: execution.ordStatus,
      symbol: execution.order.symbol,
      side: execution.order.side,
      orderQty: String(execution.order.quantity),
      leavesQty: String(execution.leavesQty),
      cumQty: String(execution.cumQty),
      avgPx: execution.avgPx === null ? '0' : formatDecimal(execution.avgPx),
      transactTime: new Date(),
    };
    if (execution.order.limitPrice !== null) report.price = formatDecimal(execution.order.limitPrice);
    if (execution.execType === 'TRADE') {
      report.lastQty = String(execution.lastQty);
      report.lastPx = formatDecimal(execution.lastPx!);
    }
    if (execution.text) report.text = execution.text;
    session.send(fix44.executionReport(report));
  }
}
