/**
 * What one statement costs on PGlite: its own `query()` (Parse, Describe, Bind, Describe,
 * Execute, Sync, each a call into WebAssembly) against the worker's prepared statements
 * (src/adapters/sql/pglite/prepared.ts: one Bind + Execute + Sync), with the embedded settings, in memory.
 *
 *   node --import tsx bench/pglite-statements.ts [--runs 3000]
 */
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { v7 as uuidv7 } from 'uuid';
import { TOPICS } from '../src/domain/events/topics.js';
import { parsePrice } from '../src/domain/money/price.js';
import { createOrder } from '../src/domain/order/lifecycle.js';
import { toSnapshot } from '../src/domain/order/snapshot.js';
import { outboxInsert } from '../src/adapters/outbox/index.js';
import { PreparedStatements } from '../src/adapters/sql/pglite/prepared.js';
import { PGLITE_SETTINGS } from '../src/adapters/sql/pglite/settings.js';
import { TYPE_PARSERS } from '../src/adapters/sql/type-parsers.js';
import type { OutgoingMessage } from '../src/ports/event-bus.js';
import type { SqlStatement } from '../src/ports/sql.js';
import { scriptOptions } from './options.js';

const args = scriptOptions('node --import tsx bench/pglite-statements.ts [options]', {
  runs: { type: 'string', default: '3000', help: 'statements of each kind' },
});
const runs = Number(args.runs);

const db = await PGlite.create({ parsers: TYPE_PARSERS, postgresqlconf: [...PGLITE_SETTINGS] });
await db.exec(readFileSync(new URL('../migrations/001_orders.sql', import.meta.url), 'utf8'));
const prepared = new PreparedStatements(db);

const price = parsePrice('150.25')!;
/** An OrderReceived event, as oms-ingest writes one per order. */
function orderReceived(): OutgoingMessage {
  const order = createOrder(
    uuidv7(),
    { clientOrderId: uuidv7(), accountId: 'ACC-1', symbol: 'AAPL', side: 'BUY', orderType: 'LIMIT', quantity: 100, limitPrice: price, timeInForce: 'DAY' },
    new Date(),
  );
  return { topic: TOPICS.ordersInbound, key: order.orderId, eventId: uuidv7(), payload: { type: 'OrderReceived', order: toSnapshot(order) } };
}
const outboxRows = (n: number) => () => outboxInsert(Array.from({ length: n }, orderReceived));
const cases: [string, () => SqlStatement][] = [
  ['SELECT 1', () => ({ text: 'SELECT 1', params: [] })],
  ['outbox INSERT, 1 row', outboxRows(1)],
  ['outbox INSERT, 100 rows', outboxRows(100)],
];

async function microsPerRun(run: (statement: SqlStatement) => Promise<unknown>, make: () => SqlStatement): Promise<number> {
  await db.exec('TRUNCATE outbox'); // both ways start from the same table
  for (let i = 0; i < 200; i++) await run(make());
  const statements = Array.from({ length: runs }, make);
  const started = performance.now();
  for (const statement of statements) await run(statement);
  return ((performance.now() - started) * 1000) / runs;
}

console.log(`# one statement on PGlite (in memory, embedded settings), ${runs} runs each, µs per run`);
for (const [name, make] of cases) {
  const viaQuery = await microsPerRun((s) => db.query(s.text, [...(s.params ?? [])]), make);
  const viaPrepared = await microsPerRun((s) => prepared.query(s.text, s.params), make);
  console.log(`${name.padEnd(26)} query(): ${viaQuery.toFixed(0).padStart(6)}   prepared: ${viaPrepared.toFixed(0).padStart(6)}`);
}
await db.close();
