import { fixTimestamp } from '../codec.js';
import { FlatOutgoing, type Field, type FixMessage, type OutgoingFix } from '../message.js';
import { MsgType, Tag } from '../tags.js';
import {
  ExecType,
  OrdStatus,
  OrdType,
  Side,
  TimeInForce,
  type FixExecType,
  type FixOrdStatus,
  type FixOrdType,
  type FixSide,
  type FixTimeInForce,
} from './enums.js';

/** FIX 4.4 application messages the OMS sends and receives. Prices and quantities are decimal strings. */

export interface NewOrderSingle {
  readonly clOrdId: string;
  readonly account?: string;
  readonly symbol: string;
  readonly side: FixSide;
  readonly orderQty: string;
  readonly ordType: FixOrdType;
  readonly price?: string;
  readonly timeInForce: FixTimeInForce;
  readonly transactTime: Date;
  /** ExecInst (18), space-separated instructions; 'f' marks an Intermarket Sweep Order (Reg NMS). */
  readonly execInst?: string;
}

/** ExecInst (18) of an Intermarket Sweep Order. */
export const INTERMARKET_SWEEP = 'f';

/** Flat bodies (tag, value, ...): a pair array per field was most of what sending an order allocated. */
export function newOrderSingle(order: NewOrderSingle): OutgoingFix {
  const body: (number | string)[] = [Tag.ClOrdID, order.clOrdId];
  if (order.account) body.push(Tag.Account, order.account);
  body.push(
    Tag.Symbol,
    order.symbol,
    Tag.Side,
    Side.encode(order.side),
    Tag.TransactTime,
    fixTimestamp(order.transactTime),
    Tag.OrderQty,
    order.orderQty,
    Tag.OrdType,
    OrdType.encode(order.ordType),
  );
  if (order.price !== undefined) body.push(Tag.Price, order.price);
  body.push(Tag.TimeInForce, TimeInForce.encode(order.timeInForce));
  if (order.execInst) body.push(Tag.ExecInst, order.execInst);
  return new FlatOutgoing(MsgType.NewOrderSingle, body);
}

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly tag: number; readonly reason: string };

export const missing = (tag: number): Parsed<never> => ({ ok: false, tag, reason: `required tag ${tag} missing` });
export const invalid = (tag: number, value: string | undefined): Parsed<never> => ({
  ok: false,
  tag,
  reason: `value ${JSON.stringify(value)} is not valid for tag ${tag}`,
});
export const DECIMAL = /^-?\d+(\.\d+)?$/;

export function readNewOrderSingle(message: FixMessage): Parsed<NewOrderSingle> {
  const clOrdId = message.get(Tag.ClOrdID);
  const symbol = message.get(Tag.Symbol);
  const orderQty = message.get(Tag.OrderQty);
  const side = Side.decode(message.get(Tag.Side));
  const ordType = OrdType.decode(message.get(Tag.OrdType));
  const timeInForce = TimeInForce.decode(message.get(Tag.TimeInForce) ?? '0');
  const price = message.get(Tag.Price);
  if (!clOrdId) return missing(Tag.ClOrdID);
  if (!symbol) return missing(Tag.Symbol);
  if (!side) return invalid(Tag.Side, message.get(Tag.Side));
  if (!orderQty || !DECIMAL.test(orderQty)) return invalid(Tag.OrderQty, orderQty);
  if (!ordType) return invalid(Tag.OrdType, message.get(Tag.OrdType));
  if (!timeInForce) return invalid(Tag.TimeInForce, message.get(Tag.TimeInForce));
  if (price !== undefined && !DECIMAL.test(price)) return invalid(Tag.Price, price);
  const account = message.get(Tag.Account);
  const execInst = message.get(Tag.ExecInst);
  // Optional fields assigned, not spread in: V8 builds a literal with a non-empty spread slowly.
  const value: Mutable<NewOrderSingle> = { clOrdId, symbol, side, orderQty, ordType, timeInForce, transactTime: new Date() };
  if (price !== undefined) value.price = price;
  if (account) value.account = account;
  if (execInst) value.execInst = execInst;
  return { ok: true, value };
}

