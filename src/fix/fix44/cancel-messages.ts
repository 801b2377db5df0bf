import { fixTimestamp } from '../codec.js';
import type { Field, FixMessage, OutgoingFix } from '../message.js';
import { MsgType, Tag } from '../tags.js';
import { OrdStatus, OrdType, Side, TimeInForce, type FixOrdStatus, type FixOrdType, type FixSide, type FixTimeInForce } from './enums.js';
import { DECIMAL, invalid, missing, type Mutable, type Parsed } from './messages.js';

/** Cancel and cancel/replace of a working order, the venue's refusal of either, and BusinessMessageReject. */

export interface OrderCancelRequest {
  /** OrderID (37): the receiver's id of the order, when the sender names it by that too. */
  readonly orderId?: string;
  readonly origClOrdId: string;
  readonly clOrdId: string;
  readonly symbol: string;
  readonly side: FixSide;
  readonly orderQty: string;
  readonly transactTime: Date;
}

export function orderCancelRequest(request: OrderCancelRequest): OutgoingFix {
  return { msgType: MsgType.OrderCancelRequest, body: orderIdentity(request) };
}

export function readOrderCancelRequest(message: FixMessage): Parsed<OrderCancelRequest> {
  return readOrderIdentity(message);
}

/** Replaces quantity and/or limit price; the order's type, side and TIF are restated as FIX requires. */
export interface OrderCancelReplaceRequest extends OrderCancelRequest {
  readonly ordType: FixOrdType;
  readonly price?: string;
  readonly timeInForce: FixTimeInForce;
}

export function orderCancelReplaceRequest(request: OrderCancelReplaceRequest): OutgoingFix {
  const body = orderIdentity(request);
  body.push([Tag.OrdType, OrdType.encode(request.ordType)]);
  if (request.price !== undefined) body.push([Tag.Price, request.price]);
  body.push([Tag.TimeInForce, TimeInForce.encode(request.timeInForce)]);
  return { msgType: MsgType.OrderCancelReplaceRequest, body };
}

export function readOrderCancelReplaceRequest(message: FixMessage): Parsed<OrderCancelReplaceRequest> {
  const identity = readOrderIdentity(message);
  if (!identity.ok) return identity;
  const ordType = OrdType.decode(message.get(Tag.OrdType));
  const timeInForce = TimeInForce.decode(message.get(Tag.TimeInForce) ?? '0');
  const price = message.get(Tag.Price);
  if (!ordType) return invalid(Tag.OrdType, message.get(Tag.OrdType));
  if (!timeInForce) return invalid(Tag.TimeInForce, message.get(Tag.TimeInForce));
  if (price !== undefined && !DECIMAL.test(price)) return invalid(Tag.Price, price);
  const value: Mutable<OrderCancelReplaceRequest> = {
    origClOrdId: identity.value.origClOrdId,
    clOrdId: identity.value.clOrdId,
    symbol: identity.value.symbol,
    side: identity.value.side,
    orderQty: identity.value.orderQty,
    transactTime: identity.value.transactTime,
    ordType,
    timeInForce,
  };
  if (identity.value.orderId) value.orderId = identity.value.orderId;
  if (price !== undefined) value.price = price;
  return { ok: true, value };
}

/** OrderCancelReject (9): the venue refuses a cancel (CxlRejResponseTo 1) or a replace (2). */
export interface OrderCancelReject {
  readonly orderId: string;
  readonly clOrdId: string;
  readonly origClOrdId: string;
  readonly ordStatus: FixOrdStatus;
  readonly responseTo: 'CANCEL' | 'REPLACE';
  /** CxlRejReason (102): 0 too late to cancel, 1 unknown order, 3 already pending, 99 other. */
  readonly reason?: string;
  readonly text?: string;
}

const RESPONSE_TO = { CANCEL: '1', REPLACE: '2' } as const;

export function orderCancelReject(reject: OrderCancelReject): OutgoingFix {
  const body: Field[] = [
    [Tag.OrderID, reject.orderId],
    [Tag.ClOrdID, reject.clOrdId],
    [Tag.OrigClOrdID, reject.origClOrdId],
    [Tag.OrdStatus, OrdStatus.encode(reject.ordStatus)],
  ];
  if (reject.text) body.push([Tag.Text, reject.text]);
  if (reject.reason) body.push([Tag.CxlRejReason, reject.reason]);
  body.push([Tag.CxlRejResponseTo, RESPONSE_TO[reject.responseTo]]);
  return { msgType: MsgType.OrderCancelReject, body };
}

