import { create } from '@bufbuild/protobuf';
import type { OrderSnapshot } from '../../domain/events/messages.js';
import { ORDER_STATUSES, ORDER_TYPES, SIDES, TIMES_IN_FORCE } from '../../domain/order/enums.js';
import type { FieldError } from '../../domain/order/validation.js';
import { STRATEGY_NAMES } from '../../domain/routing/strategy-types.js';
import {
  OrderSchema,
  OrderStatus,
  OrderType,
  RoutingStrategy,
  Side,
  SubmitOrderRequestSchema,
  TimeInForce,
  type Order as OrderMessage,
  type SubmitOrderRequest,
} from '../../gen/oms/v1/order_pb.js';
import { domainName, isoFromTimestamp, nullableText, optionalText, timestampFromIso, toInt64, toSafeNumber, type ProtoEnum } from './proto-values.js';

/** The order as gRPC carries it; the same message serves API answers, streams and risk checks. */
export function orderToProto(order: OrderSnapshot): OrderMessage {
  return create(OrderSchema, {
    orderId: order.orderId,
    clientOrderId: order.clientOrderId,
    accountId: order.accountId,
    symbol: order.symbol,
    side: Side[order.side],
    orderType: OrderType[order.orderType],
    quantity: toInt64(order.quantity),
    limitPrice: optionalText(order.limitPrice),
    timeInForce: TimeInForce[order.timeInForce],
    strategy: order.strategy ? RoutingStrategy[order.strategy] : RoutingStrategy.UNSPECIFIED,
    status: OrderStatus[order.status],
    filledQuantity: toInt64(order.filledQuantity),
    leavesQuantity: toInt64(order.leavesQuantity),
    avgPrice: optionalText(order.avgPrice),
    rejectReason: optionalText(order.rejectReason),
    version: toInt64(order.version),
    createdAt: timestampFromIso(order.createdAt),
    updatedAt: timestampFromIso(order.updatedAt),
  });
}

/**
 * Back to a snapshot, for a server that acts on an order another service sent (risk-service).
 * Fails with every field it cannot represent; the order's terms are validated by the caller.
 */
export function orderFromProto(message: OrderMessage): { ok: true; value: OrderSnapshot } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const required = <T>(field: string, value: T | undefined, rule: string): T => {
    if (value === undefined) errors.push({ field, message: rule });
    return value as T;
  };
  const count = (field: string, value: bigint): number => required(field, toSafeNumber(value), 'must fit a safe integer');
  const known = <T extends string>(field: string, protoEnum: ProtoEnum, value: number, names: readonly T[]): T =>
    required(field, domainName(protoEnum, value, names), `must be one of ${names.join(', ')}`);
  const time = (field: string, value: OrderMessage['createdAt']): string => required(field, value && isoFromTimestamp(value), 'is required');

  const snapshot: OrderSnapshot = {
    orderId: message.orderId,
    clientOrderId: message.clientOrderId,
    accountId: message.accountId,
    symbol: message.symbol,
    side: known('side', Side, message.side, SIDES),
    orderType: known('order_type', OrderType, message.orderType, ORDER_TYPES),
    quantity: count('quantity', message.quantity),
    limitPrice: nullableText(message.limitPrice),
    timeInForce: known('time_in_force', TimeInForce, message.timeInForce, TIMES_IN_FORCE),
    strategy: domainName(RoutingStrategy, message.strategy, STRATEGY_NAMES) ?? null,
    status: known('status', OrderStatus, message.status, ORDER_STATUSES),
    filledQuantity: count('filled_quantity', message.filledQuantity),
    leavesQuantity: count('leaves_quantity', message.leavesQuantity),
    avgPrice: nullableText(message.avgPrice),
    rejectReason: nullableText(message.rejectReason),
    version: count('version', message.version),
    createdAt: time('created_at', message.createdAt),
    updatedAt: time('updated_at', message.updatedAt),
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: snapshot };
}

/**
 * A submit request as the body the domain validation reads (the REST API's JSON shape), so
 * gRPC and REST share one set of rules and messages. Proto3 cannot tell an unset field from its
 * default, so "" and UNSPECIFIED read as absent ("is required"); an enum value this build does
 * not know is passed on as its number ("must be one of ...").
 */
export function submitRequestToBody(request: SubmitOrderRequest): Record<string, unknown> {
  const text = (value: string): string | undefined => (value === '' ? undefined : value);
  const name = (protoEnum: ProtoEnum, value: number): string | number | undefined => (value === 0 ? undefined : (protoEnum[value] ?? value));
  return {
    clientOrderId: text(request.clientOrderId),
    accountId: text(request.accountId),
    symbol: text(request.symbol),
    side: name(Side, request.side),
    orderType: name(OrderType, request.orderType),
    // Exact up to 2^53; anything larger is far beyond the maximum order size and is rejected as such.
    quantity: Number(request.quantity),
    limitPrice: request.limitPrice,
    timeInForce: name(TimeInForce, request.timeInForce),
    strategy: name(RoutingStrategy, request.strategy),
  };
}

/** The validation's field names (the JSON names) as the proto names a gRPC client sees. */
export function protoFieldName(field: string): string {
  return SubmitOrderRequestSchema.fields.find((f) => f.localName === field)?.name ?? field;
}
