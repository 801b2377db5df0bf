import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { can } from '../../domain/access/permissions.js';
import type { OrderUpdateHub } from '../../services/oms-ingest/order-update-hub.js';
import { accountNotFound, principalOf, refusal } from './access-guard.js';
import { orderStreamSchema } from './schemas/order-schemas.js';

/** Server-sent events: one `order` event per status change, for one account or every account the caller is entitled to. */
export function registerOrderStreamRoute(app: FastifyInstance, hub: OrderUpdateHub): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/api/v1/orders/stream', { schema: orderStreamSchema }, (request, reply) => {
    const accountId = request.query.accountId || undefined;
    const refused = refusal(request, 'order:read', accountId, accountNotFound);
    if (refused) {
      void reply.status(refused.status).send(refused.body);
      return;
    }
    const principal = principalOf(request);
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    reply.raw.write(': connected\n\n');
    const unsubscribe = hub.subscribe(accountId, (order) => {
      if (can(principal, 'order:read', order.accountId)) reply.raw.write(`event: order\ndata: ${JSON.stringify(order)}\n\n`);
    });
    const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), 15_000);
    request.raw.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
    reply.hijack();
  });
}
