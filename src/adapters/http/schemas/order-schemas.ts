import { Type } from 'typebox';
import { ORDER_STATUSES, ORDER_TYPES, SIDES, TIMES_IN_FORCE } from '../../../domain/order/enums.js';
import { STRATEGY_NAMES } from '../../../domain/routing/strategy-types.js';
import { BODY_ERRORS, Decimal, IsoTime, Nullable, errorResponses } from './common.js';

const Id = (description: string) => Type.String({ pattern: '^[A-Za-z0-9._:-]{1,64}$', description });
const Price = Type.Union([Type.String(), Type.Number()], {
  description: 'A decimal with at most 8 places, on the tick (0.01 at or above one dollar, 0.0001 below)',
});

/** What a client sends to submit an order; documented here, checked by the domain (every bad field named at once). */
const OrderRequestShape = Type.Object(
  {
    clientOrderId: Id("The client's id: the same (accountId, clientOrderId) again returns the same order"),
    accountId: Id('An account the caller is entitled to trade'),
    symbol: Type.String({ pattern: '^[A-Z][A-Z0-9.]{0,11}$' }),
    side: Type.Enum(SIDES),
    orderType: Type.Enum(ORDER_TYPES),
    quantity: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
    limitPrice: Type.Optional(Nullable(Price)),
    timeInForce: Type.Enum(TIMES_IN_FORCE),
    strategy: Type.Optional(Nullable(Type.Enum(STRATEGY_NAMES, { description: "A routing strategy; absent for the router's default" }))),
  },
  { additionalProperties: false, description: 'limitPrice is required for LIMIT and absent for MARKET' },
);

/** The body's static type stays unknown: the domain, not the schema, decides what is valid. */
export const OrderRequest = Type.Unsafe<unknown>(OrderRequestShape);

const ReplaceRequest = Type.Unsafe<unknown>(
  Type.Object(
    { quantity: Type.Optional(Type.Integer({ minimum: 1, description: 'The new total, filled shares included' })), limitPrice: Type.Optional(Price) },
    { additionalProperties: false, minProperties: 1, description: 'quantity, limitPrice or both; what is left out keeps its value' },
  ),
);

export const Order = Type.Object({
  orderId: Type.String({ format: 'uuid', description: 'A UUIDv7' }),
  clientOrderId: Type.String(),
  accountId: Type.String(),
  symbol: Type.String(),
  side: Type.Enum(SIDES),
  orderType: Type.Enum(ORDER_TYPES),
  quantity: Type.Integer(),
  limitPrice: Nullable(Decimal('Limit price; null for MARKET')),
  timeInForce: Type.Enum(TIMES_IN_FORCE),
  strategy: Type.Optional(Nullable(Type.Enum(STRATEGY_NAMES))),
  status: Type.Enum(ORDER_STATUSES, { description: 'FIX OrdStatus name' }),
  filledQuantity: Type.Integer(),
  leavesQuantity: Type.Integer(),
  avgPrice: Nullable(Decimal('Average fill price; null before the first fill')),
  rejectReason: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});

const Fill = Type.Object({
  execId: Type.String(),
  venue: Type.String(),
  childOrderId: Type.String(),
  quantity: Type.Integer(),
  price: Decimal('Fill price'),
  occurredAt: IsoTime,
});

const ChildOrder = Type.Object({
  childOrderId: Type.String(),
  venue: Type.String(),
  orderType: Type.String(),
  timeInForce: Type.String(),
  quantity: Type.Integer(),
  limitPrice: Nullable(Decimal('Limit price at the venue')),
  routeAttempt: Type.Integer(),
  strategy: Nullable(Type.String()),
  nbboBid: Nullable(Decimal('Consolidated best bid the router saw when it placed this child')),
  nbboAsk: Nullable(Decimal('Consolidated best offer the router saw when it placed this child')),
  routedAt: IsoTime,
  status: Type.String(),
  filledQuantity: Type.Integer(),
  leavesQuantity: Type.Integer(),
});

const HistoryEvent = Type.Object({
  seq: Type.Integer(),
  eventType: Type.String(),
  status: Type.String(),
  detail: Type.Record(Type.String(), Type.Unknown()),
  source: Type.String(),
  occurredAt: IsoTime,
});

const ExecutionQuality = Type.Object({
  orderedQuantity: Type.Integer(),
  filledQuantity: Type.Integer(),
  fillRate: Decimal('Filled over ordered'),
  averagePrice: Nullable(Decimal('Average fill price')),
  slippageBps: Nullable(Decimal('Against the arrival NBBO mid, in basis points')),
  shortfallBps: Nullable(Decimal('Implementation shortfall, in basis points')),
  priceImprovement: Nullable(
    Decimal('Total, in money: against the arrival far side (the ask for a buy, the bid for a sell), times the shares filled; positive is better'),
  ),
  priceImprovementBps: Nullable(Decimal('In basis points')),
  feesPaid: Decimal('Venue fees'),
  childCount: Type.Integer(),
  timeToFillMs: Nullable(Type.Integer()),
});