export function readOrderCancelReject(message: FixMessage): Parsed<OrderCancelReject> {
  for (const tag of [Tag.OrderID, Tag.ClOrdID, Tag.OrigClOrdID]) if (!message.get(tag)) return missing(tag);
  const ordStatus = OrdStatus.decode(message.get(Tag.OrdStatus));
  if (!ordStatus) return invalid(Tag.OrdStatus, message.get(Tag.OrdStatus));
  const responseCode = message.get(Tag.CxlRejResponseTo);
  const responseTo = responseCode === '1' ? 'CANCEL' : responseCode === '2' ? 'REPLACE' : undefined;
  if (!responseTo) return invalid(Tag.CxlRejResponseTo, responseCode);
  const reason = message.get(Tag.CxlRejReason);
  const text = message.get(Tag.Text);
  const value: Mutable<OrderCancelReject> = {
    orderId: message.get(Tag.OrderID)!,
    clOrdId: message.get(Tag.ClOrdID)!,
    origClOrdId: message.get(Tag.OrigClOrdID)!,
    ordStatus,
    responseTo,
  };
  if (reason) value.reason = reason;
  if (text) value.text = text;
  return { ok: true, value };
}

export interface BusinessMessageReject {
  readonly refSeqNum: number;
  readonly refMsgType: string;
  /** BusinessRejectRefID (379): the refused message's own id, e.g. its ClOrdID. */
  readonly refId?: string;
  readonly reason: number;
  readonly text: string;
}

/** BusinessMessageReject (j): an application message the receiver cannot process. */
export function businessMessageReject(reject: BusinessMessageReject): OutgoingFix {
  const body: Field[] = [
    [Tag.RefSeqNum, String(reject.refSeqNum)],
    [Tag.Text, reject.text],
    [Tag.RefMsgType, reject.refMsgType],
  ];
  if (reject.refId) body.push([Tag.BusinessRejectRefID, reject.refId]);
  body.push([Tag.BusinessRejectReason, String(reject.reason)]);
  return { msgType: MsgType.BusinessMessageReject, body };
}

export function readBusinessMessageReject(message: FixMessage): Parsed<BusinessMessageReject> {
  const refMsgType = message.get(Tag.RefMsgType);
  const reason = message.getInt(Tag.BusinessRejectReason);
  if (!refMsgType) return missing(Tag.RefMsgType);
  if (reason === undefined) return invalid(Tag.BusinessRejectReason, message.get(Tag.BusinessRejectReason));
  const refId = message.get(Tag.BusinessRejectRefID);
  const value: Mutable<BusinessMessageReject> = { refSeqNum: message.getInt(Tag.RefSeqNum) ?? 0, refMsgType, reason, text: message.get(Tag.Text) ?? '' };
  if (refId) value.refId = refId;
  return { ok: true, value };
}

function orderIdentity(request: OrderCancelRequest): Field[] {
  const body: Field[] = request.orderId ? [[Tag.OrderID, request.orderId]] : [];
  body.push(
    [Tag.OrigClOrdID, request.origClOrdId],
    [Tag.ClOrdID, request.clOrdId],
    [Tag.Symbol, request.symbol],
    [Tag.Side, Side.encode(request.side)],
    [Tag.TransactTime, fixTimestamp(request.transactTime)],
    [Tag.OrderQty, request.orderQty],
  );
  return body;
}

function readOrderIdentity(message: FixMessage): Parsed<OrderCancelRequest> {
  const origClOrdId = message.get(Tag.OrigClOrdID);
  const clOrdId = message.get(Tag.ClOrdID);
  const symbol = message.get(Tag.Symbol);
  const side = Side.decode(message.get(Tag.Side));
  const orderQty = message.get(Tag.OrderQty);
  if (!origClOrdId) return missing(Tag.OrigClOrdID);
  if (!clOrdId) return missing(Tag.ClOrdID);
  if (!symbol) return missing(Tag.Symbol);
  if (!side) return invalid(Tag.Side, message.get(Tag.Side));
  if (!orderQty || !DECIMAL.test(orderQty)) return invalid(Tag.OrderQty, orderQty);
  const value: Mutable<OrderCancelRequest> = { origClOrdId, clOrdId, symbol, side, orderQty, transactTime: new Date() };
  const orderId = message.get(Tag.OrderID);
  if (orderId) value.orderId = orderId;
  return { ok: true, value };
}