export interface ExecutionReport {
  readonly orderId: string;
  readonly clOrdId: string;
  /** The ClOrdID a cancel or replace refers to (41). */
  readonly origClOrdId?: string;
  /** OrdStatusReqID (790): echoes the OrderStatusRequest this report (ExecType I) answers. */
  readonly ordStatusReqId?: string;
  readonly execId: string;
  readonly execType: FixExecType;
  readonly ordStatus: FixOrdStatus;
  readonly symbol: string;
  readonly side: FixSide;
  readonly orderQty?: string;
  readonly price?: string;
  readonly lastQty?: string;
  readonly lastPx?: string;
  readonly leavesQty: string;
  readonly cumQty: string;
  readonly avgPx: string;
  readonly text?: string;
  readonly ordRejReason?: string;
  /** ExecRestatementReason (378) of a Restated report (ExecType D). */
  readonly execRestatementReason?: string;
  readonly account?: string;
  /** CopyMsgIndicator (797=Y): a drop copy of a report sent to someone else. */
  readonly copy?: boolean;
  readonly transactTime: Date;
}

export function executionReport(report: ExecutionReport): OutgoingFix {
  const body: (number | string)[] = [Tag.OrderID, report.orderId, Tag.ClOrdID, report.clOrdId];
  if (report.origClOrdId) body.push(Tag.OrigClOrdID, report.origClOrdId);
  if (report.ordStatusReqId) body.push(Tag.OrdStatusReqID, report.ordStatusReqId);
  body.push(Tag.ExecID, report.execId, Tag.ExecType, ExecType.encode(report.execType), Tag.OrdStatus, OrdStatus.encode(report.ordStatus));
  if (report.ordRejReason) body.push(Tag.OrdRejReason, report.ordRejReason);
  if (report.execRestatementReason) body.push(Tag.ExecRestatementReason, report.execRestatementReason);
  if (report.account) body.push(Tag.Account, report.account);
  body.push(Tag.Symbol, report.symbol, Tag.Side, Side.encode(report.side));
  if (report.orderQty) body.push(Tag.OrderQty, report.orderQty);
  if (report.price) body.push(Tag.Price, report.price);
  if (report.lastQty) body.push(Tag.LastQty, report.lastQty);
  if (report.lastPx) body.push(Tag.LastPx, report.lastPx);
  body.push(Tag.LeavesQty, report.leavesQty, Tag.CumQty, report.cumQty, Tag.AvgPx, report.avgPx, Tag.TransactTime, fixTimestamp(report.transactTime));
  if (report.text) body.push(Tag.Text, report.text);
  if (report.copy) body.push(Tag.CopyMsgIndicator, 'Y');
  return new FlatOutgoing(MsgType.ExecutionReport, body);
}

/**
 * Placeholders in the report of an order that was never stored: OrderID NONE as FIX 4.4 writes it
 * for a rejected order, and the same word for a ClOrdID or Symbol the message did not carry (both
 * are required fields of an ExecutionReport, so something has to be sent).
 */
export const NOT_STORED = 'NONE';

/** What differs between the refusals of an order that was never stored. */
export interface NotStoredReject {
  readonly ordRejReason: string;
  readonly text: string;
  /** The report's TransactTime; also makes its ExecID unique. */
  readonly at: Date;
  /** REJECTED refuses an order; ORDER_STATUS answers a status request for an order not known. */
  readonly execType?: 'REJECTED' | 'ORDER_STATUS';
}

/**
 * ExecutionReport Rejected (39=8) of an order that was never stored, so has no OrderID, quantities
 * or price: the identity (ClOrdID, Symbol, Side) echoes the refused message.
 */
