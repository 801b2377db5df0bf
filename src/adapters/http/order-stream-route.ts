import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import { can } from '../../domain/access/permissions.js';
import type { OrderUpdate, OrderUpdates } from '../../ports/order-updates.js';
import { accountNotFound, principalOf, refusal } from './access-guard.js';
import { orderStreamSchema } from './schemas/order-schemas.js';

/**
 * Server-sent events: one `order` event per status change, for one account or every account the
 * caller is entitled to. Each carries an id; a client that reconnects with `Last-Event-ID` (as
 * EventSource does by itself) first gets the updates it missed, or a `reset` event when they are
 * no longer held (the server restarted, or it was away too long): it then reads the orders again.
 */
export function registerOrderStreamRoute(app: FastifyInstance, hub: OrderUpdates): void {
  // A stream never ends by itself: the server ends them as it closes, or its close would wait for
  // every client to go (the clients reconnect, to another instance or to this one restarted).
  const open = new Set<ServerResponse>();
  app.addHook('preClose', (done) => {
    for (const response of open) response.end();
    done();
  });
  app.withTypeProvider<TypeBoxTypeProvider>().get('/api/v1/orders/stream', { schema: orderStreamSchema }, (request, reply) => {
    const accountId = request.query.accountId || undefined;
    const refused = refusal(request, 'order:read', accountId, accountNotFound);
    if (refused) {
      void reply.status(refused.status).send(refused.body);
      return;
    }
    const principal = principalOf(request);
    const out = reply.raw;
    let corked = false;
    const uncork = (): void => {
      corked = false;
      out.uncork();
    };
    const send = ({ id, order }: OrderUpdate): void => {
      if (!can(principal, 'order:read', order.accountId)) return;
      // The updates of one turn (often hundreds) leave in one write, not one system call each.
      if (!corked) {
        corked = true;
        out.cork();
        process.nextTick(uncork);
      }
      out.write(`id: ${id}\nevent: order\ndata: ${JSON.stringify(order)}\n\n`);
    };
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    reply.raw.write(': connected\n\n');
    // What was missed, then live updates, in one synchronous step: nothing falls in between.
    const lastEventId = request.headers['last-event-id'];
    if (typeof lastEventId === 'string' && lastEventId !== '') {
      const resumption = hub.resume(lastEventId, accountId);
      if (resumption.kind === 'reset') reply.raw.write('event: reset\ndata: {}\n\n');
      else resumption.missed.forEach(send);
    }
    // An id with no data sets the client's last id without an event: a stream that drops before
    // its first update still resumes from here.
    reply.raw.write(`id: ${hub.latestId}\n\n`);
    const unsubscribe = hub.subscribe(accountId, send);
    const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), 15_000);
    open.add(out);
    request.raw.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
      open.delete(out);
    });
    reply.hijack();
  });
}
