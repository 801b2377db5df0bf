/**
 * The bare baseline of issue 13: the least a server can do to acknowledge an order durably. Fastify,
 * the project's own validation, a uuid v7, and one JSON record of the order appended to the
 * project's FileJournal (group commit + fdatasync), then 201 { orderId, status }. No risk, no
 * routing, no idempotency: the system's ACK rate divided by this one's says how much of the
 * possible speed the system's ingest keeps.
 *
 *   node --import tsx bench/baseline-server.ts --dir /tmp/x [--port 0] [--sync fdatasync|none]
 *
 * Prints its URL on the first line of stdout once it listens; SIGTERM closes it.
 */
import Fastify from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { FileJournal } from '../src/adapters/journal/file-journal.js';
import { createOrder } from '../src/domain/order/lifecycle.js';
import { toSnapshot } from '../src/domain/order/snapshot.js';
import { validateNewOrder } from '../src/domain/order/validation.js';
import { scriptOptions } from './options.js';

const args = scriptOptions('node --import tsx bench/baseline-server.ts --dir DIR [options]   (started by bench/order-flow.ts)', {
  dir: { type: 'string', help: 'journal directory (required)' },
  port: { type: 'string', default: '0', help: 'HTTP port, 0 for any free one' },
  sync: { type: 'string', default: 'fdatasync', help: 'journal sync: fdatasync or none' },
});
if (!args.dir) throw new Error('--dir is required');
if (args.sync !== 'fdatasync' && args.sync !== 'none') throw new Error('--sync must be fdatasync or none');

// As the system's journal is opened (src/app/embedded.ts): the same durable write.
const journal = await FileJournal.open({ dir: args.dir, sync: args.sync, preallocate: true });
const encoder = new TextEncoder();
const app = Fastify({ logger: false });

app.post('/api/v1/orders', async (request, reply) => {
  const validated = validateNewOrder(request.body);
  if (!validated.ok) return reply.status(400).send({ errors: validated.errors });
  const order = createOrder(uuidv7(), validated.value, new Date());
  // The journal's group commit shares one write and one fdatasync among the appends in flight.
  await journal.append([encoder.encode(JSON.stringify(toSnapshot(order)))]);
  return reply.status(201).send({ orderId: order.orderId, status: order.status });
});

const url = await app.listen({ host: '127.0.0.1', port: Number(args.port) });
console.log(url);

process.once('SIGTERM', () => {
  void app
    .close()
    .then(() => journal.close())
    .finally(() => process.exit(0));
});
