import { Code, ConnectError, type ConnectRouter } from '@connectrpc/connect';
import type { Tracer } from '@opentelemetry/api';
import { fromSnapshot } from '../../domain/order/snapshot.js';
import { validateNewOrder } from '../../domain/order/validation.js';
import { create } from '@bufbuild/protobuf';
import { CheckOrdersResponseSchema, RiskService } from '../../gen/oms/v1/risk_pb.js';
import type { Order as OrderMessage } from '../../gen/oms/v1/order_pb.js';
import type { PreTradeRisk } from '../../ports/pre-trade-risk.js';
import { invalidArgument } from './grpc-errors.js';
import type { GrpcRoutes } from './grpc-server.js';
import { orderFromProto } from './order-grpc-messages.js';
import { decisionToProto } from './risk-messages.js';
import { traceRiskCheck } from './risk-call-tracing.js';
import { interceptorsFor, type InternalServiceAuth } from './service-auth.js';

export interface RiskGrpcDeps {
  readonly risk: PreTradeRisk;
  /** Who may call: an unauthenticated check would let anyone spend an account's throttle. */
  readonly auth: InternalServiceAuth;
  /** Tracing on: each order's check is a span continuing the trace its caller's metadata names. */
  readonly tracer?: Tracer;
}

/** risk-service's RiskService: the pre-trade check for oms-core, over whatever PreTradeRisk decides. */
export function riskGrpcRoutes(deps: RiskGrpcDeps): GrpcRoutes {
  const interceptors = interceptorsFor(deps.auth);
  const decide = async (order: OrderMessage | undefined) => {
    if (!order) throw new ConnectError('order is required', Code.InvalidArgument);
    const decoded = orderFromProto(order);
    if (!decoded.ok) throw invalidArgument(decoded.errors);
    // The same rules as order entry: the check never evaluates a malformed order.
    const terms = validateNewOrder({
      clientOrderId: decoded.value.clientOrderId,
      accountId: decoded.value.accountId,
      symbol: decoded.value.symbol,
      side: decoded.value.side,
      orderType: decoded.value.orderType,
      quantity: decoded.value.quantity,
      limitPrice: decoded.value.limitPrice,
      timeInForce: decoded.value.timeInForce,
      strategy: decoded.value.strategy,
    });
    if (!terms.ok) throw invalidArgument(terms.errors);
    return fromSnapshot(decoded.value);
  };
  return (router: ConnectRouter) =>
    router.service(
      RiskService,
      {
        async checkOrder(request) {
          return decisionToProto(await deps.risk.check(await decide(request.order)));
        },
        async checkOrders(request, context) {
          // Every order is read before any is decided, so a malformed one fails the call and decides nothing.
          const orders = await Promise.all(request.orders.map(decide));
          const { tracer } = deps;
          // Handed over together and in order: the service batches them, and one account's see each other.
          const decisions = await Promise.all(
            orders.map((order, i) =>
              tracer ? traceRiskCheck(tracer, context.requestHeader, i, order.orderId, () => deps.risk.check(order)) : deps.risk.check(order),
            ),
          );
          return create(CheckOrdersResponseSchema, { decisions: decisions.map(decisionToProto) });
        },
      },
      { interceptors },
    );
}
