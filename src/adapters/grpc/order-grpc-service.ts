import { create } from '@bufbuild/protobuf';
import { Code, ConnectError, type ConnectRouter } from '@connectrpc/connect';
import { validate as isUuid } from 'uuid';
import { can } from '../../domain/access/permissions.js';
import type { OrderSnapshot } from '../../domain/events/messages.js';
import { toSnapshot } from '../../domain/order/snapshot.js';
import { OrderService, StreamOrderUpdatesResponseSchema, SubmitOrderResponseSchema } from '../../gen/oms/v1/order_pb.js';
import type { OrderSubmission } from '../../ports/order-entry.js';
import type { OrderQueries } from '../../ports/order-queries.js';
import type { OrderUpdates } from '../../ports/order-updates.js';
import type { RequestAuthenticator } from '../../ports/authenticator.js';
import { notStoredMessage } from '../../ports/order-intake.js';
import { authenticationInterceptor, callerOf, denial } from './grpc-auth.js';
import { invalidArgument } from './grpc-errors.js';
import type { GrpcRoutes } from './grpc-server.js';
import { orderDetailsToProto } from './order-details-messages.js';
import { orderToProto, submitRequestToBody } from './order-grpc-messages.js';
import { PushStream } from './push-stream.js';

export interface OrderGrpcDeps {
  readonly ingest: Pick<OrderSubmission, 'submit'>;
  readonly queries: Pick<OrderQueries, 'orderDetails'>;
  readonly updates: Pick<OrderUpdates, 'subscribe'>;
  /** Every call names its caller with `authorization: Bearer <token>` metadata, with REST's rules. */
  readonly authenticator: RequestAuthenticator;
  /** Told why an order could not be stored (the client only learns UNAVAILABLE). */
  readonly onError?: (error: unknown) => void;
  /** Updates a stream may hold for a slow reader before it is ended; default 10,000. */
  readonly maxQueuedUpdates?: number;
}

const orderNotFound = (orderId: string) => new ConnectError(`no order ${orderId}`, Code.NotFound);
const accountNotFound = (accountId: string) => new ConnectError(`no account ${accountId}`, Code.NotFound);
const notEntitledToTrade = (accountId: string) => new ConnectError(`not entitled to trade on account ${accountId} (account_id)`, Code.PermissionDenied);

/** oms-ingest's OrderService: the REST order API's submit, read and live updates, over gRPC. */
export function orderGrpcRoutes(deps: OrderGrpcDeps): GrpcRoutes {
  const interceptors = [authenticationInterceptor(deps.authenticator)];
  return (router: ConnectRouter) =>
    router.service(
      OrderService,
      {
        async submitOrder(request, context) {
          const denied = denial(callerOf(context), 'order:submit', request.accountId, notEntitledToTrade);
          if (denied) throw denied;
          let result;
          try {
            result = await deps.ingest.submit(submitRequestToBody(request));
          } catch (error) {
            deps.onError?.(error);
            // Not stored, so not acknowledged: a retry with the same client_order_id is safe.
            throw new ConnectError(notStoredMessage(error, 'client_order_id'), Code.Unavailable, undefined, undefined, error);
          }
          if (result.kind === 'invalid') throw invalidArgument(result.errors);
          return create(SubmitOrderResponseSchema, { order: orderToProto(toSnapshot(result.order)), created: result.created });
        },

        async getOrder(request, context) {
          const caller = callerOf(context);
          const denied = denial(caller, 'order:read', undefined, orderNotFound);
          if (denied) throw denied;
          // Ids are UUIDs: anything else cannot be an order (and must not reach a uuid column).
          const details = isUuid(request.orderId) ? await deps.queries.orderDetails(request.orderId) : null;
          if (!details || !can(caller, 'order:read', details.accountId)) throw orderNotFound(request.orderId);
          return orderDetailsToProto(details);
        },

        async *streamOrderUpdates(request, context) {
          const caller = callerOf(context);
          const denied = denial(caller, 'order:read', request.accountId, accountNotFound);
          if (denied) throw denied;
          const stream = new PushStream<OrderSnapshot>({ maxQueued: deps.maxQueuedUpdates ?? 10_000 });
          const unsubscribe = deps.updates.subscribe(
            request.accountId || undefined,
            ({ order }) => can(caller, 'order:read', order.accountId) && stream.push(order),
          );
          try {
            for await (const order of stream.drain(context.signal)) yield create(StreamOrderUpdatesResponseSchema, { order: orderToProto(order) });
          } finally {
            unsubscribe();
          }
        },
      },
      { interceptors },
    );
}
