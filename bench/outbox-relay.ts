/**
 * What the outbox costs PostgreSQL in distributed mode: writers commit outbox rows (100 a
 * transaction, as a busy service's batches do) while a shared relay publishes them to a bus that
 * takes everything at once, so what is measured is the database's side. Prints the rows a second,
 * the WAL written per row (pg_stat_wal, the whole server's: run it on a quiet one) and, where the
 * server has pg_stat_statements loaded, each outbox statement's calls, time and WAL. Runs in a
 * schema of its own on the machine's PostgreSQL (POSTGRES_* as the tests take them), dropped after.
 *
 *   node --import tsx bench/outbox-relay.ts [--seconds 10] [--writers 3]
 */
import { v7 as uuidv7 } from 'uuid';
import { TOPICS } from '../src/domain/events/topics.js';
import { appendOutbox, OutboxRelay } from '../src/adapters/outbox/index.js';
import { runMigrations } from '../src/adapters/sql/migrate.js';
import { createPostgresClient } from '../src/adapters/sql/postgres/client.js';
import { isolatedPostgres, TEST_POSTGRES } from '../src/adapters/sql/test-support/postgres.js';
import type { BusPayload } from '../src/domain/events/messages.js';
import type { EventBus, OutgoingMessage } from '../src/ports/event-bus.js';
import { scriptOptions } from './options.js';

const args = scriptOptions('node --import tsx bench/outbox-relay.ts [options]', {
  seconds: { type: 'string', default: '10', help: 'how long the writers write' },
  writers: { type: 'string', default: '3', help: 'writers, each on a connection of its own' },
});
const seconds = Number(args.seconds);
const ROWS_PER_TRANSACTION = 100;

const pg = await isolatedPostgres();
const admin = createPostgresClient({ ...TEST_POSTGRES, max: 1 });
try {
  await runMigrations(pg.connect({ max: 1 }));
  const statementStats = await hasStatementStats();
  // An order's status event, about the size oms-core writes.
  const payload = {
    type: 'QuoteUpdated',
    symbol: 'AAPL'.padEnd(300, '.'),
    venue: 'XNYS',
    bidPrice: '150.25',
    bidSize: 100,
    askPrice: null,
    askSize: 0,
    timestamp: new Date(0).toISOString(),
  } satisfies BusPayload;
  const rows = (): OutgoingMessage[] =>
    Array.from({ length: ROWS_PER_TRANSACTION }, (_, i) => ({ topic: TOPICS.ordersStatus, key: `order-${i}`, eventId: uuidv7(), payload }));
  const takesAll: EventBus = { publish: async () => undefined, subscribe: async () => ({ stop: async () => undefined }), close: async () => undefined };
  let published = 0;
  const relay = new OutboxRelay({ db: pg.connect({ max: 1 }), bus: takesAll, shared: true, pollMs: 20, onPublished: (n) => (published += n) });

  const walBefore = await walBytes();
  if (statementStats) await admin.query('SELECT pg_stat_statements_reset()');
  await relay.start();
  const started = performance.now();
  let stopped = false;
  let written = 0;
  const writer = async () => {
    const db = pg.connect({ max: 1 });
    while (!stopped) {
      await db.transaction((tx) => appendOutbox(tx, rows()));
      written += ROWS_PER_TRANSACTION;
    }
  };
  const writing = Array.from({ length: Number(args.writers) }, writer);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  stopped = true;
  await Promise.all(writing);
  while (published < written) await new Promise((resolve) => setTimeout(resolve, 20));
  const elapsed = (performance.now() - started) / 1000;
  await relay.stop();
  const wal = (await walBytes()) - walBefore;

  console.log(
    `${written.toLocaleString('en-US')} rows written by ${args.writers} writers in ${seconds} s and published by one relay in ${elapsed.toFixed(1)} s: ${Math.round(written / elapsed).toLocaleString('en-US')} rows/s`,
  );
  console.log(`WAL written by the server: ${(Number(wal) / 1e6).toFixed(0)} MB, ${Number(wal / BigInt(written))} bytes per row`);
  if (statementStats) await printStatementStats();
  else console.log('(no per-statement figures: pg_stat_statements is not loaded on this server)');
} finally {
  await admin.close();
  await pg.drop();
}

async function walBytes(): Promise<bigint> {
  const [row] = await admin.query<{ bytes: string }>('SELECT wal_bytes::text AS bytes FROM pg_stat_wal');
  return BigInt(row!.bytes);
}

async function hasStatementStats(): Promise<boolean> {
  const [row] = await admin.query<{ loaded: boolean }>("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements') AS loaded");
  if (!row?.loaded) return false;
  // Installed is not loaded: reading the view fails until the library is preloaded.
  return admin.query('SELECT 1 FROM pg_stat_statements LIMIT 1').then(
    () => true,
    () => false,
  );
}

async function printStatementStats(): Promise<void> {
  const stats = await admin.query<{ statement: string; calls: string; total_ms: string; mean_ms: string; wal_bytes: string }>(
    `SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 60) AS statement, calls::text, round(total_exec_time::numeric)::text AS total_ms,
            round(mean_exec_time::numeric, 2)::text AS mean_ms, wal_bytes::text
     FROM pg_stat_statements WHERE query ~* '(FROM|INTO) outbox' ORDER BY total_exec_time DESC LIMIT 6`,
  );
  console.log('| statement | calls | time | per call | WAL |\n|---|---|---|---|---|');
  for (const s of stats) console.log(`| ${s.statement} | ${s.calls} | ${s.total_ms} ms | ${s.mean_ms} ms | ${(Number(s.wal_bytes) / 1e6).toFixed(1)} MB |`);
}
