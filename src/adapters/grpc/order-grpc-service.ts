import { create } from '@bufbuild/protobuf';
import { Code, ConnectError, type ConnectRouter } from '@connectrpc/connect';
import { validate as isUuid } from 'uuid';
import type { OrderSnapshot } from '../../domain/events/messages.js';
import { toSnapshot } from '../../domain/order/snapshot.js';
import { OrderService, StreamOrderUpdatesResponseSchema, SubmitOrderResponseSchema } from '../../gen/oms/v1/order_pb.js';
import type { OrderIngestService } from '../../services/oms-ingest/order-ingest-service.js';
import type { OrderQueries } from '../../services/oms-ingest/order-queries.js';
import type { OrderUpdateHub } from '../../services/oms-ingest/order-update-hub.js';
import { invalidArgument } from './grpc-errors.js';
import type { GrpcRoutes } from './grpc-server.js';
import { orderDetailsToProto } from './order-details-messages.js';
import { orderToProto, submitRequestToBody } from './order-messages.js';
import { PushStream } from './push-stream.js';

export interface OrderGrpcDeps {
  readonly ingest: Pick<OrderIngestService, 'submit'>;
  readonly queries: Pick<OrderQueries, 'orderDetails'>;
  readonly updates: Pick<OrderUpdateHub, 'subscribe'>;
  /** Told why an order could not be stored (the client only learns UNAVAILABLE). */
  readonly onError?: (error: unknown) => void;
  /** Updates a stream may hold for a slow reader before it is ended; default 10,000. */
  readonly maxQueuedUpdates?: number;
}

/** oms-ingest's OrderService: the REST order API's submit, read and live updates, over gRPC. */
export function orderGrpcRoutes(deps: OrderGrpcDeps): GrpcRoutes {
  return (router: ConnectRouter) =>
    router.service(OrderService, {
      async submitOrder(request) {
        let result;
        try {
          result = await deps.ingest.submit(submitRequestToBody(request));
        } catch (error) {
          deps.onError?.(error);
          // Not stored, so not acknowledged: a retry with the same client_order_id is safe.
          throw new ConnectError('the order was not stored; retry with the same client_order_id', Code.Unavailable, undefined, undefined, error);
        }
        if (result.kind === 'invalid') throw invalidArgument(result.errors);
        return create(SubmitOrderResponseSchema, { order: orderToProto(toSnapshot(result.order)), created: result.created });
      },

      async getOrder(request) {
        // Ids are UUIDs: anything else cannot be an order (and must not reach a uuid column).
        const details = isUuid(request.orderId) ? await deps.queries.orderDetails(request.orderId) : null;
        if (!details) throw new ConnectError(`no order ${request.orderId}`, Code.NotFound);
        return orderDetailsToProto(details);
      },

      async *streamOrderUpdates(request, context) {
        const stream = new PushStream<OrderSnapshot>({ maxQueued: deps.maxQueuedUpdates ?? 10_000 });
        const unsubscribe = deps.updates.subscribe(request.accountId || undefined, (order) => stream.push(order));
        try {
          for await (const order of stream.drain(context.signal)) yield create(StreamOrderUpdatesResponseSchema, { order: orderToProto(order) });
        } finally {
          unsubscribe();
        }
      },
    });
}