export function notStoredReject(message: FixMessage, reject: NotStoredReject): ExecutionReport {
  const clOrdId = message.get(Tag.ClOrdID) ?? NOT_STORED;
  return {
    orderId: NOT_STORED,
    clOrdId,
    execId: `R-${clOrdId}-${message.seqNum ?? 0}-${reject.at.getTime()}`,
    execType: reject.execType ?? 'REJECTED',
    ordStatus: 'REJECTED',
    ordRejReason: reject.ordRejReason,
    symbol: message.get(Tag.Symbol) ?? NOT_STORED,
    side: Side.decode(message.get(Tag.Side)) ?? 'BUY',
    leavesQty: '0',
    cumQty: '0',
    avgPx: '0',
    text: reject.text,
    transactTime: reject.at,
  };
}

const EXECUTION_REPORT_REQUIRED = [Tag.OrderID, Tag.ClOrdID, Tag.ExecID, Tag.Symbol, Tag.LeavesQty, Tag.CumQty, Tag.AvgPx];

export function readExecutionReport(message: FixMessage): Parsed<ExecutionReport> {
  for (const tag of EXECUTION_REPORT_REQUIRED) if (!message.has(tag)) return missing(tag);
  const execType = ExecType.decode(message.get(Tag.ExecType));
  const ordStatus = OrdStatus.decode(message.get(Tag.OrdStatus));
  const side = Side.decode(message.get(Tag.Side));
  if (!execType) return invalid(Tag.ExecType, message.get(Tag.ExecType));
  if (!ordStatus) return invalid(Tag.OrdStatus, message.get(Tag.OrdStatus));
  if (!side) return invalid(Tag.Side, message.get(Tag.Side));
  const leavesQty = message.get(Tag.LeavesQty)!;
  const cumQty = message.get(Tag.CumQty)!;
  const avgPx = message.get(Tag.AvgPx)!;
  const lastQty = message.get(Tag.LastQty);
  const lastPx = message.get(Tag.LastPx);
  if (!DECIMAL.test(leavesQty)) return invalid(Tag.LeavesQty, leavesQty);
  if (!DECIMAL.test(cumQty)) return invalid(Tag.CumQty, cumQty);
  if (!DECIMAL.test(avgPx)) return invalid(Tag.AvgPx, avgPx);
  if (lastQty !== undefined && !DECIMAL.test(lastQty)) return invalid(Tag.LastQty, lastQty);
  if (lastPx !== undefined && !DECIMAL.test(lastPx)) return invalid(Tag.LastPx, lastPx);
  // Optional fields assigned, not spread in: V8 builds a literal with a non-empty spread slowly.
  const value: Mutable<ExecutionReport> = {
    orderId: message.get(Tag.OrderID)!,
    clOrdId: message.get(Tag.ClOrdID)!,
    execId: message.get(Tag.ExecID)!,
    execType,
    ordStatus,
    symbol: message.get(Tag.Symbol)!,
    side,
    leavesQty,
    cumQty,
    avgPx,
    transactTime: new Date(),
  };
  if (lastQty !== undefined) value.lastQty = lastQty;
  if (lastPx !== undefined) value.lastPx = lastPx;
  const text = message.get(Tag.Text);
  if (text !== undefined) value.text = text;
  const ordRejReason = message.get(Tag.OrdRejReason);
  if (ordRejReason !== undefined) value.ordRejReason = ordRejReason;
  const ordStatusReqId = message.get(Tag.OrdStatusReqID);
  if (ordStatusReqId !== undefined) value.ordStatusReqId = ordStatusReqId;
  return { ok: true, value };
}

export function orderStatusRequest(request: { clOrdId: string; symbol: string; side: FixSide; ordStatusReqId?: string }): OutgoingFix {
  const body: Field[] = [[Tag.ClOrdID, request.clOrdId]];
  if (request.ordStatusReqId) body.push([Tag.OrdStatusReqID, request.ordStatusReqId]);
  body.push([Tag.Symbol, request.symbol], [Tag.Side, Side.encode(request.side)]);
  return { msgType: MsgType.OrderStatusRequest, body };
}