const OrderDetails = Type.Object({
  ...Order.properties,
  fills: Type.Array(Fill),
  children: Type.Array(ChildOrder),
  events: Type.Array(HistoryEvent),
  executionQuality: Nullable(ExecutionQuality, { description: 'Against the NBBO the first route saw; null before the order was routed' }),
});

const AggregateExecutionQuality = Type.Object({
  orders: Type.Integer(),
  orderedQuantity: Type.Integer(),
  filledQuantity: Type.Integer(),
  fillRate: Decimal('Filled over ordered'),
  slippageBps: Nullable(Decimal('In basis points')),
  shortfallBps: Nullable(Decimal('In basis points')),
  priceImprovementBps: Nullable(Decimal('In basis points')),
  priceImprovement: Decimal('Total, in money'),
  feesPaid: Decimal('Venue fees'),
  childrenPerOrder: Decimal('Children per order'),
  averageTimeToFillMs: Nullable(Type.Integer()),
});

const VenueExecutionQuality = Type.Object({
  fills: Type.Integer(),
  filledQuantity: Type.Integer(),
  averagePriceBySymbol: Type.Record(Type.String(), Decimal('Average fill price'), { description: 'Per symbol: prices of two symbols do not average' }),
  slippageBps: Nullable(
    Decimal(
      "The venue's fills against the arrival NBBO mid of their order (the NBBO its first route saw), in basis points, weighted by shares filled; positive is worse for the client",
    ),
  ),
  feesPaid: Decimal("The venue's fees on these fills (from its fee schedule: taker fee, or maker rebate as a negative)"),
});

const OrderIdParams = Type.Object({ orderId: Type.String({ description: "The order's id (a UUIDv7)" }) });

/** Query strings arrive as text; the documented types are what the route accepts, checked by the route. */
const AccountQuery = Type.Unsafe<{ accountId?: string; limit?: string }>(
  Type.Object({
    accountId: Type.String({ description: 'An account the caller is entitled to' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  }),
);

const tags = ['orders'];

export const submitOrderSchema = {
  tags,
  summary: 'Submit an order (idempotent per accountId + clientOrderId)',
  body: OrderRequest,
  response: {
    201: { ...Order, description: 'Stored and acknowledged' },
    200: { ...Order, description: 'Already stored: the same order again' },
    ...errorResponses(...BODY_ERRORS, 403),
  },
};

export const getOrderSchema = {
  tags,
  summary: 'The order with its fills, child orders, history and execution quality',
  params: OrderIdParams,
  response: { 200: OrderDetails, ...errorResponses(403, 404) },
};

export const getOrderStatusSchema = {
  tags,
  summary: 'The order alone, for clients that poll',
  params: OrderIdParams,
  response: { 200: Order, ...errorResponses(403, 404) },
};

export const listOrdersSchema = {
  tags,
  summary: "An account's latest orders",
  querystring: AccountQuery,
  response: { 200: Type.Object({ orders: Type.Array(Order) }), ...errorResponses(400, 403, 404) },
};

export const executionQualitySchema = {
  tags,
  summary: "Execution quality of an account's latest orders, overall and by strategy",
  querystring: AccountQuery,
  response: {
    200: Type.Object({
      accountId: Type.String(),
      overall: AggregateExecutionQuality,
      byStrategy: Type.Record(Type.String(), AggregateExecutionQuality, { description: 'DEFAULT: the router chose' }),
      byVenue: Type.Record(Type.String(), VenueExecutionQuality, { description: "The same orders' fills, by the venue that filled them" }),
    }),
    ...errorResponses(400, 403, 404),
  },
};

const amendmentResponses = { 202: { ...Order, description: "Accepted: the order's stream and history tell how it ends" }, ...errorResponses(403, 404, 409) };

export const cancelOrderSchema = { tags, summary: 'Cancel a working order', params: OrderIdParams, response: amendmentResponses };

export const replaceOrderSchema = {
  tags,
  summary: "Replace a working order's quantity and/or limit price",
  params: OrderIdParams,
  body: ReplaceRequest,
  response: { ...amendmentResponses, ...errorResponses(...BODY_ERRORS, 403, 404, 409) },
};

export const orderStreamSchema = {
  tags,
  summary: 'Server-sent events: one `order` event (the order as JSON) per status change',
  description:
    'Each event has an id. Reconnecting with the `Last-Event-ID` header (EventSource sends it by itself) first replays the updates missed since that id; ' +
    'when they are no longer held (the server restarted, or the client was away too long), an `event: reset` comes instead: read the orders again with GET.',
  querystring: Type.Unsafe<{ accountId?: string }>(
    Type.Object({ accountId: Type.Optional(Type.String({ description: 'One account; every entitled account when absent' })) }),
  ),
  headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ description: 'The id of the last event received, to resume after it' })) }),
  response: {
    200: {
      description: 'text/event-stream of `event: order` messages (and `event: reset` on a resume that cannot be served)',
      content: { 'text/event-stream': { schema: Type.String() } },
    },
    ...errorResponses(403, 404),
  },
};
