import type { FastifyInstance } from 'fastify';
import type { OrderUpdateHub } from '../../services/oms-ingest/order-update-hub.js';

/** Server-sent events: one `order` event per status change, optionally for one account only. */
export function registerOrderStreamRoute(app: FastifyInstance, hub: OrderUpdateHub): void {
  app.get<{ Querystring: { accountId?: string } }>('/api/v1/orders/stream', (request, reply) => {
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    reply.raw.write(': connected\n\n');
    const unsubscribe = hub.subscribe(request.query.accountId || undefined, (order) => {
      reply.raw.write(`event: order\ndata: ${JSON.stringify(order)}\n\n`);
    });
    const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), 15_000);
    request.raw.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
    reply.hijack();
  });
}
