import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can } from '../../domain/access/permissions.js';
import type { AmendmentResult, OrderAmendments } from '../../ports/order-entry.js';
import { callerSubject, orderNotFound, principalOf, roleRefusal } from './access-guard.js';
import { apiError } from './errors.js';
import { isOrderId } from './order-id.js';
import { cancelOrderSchema, replaceOrderSchema } from './schemas/order-schemas.js';

type OrderRequest = FastifyRequest<{ Params: { orderId: string } }>;

/**
 * Cancel (DELETE /api/v1/orders/{id} or POST .../cancel) and replace (PATCH /api/v1/orders/{id}
 * or POST .../replace with quantity and/or limitPrice) of a working order. 202: accepted, the
 * order's stream and history tell how it ends; 404 for an order the caller cannot see; 409 once final.
 */
export function registerOrderAmendmentRoutes(app: FastifyInstance, amendments: OrderAmendments): void {
  const cancel = (request: OrderRequest, reply: FastifyReply) =>
    amend(request, reply, (visible) => amendments.requestCancel(request.params.orderId, requester(request), visible));
  const replace = (request: OrderRequest, reply: FastifyReply) =>
    amend(request, reply, (visible) => amendments.requestReplace(request.params.orderId, request.body, requester(request), visible));
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.delete('/api/v1/orders/:orderId', { schema: cancelOrderSchema }, cancel);
  api.post('/api/v1/orders/:orderId/cancel', { schema: cancelOrderSchema }, cancel);
  api.patch('/api/v1/orders/:orderId', { schema: replaceOrderSchema }, replace);
  api.post('/api/v1/orders/:orderId/replace', { schema: replaceOrderSchema }, replace);
}

async function amend(request: OrderRequest, reply: FastifyReply, run: (visible: (order: { accountId: string }) => boolean) => Promise<AmendmentResult>) {
  const refused = roleRefusal(request, 'order:cancel');
  if (refused) return reply.status(refused.status).send(refused.body);
  const { orderId } = request.params;
  const principal = principalOf(request);
  const result: AmendmentResult = isOrderId(orderId) ? await run((order) => can(principal, 'order:cancel', order.accountId)) : { kind: 'not-found' };
  switch (result.kind) {
    case 'accepted':
      return reply.status(202).send(result.order);
    case 'not-found': {
      const mapped = orderNotFound(orderId);
      return reply.status(mapped.status).send(mapped.body);
    }
    case 'not-working': {
      const mapped = apiError('ORDER_NOT_WORKING', [{ field: 'status', message: `the order is ${result.order.status}` }]);
      return reply.status(mapped.status).send(mapped.body);
    }
    case 'invalid': {
      const mapped = apiError('VALIDATION_FAILED', result.errors);
      return reply.status(mapped.status).send(mapped.body);
    }
    default: {
      const unreachable: never = result;
      return unreachable;
    }
  }
}

const requester = (request: FastifyRequest) => ({ requestedBy: callerSubject(request) ?? 'anonymous', source: 'rest' });
