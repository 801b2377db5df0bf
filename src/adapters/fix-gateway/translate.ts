import type { OrderTerms } from '../../domain/order/order.js';
import { fix44, SessionRejectReason, Tag, type FixMessage } from '../../fix/index.js';

/**
 * A client's FIX messages as the bodies the REST API takes (POST /api/v1/orders, PATCH
 * /api/v1/orders/{id}), so the same validation judges both doors. Pure: no I/O, no session.
 */

/** The REST field each FIX tag becomes, so that a validation error names the tag the client sent. */
export const TAG_OF_FIELD: Readonly<Record<string, number>> = {
  clientOrderId: Tag.ClOrdID,
  accountId: Tag.Account,
  symbol: Tag.Symbol,
  side: Tag.Side,
  orderType: Tag.OrdType,
  quantity: Tag.OrderQty,
  limitPrice: Tag.Price,
  timeInForce: Tag.TimeInForce,
};

const TAG_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(Tag).map(([name, tag]) => [tag, name]));

export const tagLabel = (tag: number): string => `${TAG_NAMES[tag] ?? 'tag'} (${tag})`;

/** A message the session layer refuses (35=3): a required tag is missing. */
export interface SessionRefusal {
  readonly tag: number;
  readonly reason: SessionRejectReason;
  readonly text: string;
}

export type Translated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly refusal: SessionRefusal };

const REQUIRED: Readonly<Record<'D' | 'F' | 'G' | 'H', readonly number[]>> = {
  D: [Tag.ClOrdID, Tag.Side, Tag.Symbol, Tag.OrderQty, Tag.OrdType, Tag.TransactTime],
  F: [Tag.OrigClOrdID, Tag.ClOrdID, Tag.Side, Tag.Symbol, Tag.TransactTime],
  G: [Tag.OrigClOrdID, Tag.ClOrdID, Tag.Side, Tag.Symbol, Tag.OrdType, Tag.TransactTime],
  H: [Tag.ClOrdID, Tag.Side, Tag.Symbol],
};

/** The first required tag (FIX 4.4) the message lacks, as a session Reject names it. */
export function missingRequired(message: FixMessage, msgType: keyof typeof REQUIRED): SessionRefusal | undefined {
  for (const tag of REQUIRED[msgType]) {
    const value = message.get(tag);
    if (value === undefined) return { tag, reason: SessionRejectReason.RequiredTagMissing, text: `Required tag missing: ${tagLabel(tag)}` };
    if (value === '') return { tag, reason: SessionRejectReason.TagWithoutValue, text: `Tag specified without a value: ${tagLabel(tag)}` };
  }
  return undefined;
}

/** A quantity as the API would get it: a number when it is one, else the text, so validation says what is wrong. */
function quantityOf(text: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

/**
 * NewOrderSingle as POST /api/v1/orders' body. Codes the OMS does not know pass through as sent,
 * so validation refuses them by field. Account (1) may be left out when the session has one account.
 */
export function newOrderBody(message: FixMessage, defaultAccount: string | undefined): Translated<Record<string, unknown>> {
  const missing = missingRequired(message, 'D');
  if (missing) return { ok: false, refusal: missing };
  const side = message.get(Tag.Side)!;
  const ordType = message.get(Tag.OrdType)!;
  const tif = message.get(Tag.TimeInForce) ?? '0';
  const body: Record<string, unknown> = {
    clientOrderId: message.get(Tag.ClOrdID),
    accountId: message.get(Tag.Account) ?? defaultAccount,
    symbol: message.get(Tag.Symbol),
    side: fix44.Side.decode(side) ?? side,
    orderType: fix44.OrdType.decode(ordType) ?? ordType,
    quantity: quantityOf(message.get(Tag.OrderQty)!),
    timeInForce: fix44.TimeInForce.decode(tif) ?? tif,
  };
  const price = message.get(Tag.Price);
  if (price !== undefined) body.limitPrice = price;
  return { ok: true, value: body };
}

/** OrderCancelRequest: nothing to carry but the order it names (41), once its required tags are there. */
export function cancelBody(message: FixMessage): Translated<Record<string, unknown>> {
  const missing = missingRequired(message, 'F');
  return missing ? { ok: false, refusal: missing } : { ok: true, value: {} };
}

/** OrderCancelReplaceRequest's new terms as PATCH /api/v1/orders/{id}'s body: quantity and/or limit price. */
export function replaceBody(message: FixMessage): Translated<Record<string, unknown>> {
  const missing = missingRequired(message, 'G');
  if (missing) return { ok: false, refusal: missing };
  const body: Record<string, unknown> = {};
  const quantity = message.get(Tag.OrderQty);
  if (quantity !== undefined) body.quantity = quantityOf(quantity);
  const price = message.get(Tag.Price);
  if (price !== undefined) body.limitPrice = price;
  return { ok: true, value: body };
}

/**
 * What an OrderCancelReplaceRequest asks that the OMS's replace cannot do, as one Text (58), or
 * undefined when it restates the order's Side (54), OrdType (40) and TimeInForce (59). The OMS
 * replaces quantity and limit price only; FIX never allows a new Side on a replace, and a new
 * OrdType or TimeInForce would have to be a new order. A replace without 59 keeps the order's.
 */
export function unchangeableTerms(message: FixMessage, order: Pick<OrderTerms, 'side' | 'orderType' | 'timeInForce'>): string | undefined {
  const changes: string[] = [];
  const check = (tag: number, code: string | undefined, asked: string | undefined, current: string, what: string) => {
    if (code === undefined || asked === current) return;
    changes.push(`${tagLabel(tag)} cannot be changed${what} (the order is ${current}, the replace asks ${asked ?? code})`);
  };
  const side = message.get(Tag.Side);
  check(Tag.Side, side, fix44.Side.decode(side), order.side, ' by a replace');
  const ordType = message.get(Tag.OrdType);
  check(Tag.OrdType, ordType, fix44.OrdType.decode(ordType), order.orderType, ': a replace changes quantity and limit price only');
  const tif = message.get(Tag.TimeInForce);
  check(Tag.TimeInForce, tif, fix44.TimeInForce.decode(tif), order.timeInForce, ': a replace changes quantity and limit price only');
  return changes.length > 0 ? changes.join('; ') : undefined;
}

/** The API's field errors as one Text (58), each field named by its FIX tag. */
export function fieldErrorsText(errors: readonly { field: string; message: string }[]): string {
  return errors.map((e) => `${TAG_OF_FIELD[e.field] === undefined ? e.field : tagLabel(TAG_OF_FIELD[e.field]!)}: ${e.message}`).join('; ');
}

/** OrdRejReason (103) for a pre-trade risk code (the reject reason's `CODE:` prefix). */
export function ordRejReasonFor(rejectReason: string | null): string {
  const code = rejectReason?.split(':')[0]?.trim() ?? '';
  switch (code) {
    case 'UNKNOWN_ACCOUNT':
      return fix44.OrdRejReason.UnknownAccount;
    case 'DUPLICATE_ORDER':
      return fix44.OrdRejReason.DuplicateOrder;
    case 'MAX_QUANTITY':
    case 'MAX_NOTIONAL':
    case 'POSITION_LIMIT':
    case 'CREDIT_LIMIT':
    case 'THROTTLED':
      return fix44.OrdRejReason.ExceedsLimit;
    case 'KILL_SWITCH':
    case 'RESTRICTED_SYMBOL':
    case 'PRICE_COLLAR':
      return fix44.OrdRejReason.BrokerOption;
    default:
      return fix44.OrdRejReason.Other;
  }
}
