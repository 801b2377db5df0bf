import { create } from '@bufbuild/protobuf';
import type { ChildOrderView, ExecutionQualityView, FillView, OrderDetails, OrderHistoryView } from '../../ports/order-queries.js';
import {
  ChildOrderStatus,
  ExecutionQualitySchema,
  GetOrderResponseSchema,
  OrderStatus,
  OrderType,
  RoutingStrategy,
  TimeInForce,
  type ChildOrder,
  type ExecutionQuality,
  type Fill,
  type GetOrderResponse,
  type OrderEvent,
} from '../../gen/oms/v1/order_pb.js';
import type { JsonObject } from '@bufbuild/protobuf';
import { orderToProto } from './order-grpc-messages.js';
import { optionalText, protoValue, timestampFromIso, toInt64 } from './proto-values.js';

/** GetOrder's answer: the REST API's order details, field for field. */
export function orderDetailsToProto(details: OrderDetails): GetOrderResponse {
  return create(GetOrderResponseSchema, {
    order: orderToProto(details),
    fills: details.fills.map(fillToProto),
    children: details.children.map(childToProto),
    events: details.events.map(eventToProto),
    executionQuality: details.executionQuality === null ? undefined : qualityToProto(details.executionQuality),
  });
}

const fillToProto = (fill: FillView): Omit<Fill, '$typeName'> => ({
  execId: fill.execId,
  venue: fill.venue,
  childOrderId: fill.childOrderId,
  quantity: toInt64(fill.quantity),
  price: fill.price,
  occurredAt: timestampFromIso(fill.occurredAt),
});

// Read models hold names as text: a name the proto lacks shows as UNSPECIFIED rather than failing the read.
const childToProto = (child: ChildOrderView): Omit<ChildOrder, '$typeName'> => ({
  childOrderId: child.childOrderId,
  venue: child.venue,
  orderType: protoValue(OrderType, child.orderType),
  timeInForce: protoValue(TimeInForce, child.timeInForce),
  quantity: toInt64(child.quantity),
  limitPrice: optionalText(child.limitPrice),
  routeAttempt: child.routeAttempt,
  strategy: protoValue(RoutingStrategy, child.strategy),
  status: protoValue(ChildOrderStatus, child.status),
  filledQuantity: toInt64(child.filledQuantity),
  leavesQuantity: toInt64(child.leavesQuantity),
});

const eventToProto = (event: OrderHistoryView): Omit<OrderEvent, '$typeName'> => ({
  seq: toInt64(event.seq),
  eventType: event.eventType,
  status: protoValue(OrderStatus, event.status),
  // Stored as jsonb, so it is JSON already; protobuf-es carries Struct fields as JsonObject.
  detail: event.detail as JsonObject,
  source: event.source,
  occurredAt: timestampFromIso(event.occurredAt),
});

function qualityToProto(q: ExecutionQualityView): ExecutionQuality {
  return create(ExecutionQualitySchema, {
    orderedQuantity: toInt64(q.orderedQuantity),
    filledQuantity: toInt64(q.filledQuantity),
    fillRate: q.fillRate,
    averagePrice: optionalText(q.averagePrice),
    slippageBps: optionalText(q.slippageBps),
    shortfallBps: optionalText(q.shortfallBps),
    priceImprovement: optionalText(q.priceImprovement),
    priceImprovementBps: optionalText(q.priceImprovementBps),
    feesPaid: q.feesPaid,
    childCount: q.childCount,
    timeToFillMs: q.timeToFillMs === null ? undefined : toInt64(q.timeToFillMs),
  });
}
