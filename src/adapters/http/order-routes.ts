import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OrderStatusLookup, OrderSubmission, SubmitResult } from '../../ports/order-entry.js';
import type { OrderQueries } from '../../ports/order-queries.js';
import { toSnapshot } from '../../domain/order/snapshot.js';
import { notStoredMessage } from '../../ports/order-intake.js';
import { can } from '../../domain/access/permissions.js';
import { accountNotFound, orderNotFound, principalOf, refusal, roleRefusal } from './access-guard.js';
import { apiError, type ApiErrorAnswer } from './errors.js';
import { isOrderId } from './order-id.js';
import { executionQualitySchema, getOrderSchema, getOrderStatusSchema, listOrdersSchema, submitOrderSchema } from './schemas/order-schemas.js';

const MAX_LIST = 500;

/**
 * The order API: submit (idempotent per accountId + clientOrderId), read one, list by account.
 * Traders submit on their entitled accounts; an order or account the caller is not entitled to
 * answers 404 exactly as an unknown one does.
 */
export function registerOrderRoutes(app: FastifyInstance, deps: { ingest: OrderSubmission; queries: OrderQueries; status: OrderStatusLookup }): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.post('/api/v1/orders', { schema: submitOrderSchema }, async (request, reply) => {
    // A missing or non-string accountId is left to validation (400); a named one must be entitled (403: the client chose it).
    const refused = refusal(request, 'order:submit', accountIdIn(request.body), notEntitledToTrade);
    if (refused) return reply.status(refused.status).send(refused.body);
    let result: SubmitResult;
    try {
      result = await deps.ingest.submit(request.body);
    } catch (error) {
      // Not stored, so not acknowledged: the client retries with the same clientOrderId, safely.
      request.log.error({ err: error }, 'order not stored');
      const mapped = apiError('SERVICE_UNAVAILABLE', undefined, notStoredMessage(error, 'clientOrderId'));
      return reply.status(mapped.status).send(mapped.body);
    }
    if (result.kind === 'invalid') {
      const mapped = apiError('VALIDATION_FAILED', result.errors);
      return reply.status(mapped.status).send(mapped.body);
    }
    // 201 for a new order, 200 when the same (accountId, clientOrderId) was already stored.
    return reply.status(result.created ? 201 : 200).send(toSnapshot(result.order));
  });

  api.get('/api/v1/orders/:orderId', { schema: getOrderSchema }, (request, reply) =>
    sendReadableOrder(request, reply, (orderId) => deps.queries.orderDetails(orderId)),
  );

  // The order without fills or history, for clients that poll: served from the status cache when there is one.
  api.get('/api/v1/orders/:orderId/status', { schema: getOrderStatusSchema }, (request, reply) =>
    sendReadableOrder(request, reply, (orderId) => deps.status.status(orderId)),
  );

  api.get('/api/v1/orders', { schema: listOrdersSchema }, async (request, reply) => {
    const query = accountQuery(request.query);
    if (!query.ok) return reply.status(query.error.status).send(query.error.body);
    const refused = refusal(request, 'order:read', query.accountId, accountNotFound);
    if (refused) return reply.status(refused.status).send(refused.body);
    const orders = await deps.queries.listOrders(query.accountId, query.limit);
    return reply.send({ orders });
  });

  // Execution quality of the account's latest orders: fill rate, slippage and shortfall against the
  // arrival NBBO mid, price improvement, fees, children per order, time to fill; overall and by strategy.
  api.get('/api/v1/execution-quality', { schema: executionQualitySchema }, async (request, reply) => {
    const query = accountQuery(request.query);
    if (!query.ok) return reply.status(query.error.status).send(query.error.body);
    const refused = refusal(request, 'order:read', query.accountId, accountNotFound);
    if (refused) return reply.status(refused.status).send(refused.body);
    return reply.send(await deps.queries.executionQuality(query.accountId, query.limit));
  });
}

const accountIdIn = (body: unknown): string | undefined => {
  const accountId = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).accountId : undefined;
  return typeof accountId === 'string' ? accountId : undefined;
};

const notEntitledToTrade = (accountId: string) => apiError('FORBIDDEN', [{ field: 'accountId', message: `not entitled to trade on account ${accountId}` }]);

interface AccountQuery {
  accountId?: string;
  limit?: string;
}

function accountQuery(query: AccountQuery): { ok: true; accountId: string; limit: number } | { ok: false; error: ApiErrorAnswer<'VALIDATION_FAILED'> } {
  const { accountId, limit: limitText } = query;
  const limit = limitText === undefined ? 100 : Number(limitText);
  const fields = [];
  if (!accountId) fields.push({ field: 'accountId', message: 'is required' });
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST) fields.push({ field: 'limit', message: `must be an integer from 1 to ${MAX_LIST}` });
  if (fields.length > 0 || !accountId) return { ok: false, error: apiError('VALIDATION_FAILED', fields) };
  return { ok: true, accountId, limit };
}

/** The order if the caller may read it; 404 alike for an unknown id, a malformed one and another account's order. */
async function sendReadableOrder<T extends { accountId: string }>(
  request: FastifyRequest<{ Params: { orderId: string } }>,
  reply: FastifyReply,
  find: (orderId: string) => Promise<T | null>,
) {
  const refused = roleRefusal(request, 'order:read');
  if (refused) return reply.status(refused.status).send(refused.body);
  const { orderId } = request.params;
  const order = isOrderId(orderId) ? await find(orderId) : null;
  if (!order || !can(principalOf(request), 'order:read', order.accountId)) {
    const mapped = orderNotFound(orderId);
    return reply.status(mapped.status).send(mapped.body);
  }
  return reply.send(order);
}
