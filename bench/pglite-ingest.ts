/**
 * OrderIngestStore throughput on file-backed PGlite (the embedded worker-thread client) or on
 * PostgreSQL: group commit alone, without HTTP.
 *
 *   node --import tsx bench/pglite-ingest.ts [--orders 20000] [--in-flight 200] [--max-batch 500]
 *   node --import tsx bench/pglite-ingest.ts --postgres postgres://postgres@127.0.0.1:5432/test
 *
 * On PostgreSQL it works in a schema of its own and drops it afterwards.
 * Keeps `--in-flight` submissions outstanding (a new one starts as soon as one is acknowledged),
 * like that many concurrent clients, and prints durable orders per second and batch sizes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { TOPICS } from '../src/domain/events/topics.js';
import { parsePrice } from '../src/domain/money/price.js';
import { createOrder } from '../src/domain/order/lifecycle.js';
import { toSnapshot } from '../src/domain/order/snapshot.js';
import { runMigrations } from '../src/adapters/sql/migrate.js';
import { OrderIngestStore } from '../src/adapters/sql/orders/order-ingest-store.js';
import { createPgliteWorkerClient } from '../src/adapters/sql/pglite/worker-client.js';
import { createPostgresClient } from '../src/adapters/sql/postgres/client.js';
import type { SqlClient } from '../src/ports/sql.js';
import { scriptOptions } from './options.js';

const args = scriptOptions('node --import tsx bench/pglite-ingest.ts [options]', {
  orders: { type: 'string', default: '20000', help: 'orders stored' },
  'in-flight': { type: 'string', default: '200', help: 'submissions kept outstanding' },
  'max-batch': { type: 'string', default: '500', help: 'most orders in one transaction' },
  postgres: { type: 'string', help: 'a PostgreSQL URL to measure instead of file-backed PGlite' },
});
const total = Number(args.orders);
const inFlight = Number(args['in-flight']);
const price = parsePrice('150.25')!;

function submission(i: number) {
  const order = createOrder(
    uuidv7(),
    {
      clientOrderId: `B-${i}`,
      accountId: `ACC-${i % 50}`,
      symbol: 'AAPL',
      side: i % 2 ? 'BUY' : 'SELL',
      orderType: 'LIMIT',
      quantity: 100,
      limitPrice: price,
      timeInForce: 'DAY',
    },
    new Date(),
  );
  return {
    order,
    event: { topic: TOPICS.ordersInbound, key: order.orderId, eventId: uuidv7(), payload: { type: 'OrderReceived' as const, order: toSnapshot(order) } },
  };
}

/** The database under test, and how to throw it away. */
async function openDatabase(): Promise<{ db: SqlClient; discard(): Promise<void> }> {
  if (!args.postgres) {
    const dataDir = mkdtempSync(join(tmpdir(), 'pglite-ingest-'));
    const db = await createPgliteWorkerClient({ dataDir });
    return { db, discard: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const url = new URL(args.postgres);
  const server = {
    host: url.hostname,
    port: Number(url.port || 5432),
    database: url.pathname.slice(1),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
  const schema = `bench_${Date.now().toString(36)}`;
  const admin = createPostgresClient({ ...server, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  return {
    db: createPostgresClient({ ...server, schema }),
    discard: async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}

const { db, discard } = await openDatabase();
try {
  await runMigrations(db);
  let transactions = 0;
  const counting: SqlClient = { ...db, batch: (statements) => (transactions++, db.batch(statements)) };
  const store = new OrderIngestStore(counting, { maxBatch: Number(args['max-batch']) });
  let next = 0;
  let created = 0;
  const worker = async () => {
    while (next < total) {
      const { order, event } = submission(next++);
      if ((await store.submit(order, event)).created) created++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - started) / 1000;
  const [stored] = await db.query<{ orders: number; outbox: number }>(
    'SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM outbox) AS outbox',
  );
  console.log(
    `${created} orders (${stored!.orders} rows, ${stored!.outbox} outbox rows) in ${seconds.toFixed(2)} s with ${inFlight} in flight: ${Math.round(created / seconds)} orders/s, ${transactions} transactions (${(total / transactions).toFixed(1)} orders each)`,
  );
} finally {
  await db.close();
  await discard();
}
